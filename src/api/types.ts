// The OpenAI-compatible client's public types. Nothing here (or anywhere under src/api) may import
// 'vscode': the client is unit-tested in plain Node against the local test server.

/** Where requests go and how they are authorised. */
export interface Endpoint {
  /** e.g. `https://api.solidrust.ai/v1`; `/chat/completions` and `/models` are appended. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <apiKey>`, only to the origin of `baseUrl`. */
  apiKey?: string;
  /** Extra request headers (e.g. OpenRouter's `HTTP-Referer`); also only sent to the origin of `baseUrl`. */
  headers?: Record<string, string>;
}

export type ChatRole = 'system' | 'user' | 'assistant' | 'tool';

export interface ChatMessage {
  role: ChatRole;
  content: string;
  /** An assistant message's tool calls (sent back as `tool_calls` in the history). */
  toolCalls?: ChatToolCall[];
  /** A `tool` message: the call whose result it carries. */
  toolCallId?: string;
  /**
   * An assistant message's reasoning, sent back in the field the server streamed it in: servers that
   * think between tool calls (DeepSeek, Qwen3 and others on vLLM) want it back on tool-call turns.
   */
  reasoning?: { field: 'reasoning' | 'reasoning_content'; text: string };
  /** A user message's images, sent after its text as `image_url` parts (only to models that take them). */
  images?: ChatImage[];
}

/** An image as a message carries it: its MIME type and its bytes in base64. */
export interface ChatImage {
  mimeType: string;
  base64: string;
}

/** A tool call as the history carries it: its id, the function's name and its JSON arguments text. */
export interface ChatToolCall {
  id: string;
  name: string;
  arguments: string;
}

/** A function the model may call (`tools[].function`). */
export interface ChatTool {
  name: string;
  description: string;
  /** JSON schema of the arguments; an object without properties when undefined. */
  parameters?: object;
}

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  /** Not sent when undefined. */
  temperature?: number;
  /** Not sent when undefined: a default cap would silently truncate answers. */
  maxTokens?: number;
  /** Send `stream_options: {include_usage: true}` (default true; skipped for endpoints known to reject it). */
  includeUsage?: boolean;
  /** Functions the model may call; not sent when undefined or empty. */
  tools?: ChatTool[];
  /** `tool_choice`: `auto` (the servers' default) or `required`; sent only with tools. */
  toolChoice?: 'auto' | 'required';
}

export interface StreamOptions {
  /** Aborts the HTTP request (the server sees the disconnect) and ends the stream with an `aborted` ChatError. */
  signal?: AbortSignal;
  /**
   * Longest silence allowed between two reads (SSE comments count as activity). Default 120 000 ms;
   * 0 or Infinity: none. No total cap.
   */
  idleTimeoutMs?: number;
  /** Time allowed to connect and receive response headers. Default: idleTimeoutMs. */
  connectTimeoutMs?: number;
  /** Retries before the first token (429 / 5xx / connection errors). Default 2. */
  maxRetries?: number;
  /**
   * Longest wait between retries. A Retry-After asking for more fails at once with a rate-limit error
   * saying when to retry. Default 30 000 ms.
   */
  maxRetryDelayMs?: number;
  /** Split `<think>…</think>` out of `delta.content` into reasoning events. Default true. */
  splitThinkTags?: boolean;
  /**
   * Largest SSE line/event accepted before failing with `too-large`. Default 8 MiB (counted in UTF-16
   * units, never more than the bytes).
   */
  maxEventBytes?: number;
  /** Called before each retry wait, for logs and progress. */
  onRetry?: (info: RetryInfo) => void;
}

export interface RetryInfo {
  /** The attempt that follows the wait (2 for the first retry). */
  attempt: number;
  /**
   * The wait about to start: Retry-After when the server sent one, else backoff with jitter; at most
   * maxRetryDelayMs.
   */
  delayMs: number;
  error: ChatError;
}

export interface Usage {
  promptTokens?: number;
  completionTokens?: number;
  totalTokens?: number;
}

/** Which field or convention carried reasoning text. */
export type ReasoningSource = 'reasoning' | 'reasoning_content' | 'think-tag';

/** What `streamChat` yields, in arrival order. */
export type StreamEvent =
  /** Response headers arrived with an event stream (status 200); `attempt` counts from 1. */
  | { type: 'open'; status: number; attempt: number }
  | { type: 'role'; role: string }
  /**
   * The chunks' `model` field when it first appears and whenever it changes: the model that really
   * answered (hosted aliases such as `vllm-primary` fail over to other models).
   */
  | { type: 'model'; model: string }
  | { type: 'content'; text: string }
  | { type: 'reasoning'; text: string; source: ReasoningSource }
  /**
   * A `</think>` arrived with no `<think>` before it (servers whose chat template opens the tag in the
   * prompt), at a line boundary and outside code: all `content` yielded so far, `text`, was really
   * reasoning. Consumers move it (the AnswerCollector does).
   */
  | { type: 'content-was-reasoning'; text: string }
  /** A `delta.tool_calls` fragment: never text to insert. */
  | { type: 'tool-call'; index: number; id?: string; name?: string; argumentsDelta?: string }
  | { type: 'usage'; usage: Usage }
  /** `finish_reason` of choice 0 (`stop`, `length`, `content_filter`, `tool_calls`, or anything else). */
  | { type: 'finish'; reason: string }
  /** The stream ended cleanly (`[DONE]`, or the body ended after a finish_reason, or a plain JSON reply). */
  | { type: 'done' };

export type ChatErrorKind =
  | 'auth' // 401/403
  | 'model-not-found' // 404 naming the model
  | 'not-found' // 404 otherwise (wrong path / base URL)
  | 'context-length' // prompt too long
  | 'rate-limit' // 429 (after retries)
  | 'quota' // 429 insufficient_quota: never retried
  | 'bad-request' // other 4xx
  | 'server' // 5xx (after retries)
  | 'network' // refused, DNS, TLS, reset before headers
  | 'timeout' // no bytes for idleTimeoutMs (or no headers for connectTimeoutMs)
  | 'not-event-stream' // 200 with HTML or another non-SSE body
  | 'stream-error' // an error payload inside the stream
  | 'malformed' // a data line that is not valid JSON
  | 'interrupted' // connection lost mid-stream
  | 'incomplete' // body ended without [DONE] and without finish_reason
  | 'too-large' // one line/event over maxEventBytes
  | 'aborted'; // the caller's AbortSignal fired

export interface ChatErrorInit {
  kind: ChatErrorKind;
  /** Text a user understands; never contains the API key. */
  message: string;
  status?: number;
  /** The server's own error code (`context_length_exceeded`, `insufficient_quota`, …). */
  code?: string;
  /** The server's own message, truncated. */
  serverMessage?: string;
  /** Retry-After / retry-after-ms, in ms. */
  retryAfterMs?: number;
  /** Origin of the endpoint the request went to, e.g. `https://api.solidrust.ai`. */
  origin?: string;
  /** For model-not-found: what `GET /models` offers, when it could be listed. */
  availableModels?: string[];
  /** A short, escaped-on-display excerpt of an unexpected body or the offending data line. */
  excerpt?: string;
  /** True when output had already been yielded before the error. */
  afterOutput?: boolean;
  cause?: unknown;
}

/** The only error type `streamChat` and `listModels` throw. */
export class ChatError extends Error {
  readonly kind: ChatErrorKind;
  readonly status?: number;
  readonly code?: string;
  readonly serverMessage?: string;
  readonly retryAfterMs?: number;
  readonly origin?: string;
  readonly availableModels?: string[];
  readonly excerpt?: string;
  readonly afterOutput: boolean;

  constructor(init: ChatErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'ChatError';
    this.kind = init.kind;
    this.status = init.status;
    this.code = init.code;
    this.serverMessage = init.serverMessage;
    this.retryAfterMs = init.retryAfterMs;
    this.origin = init.origin;
    this.availableModels = init.availableModels;
    this.excerpt = init.excerpt;
    this.afterOutput = init.afterOutput ?? false;
  }
}

export interface ModelInfo {
  id: string;
  ownedBy?: string;
  /** The model's context window in tokens, when the server reports it (see `contextWindowOf`). */
  contextWindow?: number;
  /** Set when the server says the model reads images (see `takesImagesOf`). */
  imageInput?: true;
}
