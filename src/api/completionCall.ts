// One `streamChat` call outside its read loop: its lifetime and timers, the request sent once per
// attempt, each answer classified (a refusal into a ChatError, a 2xx body into its kind), and the
// retry policy that decides whether another attempt follows.
import { ChatStreamDecoder, DEFAULT_MAX_EVENT_BYTES } from './decoder';
import { mentionsStreamOptions, retryLaterError, withAvailableModels } from './errors';
import { isTransientNetworkError } from './networkErrors';
import {
  cancelledError,
  drainThenRelease,
  failedBeforeAnswer,
  RequestLifetime,
  send,
  stoppedError,
  Watchdog,
  type Exchange,
  type FetchFunction,
  type ReadResult,
  type SendInit,
} from './http';
import {
  BodyReader,
  classifyBody,
  decodeJsonBody,
  isSuccess,
  notEventStream,
  readHttpError,
  type BodyLimits,
} from './responses';
import { requestBody } from './requestBody';
import { cancellableDelay, retryDelayMs } from './retry';
import { normalizeBaseUrl } from './text';
import { ChatError, type ChatRequest, type Endpoint, type StreamEvent, type StreamOptions } from './types';

const DEFAULT_IDLE_TIMEOUT_MS = 120_000;
const DEFAULT_MAX_RETRIES = 2;
const DEFAULT_MAX_RETRY_DELAY_MS = 30_000;

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

/** What the ChatClient hands each call. */
export interface CallContext {
  endpoint: Endpoint;
  request: ChatRequest;
  options: StreamOptions;
  /** `{baseUrl}/chat/completions`, already checked. */
  url: URL;
  /** The key and the user's headers: only ever sent to the endpoint's own origin. */
  privateHeaders: Record<string, string>;
  fetch: FetchFunction;
  /** Base URLs that answered 400 to `stream_options`: never sent it again this session (the client's). */
  rejectsStreamOptions: Set<string>;
  /** The model ids the endpoint lists, for a model-not-found error; undefined when it cannot say. */
  availableModels: (signal: AbortSignal) => Promise<string[] | undefined>;
}

/** A 2xx answer with a body worth decoding, its kind known (`first`: the read it took to tell, if any). */
export interface Reply {
  status: number;
  body: BodyReader;
  kind: 'sse' | 'json';
  first: ReadResult | undefined;
}

export class CompletionCall {
  readonly lifetime: RequestLifetime;
  readonly watchdog: Watchdog;
  readonly origin: string;
  readonly idleTimeoutMs: number;
  /** The attempt under way, from 1: a retry, or a resend without `stream_options`, starts the next. */
  attempt = 0;
  /** Set when the stream is done but its connection is still being drained for reuse. */
  draining = false;
  private readonly settings: ResolvedOptions;
  private readonly url: URL;
  /** The base URL as `rejectsStreamOptions` knows it. */
  private readonly baseKey: string;
  private readonly init: SendInit;
  private readonly limits: BodyLimits;
  private retries = 0;

  constructor(private readonly context: CallContext) {
    const { endpoint, url } = context;
    this.settings = resolveOptions(context.options);
    this.url = url;
    this.origin = url.origin;
    this.idleTimeoutMs = this.settings.idleTimeoutMs;
    this.baseKey = normalizeBaseUrl(endpoint.baseUrl);
    const lifetime = new RequestLifetime(context.options.signal);
    this.lifetime = lifetime;
    this.watchdog = new Watchdog((reason) => lifetime.stop(reason));
    this.init = {
      method: 'POST',
      baseHeaders: { 'content-type': 'application/json', accept: 'text/event-stream' },
      privateHeaders: context.privateHeaders,
      connectTimeoutMs: this.settings.connectTimeoutMs,
      apiKey: endpoint.apiKey,
      fetch: context.fetch,
    };
    this.limits = { origin: this.origin, apiKey: endpoint.apiKey, maxEventBytes: this.settings.maxEventBytes };
  }

  /** Sends the request until an answer has a body worth decoding; retries as the policy allows, else throws. */
  async nextReply(): Promise<Reply> {
    for (;;) {
      const response = await this.sendOnce();
      if (response === undefined) continue;
      const reply = await this.openBody(response);
      if (reply !== undefined) return reply;
    }
  }

  newDecoder(): ChatStreamDecoder {
    return new ChatStreamDecoder({
      splitThinkTags: this.settings.splitThinkTags,
      maxEventBytes: this.settings.maxEventBytes,
      origin: this.origin,
      apiKey: this.context.endpoint.apiKey,
    });
  }

  /** The events of a JSON reply (a server that ignored `stream: true`), read whole. */
  jsonReply(reply: Reply, decoder: ChatStreamDecoder): Promise<readonly StreamEvent[]> {
    return decodeJsonBody(reply.body, reply.first, decoder, this.limits);
  }

  /** After the consumer had the JSON reply: throws when it was stopped meanwhile or the reply was refused. */
  endJsonReply(decoder: ChatStreamDecoder): void {
    // Stopped while the consumer held the reply: end as aborted, as a stream does.
    if (this.lifetime.reason === 'caller') throw cancelledError(this.origin, decoder.hasOutput);
    if (decoder.failure) throw decoder.failure;
  }

  /** The stream is done: its body is read to the end in the background so the connection can be reused. */
  drainThenRelease(reader: ReadableStreamDefaultReader<Uint8Array>): void {
    this.draining = true;
    drainThenRelease(reader, this.lifetime);
  }

  /** The error for a body that broke off: the lifetime's reason when it stopped it, else a lost connection. */
  lostConnection(error: unknown, afterOutput: boolean): ChatError {
    const when = afterOutput ? 'mid-answer' : 'before the answer began';
    return (
      stoppedError(this.lifetime, this.url, afterOutput, this.idleTimeoutMs) ??
      new ChatError({
        kind: 'interrupted',
        origin: this.origin,
        afterOutput,
        message: `The connection to ${this.url.host} was lost ${when}.`,
        cause: error,
      })
    );
  }

  /**
   * Waits before the next attempt when `error` deserves one; otherwise throws it. Nothing that
   * follows output is retried: the output would be repeated.
   */
  async retryOrThrow(error: ChatError): Promise<void> {
    const { maxRetries, maxRetryDelayMs } = this.settings;
    if (error.afterOutput || !isRetryable(error) || this.retries >= maxRetries) throw error;
    if (error.retryAfterMs !== undefined && error.retryAfterMs > maxRetryDelayMs)
      throw retryLaterError(error, error.retryAfterMs);
    this.retries++;
    const delayMs = retryDelayMs(this.retries, maxRetryDelayMs, error.retryAfterMs);
    try {
      this.context.options.onRetry?.({ attempt: this.attempt + 1, delayMs, error });
    } catch {
      // A failing progress callback must not change the outcome, nor escape as a non-ChatError.
    }
    const waited = await cancellableDelay(delayMs, this.lifetime.signal);
    if (!waited) throw stoppedError(this.lifetime, this.url, false, 0) ?? error;
  }

  dispose(): void {
    this.watchdog.dispose();
    this.lifetime.dispose(this.draining);
  }

  /** One attempt: the request sent, a refusal dealt with; the 2xx response, or undefined when another follows. */
  private async sendOnce(): Promise<Response | undefined> {
    this.attempt++;
    const { request, rejectsStreamOptions } = this.context;
    const includeUsage = request.includeUsage !== false && !rejectsStreamOptions.has(this.baseKey);
    this.init.body = requestBody(request, includeUsage);
    let exchange: Exchange;
    try {
      exchange = await send(this.url, this.init, this.lifetime, this.watchdog);
    } catch (error) {
      const connectTimeoutMs = this.settings.connectTimeoutMs;
      await this.retryOrThrow(failedBeforeAnswer(error, this.lifetime, this.url, connectTimeoutMs));
      return undefined;
    }
    if (isSuccess(exchange.response.status)) return exchange.response;
    await this.refused(exchange, includeUsage);
    return undefined;
  }

  /** A non-2xx answer: asked again without `stream_options` when that is what it refused, else retried or thrown. */
  private async refused(exchange: Exchange, includeUsage: boolean): Promise<void> {
    const { endpoint, request } = this.context;
    let error: ChatError;
    let bodyText: string;
    try {
      ({ error, bodyText } = await readHttpError(exchange, endpoint, request.model, this.watchdog, this.idleTimeoutMs));
    } catch (readError) {
      await this.retryOrThrow(failedBeforeAnswer(readError, this.lifetime, this.url, this.idleTimeoutMs));
      return;
    }
    if ((error.status === 400 || error.status === 422) && includeUsage && mentionsStreamOptions(bodyText)) {
      // Servers that predate `stream_options` (FastAPI-based ones answer 422): ask again without it,
      // and remember.
      this.context.rejectsStreamOptions.add(this.baseKey);
      return;
    }
    if (error.kind === 'model-not-found') error = await this.withModelsListed(error);
    await this.retryOrThrow(error);
  }

  /** A model-not-found error naming the models the endpoint offers, when it can say. */
  private async withModelsListed(error: ChatError): Promise<ChatError> {
    const models = await this.context.availableModels(this.lifetime.signal);
    if (this.lifetime.reason === 'caller') throw cancelledError(this.origin, false);
    return models ? withAvailableModels(error, models) : error;
  }

  /**
   * A 2xx answer's body with its kind; undefined when another attempt follows (no body, or the body
   * broke before its kind could be told). A body that is not a reply at all throws.
   */
  private async openBody(response: Response): Promise<Reply | undefined> {
    if (response.body === null) {
      const message = `${this.origin} answered without a body.`;
      await this.retryOrThrow(new ChatError({ kind: 'interrupted', origin: this.origin, message }));
      return undefined;
    }
    const body = new BodyReader(response.body.getReader(), this.watchdog, this.idleTimeoutMs);
    let opened = false;
    try {
      const contentType = response.headers.get('content-type') ?? '';
      const { kind, first } = await classifyBody(contentType, body);
      if (kind === 'other') throw await notEventStream(body, first, contentType, this.limits);
      opened = true;
      return { status: response.status, body, kind, first };
    } catch (error) {
      if (error instanceof ChatError) throw error;
      this.watchdog.endWait();
      await this.retryOrThrow(this.lostConnection(error, false));
      return undefined;
    } finally {
      if (!opened) {
        body.reader.cancel().catch(() => undefined);
        body.reader.releaseLock();
      }
    }
  }
}
