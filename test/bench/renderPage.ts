/// <reference lib="dom" />
// The page side of `npm run bench:render`, bundled by render.bench.ts into the bench page next to the
// real webview bundle (dist/webview.js). It talks to the panel the way VS Code does (window messages
// in the host's protocol) and records what the panel does: when each delta was dispatched, each
// `markdown-rendered` event (time, length rendered), every animation frame, long tasks.
import { DeltaCoalescer } from '../../src/chat/deltaCoalescer';
import type { HostToWebview, TurnView } from '../../src/protocol';

export interface PhaseResult {
  /** performance.now() at each delta's dispatch. */
  dispatched: number[];
  /** Flat pairs: time of a `markdown-rendered` event, length it covered. */
  renders: number[];
  /** Flat pairs: time the panel had handled a delta message, characters received up to it. */
  received: number[];
  /** rAF timestamps (frame starts) while streaming, until two frames after the final render. */
  frames: number[];
  longTasks: number[];
  /** Milliseconds spent in animation-frame callbacks during the phase. */
  frameWorkMs: number;
  /** The duration of each frame callback that rendered, in order: the work of one render. */
  renderWork: number[];
  finalLength: number;
}

const postToPanel = (message: HostToWebview) => window.postMessage(message, '*');
const nextFrame = () => new Promise<number>((resolve) => requestAnimationFrame(resolve));

async function frames(count: number): Promise<void> {
  for (let i = 0; i < count; i++) await nextFrame();
}

function answerTurn(requestId: number, content: string, status: 'streaming' | 'done') {
  return { role: 'assistant' as const, id: `a${requestId}`, requestId, content, reasoning: '', status };
}

/**
 * Delivers `deltas` for `requestId` the way the extension host does: they arrive at `rate` per
 * second and go through the host's own DeltaCoalescer, whose posts land when the panel has handled
 * them (VS Code's postMessage settles once the webview has the message; here the round trip is
 * none, the most posts it can make). The host runs in another process, so only its posts cost this
 * page anything: the deltas that have arrived are handed to the coalescer when it is about to post
 * or a post lands (a timer per post, not per delta), each arrival recorded at its scheduled time, so
 * the lag measured from it includes the coalescing.
 */
function dispatch(requestId: number, deltas: string[], rate: number, dispatched?: number[]): Promise<void> {
  return new Promise((resolve) => {
    const start = performance.now();
    const arrival = (index: number) => start + (index * 1000) / rate;
    let next = 0;
    const landings: (() => void)[] = [];
    let flushes = 0;
    let idle: ReturnType<typeof setTimeout> | undefined;
    const coalescer = new DeltaCoalescer(
      (message) => {
        postToPanel(message);
        return new Promise<void>((land) => landings.push(land));
      },
      (flush, delayMs) => {
        flushes++;
        let due = true;
        const done = () => {
          if (due) flushes--;
          due = false;
        };
        const timer = setTimeout(() => {
          done();
          wake();
          flush();
        }, delayMs);
        return () => {
          done();
          clearTimeout(timer);
        };
      },
    );
    // Registered after the panel's listener: the panel has handled the message.
    const landed = (event: MessageEvent<HostToWebview>) => {
      if (event.data.type !== 'delta' || event.data.requestId !== requestId) return;
      landings.shift()?.();
      wake();
    };
    window.addEventListener('message', landed);
    /** Hands the deltas that have arrived to the coalescer; with nothing under way, waits for the next. */
    function wake(): void {
      const now = performance.now();
      while (next < deltas.length && arrival(next) <= now) {
        dispatched?.push(arrival(next));
        coalescer.add(requestId, 'content', deltas[next++]);
      }
      if (next >= deltas.length) {
        coalescer.flush();
        window.removeEventListener('message', landed);
        resolve();
      } else if (flushes === 0 && landings.length === 0 && idle === undefined) {
        idle = setTimeout(
          () => {
            idle = undefined;
            wake();
          },
          arrival(next) - now,
        );
      }
    }
    wake();
  });
}

/** An empty conversation, then a short answer streamed fast (JIT warm-up), then cleared. */
async function setup(warmup: string[]): Promise<void> {
  postToPanel({ type: 'snapshot', turns: [], status: { modelLabel: 'bench', busy: false } });
  postToPanel({
    type: 'turns-added',
    turns: [{ role: 'user', id: 'u0', text: 'warm-up' }, answerTurn(1000, '', 'streaming')],
  });
  await dispatch(1000, warmup, 20_000);
  postToPanel({ type: 'answer-ended', requestId: 1000, turn: answerTurn(1000, warmup.join(''), 'done') });
  postToPanel({ type: 'cleared' });
  postToPanel({ type: 'turns-added', turns: [{ role: 'user', id: 'u1', text: 'q' }, answerTurn(1, '', 'streaming')] });
  await frames(3);
}

/**
 * Streams `deltas` to answer 1 (or, with `requestId` of an answer that does not exist, only
 * through the message handler: the floor), ends it, and waits until the final render is painted.
 */
async function stream(deltas: string[], rate: number, requestId = 1): Promise<PhaseResult> {
  const result: PhaseResult = {
    dispatched: [],
    renders: [],
    received: [],
    frames: [],
    longTasks: [],
    frameWorkMs: 0,
    renderWork: [],
    finalLength: 0,
  };
  const frameWorkBefore = window.frameWorkMs;
  const renderWorkBefore = window.renderWork.length;
  const onRendered = (event: Event) =>
    result.renders.push(performance.now(), (event as CustomEvent<{ length: number }>).detail.length);
  document.addEventListener('markdown-rendered', onRendered);
  // Registered after the panel's listener: the panel has handled the message.
  let receivedChars = 0;
  const onReceived = (event: MessageEvent<HostToWebview>) => {
    if (event.data.type !== 'delta' || event.data.requestId !== requestId) return;
    receivedChars += event.data.text.length;
    result.received.push(performance.now(), receivedChars);
  };
  window.addEventListener('message', onReceived);
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
  postToPanel({ type: 'answer-ended', requestId, turn: answerTurn(requestId, text, 'done') });
  const finalRender = () => result.renders.length > 0 && result.renders[result.renders.length - 1] >= text.length;
  for (let waited = 0; requestId === 1 && !finalRender() && waited < 600; waited++) await nextFrame();
  await frames(2);
  recording = false;
  result.frameWorkMs = window.frameWorkMs - frameWorkBefore;
  result.renderWork = window.renderWork.slice(renderWorkBefore);
  observer.disconnect();
  document.removeEventListener('markdown-rendered', onRendered);
  window.removeEventListener('message', onReceived);
  result.finalLength = document.querySelector('.turn.assistant .answer')?.textContent?.length ?? 0;
  return result;
}

/** The panel at the bottom of its transcript, the last answer rendered. */
function lastAnswerShown(): boolean {
  const scroller = document.querySelector<HTMLElement>('.scroller');
  const answers = document.querySelectorAll('.turn.assistant');
  const last = answers[answers.length - 1];
  if (
    scroller === null ||
    last === undefined ||
    last.classList.contains('deferred') ||
    last.querySelector('.answer')?.childElementCount === 0
  )
    return false;
  return scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 2;
}

/**
 * Opens a saved conversation (a snapshot of `answers` questions and answers) and returns the time
 * from posting it to the frame after its last answer is on screen (rendered and painted).
 */
async function openHistory(answers: string[]): Promise<number> {
  const turns: TurnView[] = answers.flatMap((content, i) => [
    { role: 'user' as const, id: `q${i}`, text: `Question ${i + 1}` },
    answerTurn(100 + i, content, 'done'),
  ]);
  const start = performance.now();
  postToPanel({ type: 'snapshot', turns, status: { modelLabel: 'bench', busy: false } });
  for (let frame = 0; frame < 600; frame++) {
    await nextFrame();
    if (lastAnswerShown()) return (await nextFrame()) - start;
  }
  throw new Error('the last answer of the opened conversation never showed');
}

/**
 * Scrolls the transcript from its top to its bottom, a screen at a time, as someone reading the
 * whole conversation would (answers render as they come near the screen); returns how many answers
 * are still not rendered.
 */
async function scrollThrough(): Promise<number> {
  const scroller = document.querySelector<HTMLElement>('.scroller')!;
  scroller.scrollTop = 0;
  await frames(3);
  for (let guard = 0; guard < 2000 && scroller.scrollTop + scroller.clientHeight < scroller.scrollHeight - 2; guard++) {
    scroller.scrollTop += scroller.clientHeight;
    await frames(2);
  }
  return document.querySelectorAll('.turn.deferred').length;
}

/** After openHistory: a new question and its (streaming) answer 1, as turn 101. */
function askNext(): void {
  postToPanel({ type: 'turns-added', turns: [{ role: 'user', id: 'u1', text: 'q' }, answerTurn(1, '', 'streaming')] });
}

let last: PhaseResult | undefined;

declare global {
  interface Window {
    /** Kept by the bench page's wrapper around requestAnimationFrame (render.bench.ts). */
    frameWorkMs: number;
    /** Kept by the same wrapper: the duration of each frame callback that rendered. */
    renderWork: number[];
    renderCount: number;
    renderBench: {
      setup: typeof setup;
      openHistory: typeof openHistory;
      scrollThrough: typeof scrollThrough;
      askNext: typeof askNext;
      /** Streams and keeps the result for `result()`, so sending it back is not measured. */
      stream: (...args: Parameters<typeof stream>) => Promise<void>;
      result: () => PhaseResult | undefined;
    };
  }
}
window.renderBench = {
  setup,
  openHistory,
  scrollThrough,
  askNext,
  stream: async (...args) => {
    last = await stream(...args);
  },
  result: () => last,
};
