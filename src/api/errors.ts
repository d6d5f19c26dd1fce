// Turns what servers send back into ChatErrors with messages a user understands (failures of the
// connection itself: networkErrors.ts). Every message names the origin; none ever contains the API key.
import { BASE_URL_HINT, redactSecrets, truncate } from './text';
import { ChatError, type ChatErrorInit } from './types';

/** The fields every known error body shape boils down to. */
export interface ServerErrorInfo {
  message?: string;
  code?: string;
  type?: string;
}

const MAX_SERVER_MESSAGE = 500;
const MAX_EXCERPT = 300;

/** The server's own error message as shown to the user: key removed, bounded. */
export function serverMessageOf(message: string | undefined, apiKey: string | undefined): string | undefined {
  return message === undefined ? undefined : truncate(redactSecrets(message, [apiKey]), MAX_SERVER_MESSAGE);
}

export function excerptOf(text: string, apiKey?: string): string {
  return truncate(redactSecrets(text, [apiKey]), MAX_EXCERPT);
}

function stringOrUndefined(value: unknown): string | undefined {
  if (typeof value === 'string') return value || undefined;
  if (typeof value === 'number') return String(value);
  return undefined;
}

/**
 * Reads the error out of a parsed body in any of the shapes seen in the wild:
 * OpenAI `{"error":{"message","type","code"}}`, vLLM `{"object":"error","message","code":404}`,
 * Ollama `{"error":"model \"x\" not found"}`, FastAPI `{"detail":"Not Found"}`, plain `{"message"}`.
 * Returns undefined when the value carries no recognisable error.
 */
export function errorInfoOf(value: unknown): ServerErrorInfo | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const body = value as Record<string, unknown>;
  const nested = body.error;
  if (typeof nested === 'string') return { message: nested };
  if (nested !== null && typeof nested === 'object') {
    const error = nested as Record<string, unknown>;
    return {
      message: stringOrUndefined(error.message) ?? stringOrUndefined(error.detail) ?? stringOrUndefined(error.msg),
      code: stringOrUndefined(error.code),
      type: stringOrUndefined(error.type),
    };
  }
  if (body.object === 'error' || (typeof body.message === 'string' && body.choices === undefined)) {
    return {
      message: stringOrUndefined(body.message),
      code: stringOrUndefined(body.code),
      type: stringOrUndefined(body.type),
    };
  }
  if (typeof body.detail === 'string') return { message: body.detail };
  if (Array.isArray(body.detail) && body.detail.length > 0) {
    const first = body.detail[0] as Record<string, unknown> | null;
    return { message: stringOrUndefined(first?.msg) ?? JSON.stringify(body.detail) };
  }
  return undefined;
}

/** Error info from a raw response body: JSON shapes first, then the HTML title or the plain text. */
export function errorInfoFromText(text: string): ServerErrorInfo {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    try {
      const info = errorInfoOf(JSON.parse(trimmed));
      if (info) return info;
    } catch {
      // not JSON after all: fall through to the text forms
    }
  }
  if (looksLikeHtml(trimmed)) {
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(trimmed.slice(0, 4096));
    return { message: title?.[1]?.trim() || undefined };
  }
  return { message: trimmed || undefined };
}

export function looksLikeHtml(text: string): boolean {
  const start = text.slice(0, 200).trimStart().toLowerCase();
  return (
    start.startsWith('<!doctype') ||
    start.startsWith('<html') ||
    start.startsWith('<head') ||
    start.startsWith('<body') ||
    start.startsWith('<?xml')
  );
}

const CONTEXT_LENGTH_PATTERN = new RegExp(
  [
    'context length',
    'context_length',
    'context window',
    'context size',
    'maximum context',
    'too many tokens',
    'prompt is too long',
    'input is too long',
    "exceeds the (?:model'?s? )?(?:maximum|max)",
  ].join('|'),
  'i',
);

export function isContextLengthError(info: ServerErrorInfo): boolean {
  // llama.cpp server: type `exceed_context_size_error`, "the request exceeds the available context size".
  return (
    info.code === 'context_length_exceeded' ||
    info.type === 'exceed_context_size_error' ||
    (info.message !== undefined && CONTEXT_LENGTH_PATTERN.test(info.message))
  );
}

/** True for a 400 body that complains about `stream_options` (servers that predate it). */
export function mentionsStreamOptions(bodyText: string): boolean {
  return bodyText.includes('stream_options');
}

function isModelNotFound(status: number, info: ServerErrorInfo, model: string | undefined): boolean {
  if (info.code === 'model_not_found') return true;
  const message = info.message ?? '';
  if (status === 404) {
    if (/model/i.test(message)) return true;
    return model !== undefined && model !== '' && message.includes(model);
  }
  // Some gateways answer 400 for an unknown model.
  return (
    status === 400 &&
    model !== undefined &&
    model !== '' &&
    message.includes(model) &&
    /not (?:found|exist|a valid)|unknown model|invalid model/i.test(message)
  );
}

export interface HttpErrorContext {
  status: number;
  statusText: string;
  bodyText: string;
  origin: string;
  model?: string;
  apiKey?: string;
  hadApiKey: boolean;
  retryAfterMs?: number;
  /** Set when a redirect took the request to another origin without the key. */
  redirectedFrom?: string;
}

/** The fields of every HTTP ChatError but its kind and message. */
type HttpErrorBase = Omit<ChatErrorInit, 'kind' | 'message'>;

/** Maps a non-2xx response to a ChatError. */
export function httpError(ctx: HttpErrorContext): ChatError {
  const info = errorInfoFromText(ctx.bodyText);
  const serverMessage = serverMessageOf(info.message, ctx.apiKey);
  const base: HttpErrorBase = {
    status: ctx.status,
    code: info.code ?? info.type,
    serverMessage,
    origin: ctx.origin,
    retryAfterMs: ctx.retryAfterMs,
    excerpt: ctx.bodyText ? excerptOf(ctx.bodyText, ctx.apiKey) : undefined,
  };
  const { status } = ctx;
  if (status === 401 || status === 403) return authError(ctx, base);
  if (status === 429) return tooManyRequestsError(ctx, info, base);
  return refusalError(ctx, info, base);
}

/** 401/403: a key rejected, or none sent (missing, or held back by a redirect to another origin). */
function authError(ctx: HttpErrorContext, base: HttpErrorBase): ChatError {
  const { status, origin } = ctx;
  let message = ctx.hadApiKey
    ? `API key rejected by ${origin} (HTTP ${status}).`
    : `${origin} requires an API key (HTTP ${status}); none is set for it.`;
  if (ctx.redirectedFrom)
    message +=
      ` ${ctx.redirectedFrom} redirected there, and the key is never sent to another origin:` +
      ` set the base URL to ${origin} if you trust it.`;
  return new ChatError({ ...base, kind: 'auth', message });
}

/** 429: the quota used up (no retry helps), or a rate limit. */
function tooManyRequestsError(ctx: HttpErrorContext, info: ServerErrorInfo, base: HttpErrorBase): ChatError {
  const { origin } = ctx;
  const detail = base.serverMessage ? `: ${base.serverMessage}` : '';
  if (info.code === 'insufficient_quota' || info.type === 'insufficient_quota') {
    return new ChatError({
      ...base,
      code: 'insufficient_quota',
      kind: 'quota',
      message: `Quota exhausted at ${origin}${detail}`,
    });
  }
  const wait = ctx.retryAfterMs !== undefined ? ` (the server asks to wait ${formatDuration(ctx.retryAfterMs)})` : '';
  return new ChatError({ ...base, kind: 'rate-limit', message: `Rate limited by ${origin}${wait}${detail}` });
}

/** Any other non-2xx answer: what the body says first (context too long, unknown model), then the status. */
function refusalError(ctx: HttpErrorContext, info: ServerErrorInfo, base: HttpErrorBase): ChatError {
  const { status, origin } = ctx;
  const detail = base.serverMessage ? `: ${base.serverMessage}` : '';
  if (isContextLengthError(info) && status < 500) {
    const model = ctx.model ? `model "${ctx.model}"` : 'the model';
    return new ChatError({
      ...base,
      kind: 'context-length',
      message: `The conversation is too long for ${model} at ${origin}${detail}`,
    });
  }
  if (isModelNotFound(status, info, ctx.model)) {
    return new ChatError({
      ...base,
      kind: 'model-not-found',
      message: `Model "${ctx.model ?? '?'}" was not found at ${origin}${detail}`,
    });
  }
  if (status === 404) {
    return new ChatError({
      ...base,
      kind: 'not-found',
      message: `${origin} answered 404 Not Found — ${BASE_URL_HINT}${detail}`,
    });
  }
  const reason = base.serverMessage ?? ctx.statusText;
  if (status >= 500) {
    return new ChatError({
      ...base,
      kind: 'server',
      message: `Server error from ${origin} (HTTP ${status}${reason ? `: ${reason}` : ''})`,
    });
  }
  return new ChatError({
    ...base,
    kind: 'bad-request',
    message: `${origin} rejected the request (HTTP ${status}${reason ? `: ${reason}` : ''})`,
  });
}

/** Adds the list of models the endpoint offers to a model-not-found error. */
export function withAvailableModels(error: ChatError, models: string[]): ChatError {
  const shown = models.slice(0, 8).join(', ') + (models.length > 8 ? `, … (${models.length} in all)` : '');
  return new ChatError({
    kind: error.kind,
    message:
      models.length > 0 ? `${error.message}. Available: ${shown}` : `${error.message}. The server lists no models.`,
    status: error.status,
    code: error.code,
    serverMessage: error.serverMessage,
    retryAfterMs: error.retryAfterMs,
    origin: error.origin,
    availableModels: models,
    excerpt: error.excerpt,
    afterOutput: error.afterOutput,
  });
}

/**
 * A 429/503 whose Retry-After asks for a longer wait than the client will sit through: a rate-limit
 * error that says when to try again, instead of retries spent against a server that said no.
 */
export function retryLaterError(error: ChatError, waitMs: number, now: number = Date.now()): ChatError {
  const when = new Date(now + waitMs).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const who = error.origin ?? 'The server';
  const wait = formatDuration(waitMs);
  const detail = error.serverMessage ? ` (${error.serverMessage})` : '';
  return new ChatError({
    kind: 'rate-limit',
    status: error.status,
    code: error.code,
    serverMessage: error.serverMessage,
    retryAfterMs: waitMs,
    origin: error.origin,
    excerpt: error.excerpt,
    message: `${who} asks to wait ${wait} before the next request — try again after ${when}${detail}.`,
  });
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  return minutes < 120 ? `${minutes} min` : `${Math.round(minutes / 60)} h`;
}
