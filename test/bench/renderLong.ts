// bench:render's length phases, all with the panel as it is (mode ours):
//   long       the 48 KB answer ten times over (480 KB, 120,000 deltas of 4 characters) against the
//              48 KB answer, at one rate: the work of one render at the start and at the end of the
//              long answer (firstRenderMs, lastRenderMs; medians of the first and last tenth of
//              renders), main-thread totals (totalMs, shortTotalMs), the longest frame
//   openBlock  one block that stays open while it grows: a 26 KB table, a 500-item list and a 26 KB
//              code block, streamed the same way: the work of one render at their start and at their end
// BENCH_LONG_COPIES (default 10), BENCH_LONG_RATE (default 3000), BENCH_LONG_ROUNDS (default 2)
// shorten it while developing.
import type { Browser } from 'playwright-core';
import { longCode, longList, longTable, randomChunks, repeatedAnswer } from './renderFixture';
import { median } from './renderHarness';
import { measure, type Run } from './renderMeasure';

export interface OpenBlockResult {
  chars: number;
  deltas: number;
  firstRenderMs: number;
  lastRenderMs: number;
  lastOfFirst: number;
  longestFrameMs: number;
}

export interface LongResult {
  rate: number;
  copies: number;
  answerChars: number;
  deltas: number;
  firstRenderMs: number;
  lastRenderMs: number;
  lastOfFirst: number;
  totalMs: number;
  shortTotalMs: number;
  totalOfShort: number;
  longestFrameMs: number;
  longestTaskMs: number;
  openBlock: { table: OpenBlockResult; list: OpenBlockResult; code: OpenBlockResult };
  runs: { long: Run[]; short: Run[]; table: Run[]; list: Run[]; code: Run[] };
}

const SHORT_CHARS = 48_000;
const DELTA_CHARS = 4;
const COPIES = Number(process.env.BENCH_LONG_COPIES ?? 10);
const RATE = Number(process.env.BENCH_LONG_RATE ?? 3000);
const ROUNDS = Number(process.env.BENCH_LONG_ROUNDS ?? 2);
/** The open blocks stream at the main phase's lower rate: more renders per row. */
const OPEN_BLOCK_RATE = 1000;

const ratio = (a: number, b: number) => +(a / b).toFixed(3);
const ms = (x: number) => +x.toFixed(2);
const pick = (runs: Run[], key: keyof Run) => median(runs.map((run) => run[key] as number));

function openBlockResult(text: string, deltas: number, runs: Run[]): OpenBlockResult {
  const first = pick(runs, 'firstRenderMs');
  const last = pick(runs, 'lastRenderMs');
  return {
    chars: text.length,
    deltas,
    firstRenderMs: ms(first),
    lastRenderMs: ms(last),
    lastOfFirst: ratio(last, first),
    longestFrameMs: ms(pick(runs, 'longestFrameMs')),
  };
}

export async function measureLong(
  browser: Browser,
  pageScript: string,
  warmup: string[],
  log: (line: string) => void,
): Promise<LongResult> {
  const chunks = (text: string) => randomChunks(text, () => 0.5, DELTA_CHARS, DELTA_CHARS);
  const texts = {
    long: repeatedAnswer(SHORT_CHARS, COPIES),
    short: repeatedAnswer(SHORT_CHARS, 1),
    table: longTable(26_000),
    list: longList(500),
    code: longCode(26_000),
  };
  const runs: LongResult['runs'] = { long: [], short: [], table: [], list: [], code: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of ['short', 'long', 'table', 'list', 'code'] as const) {
      const rate = name === 'short' || name === 'long' ? RATE : OPEN_BLOCK_RATE;
      const run = await measure(browser, 'ours', rate, chunks(texts[name]), warmup, pageScript);
      runs[name].push(run);
      log(
        `  length round ${round + 1} ${name.padEnd(5)} ${texts[name].length} chars at ${rate}/s: ` +
          `main thread ${run.taskMs.toFixed(0)} ms, one render at start ${run.firstRenderMs.toFixed(2)} ms, ` +
          `at end ${run.lastRenderMs.toFixed(2)} ms, longest frame ${run.longestFrameMs.toFixed(1)} ms ` +
          `(${run.longestFrameBeforeEndMs.toFixed(0)} ms before the end; ${run.longFrames} frames over 17 ms), ` +
          `${run.renders} renders`,
      );
    }
  }
  const first = pick(runs.long, 'firstRenderMs');
  const last = pick(runs.long, 'lastRenderMs');
  const total = pick(runs.long, 'taskMs');
  const shortTotal = pick(runs.short, 'taskMs');
  return {
    rate: RATE,
    copies: COPIES,
    answerChars: texts.long.length,
    deltas: chunks(texts.long).length,
    firstRenderMs: ms(first),
    lastRenderMs: ms(last),
    lastOfFirst: ratio(last, first),
    totalMs: Math.round(total),
    shortTotalMs: Math.round(shortTotal),
    totalOfShort: ratio(total, shortTotal),
    longestFrameMs: ms(pick(runs.long, 'longestFrameMs')),
    longestTaskMs: ms(pick(runs.long, 'longestTaskMs')),
    openBlock: {
      table: openBlockResult(texts.table, chunks(texts.table).length, runs.table),
      list: openBlockResult(texts.list, chunks(texts.list).length, runs.list),
      code: openBlockResult(texts.code, chunks(texts.code).length, runs.code),
    },
    runs,
  };
}

/** The length targets of issue 17, as check lines. */
export function longChecks(long: LongResult): [string, boolean][] {
  const { table, list } = long.openBlock;
  return [
    [
      `one render at the end of ${Math.round(long.answerChars / 1000)} KB ≤ 1.2× at the start: ` +
        `${long.lastOfFirst}× (${long.lastRenderMs} vs ${long.firstRenderMs} ms)`,
      long.lastOfFirst <= 1.2,
    ],
    [
      `total ≤ ${COPIES + 1}× the 48 KB run: ${long.totalOfShort}× (${long.totalMs} vs ${long.shortTotalMs} ms)`,
      long.totalOfShort <= COPIES + 1,
    ],
    [`no frame over 17 ms in the long run: longest ${long.longestFrameMs} ms`, long.longestFrameMs <= 17],
    [
      `open table (${Math.round(table.chars / 1000)} KB): one render at the end ≤ 2× at the start: ` +
        `${table.lastOfFirst}× (${table.lastRenderMs} vs ${table.firstRenderMs} ms)`,
      table.lastOfFirst <= 2,
    ],
    [
      `open 500-item list: one render at the end ≤ 2× at the start: ` +
        `${list.lastOfFirst}× (${list.lastRenderMs} vs ${list.firstRenderMs} ms)`,
      list.lastOfFirst <= 2,
    ],
  ];
}
