// bench:render's history phase: a saved 100-answer conversation (about 500 KB of markdown with code)
// opened in the panel, and an answer streamed into turn 101 against the same answer into turn 1.
//   openMs          snapshot posted → the frame after its last answer is on screen (a fresh page, cold)
//   heapMb          the page's JS heap after that, garbage collected
//   turn101VsTurn1  main-thread time streaming the same deltas at the same rate into a new answer
//                   asked right after opening the 100 ÷ into an empty conversation
//   turn101AllRenderedVsTurn1  the same after scrolling through the whole conversation first (every
//                   answer rendered: the most the panel ever holds)
import type { Browser } from 'playwright-core';
import { randomChunks, sampleAnswer } from './renderFixture';
import { median, openPage, pageMetrics } from './renderHarness';

export interface HistoryResult {
  turns: number;
  historyChars: number;
  openMs: number;
  heapMb: number;
  turn101VsTurn1: number;
  turn101AllRenderedVsTurn1: number;
  streamed: {
    deltas: number;
    rate: number;
    turn1TaskMs: number;
    turn101TaskMs: number;
    turn101AllRenderedTaskMs: number;
  };
  runs: {
    openMs: number[];
    heapMb: number[];
    turn1TaskMs: number[];
    turn101TaskMs: number[];
    turn101AllRenderedTaskMs: number[];
  };
}

const TURNS = 100;
const STREAM_RATE = 1000;

/** 100 answers of about 5 KB each (prose, lists, a table, code; of different lengths). */
function savedAnswers(): string[] {
  return Array.from({ length: TURNS }, (_, i) =>
    sampleAnswer(6_000 + ((i * 37) % 400)).slice(0, 4_800 + ((i * 53) % 400)),
  );
}

async function openOnce(
  browser: Browser,
  pageScript: string,
  answers: string[],
): Promise<{ openMs: number; heapMb: number }> {
  const page = await openPage(browser, 'ours', pageScript);
  try {
    const openMs = await page.evaluate((a) => window.renderBench.openHistory(a), answers);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    const { usedSize } = await cdp.send('Runtime.getHeapUsage');
    return { openMs, heapMb: usedSize / 2 ** 20 };
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

export async function measureHistory(
  browser: Browser,
  pageScript: string,
  rounds: number,
  warmup: string[],
  log: (line: string) => void,
): Promise<HistoryResult> {
  const answers = savedAnswers();
  const deltas = randomChunks(sampleAnswer(12_000), () => 0.5, 4, 4);
  const runs: HistoryResult['runs'] = {
    openMs: [],
    heapMb: [],
    turn1TaskMs: [],
    turn101TaskMs: [],
    turn101AllRenderedTaskMs: [],
  };
  const series: Record<Before, number[]> = {
    nothing: runs.turn1TaskMs,
    opened: runs.turn101TaskMs,
    'read through': runs.turn101AllRenderedTaskMs,
  };
  for (let round = 0; round < rounds; round++) {
    const opened = await openOnce(browser, pageScript, answers);
    runs.openMs.push(opened.openMs);
    runs.heapMb.push(opened.heapMb);
    // Rotate which goes first.
    const order: Before[] = ['nothing', 'opened', 'read through'];
    for (let i = 0; i < order.length; i++) {
      const before = order[(i + round) % order.length];
      series[before].push(await streamInto(browser, pageScript, warmup, deltas, answers, before));
    }
    log(
      `  history round ${round + 1}: open ${opened.openMs.toFixed(0)} ms, heap ${opened.heapMb.toFixed(1)} MB; ` +
        `streaming ${deltas.length} deltas at ${STREAM_RATE}/s: turn 1 ${runs.turn1TaskMs.at(-1)!.toFixed(0)} ms, ` +
        `turn 101 ${runs.turn101TaskMs.at(-1)!.toFixed(0)} ms ` +
        `(all 100 read first: ${runs.turn101AllRenderedTaskMs.at(-1)!.toFixed(0)} ms) main thread`,
    );
  }
  const turn1TaskMs = median(runs.turn1TaskMs);
  const turn101TaskMs = median(runs.turn101TaskMs);
  const turn101AllRenderedTaskMs = median(runs.turn101AllRenderedTaskMs);
  return {
    turns: TURNS,
    historyChars: answers.reduce((sum, answer) => sum + answer.length, 0),
    openMs: Math.round(median(runs.openMs)),
    heapMb: +median(runs.heapMb).toFixed(1),
    turn101VsTurn1: +(turn101TaskMs / turn1TaskMs).toFixed(3),
    turn101AllRenderedVsTurn1: +(turn101AllRenderedTaskMs / turn1TaskMs).toFixed(3),
    streamed: {
      deltas: deltas.length,
      rate: STREAM_RATE,
      turn1TaskMs: Math.round(turn1TaskMs),
      turn101TaskMs: Math.round(turn101TaskMs),
      turn101AllRenderedTaskMs: Math.round(turn101AllRenderedTaskMs),
    },
    runs: Object.fromEntries(
      Object.entries(runs).map(([key, values]) => [key, values.map((v) => Math.round(v * 10) / 10)]),
    ) as HistoryResult['runs'],
  };
}
