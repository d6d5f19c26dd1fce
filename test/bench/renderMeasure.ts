// One measured streaming run of bench:render (render.bench.ts and renderLong.ts): a fresh page in a
// mode, warmed up, `deltas` streamed at `rate`, the page's counters read from the outside.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { median, openPage, pageMetrics, percentile, type Mode } from './renderHarness';
import type { PhaseResult } from './renderPage';

export interface Run {
  mode: Mode;
  rate: number;
  taskMs: number;
  scriptMs: number;
  layoutMs: number;
  styleMs: number;
  /** In animation-frame callbacks: the renders, the panel's scroll-follow, layout they force. */
  frameWorkMs: number;
  /** The work of one render (its frame callback), median over the first and the last tenth of renders. */
  firstRenderMs: number;
  lastRenderMs: number;
  longestFrameMs: number;
  /** Frames longer than one (a dropped frame each), and how long before the last frame the longest began. */
  longFrames: number;
  longestFrameBeforeEndMs: number;
  longestTaskMs: number;
  lagP50Ms: number;
  lagP95Ms: number;
  /** Parts of the lag (see lags()). */
  transitP50Ms: number;
  transitP95Ms: number;
  frameWaitP50Ms: number;
  frameWaitP95Ms: number;
  renders: number;
  wallMs: number;
}

/** Medians of the first and the last tenth (at least 5 renders each) of per-render work. */
function renderWorkAtEnds(work: number[]): { first: number; last: number } {
  const n = Math.max(5, Math.floor(work.length / 10));
  return { first: median(work.slice(0, n)), last: median(work.slice(-n)) };
}

/**
 * Display lag per delta: dispatched → first render covering its text → next frame start after that
 * render (the frame that render was drawn in is on screen then). And its parts: `transit`,
 * dispatched → the panel has handled the message holding it (coalescing, posting, delivery);
 * `frameWait`, handled → the start of the frame that rendered it. The rest is that one frame.
 */
function lags(result: PhaseResult, deltas: string[]): { lag: number[]; transit: number[]; frameWait: number[] } {
  const lag: number[] = [];
  const transit: number[] = [];
  const frameWait: number[] = [];
  let covered = 0;
  let render = 0;
  let frame = 0;
  let received = 0;
  for (let i = 0; i < deltas.length; i++) {
    covered += deltas[i].length;
    while (
      render < result.renders.length &&
      (result.renders[render + 1] < covered || result.renders[render] < result.dispatched[i])
    )
      render += 2;
    if (render >= result.renders.length) break;
    const renderedAt = result.renders[render];
    while (frame < result.frames.length && result.frames[frame] <= renderedAt) frame++;
    if (frame >= result.frames.length) break;
    lag.push(result.frames[frame] - result.dispatched[i]);
    while (received < result.received.length && result.received[received + 1] < covered) received += 2;
    if (received >= result.received.length || frame === 0) continue;
    transit.push(result.received[received] - result.dispatched[i]);
    frameWait.push(result.frames[frame - 1] - result.received[received]);
  }
  const sorted = (values: number[]) => values.sort((a, b) => a - b);
  return { lag: sorted(lag), transit: sorted(transit), frameWait: sorted(frameWait) };
}

export async function measure(
  browser: Browser,
  mode: Mode,
  rate: number,
  deltas: string[],
  warmup: string[],
  pageScript: string,
): Promise<Run> {
  const page = await openPage(browser, mode, pageScript);
  try {
    await page.evaluate((w) => window.renderBench.setup(w), warmup);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const metrics = () => pageMetrics(cdp);
    const profile = process.env.BENCH_PROFILE === mode;
    if (profile) await cdp.send('Profiler.enable').then(() => cdp.send('Profiler.start'));
    const tracing = process.env.BENCH_TRACE === mode;
    if (tracing)
      await page
        .context()
        .browser()!
        .startTracing(page, {
          path: path.join(os.tmpdir(), `render-${mode}-${rate}.trace.json`),
          categories: ['devtools.timeline', 'blink', 'v8'],
        });
    const before = await metrics();
    const started = Date.now();
    await page.evaluate(([d, r, id]) => window.renderBench.stream(d, r, id), [
      deltas,
      rate,
      mode === 'floor' ? 2 : 1,
    ] as const);
    const wallMs = Date.now() - started;
    const after = await metrics();
    const result = (await page.evaluate(() => window.renderBench.result()))!;
    if (tracing) await page.context().browser()!.stopTracing();
    if (profile) {
      const file = path.join(os.tmpdir(), `render-${mode}-${rate}.cpuprofile`);
      fs.writeFileSync(file, JSON.stringify((await cdp.send('Profiler.stop')).profile));
      console.log(`  CPU profile: ${file}`);
    }
    const delta = (name: string) => ((after[name] ?? 0) - (before[name] ?? 0)) * 1000;
    const text = deltas.join('');
    if (mode !== 'floor' && result.renders[result.renders.length - 1] !== text.length)
      throw new Error(
        `${mode} at ${rate}/s: the final render covers ${result.renders.at(-1)} of ${text.length} characters`,
      );
    const gaps = result.frames.slice(1).map((t, i) => t - result.frames[i]);
    const longestFrameMs = Math.max(0, ...gaps);
    const { lag, transit, frameWait } =
      mode === 'floor' ? { lag: [], transit: [], frameWait: [] } : lags(result, deltas);
    const ends = renderWorkAtEnds(result.renderWork);
    return {
      mode,
      rate,
      taskMs: delta('TaskDuration'),
      scriptMs: delta('ScriptDuration'),
      layoutMs: delta('LayoutDuration'),
      styleMs: delta('RecalcStyleDuration'),
      frameWorkMs: result.frameWorkMs,
      firstRenderMs: ends.first,
      lastRenderMs: ends.last,
      longestFrameMs,
      longFrames: gaps.filter((gap) => gap > 17.5).length,
      longestFrameBeforeEndMs:
        gaps.length === 0 ? NaN : result.frames[result.frames.length - 1] - result.frames[gaps.indexOf(longestFrameMs)],
      longestTaskMs: Math.max(0, ...result.longTasks),
      lagP50Ms: percentile(lag, 50),
      lagP95Ms: percentile(lag, 95),
      transitP50Ms: percentile(transit, 50),
      transitP95Ms: percentile(transit, 95),
      frameWaitP50Ms: percentile(frameWait, 50),
      frameWaitP95Ms: percentile(frameWait, 95),
      renders: result.renders.length / 2,
      wallMs,
    };
  } finally {
    await page.context().close();
  }
}
