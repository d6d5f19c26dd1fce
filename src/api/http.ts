// The HTTP side of one request: one AbortController that really aborts the fetch and the body read,
// a single lazily re-armed timer for the connect and idle timeouts, and redirects that never carry
// the key to another origin.
import { connectError } from './networkErrors';
import { ChatError } from './types';

/** One `reader.read()` result. */
export type ReadResult = Awaited<ReturnType<ReadableStreamDefaultReader<Uint8Array>['read']>>;

export type StopReason = 'caller' | 'connect-timeout' | 'idle-timeout' | 'finished';

/** The abort reason handed to fetch, so a rejection can be told apart from any other error. */
export class Stop {
  constructor(readonly reason: StopReason) {}
}

/** Lifetime of one `streamChat` / `listModels` call; dispose when the call ends. */
export class RequestLifetime {
  private readonly controller = new AbortController();
  private stopReason: StopReason | undefined;
  private readonly onCallerAbort = (): void => this.stop('caller');

  constructor(private readonly callerSignal: AbortSignal | undefined) {
    if (callerSignal?.aborted) this.stop('caller');
    else callerSignal?.addEventListener('abort', this.onCallerAbort, { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Why the request was stopped, if it was. */
  get reason(): StopReason | undefined {
    return this.stopReason;
  }

  stop(reason: StopReason): void {
    if (this.stopReason !== undefined) return;
    this.stopReason = reason;
    this.controller.abort(new Stop(reason));
  }

  /** `keepOpen`: a body is being drained for connection reuse (see drainThenRelease), it closes itself. */
  dispose(keepOpen = false): void {
    this.callerSignal?.removeEventListener('abort', this.onCallerAbort);
    // Whatever is still open (a body the consumer stopped reading) is closed, so the server sees it.
    if (!keepOpen) this.stop('finished');
  }
}

/**
 * Fails a wait (for headers, or for the next read) that lasts longer than its limit. No timer per
 * read: each wait records its start time, and one timeout checks it, re-arming itself for the rest.
 */
export class Watchdog {
  private waitingSince = 0;
  private limitMs = 0;
  private reason: StopReason = 'idle-timeout';
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** When the armed timer fires. */
  private dueAt = 0;

  constructor(private readonly onExpired: (reason: StopReason) => void) {}

  beginWait(limitMs: number, reason: StopReason): void {
    const now = Date.now();
    this.waitingSince = now;
    this.limitMs = limitMs;
    this.reason = reason;
    if (!Number.isFinite(limitMs) || limitMs <= 0) return;
    if (this.timer === undefined) this.arm(limitMs);
    else if (now + limitMs < this.dueAt) {
      // A shorter limit than the pending timer's (idle after a longer connect timeout): fire on time.
      clearTimeout(this.timer);
      this.arm(limitMs);
    }
  }

  endWait(): void {
    this.waitingSince = 0;
  }

  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.waitingSince = 0;
  }

  private arm(ms: number): void {
    this.dueAt = Date.now() + ms;
    this.timer = setTimeout(this.check, ms);
  }

  private readonly check = (): void => {
    this.timer = undefined;
    // Not waiting, or waiting without a limit (0 / Infinity): the next limited beginWait re-arms.
    if (this.waitingSince === 0 || !Number.isFinite(this.limitMs) || this.limitMs <= 0) return;
    const waited = Date.now() - this.waitingSince;
    if (waited >= this.limitMs) this.onExpired(this.reason);
    else this.arm(this.limitMs - waited);
  };
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;

/** The subset of `fetch` the client uses. */
export type FetchFunction = (input: URL, init: RequestInit) => Promise<Response>;

export interface SendInit {
  method: 'GET' | 'POST';
  body?: string;
  /** Sent everywhere (content-type, accept). */
  baseHeaders: Record<string, string>;
  /** The key and the user's custom headers: only ever sent to the origin of the first URL. */
  privateHeaders: Record<string, string>;
  connectTimeoutMs: number;
  apiKey?: string;
  fetch: FetchFunction;
}

export interface Exchange {
  response: Response;
  /** The URL that finally answered. */
  url: URL;
  /** The original origin, when a redirect moved the request to another origin (without the key). */
  redirectedFrom?: string;
}

/** Sends the request, following up to 5 redirects; resolves when the response headers are in. */
export async function send(url: URL, init: SendInit, lifetime: RequestLifetime, watchdog: Watchdog): Promise<Exchange> {
  const origin = url.origin;
  const sharedHeaders = { ...init.privateHeaders, ...init.baseHeaders };
  let current = url;
  for (let hop = 0; ; hop++) {
    const sameOrigin = current.origin === origin;
    watchdog.beginWait(init.connectTimeoutMs, 'connect-timeout');
    let response: Response;
    try {
      response = await init.fetch(current, {
        method: init.method,
        headers: sameOrigin ? sharedHeaders : init.baseHeaders,
        body: init.body,
        redirect: 'manual',
        signal: lifetime.signal,
      });
    } catch (error) {
      throw stoppedError(lifetime, current, false, init.connectTimeoutMs) ?? connectError(error, current, init.apiKey);
    } finally {
      watchdog.endWait();
    }
    const location = REDIRECT_STATUSES.has(response.status) ? response.headers.get('location') : null;
    if (location === null) {
      return { response, url: current, redirectedFrom: sameOrigin ? undefined : origin };
    }
    discard(response);
    if (hop >= MAX_REDIRECTS) {
      throw new ChatError({
        kind: 'network',
        origin,
        status: response.status,
        message: `Too many redirects from ${origin} (last to ${location}).`,
      });
    }
    try {
      current = new URL(location, current);
    } catch {
      throw new ChatError({
        kind: 'network',
        origin,
        status: response.status,
        message: `${current.host} redirected to an invalid location.`,
      });
    }
  }
}

/** Lets go of a response body we will not read. */
export function discard(response: Response): void {
  response.body?.cancel().catch(() => undefined);
}

/** The ChatError a request stopped by its caller ends with. */
export function cancelledError(origin: string, afterOutput: boolean): ChatError {
  return new ChatError({ kind: 'aborted', origin, afterOutput, message: 'Request cancelled.' });
}

/**
 * The ChatError for a request the lifetime stopped (caller abort, timeouts), or undefined when it
 * was not stopped (the error is then the network's own).
 */
export function stoppedError(
  lifetime: RequestLifetime,
  url: URL,
  afterOutput: boolean,
  timeoutMs: number,
): ChatError | undefined {
  const reason = lifetime.reason;
  if (reason === undefined || reason === 'finished') return undefined;
  const origin = url.origin;
  if (reason === 'caller') return cancelledError(origin, afterOutput);
  const seconds = timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`;
  const message =
    reason === 'connect-timeout'
      ? `No response from ${url.host} within ${seconds}.`
      : `${url.host} sent nothing for ${seconds}; stopped waiting (idle timeout).`;
  return new ChatError({ kind: 'timeout', origin, afterOutput, message });
}

/**
 * A failure before the server's answer was in (connecting, or reading an error body) as a ChatError:
 * the lifetime's reason when it stopped the request, else the network's own error.
 */
export function failedBeforeAnswer(error: unknown, lifetime: RequestLifetime, url: URL, timeoutMs: number): ChatError {
  if (error instanceof ChatError) return error;
  return (
    stoppedError(lifetime, url, false, timeoutMs) ??
    new ChatError({
      kind: 'network',
      origin: url.origin,
      message: `The connection to ${url.host} failed before the server answered.`,
      cause: error,
    })
  );
}

/** Reads a (non-streamed) body as text, at most `maxBytes` of it, under the idle timeout. */
export async function readTextBounded(
  response: Response,
  maxBytes: number,
  watchdog: Watchdog,
  idleTimeoutMs: number,
): Promise<{ text: string; truncated: boolean }> {
  const body = response.body;
  if (body === null) return { text: '', truncated: false };
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let total = 0;
  try {
    for (;;) {
      watchdog.beginWait(idleTimeoutMs, 'idle-timeout');
      let read: ReadResult;
      try {
        read = await reader.read();
      } finally {
        watchdog.endWait();
      }
      if (read.done) return { text: text + decoder.decode(), truncated: false };
      total += read.value.byteLength;
      if (total > maxBytes) {
        const keep = read.value.byteLength - (total - maxBytes);
        text += decoder.decode(read.value.subarray(0, keep));
        reader.cancel().catch(() => undefined);
        return { text, truncated: true };
      }
      text += decoder.decode(read.value, { stream: true });
    }
  } finally {
    reader.releaseLock();
  }
}

/** How long the bytes after `[DONE]` may take to end before the connection is closed instead of reused. */
const DRAIN_AFTER_DONE_MS = 500;

/**
 * After `[DONE]` the body normally ends a moment later: reading it to the end (in the background,
 * discarding anything) lets the connection be reused, which saves a TLS handshake on the next
 * request. A server that keeps the stream open gets disconnected after a short grace period.
 */
export function drainThenRelease(reader: ReadableStreamDefaultReader<Uint8Array>, lifetime: RequestLifetime): void {
  const timer = setTimeout(() => lifetime.stop('finished'), DRAIN_AFTER_DONE_MS);
  void (async () => {
    try {
      while (!(await reader.read()).done) {
        // discard: nothing after [DONE] counts
      }
    } catch {
      // stopped or reset: nothing to keep
    } finally {
      clearTimeout(timer);
      reader.releaseLock();
    }
  })();
}
