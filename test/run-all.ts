// `npm test`: unit, integration (real VS Code via code-server) and e2e (the UI via chromium), each
// in its own child process, then one line `N passed, N failed, N skipped`. Exits non-zero on any
// failure or when a phase ran zero tests.
//
//   node out/test/run-all.js [unit] [integration] [e2e]     (default: all three, in that order)
import { fork } from 'node:child_process';
import * as path from 'node:path';

interface PhaseCounts {
  passed: number;
  failed: number;
  pending: number;
}

interface Phase {
  name: string;
  script: string;
  args: string[];
}

const out = __dirname; // out/test
const phases: Phase[] = [
  {
    name: 'unit',
    script: path.join(out, 'harness', 'run-mocha.js'),
    args: [path.join(out, 'unit'), '--timeout', '20000'],
  },
  { name: 'integration', script: path.join(out, 'integration', 'launch-code-server.js'), args: [] },
  {
    name: 'e2e',
    script: path.join(out, 'harness', 'run-mocha.js'),
    args: [path.join(out, 'e2e'), '--timeout', '180000', '--hooks', path.join(out, 'e2e', 'hooks.js')],
  },
];

function runPhase(phase: Phase): Promise<PhaseCounts & { exitCode: number }> {
  return new Promise((resolve) => {
    let counts: PhaseCounts | undefined;
    const child = fork(phase.script, phase.args, { stdio: 'inherit' });
    const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
    const onInt = forward('SIGINT');
    const onTerm = forward('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
    child.on('message', (message) => {
      counts = message as PhaseCounts;
    });
    child.on('exit', (code, signal) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      const exitCode = code ?? (signal ? 1 : 0);
      // A phase that died before reporting counts as one failure.
      resolve({ ...(counts ?? { passed: 0, failed: 1, pending: 0 }), exitCode });
    });
  });
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const selected = wanted.length > 0 ? phases.filter((phase) => wanted.includes(phase.name)) : phases;
  const unknown = wanted.filter((name) => !phases.some((phase) => phase.name === name));
  if (unknown.length > 0 || selected.length === 0) {
    console.error(`unknown phase(s): ${unknown.join(', ')}; choose from ${phases.map((p) => p.name).join(', ')}`);
    process.exit(2);
  }
  const totals: PhaseCounts = { passed: 0, failed: 0, pending: 0 };
  const lines: string[] = [];
  let broken = false;
  for (const phase of selected) {
    const started = Date.now();
    console.log(`\n=== ${phase.name} ===`);
    const result = await runPhase(phase);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    totals.passed += result.passed;
    totals.failed += result.failed;
    totals.pending += result.pending;
    let note = '';
    if (result.passed + result.failed + result.pending === 0) {
      note = ' — ZERO TESTS RAN (counted as a failure)';
      totals.failed += 1;
      broken = true;
    } else if (result.exitCode !== 0 && result.failed === 0) {
      note = ` — exited with code ${result.exitCode} (counted as a failure)`;
      totals.failed += 1;
      broken = true;
    }
    lines.push(
      `${phase.name}: ${result.passed} passed, ${result.failed} failed, ${result.pending} skipped ` +
        `(${seconds} s)${note}`,
    );
  }
  console.log('\n=== summary ===');
  for (const line of lines) console.log(line);
  console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.pending} skipped`);
  process.exitCode = totals.failed > 0 || broken ? 1 : 0;
}

void main();
