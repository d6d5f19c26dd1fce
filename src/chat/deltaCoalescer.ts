// Coalesces an answer's deltas on their way to the chat webview: a post per token would flood it
// (each message is a render), so the text of one request gathers here and goes out once per
// DELTA_POST_INTERVAL_MS, counted from the first text after a post. No 'vscode' import: it is
// unit-tested in plain Node.
import { DELTA_POST_INTERVAL_MS, type DeltaChannel, type HostToWebview } from '../protocol';

export type DeltaMessage = Extract<HostToWebview, { type: 'delta' }>;

/** Runs `flush` once, later; returns what cancels it. */
export type FlushScheduler = (flush: () => void) => () => void;

const afterInterval: FlushScheduler = (flush) => {
  const timer = setTimeout(flush, DELTA_POST_INTERVAL_MS);
  return () => clearTimeout(timer);
};

interface PendingText {
  requestId: number;
  content: string;
  reasoning: string;
}

export class DeltaCoalescer {
  private pending: PendingText | undefined;
  private cancelFlush: (() => void) | undefined;

  constructor(
    private readonly post: (message: DeltaMessage) => void,
    private readonly schedule: FlushScheduler = afterInterval,
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
    this.cancelFlush ??= this.schedule(() => this.flush());
  }

  /** Posts what is pending now (before a message that must come after the text, and at the end). */
  flush(): void {
    const pending = this.pending;
    this.drop();
    if (pending === undefined) return;
    // Both channels of one interval go out together, the Thinking section first (as it is shown).
    const { requestId, reasoning, content } = pending;
    if (reasoning !== '') this.post({ type: 'delta', requestId, channel: 'reasoning', text: reasoning });
    if (content !== '') this.post({ type: 'delta', requestId, channel: 'content', text: content });
  }

  /** Forgets what is pending: no view to post to, or the snapshot it gets next holds the text. */
  drop(): void {
    this.cancelFlush?.();
    this.cancelFlush = undefined;
    this.pending = undefined;
  }
}
