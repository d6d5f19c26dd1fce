// Every request to the model goes through here: one AbortController per request (reachable from the
// stop command and the status bar), live tokens/s, and one log line per request when it ends.
import * as vscode from 'vscode';
import { ChatError, type ChatClient, type ChatRequest, type Endpoint, type ModelInfo, type ReasoningSource, type StreamEvent, type StreamOptions, type Usage } from './api';
import type { StreamChatLog } from './log';

/** What was measured about one streamed request. Times are `performance.now()` values in ms. */
export interface RequestStats {
  startedAt: number;
  endedAt?: number;
  status?: number;
  firstTokenAt?: number;
  lastTokenAt?: number;
  /** Content and reasoning deltas received. */
  deltas: number;
  usage?: Usage;
  usageChunk: boolean;
  reasoningSource?: ReasoningSource;
  finishReason?: string;
  error?: ChatError;
}

export interface ActiveRequest {
  readonly id: number;
  readonly label: string;
  readonly origin: string;
  readonly stats: RequestStats;
}

export interface TrackedStream {
  readonly events: AsyncGenerator<StreamEvent, void, undefined>;
  readonly stats: RequestStats;
  abort(): void;
}

export interface TrackedStreamOptions extends StreamOptions {
  /** Names the surface in logs (e.g. `chat`, `insert`, `test connection`). */
  label: string;
}

export class RequestRunner implements vscode.Disposable {
  private readonly active = new Map<number, { request: ActiveRequest; controller: AbortController }>();
  private nextId = 1;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when a request starts or ends (not per token: poll `liveTokensPerSecond()` while busy). */
  readonly onDidChangeActivity = this.changed.event;

  constructor(
    private readonly client: ChatClient,
    private readonly log: StreamChatLog,
  ) {}

  /** Starts a streamed chat completion. Iterate `events`; `abort()` or the caller's signal stops it. */
  stream(endpoint: Endpoint, request: ChatRequest, options: TrackedStreamOptions): TrackedStream {
    const controller = new AbortController();
    const { label, signal: callerSignal, ...streamOptions } = options;
    const onCallerAbort = () => controller.abort(callerSignal?.reason);
    if (callerSignal?.aborted) controller.abort(callerSignal.reason);
    else callerSignal?.addEventListener('abort', onCallerAbort, { once: true });

    const stats: RequestStats = { startedAt: performance.now(), deltas: 0, usageChunk: false };
    const origin = new URL(endpoint.baseUrl).origin;
    const id = this.nextId++;
    const url = `${endpoint.baseUrl}/chat/completions`;

    const run = async function* (this: RequestRunner): AsyncGenerator<StreamEvent, void, undefined> {
      this.active.set(id, { request: { id, label, origin, stats }, controller });
      this.changed.fire();
      try {
        const retryLog = streamOptions.onRetry;
        for await (const event of this.client.streamChat(endpoint, request, {
          ...streamOptions,
          signal: controller.signal,
          onRetry: (info) => {
            this.log.warn(`${label}: retry ${info.attempt} in ${Math.round(info.delayMs)} ms after ${info.error.kind}: ${info.error.message}`);
            retryLog?.(info);
          },
        })) {
          record(stats, event);
          yield event;
        }
      } catch (error) {
        stats.error = asChatError(error);
        throw stats.error;
      } finally {
        stats.endedAt = performance.now();
        callerSignal?.removeEventListener('abort', onCallerAbort);
        this.active.delete(id);
        this.changed.fire();
        this.logStream(label, url, stats, request.model);
      }
    }.call(this);

    return { events: run, stats, abort: () => controller.abort() };
  }

  /** `GET /models`, logged. */
  async listModels(endpoint: Endpoint, options: { signal?: AbortSignal; timeoutMs?: number; label: string }): Promise<ModelInfo[]> {
    const started = performance.now();
    const url = `${endpoint.baseUrl}/models`;
    try {
      const models = await this.client.listModels(endpoint, { signal: options.signal, timeoutMs: options.timeoutMs });
      this.log.request({ method: 'GET', url, status: 200, durationMs: performance.now() - started, detail: `${options.label} · ${models.length} models` });
      return models;
    } catch (error) {
      const chatError = asChatError(error);
      this.log.request({ method: 'GET', url, status: chatError.status, outcome: chatError.kind, durationMs: performance.now() - started, detail: `${options.label} · ${chatError.message}` });
      throw chatError;
    }
  }

  activeRequests(): ActiveRequest[] {
    return [...this.active.values()].map((entry) => entry.request);
  }

  /** Aborts every running request; returns how many there were. */
  stopAll(): number {
    const count = this.active.size;
    for (const { controller } of this.active.values()) controller.abort();
    return count;
  }

  /** Decode speed of the fastest-moving active request so far, if it has produced two tokens. */
  liveTokensPerSecond(now = performance.now()): number | undefined {
    let best: number | undefined;
    for (const { request } of this.active.values()) {
      const rate = tokensPerSecond(request.stats, now);
      if (rate !== undefined && (best === undefined || rate > best)) best = rate;
    }
    return best;
  }

  dispose(): void {
    this.stopAll();
    this.changed.dispose();
  }

  private logStream(label: string, url: string, stats: RequestStats, model: string): void {
    const error = stats.error;
    const tokens = stats.usage?.completionTokens ?? (stats.deltas > 0 ? stats.deltas : undefined);
    const outcome = error ? error.kind : stats.finishReason ? `finish ${stats.finishReason}` : 'ok';
    this.log.request({
      method: 'POST',
      url,
      status: stats.status ?? error?.status,
      outcome,
      timeToFirstTokenMs: stats.firstTokenAt !== undefined ? stats.firstTokenAt - stats.startedAt : undefined,
      durationMs: (stats.endedAt ?? performance.now()) - stats.startedAt,
      tokens,
      tokensPerSecond: tokensPerSecond(stats),
      detail: `${label} · model ${model}${error ? ` · ${error.message}` : ''}`,
    });
  }
}

/** The client only throws ChatError; anything else (a bug) is still reported in the same shape. */
function asChatError(error: unknown): ChatError {
  return error instanceof ChatError ? error : new ChatError({ kind: 'network', message: String(error), cause: error });
}

function record(stats: RequestStats, event: StreamEvent): void {
  switch (event.type) {
    case 'open':
      stats.status = event.status;
      break;
    case 'content':
    case 'reasoning': {
      if (event.text === '') break;
      const now = performance.now();
      stats.firstTokenAt ??= now;
      stats.lastTokenAt = now;
      stats.deltas++;
      if (event.type === 'reasoning') stats.reasoningSource ??= event.source;
      break;
    }
    case 'content-was-reasoning':
      stats.reasoningSource ??= 'think-tag';
      break;
    case 'usage':
      stats.usageChunk = true;
      stats.usage = event.usage;
      break;
    case 'finish':
      stats.finishReason = event.reason;
      break;
    default:
      break;
  }
}

/**
 * Decode speed: tokens after the first one, over the time since the first one. Uses the server's
 * completion token count once usage arrived (deltas can carry several tokens).
 */
export function tokensPerSecond(stats: RequestStats, now?: number): number | undefined {
  if (stats.firstTokenAt === undefined) return undefined;
  const end = now ?? stats.lastTokenAt ?? stats.firstTokenAt;
  const seconds = (end - stats.firstTokenAt) / 1000;
  const tokens = stats.usage?.completionTokens ?? stats.deltas;
  if (seconds < 0.001 || tokens < 2) return undefined;
  return (tokens - 1) / seconds;
}
