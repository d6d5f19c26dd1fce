// The one place where settings become a request: every surface (chat, ask, insert, Test Connection)
// builds its ChatRequest and StreamOptions here, so a setting means the same thing everywhere.
// No 'vscode' import (settings arrive already read), so it is unit-tested in plain Node.
import type { ChatMessage, ChatRequest, StreamOptions } from '../api';

/** The settings a request is built from (the host's `Settings` has these and more). */
export interface RequestSettings {
  model: string;
  systemPrompt: string;
  /** Not sent when undefined. */
  temperature?: number;
  /** Not sent when undefined. */
  maxTokens?: number;
  idleTimeoutMs: number;
}

export interface RequestPurpose {
  /** The surface's own standing instructions (e.g. "answer with code only"), sent after the user's system prompt. */
  instructions?: string;
  /** A cap of the surface's own (e.g. a short probe); the smaller of it and the user's `maxTokens` is sent. */
  maxTokens?: number;
  /** Retries before the first token; default the client's. */
  maxRetries?: number;
  /** Another model than the configured one (e.g. "regenerate with…"). */
  model?: string;
}

export interface PreparedRequest {
  request: ChatRequest;
  options: StreamOptions;
}

/**
 * `messages` (the conversation, without a system message) as a request under the current settings:
 * the system prompt and the surface's instructions as one leading system message when either is
 * set, temperature and max tokens only when set (no default cap that would cut answers short), and
 * the idle timeout.
 */
export function prepareRequest(
  settings: RequestSettings,
  messages: readonly ChatMessage[],
  purpose: RequestPurpose = {},
): PreparedRequest {
  const system = [settings.systemPrompt.trim(), purpose.instructions?.trim() ?? '']
    .filter((part) => part !== '')
    .join('\n\n');
  const request: ChatRequest = {
    model: purpose.model ?? settings.model,
    messages: system === '' ? [...messages] : [{ role: 'system', content: system }, ...messages],
  };
  if (settings.temperature !== undefined) request.temperature = settings.temperature;
  const maxTokens = minDefined(settings.maxTokens, purpose.maxTokens);
  if (maxTokens !== undefined) request.maxTokens = maxTokens;
  const options: StreamOptions = { idleTimeoutMs: settings.idleTimeoutMs };
  if (purpose.maxRetries !== undefined) options.maxRetries = purpose.maxRetries;
  return { request, options };
}

function minDefined(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}
