// The OpenAI-compatible streaming client: request, retries before the first token, and the
// response body decoded into typed events.
import { ChatStreamDecoder, DEFAULT_MAX_EVENT_BYTES } from './decoder';
import { EventIterator } from './events';
import {
  excerptOf,
  httpError,
  isTransientNetworkError,
  looksLikeHtml,
  mentionsStreamOptions,
  retryLaterError,
  withAvailableModels,
} from './errors';
import {
  cancelledError,
  drainThenRelease,
  readTextBounded,
  RequestLifetime,
  send,
  stoppedError,
  Watchdog,
  type Exchange,
  type FetchFunction,
  type ReadResult,
  type SendInit,
} from './http';
import { modelsFromBody } from './models';
import { cancellableDelay, retryAfterMsOf, retryDelayMs } from './retry';
import { BASE_URL_HINT, joinBaseUrl, normalizeBaseUrl, redactSecrets } from './text';
import {
  ChatError,
  type ChatRequest,
  type Endpoint,
  type ModelInfo,
  type StreamEvent,
  type StreamOptions,
} from './types';

const DEFAULT_IDLE_TIMEOUT_MS = 120_000;
const DEFAULT_MAX_RETRIES = 2;
const DEFAULT_MAX_RETRY_DELAY_MS = 30_000;
const DEFAULT_LIST_MODELS_TIMEOUT_MS = 10_000;
/** How long a model-not-found error may spend asking `/models` what exists. */
const AVAILABLE_MODELS_TIMEOUT_MS = 3_000;
/** Error bodies are read up to this size. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;
/** How much of an unexpected body is kept for the excerpt. */
const SNIFF_BYTES = 4 * 1024;

export interface ChatClientOptions {
  /** The HTTP client; default the global `fetch`. Tests hand in bodies cut at chosen byte offsets. */
  fetch?: FetchFunction;
}

interface ResolvedOptions {
  idleTimeoutMs: number;
  connectTimeoutMs: number;
  maxRetries: number;
  maxRetryDelayMs: number;
  splitThinkTags: boolean;
  maxEventBytes: number;
}

function resolveOptions(options: StreamOptions): ResolvedOptions {
  const idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  return {
    idleTimeoutMs,
    connectTimeoutMs: options.connectTimeoutMs ?? idleTimeoutMs,
    maxRetries: Math.max(0, options.maxRetries ?? DEFAULT_MAX_RETRIES),
    maxRetryDelayMs: Math.max(0, options.maxRetryDelayMs ?? DEFAULT_MAX_RETRY_DELAY_MS),
    splitThinkTags: options.splitThinkTags ?? true,
    maxEventBytes: options.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES,
  };
}

/**
 * `{baseUrl}{path}` as a URL, or a ChatError saying why the base URL cannot be used (never a
 * TypeError: every surface shows what it gets from here).
 */
export function endpointUrl(endpoint: Endpoint, path: string): URL {
  const joined = joinBaseUrl(endpoint.baseUrl, path);
  let url: URL;
  try {
    url = new URL(joined);
  } catch {
    const shown = redactSecrets(normalizeBaseUrl(endpoint.baseUrl), [endpoint.apiKey]);
    throw new ChatError({
      kind: 'network',
      message: `Invalid base URL "${shown}": expected something like https://api.example.com/v1.`,
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    const shown = redactSecrets(normalizeBaseUrl(endpoint.baseUrl), [endpoint.apiKey]);
    throw new ChatError({
      kind: 'network',
      origin: url.origin,
      message: `Invalid base URL "${shown}": only http:// and https:// are supported.`,
    });
  }
  return url;
}

/** Header names lower-cased so the user's headers and ours never both appear. */
function privateHeadersOf(endpoint: Endpoint): Record<string, string> {
  const headers: Record<string, string> = {};
  if (endpoint.headers)
    for (const [name, value] of Object.entries(endpoint.headers)) headers[name.toLowerCase()] = value;
  if (endpoint.apiKey) headers.authorization = `Bearer ${endpoint.apiKey}`;
  return headers;
}

function requestBody(request: ChatRequest, includeUsage: boolean): string {
  const body: Record<string, unknown> = { model: request.model, messages: request.messages, stream: true };
  if (includeUsage) body.stream_options = { include_usage: true };
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.maxTokens !== undefined) body.max_tokens = request.maxTokens;
  return JSON.stringify(body);
}

function isRetryable(error: ChatError): boolean {
  switch (error.kind) {
    case 'rate-limit':
    case 'interrupted':
      return true;
    case 'server':
      return error.status !== 501 && error.status !== 505;
    case 'network':
      return isTransientNetworkError(error);
    default:
      return false;
  }
}

type BodyKind = 'sse' | 'json' | 'other';

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

/** A non-2xx answer as a ChatError naming the origin that gave it (after redirects, which never carry the key). */
function httpErrorOf(exchange: Exchange, bodyText: string, endpoint: Endpoint, model?: string): ChatError {
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

/**
 * One per extension activation. Holds what it learned about endpoints (e.g. that a base URL
 * rejects `stream_options`) for the session.
 */
export class ChatClient {
  /** Base URLs that answered 400 to `stream_options`: never sent it again this session. */
  private readonly rejectsStreamOptions = new Set<string>();
  private readonly fetch: FetchFunction;

  constructor(options: ChatClientOptions = {}) {
    this.fetch = options.fetch ?? ((input, init) => fetch(input, init));
  }

  /**
   * Streams one chat completion. Yields events in arrival order and ends after `done`, or throws a
   * ChatError (its `afterOutput` says whether text had already been yielded). Retries happen only
   * before any content/reasoning/tool-call was yielded.
   */
  streamChat(
    endpoint: Endpoint,
    request: ChatRequest,
    options: StreamOptions = {},
  ): AsyncGenerator<StreamEvent, void, undefined> {
    const running: { lifetime?: RequestLifetime } = {};
    // A consumer that leaves early (break, return(), a throw in its loop body) closes the request at
    // once, even while a read is pending; a stream never started has nothing to close.
    const leave = () => running.lifetime?.stop('caller');
    return new EventIterator(this.streamBatches(endpoint, request, options, running), options.signal, leave);
  }

  /** The request and its retries; yields the events of each network read as one batch. */
  private async *streamBatches(
    endpoint: Endpoint,
    request: ChatRequest,
    options: StreamOptions,
    running: { lifetime?: RequestLifetime },
  ): AsyncGenerator<readonly StreamEvent[], void, undefined> {
    const settings = resolveOptions(options);
    const url = endpointUrl(endpoint, '/chat/completions');
    const origin = url.origin;
    const baseKey = normalizeBaseUrl(endpoint.baseUrl);
    const lifetime = new RequestLifetime(options.signal);
    running.lifetime = lifetime;
    const watchdog = new Watchdog((reason) => lifetime.stop(reason));
    const init: SendInit = {
      method: 'POST',
      baseHeaders: { 'content-type': 'application/json', accept: 'text/event-stream' },
      privateHeaders: privateHeadersOf(endpoint),
      connectTimeoutMs: settings.connectTimeoutMs,
      apiKey: endpoint.apiKey,
      fetch: this.fetch,
    };
    let retries = 0;
    /** Set when the stream is done but its connection is still being drained for reuse. */
    let draining = false;
    /** Waits before the next attempt when `error` deserves one; otherwise rethrows it. */
    const retryOrThrow = async (error: ChatError, attempt: number): Promise<void> => {
      if (!isRetryable(error) || retries >= settings.maxRetries) throw error;
      if (error.retryAfterMs !== undefined && error.retryAfterMs > settings.maxRetryDelayMs)
        throw retryLaterError(error, error.retryAfterMs);
      retries++;
      const delayMs = retryDelayMs(retries, settings.maxRetryDelayMs, error.retryAfterMs);
      try {
        options.onRetry?.({ attempt: attempt + 1, delayMs, error });
      } catch {
        // A failing progress callback must not change the outcome, nor escape as a non-ChatError.
      }
      if (!(await cancellableDelay(delayMs, lifetime.signal))) throw stoppedError(lifetime, url, false, 0) ?? error;
    };

    try {
      for (let attempt = 1; ; attempt++) {
        const includeUsage = request.includeUsage !== false && !this.rejectsStreamOptions.has(baseKey);
        init.body = requestBody(request, includeUsage);
        let exchange: Exchange;
        try {
          exchange = await send(url, init, lifetime, watchdog);
        } catch (error) {
          await retryOrThrow(this.asChatError(error, lifetime, url, settings.connectTimeoutMs), attempt);
          continue;
        }
        const { response } = exchange;

        if (response.status < 200 || response.status > 299) {
          let error: ChatError;
          let bodyText: string;
          try {
            ({ error, bodyText } = await this.errorOf(exchange, endpoint, request.model, watchdog, settings));
          } catch (readError) {
            await retryOrThrow(this.asChatError(readError, lifetime, url, settings.idleTimeoutMs), attempt);
            continue;
          }
          if ((error.status === 400 || error.status === 422) && includeUsage && mentionsStreamOptions(bodyText)) {
            // Servers that predate `stream_options` (FastAPI-based ones answer 422): ask again without it, and remember.
            this.rejectsStreamOptions.add(baseKey);
            continue;
          }
          if (error.kind === 'model-not-found') {
            const models = await this.availableModels(endpoint, lifetime);
            if (lifetime.reason === 'caller') throw cancelledError(origin, false);
            if (models) error = withAvailableModels(error, models);
          }
          await retryOrThrow(error, attempt);
          continue;
        }

        // 2xx: find out what kind of body this is before promising an event stream.
        const body = response.body;
        const decoder = new ChatStreamDecoder({
          splitThinkTags: settings.splitThinkTags,
          maxEventBytes: settings.maxEventBytes,
          origin,
          apiKey: endpoint.apiKey,
        });
        const events = decoder.events;
        if (body === null) {
          await retryOrThrow(
            new ChatError({ kind: 'interrupted', origin, message: `${origin} answered without a body.` }),
            attempt,
          );
          continue;
        }
        const reader: ReadableStreamDefaultReader<Uint8Array> = body.getReader();
        let completed = false;
        try {
          const contentType = response.headers.get('content-type') ?? '';
          let kind = bodyKindOf(contentType);
          let first: ReadResult | undefined;
          if (kind === 'other') {
            first = await this.read(reader, watchdog, settings.idleTimeoutMs);
            kind = first.done ? 'other' : sniff(first.value);
          }
          if (kind === 'json') {
            yield [{ type: 'open', status: response.status, attempt }];
            yield await this.decodeJsonBody(reader, first, decoder, watchdog, settings, origin, endpoint.apiKey);
            // Stopped while the consumer held the reply: end as aborted, as a stream does.
            if (lifetime.reason === 'caller') throw cancelledError(origin, decoder.hasOutput);
            if (decoder.failure) throw decoder.failure;
            completed = true;
            return;
          }
          if (kind === 'other') {
            throw await this.notEventStream(reader, first, contentType, watchdog, settings, origin, endpoint.apiKey);
          }

          yield [{ type: 'open', status: response.status, attempt }];
          if (first !== undefined && !first.done) decoder.push(first.value);
          for (;;) {
            if (events.length !== 0) {
              yield events;
              events.length = 0;
              // Stopped while the consumer held this batch: end now, even if the rest already arrived.
              if (lifetime.reason === 'caller') throw cancelledError(origin, decoder.hasOutput);
            }
            if (decoder.failure) throw decoder.failure;
            if (decoder.finished) {
              completed = true;
              draining = true;
              drainThenRelease(reader, lifetime);
              return;
            }
            watchdog.beginWait(settings.idleTimeoutMs, 'idle-timeout');
            const read = await reader.read();
            watchdog.endWait();
            if (read.done) decoder.end();
            else decoder.push(read.value);
          }
        } catch (error) {
          if (error instanceof ChatError) throw error;
          watchdog.endWait();
          // Yield what the splitter held back: it arrived, so it is kept.
          decoder.flushThink();
          if (events.length !== 0) {
            yield events;
            events.length = 0;
          }
          const failure =
            stoppedError(lifetime, url, decoder.hasOutput, settings.idleTimeoutMs) ??
            new ChatError({
              kind: 'interrupted',
              origin,
              afterOutput: decoder.hasOutput,
              message: `The connection to ${url.host} was lost ${decoder.hasOutput ? 'mid-answer' : 'before the answer began'}.`,
              cause: error,
            });
          if (decoder.hasOutput) throw failure;
          await retryOrThrow(failure, attempt);
          continue;
        } finally {
          if (!completed) reader.cancel().catch(() => undefined);
          if (!draining) reader.releaseLock();
        }
      }
    } finally {
      watchdog.dispose();
      lifetime.dispose(draining);
    }
  }

  /** Lists the models the endpoint offers (`GET {baseUrl}/models`). */
  async listModels(
    endpoint: Endpoint,
    options: { signal?: AbortSignal; timeoutMs?: number } = {},
  ): Promise<ModelInfo[]> {
    const url = endpointUrl(endpoint, '/models');
    const timeoutMs = options.timeoutMs ?? DEFAULT_LIST_MODELS_TIMEOUT_MS;
    const lifetime = new RequestLifetime(options.signal);
    const watchdog = new Watchdog((reason) => lifetime.stop(reason));
    try {
      const init: SendInit = {
        method: 'GET',
        baseHeaders: { accept: 'application/json' },
        privateHeaders: privateHeadersOf(endpoint),
        connectTimeoutMs: timeoutMs,
        apiKey: endpoint.apiKey,
        fetch: this.fetch,
      };
      let exchange: Exchange;
      let text: string;
      let truncated: boolean;
      try {
        exchange = await send(url, init, lifetime, watchdog);
        ({ text, truncated } = await readTextBounded(exchange.response, DEFAULT_MAX_EVENT_BYTES, watchdog, timeoutMs));
      } catch (error) {
        throw this.asChatError(error, lifetime, url, timeoutMs);
      }
      const { response } = exchange;
      if (response.status < 200 || response.status > 299) throw httpErrorOf(exchange, text, endpoint);
      const models = truncated ? undefined : modelsFromBody(text);
      if (models === undefined) {
        throw new ChatError({
          kind: 'not-event-stream',
          origin: url.origin,
          status: response.status,
          excerpt: excerptOf(text, endpoint.apiKey),
          message: `${url.origin} did not answer /models with a model list — ${BASE_URL_HINT}`,
        });
      }
      return models;
    } finally {
      watchdog.dispose();
      lifetime.dispose();
    }
  }

  private async read(
    reader: ReadableStreamDefaultReader<Uint8Array>,
    watchdog: Watchdog,
    idleTimeoutMs: number,
  ): Promise<ReadResult> {
    watchdog.beginWait(idleTimeoutMs, 'idle-timeout');
    try {
      return await reader.read();
    } finally {
      watchdog.endWait();
    }
  }

  /** A server that ignored `stream: true` and sent one JSON completion: decoded as one complete reply. */
  private async decodeJsonBody(
    reader: ReadableStreamDefaultReader<Uint8Array>,
    first: ReadResult | undefined,
    decoder: ChatStreamDecoder,
    watchdog: Watchdog,
    settings: ResolvedOptions,
    origin: string,
    apiKey: string | undefined,
  ): Promise<readonly StreamEvent[]> {
    const text = new TextDecoder();
    let body = '';
    let total = 0;
    let read = first ?? (await this.read(reader, watchdog, settings.idleTimeoutMs));
    while (!read.done) {
      total += read.value.byteLength;
      if (total > settings.maxEventBytes) {
        throw new ChatError({
          kind: 'too-large',
          origin,
          message: `${origin} sent a reply larger than ${Math.round(settings.maxEventBytes / 1024)} KiB; stopped reading it.`,
        });
      }
      body += text.decode(read.value, { stream: true });
      read = await this.read(reader, watchdog, settings.idleTimeoutMs);
    }
    body += text.decode();
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch {
      throw new ChatError({
        kind: 'malformed',
        origin,
        excerpt: excerptOf(body, apiKey),
        message: `${origin} sent a JSON reply that is not valid JSON.`,
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
        origin,
        excerpt: excerptOf(body, apiKey),
        message: `${origin} answered with JSON that is not a chat completion — ${BASE_URL_HINT}`,
      });
    }
    decoder.pushCompletion(value, body);
    return decoder.events;
  }

  private async notEventStream(
    reader: ReadableStreamDefaultReader<Uint8Array>,
    first: ReadResult | undefined,
    contentType: string,
    watchdog: Watchdog,
    settings: ResolvedOptions,
    origin: string,
    apiKey: string | undefined,
  ): Promise<ChatError> {
    // Read a little more for the excerpt (a page often arrives in several reads), never the whole body.
    const text = new TextDecoder();
    let sample = '';
    let read = first;
    try {
      while (read !== undefined && !read.done && sample.length < SNIFF_BYTES) {
        sample += text.decode(read.value, { stream: true });
        read = sample.length < SNIFF_BYTES ? await this.read(reader, watchdog, settings.idleTimeoutMs) : undefined;
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
      origin,
      status: 200,
      excerpt: sample ? excerptOf(sample, apiKey) : undefined,
      message: `${origin} answered with ${what}, not an event stream — ${BASE_URL_HINT}`,
    });
  }

  private async errorOf(
    exchange: Exchange,
    endpoint: Endpoint,
    model: string,
    watchdog: Watchdog,
    settings: ResolvedOptions,
  ): Promise<{ error: ChatError; bodyText: string }> {
    const { text } = await readTextBounded(exchange.response, MAX_ERROR_BODY_BYTES, watchdog, settings.idleTimeoutMs);
    return { error: httpErrorOf(exchange, text, endpoint, model), bodyText: text };
  }

  /** Best effort, short: the model ids an endpoint lists, or undefined when it cannot say. */
  private async availableModels(endpoint: Endpoint, lifetime: RequestLifetime): Promise<string[] | undefined> {
    try {
      const models = await this.listModels(endpoint, {
        signal: lifetime.signal,
        timeoutMs: AVAILABLE_MODELS_TIMEOUT_MS,
      });
      return models.map((model) => model.id);
    } catch {
      return undefined;
    }
  }

  private asChatError(error: unknown, lifetime: RequestLifetime, url: URL, timeoutMs: number): ChatError {
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
}
