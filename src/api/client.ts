// The OpenAI-compatible streaming client: request, retries before the first token, and the
// response body decoded into typed events. The read loop lives here; everything around it (sending,
// classifying answers, retrying) in CompletionCall.
import { CompletionCall } from './completionCall';
import { DEFAULT_MAX_EVENT_BYTES } from './decoder';
import { excerptOf } from './errors';
import { EventIterator } from './events';
import {
  cancelledError,
  failedBeforeAnswer,
  readTextBounded,
  RequestLifetime,
  send,
  Watchdog,
  type Exchange,
  type FetchFunction,
  type SendInit,
} from './http';
import { modelsFromBody } from './models';
import { httpErrorOf, isSuccess } from './responses';
import { BASE_URL_HINT, joinBaseUrl, normalizeBaseUrl, redactSecrets } from './text';
import {
  ChatError,
  type ChatRequest,
  type Endpoint,
  type ModelInfo,
  type StreamEvent,
  type StreamOptions,
} from './types';

const DEFAULT_LIST_MODELS_TIMEOUT_MS = 10_000;
/** How long a model-not-found error may spend asking `/models` what exists. */
const AVAILABLE_MODELS_TIMEOUT_MS = 3_000;

export interface ChatClientOptions {
  /** The HTTP client; default the global `fetch`. Tests hand in bodies cut at chosen byte offsets. */
  fetch?: FetchFunction;
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

  /**
   * The request and its retries; yields the events of each network read as one batch. The read loop
   * is the hot path: no allocation, closure or await in it per event, only the read's own await.
   */
  private async *streamBatches(
    endpoint: Endpoint,
    request: ChatRequest,
    options: StreamOptions,
    running: { lifetime?: RequestLifetime },
  ): AsyncGenerator<readonly StreamEvent[], void, undefined> {
    const call = this.startCall(endpoint, request, options, running);
    const { lifetime, watchdog, origin, idleTimeoutMs } = call;
    try {
      for (;;) {
        const reply = await call.nextReply();
        const { reader } = reply.body;
        const decoder = call.newDecoder();
        const events = decoder.events;
        let completed = false;
        try {
          yield [{ type: 'open', status: reply.status, attempt: call.attempt }];
          if (reply.kind === 'json') {
            yield await call.jsonReply(reply, decoder);
            call.endJsonReply(decoder);
            completed = true;
            return;
          }
          if (reply.first !== undefined && !reply.first.done) decoder.push(reply.first.value);
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
              call.drainThenRelease(reader);
              return;
            }
            watchdog.beginWait(idleTimeoutMs, 'idle-timeout');
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
          await call.retryOrThrow(call.lostConnection(error, decoder.hasOutput));
        } finally {
          if (!completed) reader.cancel().catch(() => undefined);
          if (!call.draining) reader.releaseLock();
        }
      }
    } finally {
      call.dispose();
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
        throw failedBeforeAnswer(error, lifetime, url, timeoutMs);
      }
      const { response } = exchange;
      if (!isSuccess(response.status)) throw httpErrorOf(exchange, text, endpoint);
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

  /**
   * A call's state outside the read loop, its lifetime put in `running` (for a consumer that leaves
   * early); throws the ChatError that explains an unusable base URL.
   */
  private startCall(
    endpoint: Endpoint,
    request: ChatRequest,
    options: StreamOptions,
    running: { lifetime?: RequestLifetime },
  ): CompletionCall {
    const call = new CompletionCall({
      endpoint,
      request,
      options,
      url: endpointUrl(endpoint, '/chat/completions'),
      privateHeaders: privateHeadersOf(endpoint),
      fetch: this.fetch,
      rejectsStreamOptions: this.rejectsStreamOptions,
      availableModels: (signal) => this.availableModels(endpoint, signal),
    });
    running.lifetime = call.lifetime;
    return call;
  }

  /** Best effort, short: the model ids an endpoint lists, or undefined when it cannot say. */
  private async availableModels(endpoint: Endpoint, signal: AbortSignal): Promise<string[] | undefined> {
    try {
      const models = await this.listModels(endpoint, { signal, timeoutMs: AVAILABLE_MODELS_TIMEOUT_MS });
      return models.map((model) => model.id);
    } catch {
      return undefined;
    }
  }
}
