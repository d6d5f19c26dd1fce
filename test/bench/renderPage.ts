/// <reference lib="dom" />
// The page side of `npm run bench:render`, bundled by render.bench.ts into the bench page next to the
// real webview bundle (dist/webview.js). It talks to the panel the way VS Code does (window messages
// in the host's protocol) and records what the panel does: when each delta was dispatched, each
// `markdown-rendered` event (time, length rendered), every animation frame, long tasks.
import type { HostToWebview } from '../../src/protocol';

export interface PhaseResult {
  /** performance.now() at each delta's dispatch. */
  dispatched: number[];
  /** Flat pairs: time of a `markdown-rendered` event, length it covered. */
  renders: number[];
  /** rAF timestamps (frame starts) while streaming, until two frames after the final render. */
  frames: number[];
  longTasks: number[];
  /** Milliseconds spent in animation-frame callbacks during the phase. */
  frameWorkMs: number;
  finalLength: number;
}

const post = (message: HostToWebview) => window.postMessage(message, '*');
const nextFrame = () => new Promise<number>((resolve) => requestAnimationFrame(resolve));

async function frames(count: number): Promise<void> {
  for (let i = 0; i < count; i++) await nextFrame();
}

function answerTurn(requestId: number, content: string, status: 'streaming' | 'done') {
  return { role: 'assistant' as const, id: `a${requestId}`, requestId, content, reasoning: '', status };
}

/** Dispatches `deltas` for `requestId` at `rate` per second from a timer (catching up when it runs late). */
function dispatch(requestId: number, deltas: string[], rate: number, dispatched?: number[]): Promise<void> {
  return new Promise((resolve) => {
    const start = performance.now();
    let next = 0;
    const tick = () => {
      const due = Math.min(deltas.length, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
      while (next < due) {
        dispatched?.push(performance.now());
        post({ type: 'delta', requestId, content: deltas[next++] });
      }
      if (next < deltas.length) setTimeout(tick, 1);
      else resolve();
    };
    tick();
  });
}

/** An empty conversation, then a short answer streamed fast (JIT warm-up), then cleared. */
async function setup(warmup: string[]): Promise<void> {
  post({ type: 'snapshot', turns: [], status: { modelLabel: 'bench', busy: false } });
  post({ type: 'turns-added', turns: [{ role: 'user', id: 'u0', text: 'warm-up' }, answerTurn(1000, '', 'streaming')] });
  await dispatch(1000, warmup, 20_000);
  post({ type: 'answer-ended', requestId: 1000, turn: answerTurn(1000, warmup.join(''), 'done') });
  post({ type: 'cleared' });
  post({ type: 'turns-added', turns: [{ role: 'user', id: 'u1', text: 'q' }, answerTurn(1, '', 'streaming')] });
  await frames(3);
}

/**
 * Streams `deltas` to answer 1 (or, with `requestId` of an answer that does not exist, only
 * through the message handler: the floor), ends it, and waits until the final render is painted.
 */
async function stream(deltas: string[], rate: number, requestId = 1): Promise<PhaseResult> {
  const result: PhaseResult = { dispatched: [], renders: [], frames: [], longTasks: [], frameWorkMs: 0, finalLength: 0 };
  const frameWorkBefore = window.frameWorkMs;
  const onRendered = (event: Event) => result.renders.push(performance.now(), (event as CustomEvent<{ length: number }>).detail.length);
  document.addEventListener('markdown-rendered', onRendered);
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) result.longTasks.push(entry.duration);
  });
  observer.observe({ type: 'longtask' });
  let recording = true;
  const loop = (time: number) => {
    result.frames.push(time);
    if (recording) requestAnimationFrame(loop);
  };
  requestAnimationFrame(loop);

  await dispatch(requestId, deltas, rate, result.dispatched);
  const text = deltas.join('');
  post({ type: 'answer-ended', requestId, turn: answerTurn(requestId, text, 'done') });
  const finalRender = () => result.renders.length > 0 && result.renders[result.renders.length - 1] >= text.length;
  for (let waited = 0; requestId === 1 && !finalRender() && waited < 600; waited++) await nextFrame();
  await frames(2);
  recording = false;
  result.frameWorkMs = window.frameWorkMs - frameWorkBefore;
  observer.disconnect();
  document.removeEventListener('markdown-rendered', onRendered);
  result.finalLength = document.querySelector('.turn.assistant .answer')?.textContent?.length ?? 0;
  return result;
}

let last: PhaseResult | undefined;

declare global {
  interface Window {
    /** Kept by the bench page's wrapper around requestAnimationFrame (render.bench.ts). */
    frameWorkMs: number;
    renderBench: {
      setup: typeof setup;
      /** Streams and keeps the result for `result()`, so sending it back is not measured. */
      stream: (...args: Parameters<typeof stream>) => Promise<void>;
      result: () => PhaseResult | undefined;
    };
  }
}
window.renderBench = {
  setup,
  stream: async (...args) => {
    last = await stream(...args);
  },
  result: () => last,
};
