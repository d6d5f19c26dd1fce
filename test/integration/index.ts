// The integration suite's entry (extensionTestsPath): the extension host calls run(), which runs
// mocha over the compiled suite files and reports every result to the launcher that started it.
// Same contract for @vscode/test-electron and the code-server launcher.
//
// Which files run: in the normal (trusted) pass every suite/**/*.test.js except
// *.restricted.test.js; in the restricted pass (workspace trust on, folder not trusted) only
// *.restricted.test.js.
//
// Another compiled directory can be run the same way (benchmarks: `npm run bench:insert`):
// STREAM_CHAT_TEST_SUITE_DIR (absolute) replaces suite/, STREAM_CHAT_TEST_SUITE_SUFFIX replaces
// `.test.js` (e.g. `.bench.js`). Both unset = the integration suite, as before.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import { ReportEnv, type ReportEvent, type TestFailure, type TrustMode } from './report';

function suiteFiles(trust: TrustMode): string[] {
  const dir = process.env.STREAM_CHAT_TEST_SUITE_DIR || path.join(__dirname, 'suite');
  const suffix = process.env.STREAM_CHAT_TEST_SUITE_SUFFIX || '.test.js';
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true })
    .map((file) => path.join(dir, String(file)))
    .filter((file) => file.endsWith(suffix))
    .filter((file) => file.endsWith(`.restricted${suffix}`) === (trust === 'restricted'))
    .sort();
}

/** Sends events in order; a launcher that is gone must not break or stall the run. */
class Reporter {
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly url: string | undefined,
    private readonly file: string | undefined,
  ) {}

  send(event: ReportEvent): void {
    if (event.type === 'end' && this.file) fs.writeFileSync(this.file, JSON.stringify(event, null, 2));
    const url = this.url;
    if (!url) return;
    this.chain = this.chain.then(async () => {
      try {
        await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(event),
          signal: AbortSignal.timeout(10_000),
        });
      } catch (error) {
        console.error(`[stream-chat tests] could not report to ${url}: ${String(error)}`);
      }
    });
  }

  flushed(): Promise<void> {
    return this.chain;
  }
}

function failureOf(test: Mocha.Runnable, error: unknown): TestFailure {
  const err = error instanceof Error ? error : new Error(String(error));
  return { title: test.fullTitle(), message: err.message, stack: err.stack };
}

export async function run(): Promise<void> {
  const trust: TrustMode = process.env[ReportEnv.trust] === 'restricted' ? 'restricted' : 'trusted';
  const reporter = new Reporter(process.env[ReportEnv.url], process.env[ReportEnv.file]);
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec' });
  const grep = process.env[ReportEnv.grep];
  if (grep) mocha.grep(grep);
  const files = suiteFiles(trust);
  for (const file of files) mocha.addFile(file);

  const failures: TestFailure[] = [];
  const counts = { passed: 0, failed: 0, pending: 0 };
  let total = 0;
  try {
    await mocha.loadFilesAsync();
    await new Promise<void>((resolve) => {
      const runner = mocha.run(() => resolve());
      total = runner.total;
      reporter.send({ type: 'start', total, files: files.map((file) => path.relative(__dirname, file)) });
      runner.on('pass', (test) => {
        counts.passed++;
        reporter.send({ type: 'pass', title: test.fullTitle(), durationMs: test.duration ?? 0 });
      });
      runner.on('fail', (test, error) => {
        counts.failed++;
        const failure = failureOf(test, error);
        failures.push(failure);
        reporter.send({ type: 'fail', failure });
      });
      runner.on('pending', (test) => {
        counts.pending++;
        reporter.send({ type: 'pending', title: test.fullTitle() });
      });
    });
  } catch (error) {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    reporter.send({ type: 'end', total, counts, failures, error: message });
    await reporter.flushed();
    throw error;
  }
  reporter.send({ type: 'end', total, counts, failures });
  await reporter.flushed();
  if (counts.failed > 0) throw new Error(`${counts.failed} integration test(s) failed`);
  if (total === 0) throw new Error('no integration tests ran');
}
