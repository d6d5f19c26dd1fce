// Bytes of a chat-completions event stream → typed StreamEvents. Synchronous and transport-free:
// the HTTP client feeds it network reads, tests feed it in-memory chunkings of the same bytes.
import { createParser, type EventSourceMessage, type EventSourceParser, type ParseError } from 'eventsource-parser';
import { errorInfoOf, excerptOf, isContextLengthError, serverMessageOf } from './errors';
import { BASE_URL_HINT } from './text';
import { ThinkTagSplitter } from './think';
import { ChatError, type ChatErrorKind, type StreamEvent, type Usage } from './types';

export const DEFAULT_MAX_EVENT_BYTES = 8 * 1024 * 1024;

export interface DecoderOptions {
  /** Default true. */
  splitThinkTags?: boolean;
  /** Largest line/event, default 8 MiB (counted in UTF-16 units, which never exceed the byte count). */
  maxEventBytes?: number;
  /** Named in error messages, e.g. `https://api.solidrust.ai`. */
  origin?: string;
  /** Redacted from excerpts should a server echo it. */
  apiKey?: string;
}

const STREAM = { stream: true } as const;

interface ToolCallDelta {
  index?: number;
  id?: string;
  function?: { name?: string; arguments?: string };
}

interface ChunkDelta {
  role?: unknown;
  content?: unknown;
  reasoning?: unknown;
  reasoning_content?: unknown;
  tool_calls?: unknown;
}

interface ChunkChoice {
  index?: number;
  delta?: ChunkDelta | null;
  /** Plain (non-streamed) completions carry `message` instead of `delta`. */
  message?: ChunkDelta | null;
  finish_reason?: unknown;
}

interface RawUsage {
  prompt_tokens?: unknown;
  completion_tokens?: unknown;
  total_tokens?: unknown;
}

function usageOf(raw: RawUsage): Usage {
  const usage: Usage = {};
  if (typeof raw.prompt_tokens === 'number') usage.promptTokens = raw.prompt_tokens;
  if (typeof raw.completion_tokens === 'number') usage.completionTokens = raw.completion_tokens;
  if (typeof raw.total_tokens === 'number') usage.totalTokens = raw.total_tokens;
  return usage;
}

/**
 * One per response body. `push` bytes, then read and clear `events`; after each push check
 * `failure` (stop and throw it, once the events before it are delivered) and `finished`
 * (`[DONE]` seen: nothing after it matters). `end()` when the body ends.
 */
export class ChatStreamDecoder {
  /** Events decoded by the last push/end, in order. The caller empties it. */
  readonly events: StreamEvent[] = [];
  /** Set once: the stream carried an error, bad JSON, or an oversized event. */
  failure: ChatError | undefined;
  /** `[DONE]` arrived (or the body ended cleanly). */
  finished = false;
  /** Content, reasoning or a tool call has been emitted: a retry would duplicate output. */
  hasOutput = false;
  /** A finish_reason arrived. */
  sawFinish = false;

  private readonly text = new TextDecoder('utf-8');
  private readonly parser: EventSourceParser;
  private readonly think: ThinkTagSplitter | undefined;
  private readonly maxEventBytes: number;
  private readonly origin: string;
  private readonly apiKey: string | undefined;
  private lastRole = '';
  private lastModel = '';
  /** Nothing SSE-like has been seen yet (no event, no comment): an HTML page under the wrong content type. */
  private sawEvent = false;
  private firstStrayLine: string | undefined;
  /** Set while the body's last bytes are dispatched: a broken event there is a truncation, not bad JSON. */
  private endingBody = false;

  constructor(options: DecoderOptions = {}) {
    this.think = options.splitThinkTags === false ? undefined : new ThinkTagSplitter();
    this.maxEventBytes = options.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES;
    this.origin = options.origin ?? 'the server';
    this.apiKey = options.apiKey;
    this.parser = createParser({
      onEvent: (message) => this.onMessage(message),
      onComment: () => {
        this.sawEvent = true;
      },
      onError: (error) => this.onParseError(error),
      maxBufferSize: this.maxEventBytes,
    });
  }

  push(bytes: Uint8Array): void {
    if (this.finished || this.failure) return;
    // TextDecoder strips a leading BOM once, even when it is split across reads.
    const chunk = this.text.decode(bytes, STREAM);
    if (chunk !== '') this.parser.feed(chunk);
  }

  /** The body ended normally: dispatch what is left, then flag a stream that never said it was done. */
  end(): void {
    if (this.finished || this.failure) return;
    this.endingBody = true;
    const rest = this.text.decode();
    // A final event without its blank line (or a trailing lone CR) still counts.
    this.parser.feed(rest + '\n\n');
    if (this.finished || this.failure) return;
    this.flushThink();
    if (!this.sawEvent && this.firstStrayLine !== undefined) {
      this.fail(
        'not-event-stream',
        `${this.origin} answered with something that is not an event stream — ${BASE_URL_HINT}`,
        {
          excerpt: excerptOf(this.firstStrayLine, this.apiKey),
        },
      );
      return;
    }
    if (this.sawFinish) {
      this.finish();
      return;
    }
    this.fail(
      'incomplete',
      `The stream from ${this.origin} ended before the answer was complete (no [DONE], no finish_reason).`,
    );
  }

  /** Feeds a whole JSON completion (a server that ignored `stream: true`). */
  pushCompletion(value: unknown, raw: string): void {
    this.onJson(value, raw);
    if (this.finished || this.failure) return;
    this.flushThink();
    this.finish();
  }

  /** Releases text held back by the think-tag splitter (before an error is thrown). */
  flushThink(): void {
    if (this.think) this.think.flush(this.events);
  }

  private finish(): void {
    this.finished = true;
    this.events.push({ type: 'done' });
  }

  private fail(
    kind: ChatErrorKind,
    message: string,
    extra: { code?: string; serverMessage?: string; excerpt?: string } = {},
  ): void {
    if (this.failure) return;
    this.flushThink();
    this.failure = new ChatError({
      kind,
      message,
      origin: this.origin === 'the server' ? undefined : this.origin,
      afterOutput: this.hasOutput,
      ...extra,
    });
  }

  private onMessage(message: EventSourceMessage): void {
    if (this.finished || this.failure) return;
    this.sawEvent = true;
    const data = message.data;
    if (message.event === 'error') {
      this.streamError(this.parseLoose(data), data);
      return;
    }
    // `[DONE]` (some servers add whitespace).
    if (data.charCodeAt(0) === 91 /* [ */ && data.trim() === '[DONE]') {
      this.flushThink();
      this.finish();
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(data);
    } catch {
      if (this.endingBody) {
        this.fail('incomplete', `The stream from ${this.origin} ended in the middle of an event.`, {
          excerpt: excerptOf(data, this.apiKey),
        });
      } else if (data.trim() === '' || (message.event !== undefined && message.event !== 'message')) {
        return; // an empty data line, or a non-JSON event of a kind this client does not use (e.g. `event: ping`)
      } else {
        this.fail('malformed', `${this.origin} sent an event that is not valid JSON.`, {
          excerpt: excerptOf(data, this.apiKey),
        });
      }
      return;
    }
    this.onJson(value, data);
  }

  private onJson(value: unknown, raw: string): void {
    if (value === null || typeof value !== 'object') {
      this.fail('malformed', `${this.origin} sent an event that is not a JSON object.`, {
        excerpt: excerptOf(raw, this.apiKey),
      });
      return;
    }
    const chunk = value as { choices?: unknown; usage?: unknown; error?: unknown; object?: unknown; model?: unknown };
    if ((chunk.error !== undefined && chunk.error !== null) || chunk.object === 'error') {
      this.streamError(value, raw);
      return;
    }
    const model = chunk.model;
    if (typeof model === 'string' && model !== this.lastModel && model !== '') {
      this.lastModel = model;
      this.events.push({ type: 'model', model });
    }
    const choices = chunk.choices;
    if (Array.isArray(choices)) {
      for (let i = 0; i < choices.length; i++) {
        const choice = choices[i] as ChunkChoice | null;
        if (choice !== null && typeof choice === 'object' && (choice.index === undefined || choice.index === 0))
          this.onChoice(choice);
      }
    }
    const usage = chunk.usage;
    if (usage !== null && typeof usage === 'object') this.events.push({ type: 'usage', usage: usageOf(usage) });
  }

  private onChoice(choice: ChunkChoice): void {
    const delta = choice.delta ?? choice.message;
    if (delta !== null && typeof delta === 'object') {
      const events = this.events;
      const role = delta.role;
      if (typeof role === 'string' && role !== this.lastRole) {
        this.lastRole = role;
        events.push({ type: 'role', role });
      }
      const reasoning = delta.reasoning;
      const reasoningContent = delta.reasoning_content;
      if (typeof reasoning === 'string' && reasoning !== '') {
        this.hasOutput = true;
        events.push({ type: 'reasoning', text: reasoning, source: 'reasoning' });
      }
      // Some servers send both fields with the same text during their migration: once is enough.
      if (typeof reasoningContent === 'string' && reasoningContent !== '' && reasoningContent !== reasoning) {
        this.hasOutput = true;
        events.push({ type: 'reasoning', text: reasoningContent, source: 'reasoning_content' });
      }
      const content = delta.content;
      if (typeof content === 'string' && content !== '') {
        this.hasOutput = true;
        if (this.think) this.think.push(content, events);
        else events.push({ type: 'content', text: content });
      }
      const toolCalls = delta.tool_calls;
      if (Array.isArray(toolCalls)) this.onToolCalls(toolCalls as (ToolCallDelta | null)[]);
    }
    const reason = choice.finish_reason;
    if (typeof reason === 'string' && reason !== '') {
      this.sawFinish = true;
      this.flushThink();
      this.events.push({ type: 'finish', reason });
    }
  }

  private onToolCalls(toolCalls: (ToolCallDelta | null)[]): void {
    for (let i = 0; i < toolCalls.length; i++) {
      const call = toolCalls[i];
      if (call === null || typeof call !== 'object') continue;
      this.hasOutput = true;
      const event: StreamEvent & { type: 'tool-call' } = {
        type: 'tool-call',
        index: typeof call.index === 'number' ? call.index : i,
      };
      if (typeof call.id === 'string') event.id = call.id;
      const fn = call.function;
      if (fn !== null && typeof fn === 'object') {
        if (typeof fn.name === 'string') event.name = fn.name;
        if (typeof fn.arguments === 'string') event.argumentsDelta = fn.arguments;
      }
      this.events.push(event);
    }
  }

  private parseLoose(data: string): unknown {
    try {
      return JSON.parse(data);
    } catch {
      return data;
    }
  }

  private streamError(value: unknown, raw: string): void {
    const info = typeof value === 'string' ? { message: value.trim() || undefined } : (errorInfoOf(value) ?? {});
    const serverMessage = serverMessageOf(info.message, this.apiKey);
    const code = info.code ?? info.type;
    const kind: ChatErrorKind = isContextLengthError(info) ? 'context-length' : 'stream-error';
    const what =
      kind === 'context-length'
        ? 'The conversation is too long for the model'
        : `${this.origin} reported an error mid-stream`;
    this.fail(kind, `${what}${serverMessage ? `: ${serverMessage}` : '.'}`, {
      code,
      serverMessage,
      excerpt: excerptOf(raw, this.apiKey),
    });
  }

  private onParseError(error: ParseError): void {
    if (this.finished || this.failure) return;
    if (error.type === 'max-buffer-size-exceeded') {
      const limit = `${Math.round(this.maxEventBytes / 1024)} KiB`;
      this.fail('too-large', `${this.origin} sent a single event larger than ${limit}; stopped reading it.`);
      return;
    }
    if (error.type !== 'unknown-field') return; // invalid `retry:` values are ignored, per the SSE standard
    // llama.cpp server writes a mid-stream error as an `error: {"code","message","type"}` field (then `[DONE]`).
    if (error.field === 'error') {
      this.sawEvent = true;
      const value = error.value ?? '';
      this.streamError(this.parseLoose(value), value);
      return;
    }
    // Ollama (and some proxies) write a bare JSON error line without `data:`; the parser sees an unknown field.
    const line = error.line ?? error.field ?? '';
    if (!this.sawEvent && this.firstStrayLine === undefined) this.firstStrayLine = line;
    if (line.charCodeAt(0) !== 123 /* { */) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return; // some other unknown field: ignored, per the SSE standard
    }
    if (
      value !== null &&
      typeof value === 'object' &&
      ('error' in value || (value as { object?: unknown }).object === 'error')
    )
      this.streamError(value, line);
  }
}
