// What is measured about a request and how it is logged: the stats folded from its events as they
// pass, its decode speed, and the one log line of a finished stream. Pure: no 'vscode' import.
import type { Answer, ChatError, ReasoningSource, StreamEvent, Usage } from '../api';

/** One finished HTTP exchange, logged as one line. */
export interface RequestLogEntry {
  method: 'GET' | 'POST';
  url: string;
  /** HTTP status, when a response arrived. */
  status?: number;
  /** Short outcome when there was no status (e.g. `network`, `aborted`) or after a mid-stream fault. */
  outcome?: string;
  timeToFirstTokenMs?: number;
  durationMs: number;
  /** Completion tokens (usage) or, without usage, the number of text deltas. */
  tokens?: number;
  tokensPerSecond?: number;
  /** Free text appended at the end (e.g. `3 models`, an error message). */
  detail?: string;
}

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

/** Folds one event into the stats (timestamps from `performance.now()`). */
export function recordStats(stats: RequestStats, event: StreamEvent): void {
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
 * The shortest stretch a decode speed is told over: an answer that arrives in one burst (a buffering
 * proxy, a cached reply) would otherwise read as tens of thousands of tokens per second.
 */
const MIN_RATE_WINDOW_MS = 50;

/**
 * Decode speed: tokens after the first one, over the time since the first one. Uses the server's
 * completion token count once usage arrived (deltas can carry several tokens).
 */
export function tokensPerSecond(stats: RequestStats, now?: number): number | undefined {
  if (stats.firstTokenAt === undefined) return undefined;
  const end = now ?? stats.lastTokenAt ?? stats.firstTokenAt;
  const elapsedMs = end - stats.firstTokenAt;
  const tokens = stats.usage?.completionTokens ?? stats.deltas;
  if (elapsedMs < MIN_RATE_WINDOW_MS || tokens < 2) return undefined;
  const seconds = elapsedMs / 1000;
  return (tokens - 1) / seconds;
}

/** What `streamLogEntry` reads of a finished request (a TrackedRequest). */
export interface EndedRequest {
  readonly id: number;
  readonly owner: string;
  readonly model: string;
  readonly stats: RequestStats;
  readonly answer: Answer;
}

/** The log line of a finished streamed request (`POST {url}`). */
export function streamLogEntry(request: EndedRequest, url: string): RequestLogEntry {
  const { stats, answer } = request;
  const error = stats.error;
  const tokens = stats.usage?.completionTokens ?? (stats.deltas > 0 ? stats.deltas : undefined);
  const outcome = error
    ? error.kind
    : answer.stopped
      ? 'stopped'
      : stats.finishReason
        ? `finish ${stats.finishReason}`
        : 'ok';
  const responded =
    answer.respondedModel !== undefined && answer.respondedModel !== request.model
      ? ` (answered by ${answer.respondedModel})`
      : '';
  const failure = error ? ` · ${error.message}` : '';
  return {
    method: 'POST',
    url,
    status: stats.status ?? error?.status,
    outcome,
    timeToFirstTokenMs: stats.firstTokenAt !== undefined ? stats.firstTokenAt - stats.startedAt : undefined,
    durationMs: (stats.endedAt ?? performance.now()) - stats.startedAt,
    tokens,
    tokensPerSecond: tokensPerSecond(stats),
    detail: `${request.owner} #${request.id} · model ${request.model}${responded}${failure}`,
  };
}
