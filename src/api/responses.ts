// What came back, before any event is decoded: a non-2xx answer read into a ChatError, the kind of a
// 2xx body (its content type, else its first bytes), and the 2xx bodies that are not an event stream
// (one JSON completion, decoded as a whole reply; anything else, kept as an excerpt for the error).
import type { ChatStreamDecoder } from './decoder';
import { excerptOf, httpError, looksLikeHtml } from './errors';
import { readTextBounded, type Exchange, type ReadResult, type Watchdog } from './http';
import { retryAfterMsOf } from './retry';
import { BASE_URL_HINT } from './text';
import { ChatError, type Endpoint, type StreamEvent } from './types';

/** Error bodies are read up to this size. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;
/** How much of an unexpected body is kept for the excerpt. */
const SNIFF_BYTES = 4 * 1024;

export function isSuccess(status: number): boolean {
  return status >= 200 && status <= 299;
}

/** A non-2xx answer as a ChatError naming the origin that gave it (after redirects, which never carry the key). */
export function httpErrorOf(exchange: Exchange, bodyText: string, endpoint: Endpoint, model?: string): ChatError {
  const { response, url, redirectedFrom } = exchange;
  return httpError({
    status: response.status,
    statusText: response.statusText,
    bodyText,
    origin: url.origin,
    model,
    apiKey: endpoint.apiKey,
    hadApiKey: Boolean(endpoint.apiKey) && redirectedFrom === undefined,
    retryAfterMs: retryAfterMsOf(response.headers),
    redirectedFrom,
  });
}

/** Reads a non-2xx answer's body (bounded) into its ChatError; the body text is kept for the caller's checks. */
export async function readHttpError(
  exchange: Exchange,
  endpoint: Endpoint,
  model: string,
  watchdog: Watchdog,
  idleTimeoutMs: number,
): Promise<{ error: ChatError; bodyText: string }> {
  const { text } = await readTextBounded(exchange.response, MAX_ERROR_BODY_BYTES, watchdog, idleTimeoutMs);
  return { error: httpErrorOf(exchange, text, endpoint, model), bodyText: text };
}

export type BodyKind = 'sse' | 'json' | 'other';

function bodyKindOf(contentType: string): BodyKind {
  const type = contentType.toLowerCase();
  if (type.includes('text/event-stream')) return 'sse';
  if (type.includes('json')) return 'json';
  return 'other';
}

/** What the first bytes of a body with a missing or wrong content type look like. */
function sniff(bytes: Uint8Array): BodyKind {
  let text = new TextDecoder().decode(bytes.subarray(0, 64));
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  text = text.trimStart();
  if (text.startsWith('{')) return 'json';
  if (/^(?:data|event|id|retry):|^:/.test(text)) return 'sse';
  return 'other';
}

/** One read of a 2xx body under the idle timeout. */
export class BodyReader {
  constructor(
    readonly reader: ReadableStreamDefaultReader<Uint8Array>,
    private readonly watchdog: Watchdog,
    private readonly idleTimeoutMs: number,
  ) {}

  async read(): Promise<ReadResult> {
    this.watchdog.beginWait(this.idleTimeoutMs, 'idle-timeout');
    try {
      return await this.reader.read();
    } finally {
      this.watchdog.endWait();
    }
  }
}

/**
 * The kind of a 2xx body: its content type says, or else its first bytes do (`first`, the read that
 * was needed to tell, then belongs to the body).
 */
export async function classifyBody(
  contentType: string,
  body: BodyReader,
): Promise<{ kind: BodyKind; first: ReadResult | undefined }> {
  const kind = bodyKindOf(contentType);
  if (kind !== 'other') return { kind, first: undefined };
  const first = await body.read();
  return { kind: first.done ? 'other' : sniff(first.value), first };
}

/** Where a body came from and how much of it may be read, for the non-stream paths. */
export interface BodyLimits {
  origin: string;
  apiKey: string | undefined;
  maxEventBytes: number;
}

/** A server that ignored `stream: true` and sent one JSON completion: decoded as one complete reply. */
export async function decodeJsonBody(
  body: BodyReader,
  first: ReadResult | undefined,
  decoder: ChatStreamDecoder,
  limits: BodyLimits,
): Promise<readonly StreamEvent[]> {
  const text = await readJsonText(body, first, limits);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ChatError({
      kind: 'malformed',
      origin: limits.origin,
      excerpt: excerptOf(text, limits.apiKey),
      message: `${limits.origin} sent a JSON reply that is not valid JSON.`,
    });
  }
  const record = value as { choices?: unknown; error?: unknown; object?: unknown } | null;
  if (
    record === null ||
    typeof record !== 'object' ||
    (!Array.isArray(record.choices) && record.error === undefined && record.object !== 'error')
  ) {
    throw new ChatError({
      kind: 'not-event-stream',
      origin: limits.origin,
      excerpt: excerptOf(text, limits.apiKey),
      message: `${limits.origin} answered with JSON that is not a chat completion — ${BASE_URL_HINT}`,
    });
  }
  decoder.pushCompletion(value, text);
  return decoder.events;
}

/** The whole JSON body as text, failing with `too-large` past `maxEventBytes`. */
async function readJsonText(body: BodyReader, first: ReadResult | undefined, limits: BodyLimits): Promise<string> {
  const { origin, maxEventBytes } = limits;
  const decoder = new TextDecoder();
  let text = '';
  let total = 0;
  let read = first ?? (await body.read());
  while (!read.done) {
    total += read.value.byteLength;
    if (total > maxEventBytes) {
      const limit = `${Math.round(maxEventBytes / 1024)} KiB`;
      throw new ChatError({
        kind: 'too-large',
        origin,
        message: `${origin} sent a reply larger than ${limit}; stopped reading it.`,
      });
    }
    text += decoder.decode(read.value, { stream: true });
    read = await body.read();
  }
  return text + decoder.decode();
}

/** A 2xx body that is neither an event stream nor JSON: the error says what it is, with an excerpt. */
export async function notEventStream(
  body: BodyReader,
  first: ReadResult | undefined,
  contentType: string,
  limits: BodyLimits,
): Promise<ChatError> {
  // Read a little more for the excerpt (a page often arrives in several reads), never the whole body.
  const text = new TextDecoder();
  let sample = '';
  let read = first;
  try {
    while (read !== undefined && !read.done && sample.length < SNIFF_BYTES) {
      sample += text.decode(read.value, { stream: true });
      read = sample.length < SNIFF_BYTES ? await body.read() : undefined;
    }
  } catch {
    // the excerpt is best effort
  }
  const what =
    looksLikeHtml(sample) || contentType.includes('html')
      ? 'an HTML page'
      : contentType
        ? `"${contentType.split(';')[0]}"`
        : 'a body without a content type';
  return new ChatError({
    kind: 'not-event-stream',
    origin: limits.origin,
    status: 200,
    excerpt: sample ? excerptOf(sample, limits.apiKey) : undefined,
    message: `${limits.origin} answered with ${what}, not an event stream — ${BASE_URL_HINT}`,
  });
}
