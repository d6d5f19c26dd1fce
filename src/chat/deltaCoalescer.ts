// Coalesces an answer's deltas on their way to the chat webview: a post per token would flood it
// (each message is a render), but waiting a fixed interval puts the text a frame behind. So the text
// goes out as soon as nothing is in flight: the deltas of one tick together, at once, when the last
// post has reached the webview (webview.postMessage settled); while one is on its way, the text
// gathers and goes out when it lands, or after DELTA_POST_INTERVAL_MS at the latest (a post that
// never settles cannot hold the text back). No 'vscode' import: it is unit-tested in plain Node.
import { DELTA_POST_INTERVAL_MS, type DeltaChannel, type HostToWebview } from '../protocol';

export type DeltaMessage = Extract<HostToWebview, { type: 'delta' }>;

/** Runs `flush` once, after `delayMs` (0: once the current tick is done); returns what cancels it. */
export type FlushScheduler = (flush: () => void, delayMs: number) => () => void;

/** Posts a message; what it returns settles once the message has reached the view (or was dropped). */
export type DeltaPost = (message: DeltaMessage) => void | PromiseLike<unknown>;

const timer: FlushScheduler = (flush, delayMs) => {
  const handle = setTimeout(flush, delayMs);
  return () => clearTimeout(handle);
};

interface PendingText {
  requestId: number;
  content: string;
  reasoning: string;
}

export class DeltaCoalescer {
  private pending: PendingText | undefined;
  private cancelFlush: (() => void) | undefined;
  /** Posts not settled yet. */
  private inFlight = 0;

  constructor(
    private readonly post: DeltaPost,
    private readonly schedule: FlushScheduler = timer,
  ) {}

  /** Text of a request's channel; another request's pending text is posted first. */
  add(requestId: number, channel: DeltaChannel, text: string): void {
    const pending = this.pending;
    if (pending !== undefined && pending.requestId === requestId) {
      pending[channel] += text;
    } else {
      this.flush();
      this.pending = { requestId, content: '', reasoning: '' };
      this.pending[channel] = text;
    }
    this.cancelFlush ??= this.schedule(() => this.flush(), this.inFlight > 0 ? DELTA_POST_INTERVAL_MS : 0);
  }

  /** Posts what is pending now (before a message that must come after the text, and at the end). */
  flush(): void {
    const pending = this.pending;
    this.drop();
    if (pending === undefined) return;
    // Both channels of one interval go out together, the Thinking section first (as it is shown).
    const { requestId, reasoning, content } = pending;
    if (reasoning !== '') this.send({ type: 'delta', requestId, channel: 'reasoning', text: reasoning });
    if (content !== '') this.send({ type: 'delta', requestId, channel: 'content', text: content });
  }

  /** Forgets what is pending: no view to post to, or the snapshot it gets next holds the text. */
  drop(): void {
    this.cancelFlush?.();
    this.cancelFlush = undefined;
    this.pending = undefined;
  }

  private send(message: DeltaMessage): void {
    const posted = this.post(message);
    if (posted === undefined) return;
    this.inFlight++;
    const landed = () => {
      this.inFlight--;
      // The text that gathered meanwhile goes now rather than at the end of the interval.
      if (this.inFlight === 0 && this.pending !== undefined) {
        this.cancelFlush?.();
        this.cancelFlush = this.schedule(() => this.flush(), 0);
      }
    };
    posted.then(landed, landed);
  }
}
