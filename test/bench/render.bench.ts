// npm run bench:render — the chat panel rendering a streamed 48 KB answer (prose, lists, a table, six
// code blocks) sent as 12,000 deltas of 4 characters, in headless Chromium, on the real webview
// bundle (dist/webview.js) with the panel's stylesheets, messages posted the way VS Code delivers them:
//   ours    StreamingMarkdown as the panel uses it (finished blocks frozen, the open tail re-rendered)
//   naive   the same bundle with body[data-render-mode=whole]: the whole message re-rendered every frame
//   plain   the same bundle with body[data-render-mode=plain]: the raw text in one text node, each frame's
//           new text appended (no markdown at all: what a plain-text panel costs)
//   floor   the same deltas to an answer that does not exist: message dispatch and handling only
// at 1,000 and 3,000 events/s from a timer in the page, ours, naive and plain every round in a rotated
// order (the floor in the first round); medians reported. Measured per run:
//   main thread   CDP Performance.getMetrics deltas (TaskDuration; script, layout, style)
//   in frames     time inside animation-frame callbacks: the renders and the layout they force
//   longest frame the longest gap between animation frames; long tasks
//   lag           delta dispatched → the `markdown-rendered` event covering it → the next frame
//                 start (the render has been painted), p50 and p95; and its parts: dispatched →
//                 handled by the panel, handled → the start of the frame that renders it
// Results: test/bench/results/render.json. BENCH_ROUNDS, BENCH_RATES (comma-separated), BENCH_CHARS,
// BENCH_MODES (e.g. ours) change the run (then results go to render.json.tmp); BENCH_PROFILE /
// BENCH_TRACE=ours|naive|floor write CPU profiles / Chromium traces of that mode's runs to the temp dir.
// Then the length phases (renderLong.ts): the answer ×10 against the answer, and a long table, list
// and code block streamed as one open block; BENCH_LONG=0 leaves them out, BENCH_LONG=only runs only them
// (BENCH_LONG_COPIES, BENCH_LONG_RATE, BENCH_LONG_ROUNDS shorten them; results then go to .tmp).
// Then the history phase (renderHistory.ts): a saved 100-answer conversation opened, and streaming into
// turn 101 against turn 1, before and after reading it all; a 1,000-answer one opened and read through.
// BENCH_HISTORY=0 leaves it out, BENCH_HISTORY=only runs only it (reduced: see renderHistory.ts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { chromium } from 'playwright-core';
import { chromiumArgs } from '../harness/browser';
import { chromiumPath, repoRoot } from '../harness/paths';
import { seededRandom } from '../harness/random';
import { randomChunks, sampleAnswer } from './renderFixture';
import { median, type Mode } from './renderHarness';
import { historyChecks, historyReduced, measureHistory, type HistoryResult } from './renderHistory';
import { longChecks, measureLong, type LongResult } from './renderLong';
import { measure, type Run } from './renderMeasure';

const RATES = (process.env.BENCH_RATES ?? '1000,3000').split(',').map(Number);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const ANSWER_CHARS = Number(process.env.BENCH_CHARS ?? 48_000);
const DELTA_CHARS = 4;
/** The whole run stops by itself after this long, whatever happens. */
const WATCHDOG_MS = 9 * 60_000;

/** Medians per rate, and the ratios between modes. */
function rateFigures(runs: Run[]) {
  const pick = (mode: Mode, rate: number, key: keyof Run) =>
    median(runs.filter((r) => r.mode === mode && r.rate === rate).map((r) => r[key] as number));
  const ratio = (a: number, b: number) => +(a / b).toFixed(3);
  return RATES.map((rate) => {
    const [ours, naive, plain, floor] = (['ours', 'naive', 'plain', 'floor'] as const).map((mode) =>
      pick(mode, rate, 'taskMs'),
    );
    const [oursFrames, naiveFrames] = (['ours', 'naive'] as const).map((mode) => pick(mode, rate, 'frameWorkMs'));
    return {
      rate,
      oursTotalMs: Math.round(ours),
      naiveTotalMs: Math.round(naive),
      longestFrameMs: +pick('ours', rate, 'longestFrameMs').toFixed(1),
      lagP50Ms: +pick('ours', rate, 'lagP50Ms').toFixed(1),
      lagP95Ms: +pick('ours', rate, 'lagP95Ms').toFixed(1),
      // The lag's parts: until the panel has the text (coalescing, posting), then until the frame
      // that draws it starts; one frame more puts it on screen.
      transitP50Ms: +pick('ours', rate, 'transitP50Ms').toFixed(1),
      transitP95Ms: +pick('ours', rate, 'transitP95Ms').toFixed(1),
      frameWaitP50Ms: +pick('ours', rate, 'frameWaitP50Ms').toFixed(1),
      frameWaitP95Ms: +pick('ours', rate, 'frameWaitP95Ms').toFixed(1),
      oursOfNaive: ratio(ours, naive),
      // The same deltas to no answer: dispatching and handling 12,000 messages, the bench's frame loop.
      floorTotalMs: Math.round(floor),
      // The raw text in one text node, appended every frame: a panel that does no markdown at all.
      plainTotalMs: Math.round(plain),
      plainOfNaive: ratio(plain, naive),
      // Ours against a panel that does no markdown at all (issue 17: ≤ 0.6).
      oursOfPlain: ratio(ours, plain),
      oursOfNaiveAboveFloor: ratio(ours - floor, naive - floor),
      // Time in animation-frame callbacks: the renders and the layout they force (panel scroll-follow).
      oursFrameWorkMs: Math.round(oursFrames),
      naiveFrameWorkMs: Math.round(naiveFrames),
      oursOfNaiveFrameWork: ratio(oursFrames, naiveFrames),
      // Naive cannot keep up with the frame rate and renders less often: the work per render.
      oursFrameWorkPerRenderMs: +(oursFrames / pick('ours', rate, 'renders')).toFixed(2),
      naiveFrameWorkPerRenderMs: +(naiveFrames / pick('naive', rate, 'renders')).toFixed(2),
      oursOfNaivePerRender: ratio(
        oursFrames / pick('ours', rate, 'renders'),
        naiveFrames / pick('naive', rate, 'renders'),
      ),
      oursScriptMs: Math.round(pick('ours', rate, 'scriptMs')),
      naiveScriptMs: Math.round(pick('naive', rate, 'scriptMs')),
      oursLongestTaskMs: +pick('ours', rate, 'longestTaskMs').toFixed(1),
      naiveLongestFrameMs: +pick('naive', rate, 'longestFrameMs').toFixed(1),
      naiveLongestTaskMs: +pick('naive', rate, 'longestTaskMs').toFixed(1),
      naiveLagP50Ms: +pick('naive', rate, 'lagP50Ms').toFixed(1),
      naiveLagP95Ms: +pick('naive', rate, 'lagP95Ms').toFixed(1),
      // What a panel that draws the raw text shows for the same stream, and frames with no panel at
      // all: the part of lag and frame length that comes from drawing at frame times, not from markdown.
      plainLongestFrameMs: +pick('plain', rate, 'longestFrameMs').toFixed(1),
      plainLagP50Ms: +pick('plain', rate, 'lagP50Ms').toFixed(1),
      plainLagP95Ms: +pick('plain', rate, 'lagP95Ms').toFixed(1),
      floorLongestFrameMs: +pick('floor', rate, 'longestFrameMs').toFixed(1),
      oursRenders: pick('ours', rate, 'renders'),
      naiveRenders: pick('naive', rate, 'renders'),
    };
  });
}

type RateFigures = ReturnType<typeof rateFigures>[number];

/** The per-rate figures as two tables. */
function printRateTables(rates: RateFigures[]): void {
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
  const table = (title: string, header: string[], rows: string[][]) => {
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
    const line = (cells: string[]) => `  ${cells.map((cell, i) => cell.padStart(widths[i])).join(' │ ')}`;
    console.log(
      `\n  ${title}\n${line(header)}\n` +
        `  ${widths.map((w) => '─'.repeat(w)).join('─┼─')}\n${rows.map(line).join('\n')}`,
    );
  };
  table(
    'main thread (medians; ms)',
    [
      'rate/s',
      'ours',
      'naive',
      'ours/naive',
      'plain text',
      'ours/plain',
      'plain/naive',
      'floor',
      'floor/naive',
      'ours/naive above floor',
      'in frames: ours',
      'naive',
      'ours/naive',
      'per render: ours',
      'naive',
      'ours/naive',
    ],
    rates.map((r) => [
      String(r.rate),
      String(r.oursTotalMs),
      String(r.naiveTotalMs),
      pct(r.oursOfNaive),
      String(r.plainTotalMs),
      pct(r.oursOfPlain),
      pct(r.plainOfNaive),
      String(r.floorTotalMs),
      pct(r.floorTotalMs / r.naiveTotalMs),
      pct(r.oursOfNaiveAboveFloor),
      String(r.oursFrameWorkMs),
      String(r.naiveFrameWorkMs),
      pct(r.oursOfNaiveFrameWork),
      r.oursFrameWorkPerRenderMs.toFixed(2),
      r.naiveFrameWorkPerRenderMs.toFixed(2),
      pct(r.oursFrameWorkPerRenderMs / r.naiveFrameWorkPerRenderMs),
    ]),
  );
  table(
    'frames and display lag (medians; ms)',
    [
      'rate/s',
      'longest frame: ours',
      'naive',
      'plain text',
      'floor',
      'lag p50 / p95: ours',
      'to the panel',
      'to its frame',
      'naive',
      'plain text',
      'renders: ours',
      'naive',
    ],
    rates.map((r) => [
      String(r.rate),
      fmt(r.longestFrameMs),
      fmt(r.naiveLongestFrameMs),
      fmt(r.plainLongestFrameMs),
      fmt(r.floorLongestFrameMs),
      `${fmt(r.lagP50Ms)} / ${fmt(r.lagP95Ms)}`,
      `${fmt(r.transitP50Ms)} / ${fmt(r.transitP95Ms)}`,
      `${fmt(r.frameWaitP50Ms)} / ${fmt(r.frameWaitP95Ms)}`,
      `${fmt(r.naiveLagP50Ms)} / ${fmt(r.naiveLagP95Ms)}`,
      `${fmt(r.plainLagP50Ms)} / ${fmt(r.plainLagP95Ms)}`,
      String(r.oursRenders),
      String(r.naiveRenders),
    ]),
  );
}

/** Issue 17's targets for one rate. */
function rateChecks(r: {
  oursOfPlain: number;
  oursOfNaivePerRender: number;
  oursFrameWorkPerRenderMs: number;
  naiveFrameWorkPerRenderMs: number;
  longestFrameMs: number;
  lagP50Ms: number;
  lagP95Ms: number;
  oursTotalMs: number;
  plainTotalMs: number;
}): [string, boolean][] {
  return [
    [
      `ours ≤ 0.6× a plain-text panel: ${r.oursOfPlain}× (${r.oursTotalMs} vs ${r.plainTotalMs} ms main thread)`,
      r.oursOfPlain <= 0.6,
    ],
    [
      `per-render work ≤ 10% of naive's: ${(r.oursOfNaivePerRender * 100).toFixed(1)} % ` +
        `(${r.oursFrameWorkPerRenderMs} vs ${r.naiveFrameWorkPerRenderMs} ms)`,
      r.oursOfNaivePerRender <= 0.1,
    ],
    [`longest frame ≤ 17 ms: ${fmt(r.longestFrameMs)} ms`, r.longestFrameMs <= 17],
    [`p95 lag ≤ 33 ms: ${fmt(r.lagP95Ms)} ms (p50 ${fmt(r.lagP50Ms)})`, r.lagP95Ms <= 33],
  ];
}

function printChecks(title: string, checks: [string, boolean][]): void {
  console.log(`\n  ${title}:\n${checks.map(([label, ok]) => `    ${ok ? '✓' : '✗'} ${label}`).join('\n')}`);
}

const fmt = (ms: number) => (Number.isNaN(ms) ? '—' : ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));

async function main(): Promise<void> {
  const watchdog = setTimeout(() => {
    console.error(`bench:render: still running after ${WATCHDOG_MS / 60_000} min, giving up`);
    process.exit(2);
  }, WATCHDOG_MS);
  watchdog.unref();
  const bundle = path.join(repoRoot, 'dist', 'webview.js');
  if (!fs.existsSync(bundle)) throw new Error('dist/webview.js is missing: run node esbuild.js first');
  const built = await esbuild.build({
    entryPoints: [path.join(repoRoot, 'test', 'bench', 'renderPage.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
  });
  const pageScript = built.outputFiles[0].text;

  const answer = sampleAnswer(ANSWER_CHARS);
  const deltas = randomChunks(answer, () => 0.5, DELTA_CHARS, DELTA_CHARS);
  const warmup = randomChunks(sampleAnswer(6_000), seededRandom(1), 2, 40);
  console.log(
    `bench:render: ${answer.length} characters as ${deltas.length} deltas, rates ${RATES.join(', ')}/s, ` +
      `${ROUNDS} rounds, ${path.relative(repoRoot, bundle)} (${fs.statSync(bundle).size} bytes)`,
  );

  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
  const chromiumVersion = browser.version();
  const runs: Run[] = [];
  let history: HistoryResult | undefined;
  let long: LongResult | undefined;
  const historyOnly = process.env.BENCH_HISTORY === 'only';
  const longOnly = process.env.BENCH_LONG === 'only';
  try {
    for (let round = 0; round < (historyOnly || longOnly ? 0 : ROUNDS); round++) {
      for (const rate of RATES) {
        // Ours, naive and the plain-text panel every round, each round in a rotated order (none always
        // first; a plain-text figure from one run made ours/plain swing by 0.15); the floor once per rate.
        const rotated: Mode[] = ['ours', 'naive', 'plain'];
        let modes: Mode[] = [...rotated.slice(round % 3), ...rotated.slice(0, round % 3)];
        if (round === 0) modes.push('floor');
        if (process.env.BENCH_MODES) modes = modes.filter((mode) => process.env.BENCH_MODES!.split(',').includes(mode));
        for (const mode of modes) {
          const run = await measure(browser, mode, rate, deltas, warmup, pageScript);
          runs.push(run);
          console.log(
            `  round ${round + 1} ${String(rate).padStart(5)}/s ${mode.padEnd(5)} ` +
              `main thread ${fmt(run.taskMs)} ms (script ${fmt(run.scriptMs)}, layout ${fmt(run.layoutMs)}, ` +
              `style ${fmt(run.styleMs)}; in frame callbacks ${fmt(run.frameWorkMs)}), ` +
              `longest frame ${fmt(run.longestFrameMs)} ms, ` +
              `lag p50/p95 ${fmt(run.lagP50Ms)}/${fmt(run.lagP95Ms)} ms, ${run.renders} renders, ` +
              `${(run.wallMs / 1000).toFixed(1)} s`,
          );
        }
      }
    }
    if (process.env.BENCH_LONG !== '0' && !historyOnly)
      long = await measureLong(browser, pageScript, warmup, (line) => console.log(line));
    if (process.env.BENCH_HISTORY !== '0' && !longOnly)
      history = await measureHistory(browser, pageScript, ROUNDS, warmup, (line) => console.log(line));
  } finally {
    await browser.close();
  }

  const rates = rateFigures(runs);

  if (runs.length > 0) printRateTables(rates);
  for (const r of runs.length > 0 ? rates : []) printChecks(`targets at ${r.rate} events/s`, rateChecks(r));
  if (long !== undefined) printChecks('length targets', longChecks(long));

  if (history !== undefined) console.log(`\n  history targets:\n${historyChecks(history).join('\n')}`);

  // A partial run (some modes, rates or another length) does not replace the recorded results.
  const complete =
    !process.env.BENCH_HISTORY &&
    !historyReduced() &&
    !process.env.BENCH_MODES &&
    !process.env.BENCH_CHARS &&
    !process.env.BENCH_RATES &&
    !process.env.BENCH_PROFILE &&
    !process.env.BENCH_TRACE &&
    !Object.keys(process.env).some((name) => name.startsWith('BENCH_LONG'));
  const file = path.join(repoRoot, 'test', 'bench', 'results', complete ? 'render.json' : 'render.json.tmp');
  const config = {
    answerChars: answer.length,
    deltas: deltas.length,
    deltaChars: DELTA_CHARS,
    rounds: ROUNDS,
    bundle: 'dist/webview.js',
    bundleBytes: fs.statSync(bundle).size,
    chromium: chromiumVersion,
  };
  const rounded = runs.map((run) =>
    Object.fromEntries(
      Object.entries(run).map(([key, value]) => [key, typeof value === 'number' ? Math.round(value * 10) / 10 : value]),
    ),
  );
  fs.writeFileSync(
    file,
    `${JSON.stringify({ date: new Date().toISOString(), config, rates, runs: rounded, long, history }, null, 2)}\n`,
  );
  console.log(`\n  written to ${path.relative(repoRoot, file)}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exitCode = 1;
});
