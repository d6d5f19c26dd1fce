// When to wait before retrying, and a wait the caller can cancel.

/**
 * Reads `retry-after-ms` (milliseconds) or `Retry-After` (seconds or an HTTP date). Undefined when
 * absent or unreadable.
 */
export function retryAfterMsOf(headers: Headers, now: number = Date.now()): number | undefined {
  const ms = headers.get('retry-after-ms');
  if (ms !== null) {
    const value = Number(ms.trim());
    if (ms.trim() !== '' && Number.isFinite(value) && value >= 0) return value;
  }
  const after = headers.get('retry-after');
  if (after === null || after.trim() === '') return undefined;
  const trimmed = after.trim();
  const seconds = Number(trimmed);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

const BASE_DELAY_MS = 500;

/**
 * The wait before retry number `retry` (1-based): what the server asked for when it said so,
 * otherwise exponential backoff with jitter (half fixed, half random, so clients spread out);
 * never more than `capMs` (a server asking for more is not retried at all: see the client).
 */
export function retryDelayMs(
  retry: number,
  capMs: number,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, capMs);
  const exponential = Math.min(capMs, BASE_DELAY_MS * 2 ** (retry - 1));
  return Math.round(exponential / 2 + (random() * exponential) / 2);
}

/** Resolves with true after `ms`, or with false as soon as the signal aborts. */
export function cancellableDelay(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
