// A bench that runs inside one real extension host (code-server): its suite writes a JSON report to
// the file named by an environment variable; this side launches it, prints the run and reads it back.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { printSummary, runIntegration, type IntegrationResult } from '../integration/launch-code-server';

export interface HostBenchOptions {
  /** e.g. `bench:soak`. */
  name: string;
  /** The folder of the host-side `*.bench.js` suite. */
  suiteDir: string;
  /** The environment variable the suite reads for its report's path. */
  outVariable: string;
  /** Environment variables passed through to the host when set (the bench's reduced-run knobs). */
  forwarded: readonly string[];
  timeoutMs: number;
}

export async function runHostBench<Report>(
  options: HostBenchOptions,
): Promise<{ result: IntegrationResult; report: Report | undefined }> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), `stream-chat-${options.name.replace(':', '-')}-`));
  const out = path.join(folder, 'report.json');
  const env: Record<string, string> = { [options.outVariable]: out };
  for (const name of options.forwarded) if (process.env[name]) env[name] = process.env[name];
  const result = await runIntegration({
    passes: ['trusted'],
    suiteDir: options.suiteDir,
    suiteSuffix: '.bench.js',
    env,
    timeoutMs: Number(process.env.STREAM_CHAT_TEST_TIMEOUT_MS ?? options.timeoutMs),
  });
  printSummary(options.name, result);
  const report = fs.existsSync(out) ? (JSON.parse(fs.readFileSync(out, 'utf8')) as Report) : undefined;
  fs.rmSync(folder, { recursive: true, force: true });
  return { result, report };
}
