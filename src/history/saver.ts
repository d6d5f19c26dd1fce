// When conversations are written: at once when a question is asked or an answer ends, and at most
// every `intervalMs` while an answer streams (so a crash loses seconds, and a fast stream does not
// write a file per token). Writes run one at a time, each taking the conversation as it is then.
// No 'vscode' import: unit-tested in plain Node.
import type { Conversation, ConversationData } from '../core/conversation';
import type { SaveResult } from './store';

/** Mid-stream saves of one conversation at most this often. */
export const STREAMING_SAVE_INTERVAL_MS = 2000;

export interface SaveTarget {
  save(data: ConversationData): Promise<SaveResult>;
}

export interface SaverEvents {
  /** After each write, with what was written (tests wait on this; the history prunes after it). */
  saved?(conversation: Conversation, data: ConversationData, result: SaveResult): void;
  failed?(conversation: Conversation, error: unknown): void;
}

interface Pending {
  conversation: Conversation;
  timer: ReturnType<typeof setTimeout>;
}

export class ConversationSaver {
  private readonly pending = new Map<string, Pending>();
  /** When each conversation was last written, in write order; only writes within the interval are kept. */
  private readonly lastWrite = new Map<string, number>();
  private chain: Promise<void> = Promise.resolve();
  private disposed = false;

  constructor(
    private readonly target: SaveTarget,
    private readonly events: SaverEvents = {},
    private readonly intervalMs = STREAMING_SAVE_INTERVAL_MS,
  ) {}

  /** The conversation changed; `streaming` = only an answer's text grew (throttled). */
  changed(conversation: Conversation, streaming: boolean): void {
    if (this.disposed || conversation.length === 0) return;
    const waiting = this.pending.get(conversation.id);
    if (streaming) {
      if (waiting !== undefined) return; // the scheduled write will take the newest text
      const since = performance.now() - (this.lastWrite.get(conversation.id) ?? -Infinity);
      const delay = Math.max(0, this.intervalMs - since);
      this.pending.set(conversation.id, { conversation, timer: setTimeout(() => this.writeNow(conversation), delay) });
      return;
    }
    this.writeNow(conversation);
  }

  /** Writes every change still waiting (deactivation) and resolves when all writes are done. */
  async flush(): Promise<void> {
    for (const { conversation } of [...this.pending.values()]) this.writeNow(conversation);
    await this.chain;
  }

  /** Conversations whose write time is still remembered (at most those written in the last interval). */
  get remembered(): number {
    return this.lastWrite.size;
  }

  /** Writes what is waiting, then accepts no more changes (the window is closing). */
  dispose(): Promise<void> {
    const flushed = this.flush();
    this.disposed = true;
    return flushed;
  }

  /**
   * Only a write less than an interval ago delays the next one: older times are forgotten, so a long
   * session's hundreds of conversations are not remembered one entry each.
   */
  private noteWrite(id: string): void {
    const now = performance.now();
    this.lastWrite.delete(id); // re-added last: the map stays in write order, oldest first
    this.lastWrite.set(id, now);
    for (const [written, at] of this.lastWrite) {
      if (now - at < this.intervalMs) break;
      this.lastWrite.delete(written);
    }
  }

  private writeNow(conversation: Conversation): void {
    const waiting = this.pending.get(conversation.id);
    if (waiting !== undefined) clearTimeout(waiting.timer);
    this.pending.delete(conversation.id);
    this.noteWrite(conversation.id);
    this.chain = this.chain.then(async () => {
      const data = conversation.toJSON(); // as it is now, not as it was when the write was asked for
      try {
        const result = await this.target.save(data);
        this.events.saved?.(conversation, data, result);
      } catch (error) {
        this.events.failed?.(conversation, error);
      }
    });
  }
}
