// npm run bench:soak — no leaks in a long session: one code-server, the extension under development,
// and test/bench/soak/host.bench.js run inside its extension host by the integration launcher (see
// soak/host.bench.ts for what it does and measures). Here: start it, print the heap series and the
// counts, check the targets, write test/bench/results/soak.json.
//
//   SOAK_ANSWERS=1000  SOAK_INSERTIONS=(answers / 5)  SOAK_ANSWERS_PER_CHAT=5  SOAK_INSERTIONS_PER_DOCUMENT=10
//   SOAK_SAMPLE_EVERY=50
//   SOAK_BASELINE_AT=100 (growth is measured from there)  SOAK_SNAPSHOTS=0 (no heap snapshots)
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../harness/paths';
import { runHostBench } from './hostBench';
import type { RequestHold, SoakReport, SoakSample } from './soak/host.bench';

const forwarded = [
  'SOAK_ANSWERS',
  'SOAK_INSERTIONS',
  'SOAK_ANSWERS_PER_CHAT',
  'SOAK_INSERTIONS_PER_DOCUMENT',
  'SOAK_SAMPLE_EVERY',
  'SOAK_BASELINE_AT',
  'SOAK_SNAPSHOTS',
] as const;
/** The target: the heap after a forced GC grows by at most this much from the baseline to the end. */
const MAX_GROWTH_BYTES = 5 * 1024 * 1024;

function mb(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(2);
}

function printSamples(samples: SoakSample[]): void {
  console.log('\n  answers  insertions  heap MB  ext. timers  sockets  subscriptions  running  s');
  for (const s of samples)
    console.log(
      `  ${String(s.answers).padStart(7)}  ${String(s.insertions).padStart(10)}  ${mb(s.heapUsedBytes).padStart(7)}` +
        `  ${String(s.extensionTimers).padStart(11)}  ${String(s.resources.TCPSocketWrap ?? 0).padStart(7)}` +
        `  ${String(s.subscriptions).padStart(13)}  ${String(s.runnerActive).padStart(7)}` +
        `  ${(s.elapsedMs / 1000).toFixed(0).padStart(3)}`,
    );
}

function printHold(hold: RequestHold): void {
  const line = (label: string, c: RequestHold['before']) =>
    `${label} ${c.timers} timers, ${c.subscriptions} subscriptions, ${c.requests} requests`;
  console.log(
    `  ${hold.kind.padEnd(6)} ${line('before', hold.before)} · ${line('during', hold.during)} · ` +
      `${line('after', hold.after)}`,
  );
  console.log(`         subscriptions during: ${JSON.stringify(hold.duringSubscriptions)}`);
  console.log(
    `         timers during: ${hold.duringTimers.join(', ')}; after: ${hold.afterTimers.join(', ') || 'none'}`,
  );
}

/** The checks: heap growth from the baseline, and nothing a request held still held at the end. */
function checks(report: SoakReport): Array<[string, boolean]> {
  const { samples } = report;
  const baseline = samples.find((s) => s.answers === report.baselineAt) ?? samples[0];
  const last = samples[samples.length - 1];
  const growth = last.heapUsedBytes - baseline.heapUsedBytes;
  const released = report.holds.every(
    (h) =>
      h.after.timers <= h.before.timers && h.after.subscriptions <= h.before.subscriptions && h.after.requests === 0,
  );
  return [
    [
      `heap growth from answer ${baseline.answers} to ${last.answers} ≤ 5 MB: ${mb(growth)} MB`,
      growth <= MAX_GROWTH_BYTES,
    ],
    [
      `the extension's timers, subscriptions and requests at the end ≤ the baseline's: ` +
        `${last.extensionTimers}/${baseline.extensionTimers} timers, ` +
        `${last.subscriptions}/${baseline.subscriptions} subscriptions, ${last.runnerActive} running`,
      last.extensionTimers <= baseline.extensionTimers &&
        last.subscriptions <= baseline.subscriptions &&
        last.runnerActive === 0,
    ],
    ['what a held request holds is released when it ends', released],
  ];
}

async function main(): Promise<void> {
  const started = Date.now();
  const { result, report } = await runHostBench<SoakReport>({
    name: 'bench:soak',
    suiteDir: path.join(__dirname, 'soak'),
    outVariable: 'STREAM_CHAT_BENCH_SOAK_OUT',
    forwarded,
    timeoutMs: 20 * 60_000,
  });
  if (report === undefined) throw new Error('the extension host reported no results');

  console.log(
    `\n  ${report.answers} answers, ${report.insertions} insertions (a New Chat every ${report.answersPerChat})`,
  );
  console.log(
    `  one answer p50 ${report.answerMs.p50} ms (max ${report.answerMs.max}), ` +
      `one insertion p50 ${report.insertMs.p50} ms (max ${report.insertMs.max})`,
  );
  printSamples(report.samples);
  console.log('\n  one request held open mid-stream:');
  for (const hold of report.holds) printHold(hold);
  if (report.uncountedEvents.length > 0) console.log(`\n  events not counted: ${report.uncountedEvents.join(', ')}`);
  console.log(`  subscriptions open at the end: ${JSON.stringify(report.subscriptionsAtEnd)}`);
  if (report.grownObjects) {
    console.log(`\n  live objects that grew most from answer ${report.baselineAt} to the end:`);
    for (const o of report.grownObjects.slice(0, 12))
      console.log(`    ${String(o.after - o.before).padStart(7)}  ${o.name} (${o.before} → ${o.after})`);
  }
  const results = checks(report);
  console.log(`\n  targets:\n${results.map(([label, ok]) => `    ${ok ? '✓' : '✗'} ${label}`).join('\n')}`);

  // A reduced run (fewer answers, other settings) does not replace the recorded results.
  const complete = forwarded.every((name) => !process.env[name]) && result.errors.length === 0 && result.failed === 0;
  const file = path.join(repoRoot, 'test', 'bench', 'results', complete ? 'soak.json' : 'soak.json.tmp');
  const first = report.samples.find((s) => s.answers === report.baselineAt) ?? report.samples[0];
  const last = report.samples[report.samples.length - 1];
  // The heap at the baseline may still hold warm-up garbage V8 gives back later: growth from the lowest
  // sample since then says the same thing without that luck.
  const lowest = Math.min(...report.samples.filter((s) => s.answers >= first.answers).map((s) => s.heapUsedBytes));
  const summary = {
    growthBytes: last.heapUsedBytes - first.heapUsedBytes,
    growthFromLowestBytes: last.heapUsedBytes - lowest,
    growthFrom: first.answers,
    growthTo: last.answers,
    targetsMet: results.every(([, ok]) => ok),
  };
  fs.writeFileSync(file, `${JSON.stringify({ ...summary, ...report }, null, 2)}\n`);
  console.log(
    `  heap growth to the end from the lowest sample since answer ${first.answers}: ` +
      `${mb(summary.growthFromLowestBytes)} MB`,
  );
  console.log(
    `\n  written to ${path.relative(repoRoot, file)} (${((Date.now() - started) / 1000).toFixed(0)} s in all)`,
  );
  if (result.failed > 0 || result.errors.length > 0 || !summary.targetsMet) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exitCode = 1;
});
