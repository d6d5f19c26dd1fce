// Hands out events decoded in batches (one batch per network read) one at a time, without an
// async-generator hop per event: the hot path is one resolved promise per event.
import type { StreamEvent } from './types';

const NONE: readonly StreamEvent[] = [];
const DONE: IteratorReturnResult<void> = { done: true, value: undefined };

/**
 * An AsyncGenerator of events over an async generator of batches. A batch array may be reused by
 * its producer once the next batch is requested (every event of it has been handed out by then).
 * Calls to `next()` may overlap; they are answered in order.
 */
export class EventIterator implements AsyncGenerator<StreamEvent, void, undefined> {
  private batch: readonly StreamEvent[] = NONE;
  private index = 0;
  private ended = false;
  /** The last queued slow-path call: later calls wait for it so answers stay in order. */
  private tail: Promise<unknown> = Promise.resolve();
  /** Slow-path calls not answered yet: while any is, the fast path would answer out of turn. */
  private queued = 0;

  /**
   * `signal`: once it aborts, events still buffered from the last read are dropped, so a stopped
   * request hands out nothing more (the producer then ends with its aborted error).
   * `onLeave`: called first thing when the consumer leaves early (`return()` / `throw()`), so the
   * producer can stop at once instead of finishing a pending read.
   */
  constructor(
    private readonly batches: AsyncGenerator<readonly StreamEvent[], void, undefined>,
    private readonly signal?: AbortSignal,
    private readonly onLeave?: () => void,
  ) {}

  next(): Promise<IteratorResult<StreamEvent, void>> {
    if (this.index < this.batch.length && this.queued === 0) {
      if (this.signal?.aborted !== true) return Promise.resolve({ done: false, value: this.batch[this.index++] });
      this.batch = NONE;
      this.index = 0;
    }
    this.queued++;
    const result = this.tail.then(() => this.advance()).finally(() => this.queued--);
    this.tail = result.catch(() => undefined);
    return result;
  }

  async return(): Promise<IteratorResult<StreamEvent, void>> {
    this.leave();
    await this.tail;
    await this.batches.return();
    return DONE;
  }

  async throw(error: unknown): Promise<IteratorResult<StreamEvent, void>> {
    this.leave();
    await this.tail;
    await this.batches.throw(error);
    return DONE;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private async advance(): Promise<IteratorResult<StreamEvent, void>> {
    for (;;) {
      if (this.index < this.batch.length && this.signal?.aborted !== true)
        return { done: false, value: this.batch[this.index++] };
      if (this.ended) return DONE;
      let pulled: IteratorResult<readonly StreamEvent[], void>;
      try {
        pulled = await this.batches.next();
      } catch (error) {
        this.finish();
        throw error;
      }
      if (pulled.done) {
        this.finish();
        return DONE;
      }
      this.batch = pulled.value;
      this.index = 0;
    }
  }

  private leave(): void {
    if (!this.ended) this.onLeave?.();
    this.finish();
  }

  private finish(): void {
    this.ended = true;
    this.batch = NONE;
    this.index = 0;
  }
}
