// npm run bench:insert — "Insert at Cursor" streaming into a real editor: one code-server, the
// extension under development, and test/bench/insert/*.bench.js run inside its extension host by
// the integration launcher (see insert/host.bench.ts for what is measured and how). Here: start it,
// print the table, check the targets at 1,000 events/s, write test/bench/results/insert.json.
//
//   BENCH_RATES=200,1000,3000  BENCH_DELTAS=4000  BENCH_DEADLINE_S=300 (per run, after the stream's nominal end)
//   BENCH_VARIANTS=ours,prose,naive  BENCH_LANGUAGE=typescript  STREAM_CHAT_TEST_VERBOSE=1 (the workbench console)
//   BENCH_PROFILE=<dir> (extension host CPU profiles)  BENCH_UNDO_CAP=5000  BENCH_UNDO_LIMIT_S=120
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../harness/paths';
import { runHostBench } from './hostBench';
import type { InsertBenchReport, InsertBenchRun } from './insert/host.bench';

const forwarded = [
  'BENCH_RATES',
  'BENCH_DELTAS',
  'BENCH_VARIANTS',
  'BENCH_LANGUAGE',
  'BENCH_PROFILE',
  'BENCH_DEADLINE_S',
  'BENCH_UNDO_CAP',
  'BENCH_UNDO_LIMIT_S',
] as const;

function fmt(value: number): string {
  return Number.isFinite(value) ? (Math.abs(value) >= 100 ? String(Math.round(value)) : value.toFixed(1)) : '—';
}

function table(title: string, header: string[], rows: string[][]): void {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    `  ${cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ')}`;
  console.log(`\n  ${title}\n${line(header)}\n${line(widths.map((w) => '-'.repeat(w)))}\n${rows.map(line).join('\n')}`);
}

function undoText(run: InsertBenchRun): string {
  return `${run.undoCapped ? '>' : ''}${run.undoSteps}`;
}

/** The prose-first answer's lag beside the pure-code answer's, per rate: what holding the sentence back costs. */
function printProseBesideCode(runs: InsertBenchRun[]): void {
  const rows = runs.flatMap((prose) => {
    const code = runs.find((run) => run.variant === 'ours' && run.rate === prose.rate);
    if (prose.variant !== 'prose' || code === undefined) return [];
    return [
      [
        String(prose.rate),
        `${fmt(code.lagP50Ms)} / ${fmt(prose.lagP50Ms)}`,
        `${fmt(code.lagP95Ms)} / ${fmt(prose.lagP95Ms)}`,
        `${fmt(code.lagMaxMs)} / ${fmt(prose.lagMaxMs)}`,
        `${fmt(code.completeAfterLastByteMs)} / ${fmt(prose.completeAfterLastByteMs)}`,
        `${undoText(code)} / ${undoText(prose)}`,
      ],
    ];
  });
  if (rows.length === 0) return;
  table(
    'Pure code / prose first (a sentence, the code fenced, an explanation after), ms',
    ['rate/s', 'lag p50', 'lag p95', 'lag max', 'complete after last byte', 'undo steps'],
    rows,
  );
}

async function main(): Promise<void> {
  const started = Date.now();
  const { result, report } = await runHostBench<InsertBenchReport>({
    name: 'bench:insert',
    suiteDir: path.join(__dirname, 'insert'),
    outVariable: 'STREAM_CHAT_BENCH_INSERT_OUT',
    forwarded,
    timeoutMs: 30 * 60_000,
  });
  const runs = report?.runs ?? [];
  if (runs.length === 0) throw new Error('the extension host reported no runs');
  const roundTrip = report?.editRoundTrip;
  if (roundTrip)
    console.log(
      `\n  one awaited editor.edit (idle ${report.language} document, ${roundTrip.count}×): ` +
        `p50 ${fmt(roundTrip.p50Ms)} ms, p95 ${fmt(roundTrip.p95Ms)} ms`,
    );

  table(
    `Insert at Cursor, ${runs[0].deltas} deltas per run ` +
      '(ms; lag = server wrote the delta → the document contains it)',
    [
      'rate/s',
      'variant',
      'lag p50',
      'lag p95',
      'lag max',
      'complete after last byte',
      'undo steps',
      'edits',
      'edit gap p50/p95/max',
      'host loop delay p99/max',
      'stream',
      'achieved/s',
      'note',
    ],
    runs.map((run) => [
      String(run.rate),
      run.variant,
      fmt(run.lagP50Ms),
      fmt(run.lagP95Ms),
      fmt(run.lagMaxMs),
      fmt(run.completeAfterLastByteMs),
      undoText(run),
      String(run.documentChanges),
      `${fmt(run.changeIntervalP50Ms)} / ${fmt(run.changeIntervalP95Ms)} / ${fmt(run.changeIntervalMaxMs)}`,
      `${fmt(run.hostLoopDelayP99Ms)} / ${fmt(run.hostLoopDelayMaxMs)}`,
      fmt(run.streamMs),
      String(run.achievedRate),
      [
        run.deadlineHit ? `deadline hit: ${run.deltasSeen}/${run.deltas} seen` : '',
        run.undoCapped ? 'undo count capped' : '',
      ]
        .filter(Boolean)
        .join('; '),
    ]),
  );

  const ours = runs.find((run) => run.rate === 1000 && run.variant === 'ours');
  const naive = runs.find((run) => run.rate === 1000 && run.variant === 'naive');
  if (ours && naive) {
    const checks: Array<[string, boolean]> = [
      [`p95 lag ≤ 150 ms: ${fmt(ours.lagP95Ms)} ms`, ours.lagP95Ms <= 150],
      [
        `p95 lag ≤ 10% of naive's: ${fmt(ours.lagP95Ms)} / ${fmt(naive.lagP95Ms)} ms = ` +
          `${((ours.lagP95Ms / naive.lagP95Ms) * 100).toFixed(1)}%`,
        ours.lagP95Ms <= 0.1 * naive.lagP95Ms,
      ],
      [
        `complete ≤ 150 ms after the last byte: ${fmt(ours.completeAfterLastByteMs)} ms`,
        ours.completeAfterLastByteMs <= 150,
      ],
      [`1 undo step: ${undoText(ours)}`, ours.undoSteps === 1 && !ours.undoCapped],
    ];
    console.log(
      `\n  targets at 1,000 events/s:\n${checks.map(([label, ok]) => `    ${ok ? '✓' : '✗'} ${label}`).join('\n')}`,
    );
  }

  printProseBesideCode(runs);

  // A partial run (other rates or length) does not replace the recorded results.
  const complete =
    !process.env.BENCH_RATES &&
    !process.env.BENCH_DELTAS &&
    !process.env.BENCH_VARIANTS &&
    !process.env.BENCH_LANGUAGE &&
    !process.env.BENCH_PROFILE &&
    result.errors.length === 0 &&
    result.failed === 0;
  const file = path.join(repoRoot, 'test', 'bench', 'results', complete ? 'insert.json' : 'insert.json.tmp');
  fs.writeFileSync(file, `${JSON.stringify(runs, null, 2)}\n`);
  console.log(
    `\n  written to ${path.relative(repoRoot, file)} (${((Date.now() - started) / 1000).toFixed(0)} s in all)`,
  );
  if (result.failed > 0 || result.errors.length > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exitCode = 1;
});
