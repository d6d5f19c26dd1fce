// Every request to the model goes through here. A request is registered the moment it is started,
// knows the surface that owns it, can be stopped on its own, folds its events into the answer, and
// is logged once when it ends. No 'vscode' import: unit-tested in plain Node against the test server.
import {
  AnswerCollector,
  asChatError,
  endpointUrl,
  joinBaseUrl,
  readEvents,
  type Answer,
  type ChatClient,
  type ChatMessage,
  type ChatRequest,
  type Endpoint,
  type ModelInfo,
  type StreamEvent,
  type StreamOptions,
} from '../api';
import { recordStats, streamLogEntry, tokensPerSecond, type RequestLogEntry, type RequestStats } from './requestStats';
import type { TokenCalibrations } from './tokenCalibration';

/** The surfaces that start requests; `streamChat.stop` picks requests by them. */
export const REQUEST_OWNERS = ['chat', 'ask', 'insert', 'test connection', 'lm'] as const;
export type RequestOwner = (typeof REQUEST_OWNERS)[number];

/** What the runner writes to the log. */
export interface RequestLog {
  warn(message: string): void;
  request(entry: RequestLogEntry): void;
}

export interface StartRequest {
  owner: RequestOwner;
  /** What the request belongs to within its surface, e.g. the document an insertion writes into. */
  scope?: string;
  endpoint: Endpoint;
  request: ChatRequest;
  /** `signal` (the caller's) stops the request too; its listener is removed when the request ends. */
  options?: StreamOptions;
}

/** Where the user is when they ask to stop (see `RequestRunner.requestToStop`). */
export interface StopContext {
  chatFocused?: boolean;
  /** The active editor's document URI. */
  activeDocument?: string;
}

const DONE: IteratorReturnResult<void> = { done: true, value: undefined };

/**
 * One streamed chat completion. Read `events` once (or call `collect`); the HTTP request starts
 * with the first read. `stop()` ends it at any point, before the first read included.
 */
export class TrackedRequest {
  readonly stats: RequestStats = { startedAt: performance.now(), deltas: 0, usageChunk: false };
  /** The events, each folded into `answer` before it is handed out. Leaving early stops the request. */
  readonly events: AsyncGenerator<StreamEvent, void, undefined>;
  private readonly controller = new AbortController();
  private readonly collector = new AnswerCollector();
  private finished = false;
  private readonly onCallerAbort = (): void => this.stop();

  constructor(
    readonly id: number,
    readonly owner: RequestOwner,
    readonly scope: string | undefined,
    /** The origin requests go to; empty when the base URL is invalid (the first read then fails with a ChatError). */
    readonly origin: string,
    readonly model: string,
    private readonly callerSignal: AbortSignal | undefined,
    open: (signal: AbortSignal) => AsyncGenerator<StreamEvent, void, undefined>,
    private readonly onEnd: (request: TrackedRequest) => void,
  ) {
    callerSignal?.addEventListener('abort', this.onCallerAbort, { once: true });
    this.events = new TrackedEvents(this, open(this.controller.signal));
  }

  /** The answer so far (final once the request has ended). */
  get answer(): Answer {
    return this.collector.answer;
  }

  get ended(): boolean {
    return this.finished;
  }

  /**
   * Aborts the HTTP request and ends the request at once (unregistered, logged), whether or not
   * anyone is reading: the answer keeps what arrived, marked stopped; a later read ends with `aborted`.
   */
  stop(): void {
    this.finish(undefined, true);
  }

  /**
   * Reads the stream to its end and resolves with the answer; never rejects for a stream failure
   * (it is in `answer.error`). An exception in `onEvent` stops the request and propagates.
   */
  async collect(onEvent?: (event: StreamEvent, answer: Answer) => void): Promise<Answer> {
    // The events are folded as they pass (TrackedEvents); a failure is recorded when the stream ends.
    await readEvents(this.events, (event) => onEvent?.(event, this.answer));
    return this.answer;
  }

  /** @internal */
  record(event: StreamEvent): void {
    this.collector.add(event);
    recordStats(this.stats, event);
  }

  /** @internal Ends the request once: `error` when the stream failed, `stopped` when it was left or stopped. */
  finish(error: unknown, stopped: boolean): void {
    if (this.finished) return;
    this.finished = true;
    if (error !== undefined) {
      this.collector.fail(error);
      this.stats.error = asChatError(error);
    } else if (stopped) {
      this.collector.markStopped();
    }
    this.stats.endedAt = performance.now();
    this.callerSignal?.removeEventListener('abort', this.onCallerAbort);
    this.controller.abort(); // whatever is still open is closed (a no-op after a clean end)
    this.onEnd(this);
  }
}

/** The events of one TrackedRequest: folded and measured as they pass; leaving early stops the request. */
class TrackedEvents implements AsyncGenerator<StreamEvent, void, undefined> {
  constructor(
    private readonly request: TrackedRequest,
    private readonly inner: AsyncGenerator<StreamEvent, void, undefined>,
  ) {}

  next(): Promise<IteratorResult<StreamEvent, void>> {
    return this.inner.next().then(
      (read) => {
        if (read.done === true) this.request.finish(undefined, false);
        else this.request.record(read.value);
        return read;
      },
      (error: unknown) => {
        const chatError = asChatError(error);
        this.request.finish(chatError, false);
        throw chatError;
      },
    );
  }

  async return(): Promise<IteratorResult<StreamEvent, void>> {
    // Stop first: the client's own return() also aborts, but ending here keeps the answer marked stopped.
    if (!this.request.ended) this.request.finish(undefined, true);
    await this.inner.return();
    return DONE;
  }

  async throw(error: unknown): Promise<IteratorResult<StreamEvent, void>> {
    if (!this.request.ended) this.request.finish(undefined, true);
    await this.inner.throw(error);
    return DONE;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

export class RequestRunner {
  /** Running requests in start order (Map iteration order), so the last one is the most recent. */
  private readonly active = new Map<number, TrackedRequest>();
  private readonly listeners = new Set<() => void>();
  private nextId = 1;

  constructor(
    private readonly client: ChatClient,
    private readonly log: RequestLog,
    /** Taught by every request that ends with the server's usage (whichever surface asked). */
    private readonly calibrations?: TokenCalibrations,
  ) {}

  /** Registers and returns the request at once; the HTTP request starts when its events are first read. */
  start(spec: StartRequest): TrackedRequest {
    const { owner, scope, endpoint, request } = spec;
    const { signal: callerSignal, onRetry, ...streamOptions } = spec.options ?? {};
    let origin = '';
    try {
      origin = endpointUrl(endpoint, '').origin;
    } catch {
      // The stream itself fails with the ChatError that explains the base URL.
    }
    const id = this.nextId++;
    const tracked = new TrackedRequest(
      id,
      owner,
      scope,
      origin,
      request.model,
      callerSignal,
      (signal) =>
        this.client.streamChat(endpoint, request, {
          ...streamOptions,
          signal,
          onRetry: (info) => {
            const { attempt, delayMs, error } = info;
            this.log.warn(
              `${owner}: retry ${attempt} in ${Math.round(delayMs)} ms after ${error.kind}: ${error.message}`,
            );
            onRetry?.(info);
          },
        }),
      (ended) => this.onEnded(ended, joinBaseUrl(endpoint.baseUrl, '/chat/completions'), request.messages),
    );
    this.active.set(id, tracked);
    this.fire();
    if (callerSignal?.aborted) tracked.stop();
    return tracked;
  }

  /** `GET /models`, logged under `label` (the command that asked). */
  async listModels(
    endpoint: Endpoint,
    options: { signal?: AbortSignal; timeoutMs?: number; label: string },
  ): Promise<ModelInfo[]> {
    const started = performance.now();
    const url = joinBaseUrl(endpoint.baseUrl, '/models');
    try {
      const models = await this.client.listModels(endpoint, { signal: options.signal, timeoutMs: options.timeoutMs });
      this.log.request({
        method: 'GET',
        url,
        status: 200,
        durationMs: performance.now() - started,
        detail: `${options.label} · ${models.length} models`,
      });
      return models;
    } catch (error) {
      const chatError = asChatError(error);
      this.log.request({
        method: 'GET',
        url,
        status: chatError.status,
        outcome: chatError.kind,
        durationMs: performance.now() - started,
        detail: `${options.label} · ${chatError.message}`,
      });
      throw chatError;
    }
  }

  /** Fires when a request starts or ends (not per token: poll `liveTokensPerSecond()` while busy). */
  onDidChangeActivity(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  activeRequests(): TrackedRequest[] {
    return [...this.active.values()];
  }

  /** The most recent running request that matches (any owner/scope when left out). */
  latest(filter: { owners?: readonly RequestOwner[]; scope?: string } = {}): TrackedRequest | undefined {
    const running = this.activeRequests();
    for (let i = running.length - 1; i >= 0; i--) {
      const request = running[i];
      if (filter.owners !== undefined && !filter.owners.includes(request.owner)) continue;
      if (filter.scope !== undefined && request.scope !== filter.scope) continue;
      return request;
    }
    return undefined;
  }

  /**
   * The request "stop" means where the user is: the chat panel's (chat and ask answers) when it has
   * focus, the insertion into the active editor's document, else the most recent one.
   */
  requestToStop(where: StopContext): TrackedRequest | undefined {
    const inChat = where.chatFocused ? this.latest({ owners: ['chat', 'ask'] }) : undefined;
    const inEditor =
      where.activeDocument !== undefined ? this.latest({ owners: ['insert'], scope: where.activeDocument }) : undefined;
    return inChat ?? inEditor ?? this.latest();
  }

  /** Stops one request; false when it is not running. */
  stop(id: number): boolean {
    const request = this.active.get(id);
    request?.stop();
    return request !== undefined;
  }

  /** Stops every running request (extension shutdown); returns how many there were. */
  stopAll(): number {
    const running = this.activeRequests();
    for (const request of running) request.stop();
    return running.length;
  }

  /** Decode speed of the fastest-moving active request so far, if it has produced two tokens. */
  liveTokensPerSecond(now = performance.now()): number | undefined {
    let best: number | undefined;
    for (const request of this.active.values()) {
      const rate = tokensPerSecond(request.stats, now);
      if (rate !== undefined && (best === undefined || rate > best)) best = rate;
    }
    return best;
  }

  dispose(): void {
    this.stopAll();
    this.listeners.clear();
  }

  private onEnded(request: TrackedRequest, url: string, messages: readonly ChatMessage[]): void {
    this.active.delete(request.id);
    // Before anyone reads the answer: the next estimate for this model already uses what it taught.
    this.calibrations?.learnFromExchange(request.origin, request.model, messages, request.answer);
    this.fire();
    this.log.request(streamLogEntry(request, url));
  }

  private fire(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
