// `npm start`: a real VS Code (code-server on 127.0.0.1) with Stream Chat from this working tree
// and a sample workspace, for a person to open in a browser. The endpoint comes from
// STREAM_CHAT_BASE_URL / STREAM_CHAT_API_KEY / STREAM_CHAT_MODEL; with none of them set, a local
// demo server streams canned answers (STREAM_CHAT_DEMO=1, the UI labels it "Demo model"). The window
// opens with the chat view shown, and on a first run the Stream Chat walkthrough.
// Ctrl+C (SIGINT) or SIGTERM stops everything it started.
//
// The user-data-dir (chat history, settings) is kept in .vscode-test/start-user-data between runs
// (STREAM_CHAT_USER_DATA_DIR chooses another).
//
//   node out/test/harness/start.js [--port N] [--check]
//     --check  open the window in headless chromium, save test/e2e/screenshots/start.png, then stop
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startTestServer, type TestServer } from '../server';
import { launchBrowser, openWorkbench, screenshot } from './browser';
import { startCodeServer, type CodeServer } from './code-server';
import { ensureCodeServer } from './install';
import { cacheDir, repoRoot } from './paths';

const DEMO_TOKENS_PER_SECOND = 40;

function argValue(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

/** A small project to chat about, kept under .vscode-test/ so edits survive restarts. */
function sampleWorkspace(): string {
  const folder = path.join(cacheDir, 'sample-workspace');
  const files: Record<string, string> = {
    'README.md':
      '# Sample project\n\nA small workspace opened by `npm start`. Select some code and run a Stream Chat command,\n' +
      'or open the Stream Chat view in the activity bar.\n',
    'src/inventory.ts': [
      'export interface Item {',
      '  sku: string;',
      '  quantity: number;',
      '  priceCents: number;',
      '}',
      '',
      '/** Total value of the stock, in cents. */',
      'export function stockValue(items: Item[]): number {',
      '  let total = 0;',
      '  for (let i = 0; i <= items.length; i++) {',
      '    total += items[i].quantity * items[i].priceCents;',
      '  }',
      '  return total;',
      '}',
      '',
      'export function findBySku(items: Item[], sku: string): Item | undefined {',
      '  return items.filter((item) => item.sku == sku)[0];',
      '}',
      '',
    ].join('\n'),
    'src/retry.py': [
      'import time',
      '',
      '',
      'def retry(fn, attempts=3, delay=0.5):',
      '    """Call fn until it succeeds or attempts run out."""',
      '    for attempt in range(attempts):',
      '        try:',
      '            return fn()',
      '        except Exception:',
      '            time.sleep(delay * 2 ** attempt)',
      '    return fn()',
      '',
    ].join('\n'),
  };
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(folder, name);
    if (fs.existsSync(file)) continue;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
  return folder;
}

interface Endpoint {
  env: Record<string, string>;
  description: string;
  demoServer?: TestServer;
}

async function chooseEndpoint(): Promise<Endpoint> {
  const given = {
    STREAM_CHAT_BASE_URL: process.env.STREAM_CHAT_BASE_URL,
    STREAM_CHAT_API_KEY: process.env.STREAM_CHAT_API_KEY,
    STREAM_CHAT_MODEL: process.env.STREAM_CHAT_MODEL,
  };
  const env = Object.fromEntries(Object.entries(given).filter((entry): entry is [string, string] => !!entry[1]));
  if (Object.keys(env).length > 0) {
    const parts = [
      env.STREAM_CHAT_BASE_URL ? `endpoint ${env.STREAM_CHAT_BASE_URL}` : 'endpoint from settings',
      env.STREAM_CHAT_MODEL ? `model ${env.STREAM_CHAT_MODEL}` : 'model from settings',
      env.STREAM_CHAT_API_KEY ? 'API key from STREAM_CHAT_API_KEY' : 'no API key in the environment',
    ];
    if (env.STREAM_CHAT_API_KEY && !env.STREAM_CHAT_BASE_URL)
      parts.push('(the key is only used with STREAM_CHAT_BASE_URL)');
    return { env, description: parts.join(', ') };
  }
  const demoServer = await startTestServer({ demo: { tokensPerSecond: DEMO_TOKENS_PER_SECOND } });
  const model = demoServer.models[0] ?? 'demo-model';
  return {
    env: { STREAM_CHAT_BASE_URL: demoServer.baseUrl, STREAM_CHAT_MODEL: model, STREAM_CHAT_DEMO: '1' },
    description:
      `demo server ${demoServer.baseUrl} (model ${model}, ${DEMO_TOKENS_PER_SECOND} tokens/s; ` +
      'set STREAM_CHAT_BASE_URL to use a real endpoint)',
    demoServer,
  };
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const portArg = argValue('--port') ?? process.env.STREAM_CHAT_PORT;
  if (!fs.existsSync(path.join(repoRoot, 'dist', 'extension.js')))
    throw new Error('dist/extension.js is missing: run npm run build first');
  await ensureCodeServer((line) => console.log(line));

  let codeServer: CodeServer | undefined;
  let demoServer: TestServer | undefined;
  let stopping: Promise<void> | undefined;
  const stopAll = () =>
    (stopping ??= (async () => {
      await codeServer?.stop();
      await demoServer?.close();
    })());
  const onSignal = (signal: NodeJS.Signals) => {
    console.log(`\n${signal}: stopping code-server${demoServer ? ' and the demo server' : ''}…`);
    void stopAll().then(() => process.exit(0));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    const endpoint = await chooseEndpoint();
    demoServer = endpoint.demoServer;
    const workspace = sampleWorkspace();
    codeServer = await startCodeServer({
      workspace,
      port: portArg ? Number(portArg) : undefined,
      // The extension host inherits code-server's environment: that is how the endpoint reaches it,
      // and how the chat view is shown at every start, not only the first (STREAM_CHAT_OPEN_CHAT).
      env: { ...endpoint.env, STREAM_CHAT_OPEN_CHAT: '1' },
      // Linked in as an installed extension: every window loads it, and notifications show as toasts
      // (the payload route needs the smoke-test driver, which hides them).
      linkExtensions: [repoRoot],
      smokeTestDriver: false,
      // The demo's chat history, layout choices and settings are there again next time.
      persistentUserDataDir: process.env.STREAM_CHAT_USER_DATA_DIR ?? path.join(cacheDir, 'start-user-data'),
    });
  } catch (error) {
    await stopAll();
    throw error;
  }
  const url = codeServer.url();
  const endpointLine = demoServer ? `demo server ${demoServer.baseUrl}` : 'from the environment';
  console.log(
    [
      '',
      'Stream Chat is running in VS Code (code-server):',
      '',
      `    ${url}`,
      '',
      `  extension   ${repoRoot} (rebuild with npm run build, then "Developer: Reload Window")`,
      `  workspace   ${codeServer.workspace}`,
      `  user data   ${codeServer.userDataDir} (chat history and settings, kept between runs)`,
      `  endpoint    ${endpointLine}`,
      '',
      'Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  );
  // One machine-readable line for scripts and tests.
  console.log(`STREAM_CHAT_URL=${url}`);

  void codeServer.exited.then(async (how) => {
    if (stopping) return;
    console.error(`code-server stopped unexpectedly (${how})\n${codeServer?.logTail()}`);
    await stopAll();
    process.exit(1);
  });

  if (check) {
    const browser = await launchBrowser();
    try {
      const page = await openWorkbench(browser, url);
      await page
        .locator('.statusbar-item')
        .filter({ hasText: /Demo model|model/i })
        .first()
        .waitFor({ timeout: 60_000 })
        .catch(() => undefined);
      console.log(`screenshot: ${await screenshot(page, 'start')}`);
    } finally {
      await browser.close();
      await stopAll();
    }
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
