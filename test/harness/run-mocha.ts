// Runs mocha (spec reporter) over every *.test.js under a directory, in this process, and sends the
// counts to the parent process over IPC. run-all starts it as a child per phase:
//
//   node out/test/harness/run-mocha.js <dir> [--timeout ms] [--hooks module.js] [--grep text]
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export interface PhaseCounts {
  passed: number;
  failed: number;
  pending: number;
}

function argValue(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

async function main(): Promise<void> {
  const dir = path.resolve(process.argv[2] ?? '');
  const files = fs.existsSync(dir)
    ? fs
        .readdirSync(dir, { recursive: true })
        .map((file) => path.join(dir, String(file)))
        .filter((file) => file.endsWith('.test.js'))
        .sort()
    : [];
  const hooks = argValue('--hooks');
  const mocha = new Mocha({
    ui: 'bdd',
    reporter: 'spec',
    timeout: Number(argValue('--timeout') ?? 10_000),
    rootHooks: hooks
      ? ((await import(path.resolve(hooks))) as { mochaHooks: Mocha.RootHookObject }).mochaHooks
      : undefined,
  });
  const grep = argValue('--grep') ?? process.env.STREAM_CHAT_TEST_GREP;
  if (grep) mocha.grep(grep);
  for (const file of files) mocha.addFile(file);
  await mocha.loadFilesAsync();
  const counts: PhaseCounts = { passed: 0, failed: 0, pending: 0 };
  await new Promise<void>((resolve) => {
    const runner = mocha.run(() => resolve());
    runner.on('pass', () => counts.passed++);
    runner.on('fail', () => counts.failed++);
    runner.on('pending', () => counts.pending++);
  });
  process.send?.(counts);
  if (counts.failed > 0 || counts.passed + counts.pending === 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.send?.({ passed: 0, failed: 1, pending: 0 });
  process.exitCode = 1;
});
