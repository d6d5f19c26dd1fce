// bench:render's history phase: long conversations opened in the panel and read through.
//   openMs          a saved 100-answer conversation (about 500 KB of markdown with code): snapshot posted →
//                   the frame after its last answer is on screen (a fresh page, cold)
//   heapMb          the page's JS heap after that, garbage collected
//   turn101VsTurn1  main-thread time streaming the same deltas at the same rate into a new answer
//                   asked right after opening the 100 ÷ into an empty conversation
//   turn101AfterReadingAll  the same after scrolling through the whole conversation first (every
//                   answer rendered once; those far off screen have given their DOM up again)
//   open1000Ms      the same open for a 1,000-answer conversation (about 5 MB); open1000CopyMs: posting
//                   that snapshot to the page alone, not rendered (the copy of the message: the floor)…
//   heapAfterScroll1000MB  …and the heap after scrolling through all of it, a screen a frame
// BENCH_HISTORY_TURNS (100) and BENCH_HISTORY_LONG (1000; 0 leaves that part out) make a reduced run.
import type { Browser, Page } from 'playwright-core';
import { randomChunks, sampleAnswer } from './renderFixture';
import { median, openPage, pageMetrics } from './renderHarness';

export interface HistoryResult {
  turns: number;
  historyChars: number;
  openMs: number;
  heapMb: number;
  turn101VsTurn1: number;
  turn101AfterReadingAll: number;
  longTurns: number;
  longChars: number;
  open1000Ms: number;
  /** Posting the same snapshot to the page without rendering it: the copy every open pays for. */
  open1000CopyMs: number;
  heapAfterOpen1000MB: number;
  heapAfterScroll1000MB: number;
  /** Answers holding their DOM at the end of the scroll (the others gave it up). */
  renderedAfterScroll1000: number;
  streamed: {
    deltas: number;
    rate: number;
    turn1TaskMs: number;
    turn101TaskMs: number;
    turn101AfterReadingAllTaskMs: number;
  };
  runs: {
    openMs: number[];
    heapMb: number[];
    turn1TaskMs: number[];
    turn101TaskMs: number[];
    turn101AfterReadingAllTaskMs: number[];
    open1000Ms: number[];
    open1000CopyMs: number[];
    heapAfterScroll1000MB: number[];
  };
}

const TURNS = Number(process.env.BENCH_HISTORY_TURNS ?? 100);
const LONG_TURNS = Number(process.env.BENCH_HISTORY_LONG ?? 1000);
const STREAM_RATE = 1000;

/** `count` answers of about 5 KB each (prose, lists, a table, code; of different lengths). */
function savedAnswers(count: number): string[] {
  return Array.from({ length: count }, (_, i) =>
    sampleAnswer(6_000 + ((i * 37) % 400)).slice(0, 4_800 + ((i * 53) % 400)),
  );
}

/** The page's JS heap, garbage collected, in MB. */
async function heapMb(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  await cdp.detach();
  return usedSize / 2 ** 20;
}

async function openOnce(
  browser: Browser,
  pageScript: string,
  answers: string[],
): Promise<{ openMs: number; heapMb: number }> {
  const page = await openPage(browser, 'ours', pageScript);
  try {
    const openMs = await page.evaluate((a) => window.renderBench.openHistory(a), answers);
    return { openMs, heapMb: await heapMb(page) };
  } finally {
    await page.context().close();
  }
}

/**
 * Scrolls the transcript from top to bottom a screen per frame (every answer passes through the
 * screen and renders); returns how many never rendered and how many hold their DOM at the end.
 */
function scrollAll(): Promise<{ neverRendered: number; rendered: number }> {
  const scroller = document.querySelector<HTMLElement>('.scroller')!;
  const frame = () => new Promise<number>((resolve) => requestAnimationFrame(resolve));
  return (async () => {
    scroller.scrollTop = 0;
    for (let i = 0; i < 3; i++) await frame();
    for (let guard = 0; guard < 100_000; guard++) {
      if (scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 2) break;
      scroller.scrollTop += scroller.clientHeight;
      await frame();
    }
    for (let i = 0; i < 3; i++) await frame();
    return {
      neverRendered: document.querySelectorAll('.turn.assistant.deferred').length,
      rendered: document.querySelectorAll('.turn.assistant:not(.deferred):not(.released)').length,
    };
  })();
}

interface LongRun {
  openMs: number;
  /** Posting the snapshot alone (postOnly). */
  copyMs: number;
  heapAfterOpenMb: number;
  /** Only when read through. */
  heapAfterScrollMb?: number;
  rendered?: number;
}

/**
 * The floor of opening: posting the same snapshot's turns in a message the panel ignores, until it is
 * received and its data read (serialized and copied into the page, as every open pays for).
 */
function postOnly(answers: string[]): Promise<number> {
  const turns = answers.flatMap((content, i) => [
    { role: 'user', id: `q${i}`, text: `Question ${i + 1}` },
    { role: 'assistant', id: `a${i}`, requestId: 100 + i, content, reasoning: '', status: 'done' },
  ]);
  return new Promise((resolve) => {
    const start = performance.now();
    const received = (event: MessageEvent<{ type: string; turns?: unknown[] }>) => {
      if (event.data.type !== 'bench-copy-only') return;
      window.removeEventListener('message', received);
      // Reading `data` is what copies it into the page.
      if (event.data.turns !== undefined) resolve(performance.now() - start);
    };
    window.addEventListener('message', received);
    window.postMessage({ type: 'bench-copy-only', turns }, '*');
  });
}

/** Opens the long conversation in a fresh page, then (`readThrough`) scrolls through all of it. */
async function openLong(
  browser: Browser,
  pageScript: string,
  answers: string[],
  readThrough: boolean,
): Promise<LongRun> {
  const page = await openPage(browser, 'ours', pageScript);
  try {
    const copyMs = await page.evaluate(postOnly, answers);
    const openMs = await page.evaluate((a) => window.renderBench.openHistory(a), answers);
    const heapAfterOpenMb = await heapMb(page);
    if (!readThrough) return { openMs, copyMs, heapAfterOpenMb };
    const scrolled = await page.evaluate(scrollAll);
    if (scrolled.neverRendered > 0)
      throw new Error(`${scrolled.neverRendered} answers never rendered while scrolling through the conversation`);
    const heapAfterScrollMb = await heapMb(page);
    return { openMs, copyMs, heapAfterOpenMb, heapAfterScrollMb, rendered: scrolled.rendered };
  } finally {
    await page.context().close();
  }
}

type Before = 'nothing' | 'opened' | 'read through';

/**
 * Main-thread ms streaming `deltas` into a new answer: into an empty chat, or after opening the
 * saved conversation (and reading it all).
 */
async function streamInto(
  browser: Browser,
  pageScript: string,
  warmup: string[],
  deltas: string[],
  history: string[],
  before: Before,
): Promise<number> {
  const page = await openPage(browser, 'ours', pageScript);
  try {
    await page.evaluate((w) => window.renderBench.setup(w), warmup);
    if (before !== 'nothing') {
      await page.evaluate((a) => window.renderBench.openHistory(a), history);
      if (before === 'read through') {
        const left = await page.evaluate(() => window.renderBench.scrollThrough());
        if (left > 0)
          throw new Error(
            `${left} answers of the opened conversation were still not rendered after scrolling through it`,
          );
      }
      await page.evaluate(() => window.renderBench.askNext());
    }
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const start = await pageMetrics(cdp);
    await page.evaluate(([d, r]) => window.renderBench.stream(d, r, 1), [deltas, STREAM_RATE] as const);
    const end = await pageMetrics(cdp);
    return (end.TaskDuration - start.TaskDuration) * 1000;
  } finally {
    await page.context().close();
  }
}

const rounded = (values: number[]) => values.map((v) => Math.round(v * 10) / 10);

/** Everything measured, round after round. */
interface Series extends Record<Before, number[]> {
  runs: HistoryResult['runs'];
  heapAfterOpenLong: number[];
  renderedAfterScroll: number[];
}

interface Inputs {
  browser: Browser;
  pageScript: string;
  warmup: string[];
  deltas: string[];
  answers: string[];
  longAnswers: string[];
}

/** Opens the 100-answer conversation and streams turn 1 and turn 101 (the order rotating by round). */
async function shortRound(inputs: Inputs, round: number, series: Series, log: (line: string) => void): Promise<void> {
  const { browser, pageScript, warmup, deltas, answers } = inputs;
  const { runs } = series;
  const opened = await openOnce(browser, pageScript, answers);
  runs.openMs.push(opened.openMs);
  runs.heapMb.push(opened.heapMb);
  const order: Before[] = ['nothing', 'opened', 'read through'];
  for (let i = 0; i < order.length; i++) {
    const before = order[(i + round) % order.length];
    series[before].push(await streamInto(browser, pageScript, warmup, deltas, answers, before));
  }
  log(
    `  history round ${round + 1}: open ${TURNS} ${opened.openMs.toFixed(0)} ms, ` +
      `heap ${opened.heapMb.toFixed(1)} MB; ` +
      `streaming ${deltas.length} deltas at ${STREAM_RATE}/s: turn 1 ${runs.turn1TaskMs.at(-1)!.toFixed(0)} ms, ` +
      `turn ${TURNS + 1} ${runs.turn101TaskMs.at(-1)!.toFixed(0)} ms ` +
      `(all ${TURNS} read first: ${runs.turn101AfterReadingAllTaskMs.at(-1)!.toFixed(0)} ms) main thread`,
  );
}

/** Opens the 1,000-answer conversation; reading it through takes minutes, so only in the first round. */
async function longRound(inputs: Inputs, round: number, series: Series, log: (line: string) => void): Promise<void> {
  const long = await openLong(inputs.browser, inputs.pageScript, inputs.longAnswers, round === 0);
  series.runs.open1000Ms.push(long.openMs);
  series.runs.open1000CopyMs.push(long.copyMs);
  series.heapAfterOpenLong.push(long.heapAfterOpenMb);
  if (long.heapAfterScrollMb !== undefined) series.runs.heapAfterScroll1000MB.push(long.heapAfterScrollMb);
  if (long.rendered !== undefined) series.renderedAfterScroll.push(long.rendered);
  const scrolled =
    long.heapAfterScrollMb === undefined
      ? ''
      : `; after scrolling through all: ${long.heapAfterScrollMb.toFixed(1)} MB, ${long.rendered} answers rendered`;
  log(
    `  history round ${round + 1}: open ${LONG_TURNS} ${long.openMs.toFixed(0)} ms ` +
      `(posting the snapshot alone ${long.copyMs.toFixed(0)} ms), ` +
      `heap ${long.heapAfterOpenMb.toFixed(1)} MB${scrolled}`,
  );
}

function summarize(inputs: Inputs, series: Series): HistoryResult {
  const { runs } = series;
  const turn1TaskMs = median(runs.turn1TaskMs);
  const turn101TaskMs = median(runs.turn101TaskMs);
  const turn101AfterReadingAllTaskMs = median(runs.turn101AfterReadingAllTaskMs);
  const medianOf = (values: number[], digits: number) => (values.length > 0 ? +median(values).toFixed(digits) : NaN);
  const chars = (answers: string[]) => answers.reduce((sum, answer) => sum + answer.length, 0);
  return {
    turns: TURNS,
    historyChars: chars(inputs.answers),
    openMs: Math.round(median(runs.openMs)),
    heapMb: +median(runs.heapMb).toFixed(1),
    turn101VsTurn1: +(turn101TaskMs / turn1TaskMs).toFixed(3),
    turn101AfterReadingAll: +(turn101AfterReadingAllTaskMs / turn1TaskMs).toFixed(3),
    longTurns: LONG_TURNS,
    longChars: chars(inputs.longAnswers),
    open1000Ms: medianOf(runs.open1000Ms, 0),
    open1000CopyMs: medianOf(runs.open1000CopyMs, 0),
    heapAfterOpen1000MB: medianOf(series.heapAfterOpenLong, 1),
    heapAfterScroll1000MB: medianOf(runs.heapAfterScroll1000MB, 1),
    renderedAfterScroll1000: medianOf(series.renderedAfterScroll, 0),
    streamed: {
      deltas: inputs.deltas.length,
      rate: STREAM_RATE,
      turn1TaskMs: Math.round(turn1TaskMs),
      turn101TaskMs: Math.round(turn101TaskMs),
      turn101AfterReadingAllTaskMs: Math.round(turn101AfterReadingAllTaskMs),
    },
    runs: Object.fromEntries(
      Object.entries(runs).map(([key, values]) => [key, rounded(values)]),
    ) as HistoryResult['runs'],
  };
}

export async function measureHistory(
  browser: Browser,
  pageScript: string,
  rounds: number,
  warmup: string[],
  log: (line: string) => void,
): Promise<HistoryResult> {
  const inputs: Inputs = {
    browser,
    pageScript,
    warmup,
    deltas: randomChunks(sampleAnswer(12_000), () => 0.5, 4, 4),
    answers: savedAnswers(TURNS),
    longAnswers: savedAnswers(LONG_TURNS),
  };
  const runs: HistoryResult['runs'] = {
    openMs: [],
    heapMb: [],
    turn1TaskMs: [],
    turn101TaskMs: [],
    turn101AfterReadingAllTaskMs: [],
    open1000Ms: [],
    open1000CopyMs: [],
    heapAfterScroll1000MB: [],
  };
  const series: Series = {
    runs,
    nothing: runs.turn1TaskMs,
    opened: runs.turn101TaskMs,
    'read through': runs.turn101AfterReadingAllTaskMs,
    heapAfterOpenLong: [],
    renderedAfterScroll: [],
  };
  for (let round = 0; round < rounds; round++) {
    await shortRound(inputs, round, series, log);
    if (LONG_TURNS > 0) await longRound(inputs, round, series, log);
  }
  return summarize(inputs, series);
}

/** A reduced run (fewer answers) does not replace the recorded results. */
export function historyReduced(): boolean {
  return process.env.BENCH_HISTORY_TURNS !== undefined || process.env.BENCH_HISTORY_LONG !== undefined;
}

/** The targets of issue 17 part 3, each with ✓ or ✗. */
export function historyChecks(history: HistoryResult): string[] {
  const checks: [string, boolean][] = [
    [
      `open a ${history.turns}-answer conversation (${Math.round(history.historyChars / 1000)} KB) ≤ 300 ms: ` +
        `${history.openMs} ms (heap after: ${history.heapMb} MB)`,
      history.openMs <= 300,
    ],
    [
      `streaming into turn ${history.turns + 1} ≤ 1.2× turn 1: ${history.turn101VsTurn1}× ` +
        `(${history.streamed.turn101TaskMs} vs ${history.streamed.turn1TaskMs} ms main thread)`,
      history.turn101VsTurn1 <= 1.2,
    ],
    [
      `…after reading all ${history.turns} answers ≤ 1.2× turn 1: ${history.turn101AfterReadingAll}× ` +
        `(${history.streamed.turn101AfterReadingAllTaskMs} ms)`,
      history.turn101AfterReadingAll <= 1.2,
    ],
  ];
  if (history.longTurns > 0)
    checks.push(
      [
        `open a ${history.longTurns}-answer conversation (${(history.longChars / 1e6).toFixed(1)} MB) ≤ 300 ms: ` +
          `${history.open1000Ms} ms (posting the snapshot alone: ${history.open1000CopyMs} ms)`,
        history.open1000Ms <= 300,
      ],
      [
        `heap after scrolling through all ${history.longTurns} ≤ 50 MB: ${history.heapAfterScroll1000MB} MB ` +
          `(${history.renderedAfterScroll1000} answers rendered at the end)`,
        history.heapAfterScroll1000MB <= 50,
      ],
    );
  return checks.map(([label, ok]) => `    ${ok ? '✓' : '✗'} ${label}`);
}
