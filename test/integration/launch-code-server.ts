// Runs the integration suite inside a real VS Code: one code-server on loopback, the workbench
// opened in headless chromium with a payload that loads the extension under development and the
// compiled suite. Two passes on the same server and browser:
//   trusted     every suite/**/*.test.js, workspace trust off (like --disable-workspace-trust)
//   restricted  suite/**/*.restricted.test.js, trust on and the folder not trusted (Restricted Mode)
// Fails on any failing test, a missing report, a count mismatch, zero tests, or the time limit.
//
//   node out/test/integration/launch-code-server.js [--pass trusted|restricted] [--grep <text>]
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { closeWorkbench, launchBrowser, openWorkbench } from '../harness/browser';
import { startCodeServer, type CodeServer } from '../harness/code-server';
import { integrationIndex, repoRoot } from '../harness/paths';
import { ReportEnv, type ReportEvent, type TestCounts, type TestFailure, type TrustMode } from './report';

export interface IntegrationOptions {
  passes?: TrustMode[];
  grep?: string;
  /**
   * Run another compiled directory's files instead of the suite (e.g. out/test/bench/insert), and
   * which file name ending marks them (default `.test.js`). Read by index.ts from the environment.
   */
  suiteDir?: string;
  suiteSuffix?: string;
  /** More environment variables for the extension host (e.g. where a benchmark writes its results). */
  env?: Record<string, string>;
  /** The extension loaded as under development (default this repository). */
  extensionDevelopmentPath?: string;
  /** Extension folders installed (linked) before start, loaded as a user's are (`bench:activation`). */
  linkExtensions?: string[];
  /** Whole run limit (default 10 min, or STREAM_CHAT_TEST_TIMEOUT_MS). */
  timeoutMs?: number;
  log?: (line: string) => void;
}

export interface IntegrationResult extends TestCounts {
  failures: TestFailure[];
  /** Problems of the run itself (no report, count mismatch, zero tests, timeout). */
  errors: string[];
}

/** Receives the runner's POSTed events per pass on a loopback port. */
class ReportReceiver {
  private readonly server: http.Server;
  private readonly handlers = new Map<string, (event: ReportEvent) => void>();

  constructor() {
    this.server = http.createServer((request, response) => {
      let body = '';
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => (body += chunk));
      request.on('end', () => {
        response.writeHead(204).end();
        const handler = this.handlers.get((request.url ?? '/').slice(1));
        try {
          if (handler) handler(JSON.parse(body) as ReportEvent);
        } catch {
          // a malformed report shows up as a missing one
        }
      });
    });
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  url(channel: string): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/${channel}`;
  }

  on(channel: string, handler: (event: ReportEvent) => void): void {
    this.handlers.set(channel, handler);
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function makeWorkspace(root: string, name: string): string {
  const folder = path.join(root, name);
  fs.mkdirSync(path.join(folder, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(folder, '.vscode', 'settings.json'), '{}\n');
  fs.writeFileSync(path.join(folder, 'README.md'), `# ${name}\n\nA folder the integration tests open.\n`);
  fs.writeFileSync(
    path.join(folder, 'sample.ts'),
    'export function add(a: number, b: number): number {\n  return a + b;\n}\n',
  );
  return folder;
}

interface PassContext {
  server: CodeServer;
  browser: Browser;
  receiver: ReportReceiver;
  workspace: string;
  deadline: number;
  timeoutMs: number;
  grep?: string;
  /** Extra extension host environment (suite directory, benchmark settings). */
  env: Record<string, string>;
  extensionDevelopmentPath: string;
  log: (line: string) => void;
}

async function runPass(pass: TrustMode, ctx: PassContext): Promise<IntegrationResult> {
  const result: IntegrationResult = { passed: 0, failed: 0, pending: 0, failures: [], errors: [] };
  const { log } = ctx;
  // Read by the window at load: trust off for the normal pass, on (folder untrusted) for the restricted one.
  ctx.server.writeUserSettings({ 'security.workspace.trust.enabled': pass === 'restricted' });
  let page: Page | undefined;
  let settle!: (outcome: { end?: Extract<ReportEvent, { type: 'end' }>; error?: string }) => void;
  const settled = new Promise<{ end?: Extract<ReportEvent, { type: 'end' }>; error?: string }>(
    (resolve) => (settle = resolve),
  );
  let startEvent: Extract<ReportEvent, { type: 'start' }> | undefined;
  ctx.receiver.on(pass, (event) => {
    switch (event.type) {
      case 'start':
        startEvent = event;
        log(`[${pass}] ${event.total} test(s) in ${event.files.join(', ') || 'no files'}`);
        break;
      case 'pass':
        log(`  ✔ ${event.title} (${event.durationMs} ms)`);
        break;
      case 'fail':
        log(`  ✘ ${event.failure.title}\n      ${event.failure.message.split('\n').join('\n      ')}`);
        break;
      case 'pending':
        log(`  - ${event.title} (skipped)`);
        break;
      case 'end':
        settle({ end: event });
        break;
    }
  });
  const remaining = ctx.deadline - Date.now();
  const timer = setTimeout(
    () => settle({ error: `no final report before the run's time limit (${Math.round(ctx.timeoutMs / 1000)} s)` }),
    remaining,
  );
  // Without a start event the extension host never ran the suite; do not wait the whole limit for it.
  const startTimer = setTimeout(
    () => {
      if (!startEvent) settle({ error: 'the extension host did not start the suite within 180 s' });
    },
    Math.min(180_000, remaining),
  );
  try {
    const url = ctx.server.url({
      folder: ctx.workspace,
      extensionDevelopmentPath: ctx.extensionDevelopmentPath,
      extensionTestsPath: integrationIndex,
      extensionEnvironment: {
        ...ctx.env,
        [ReportEnv.url]: ctx.receiver.url(pass),
        [ReportEnv.trust]: pass,
        ...(ctx.grep ? { [ReportEnv.grep]: ctx.grep } : {}),
      },
    });
    log(`[${pass}] opening ${url.slice(0, 120)}…`);
    page = await openWorkbench(ctx.browser, url, {
      // The report arrives before the host exits (run() awaits it), so an exit first means no report.
      onAutomationExit: (code) =>
        setImmediate(() => settle({ error: `the extension host exited (code ${code}) without a final report` })),
      onConsole: process.env.STREAM_CHAT_TEST_VERBOSE ? log : undefined,
      timeoutMs: Math.max(1000, ctx.deadline - Date.now()),
    }).catch((error: unknown) => {
      settle({ error: `the workbench did not open: ${(error as Error).message}` });
      return undefined;
    });
    const outcome = await settled;
    if (outcome.error) result.errors.push(`[${pass}] ${outcome.error}`);
    const end = outcome.end;
    if (end) {
      result.passed = end.counts.passed;
      result.failed = end.counts.failed;
      result.pending = end.counts.pending;
      result.failures = end.failures;
      if (end.error) result.errors.push(`[${pass}] the runner failed: ${end.error}`);
      if (end.total === 0) result.errors.push(`[${pass}] zero tests ran`);
      const ran = end.counts.passed + end.counts.pending + end.failures.filter((f) => !/" hook/.test(f.title)).length;
      if (ran < end.total && end.counts.failed === 0)
        result.errors.push(`[${pass}] only ${ran} of ${end.total} tests reported`);
    }
  } finally {
    clearTimeout(timer);
    clearTimeout(startTimer);
    if (page) await closeWorkbench(page).catch(() => undefined);
  }
  return result;
}

export async function runIntegration(options: IntegrationOptions = {}): Promise<IntegrationResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const passes = options.passes ?? ['trusted', 'restricted'];
  const timeoutMs = options.timeoutMs ?? Number(process.env.STREAM_CHAT_TEST_TIMEOUT_MS ?? 600_000);
  const deadline = Date.now() + timeoutMs;
  // The names index.ts reads.
  const env: Record<string, string> = {
    ...options.env,
    ...(options.suiteDir ? { STREAM_CHAT_TEST_SUITE_DIR: options.suiteDir } : {}),
    ...(options.suiteSuffix ? { STREAM_CHAT_TEST_SUITE_SUFFIX: options.suiteSuffix } : {}),
  };
  if (!fs.existsSync(integrationIndex)) throw new Error(`${integrationIndex} is missing: run node esbuild.js --tests`);
  const tempRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'stream-chat-integration-'));
  const receiver = new ReportReceiver();
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  const total: IntegrationResult = { passed: 0, failed: 0, pending: 0, failures: [], errors: [] };
  try {
    await receiver.listen();
    const started = Date.now();
    server = await startCodeServer({
      workspace: makeWorkspace(tempRoot, 'workspace'),
      workspaceTrust: true,
      linkExtensions: options.linkExtensions,
    });
    browser = await launchBrowser();
    log(`[integration] code-server ${server.origin} ready in ${Date.now() - started} ms`);
    for (const pass of passes) {
      const workspace = makeWorkspace(tempRoot, `workspace-${pass}`);
      const result = await runPass(pass, {
        server,
        browser,
        receiver,
        workspace,
        deadline,
        timeoutMs,
        grep: options.grep,
        env,
        extensionDevelopmentPath: options.extensionDevelopmentPath ?? repoRoot,
        log,
      });
      total.passed += result.passed;
      total.failed += result.failed;
      total.pending += result.pending;
      total.failures.push(...result.failures);
      total.errors.push(...result.errors);
      if (Date.now() > deadline) break;
    }
    if (total.errors.length > 0) log(`--- code-server log tail ---\n${server.logTail(60)}`);
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    await receiver.close();
    fs.rmSync(tempRoot, { recursive: true, force: true });
  }
  return total;
}

export function printSummary(
  phase: string,
  result: IntegrationResult,
  log: (line: string) => void = console.log,
): void {
  for (const failure of result.failures) log(`FAILED ${failure.title}\n  ${failure.message}`);
  for (const error of result.errors) log(`ERROR ${error}`);
  log(
    `[${phase}] ${result.passed} passed, ${result.failed} failed, ${result.pending} skipped` +
      (result.errors.length ? `, ${result.errors.length} run error(s)` : ''),
  );
}

function argValue(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

if (require.main === module) {
  const pass = argValue('--pass') as TrustMode | undefined;
  runIntegration({ passes: pass ? [pass] : undefined, grep: argValue('--grep') }).then(
    (result) => {
      printSummary('integration', result);
      process.send?.({ passed: result.passed, failed: result.failed + result.errors.length, pending: result.pending });
      process.exitCode = result.failed > 0 || result.errors.length > 0 ? 1 : 0;
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.stack : error);
      process.send?.({ passed: 0, failed: 1, pending: 0 });
      process.exitCode = 1;
    },
  );
}
