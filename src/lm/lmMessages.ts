// VS Code's language-model messages and tools → the client's request, and the model's tool calls back.
// No 'vscode' import: parts are recognised by their shape (the extension host hands in instances of
// its part classes, unit tests plain objects), so every rule here is unit-tested in plain Node.
import type { ChatImage, ChatMessage, ChatTool, ChatToolCall, ToolCall } from '../api';

/** `LanguageModelChatMessageRole`: the stable API names User (1) and Assistant; the agent also sends System. */
const ASSISTANT = 2;
const SYSTEM = 3;

/** A message as `provideLanguageModelChatResponse` receives it. */
export interface ProviderMessage {
  readonly role: number;
  readonly content: ReadonlyArray<unknown>;
}

/** A tool as VS Code offers it (`LanguageModelChatTool`). */
export interface ProviderTool {
  readonly name: string;
  readonly description: string;
  readonly inputSchema?: object | undefined;
}

/** The reasoning that went with an assistant's tool calls, to be sent back with them. */
export type ReasoningLookup = (callId: string) => ChatMessage['reasoning'];

/** A tool call ready to become a `LanguageModelToolCallPart`. */
export interface ParsedToolCall {
  callId: string;
  name: string;
  input: object;
}

/** The tool's arguments are not a JSON object: the model's mistake, named, never a crash. */
export class ToolArgumentsError extends Error {
  constructor(
    readonly toolName: string,
    detail: string,
  ) {
    super(`The model called the tool "${toolName}" with arguments that are not a JSON object (${detail}).`);
    this.name = 'ToolArgumentsError';
  }
}

/**
 * The conversation as the client sends it. A user message's tool results become `tool` messages
 * right after the assistant turn that called them (where every server expects them), its text a
 * user message after those. Call ids that some servers would refuse are renamed, consistently.
 */
export function toChatMessages(messages: readonly ProviderMessage[], reasoningFor: ReasoningLookup): ChatMessage[] {
  const ids = new CallIds();
  const out: ChatMessage[] = [];
  for (const message of messages) {
    const texts: string[] = [];
    const calls: ChatToolCall[] = [];
    const images: ChatImage[] = [];
    for (const part of message.content) {
      if (isToolCall(part)) calls.push({ id: ids.wire(part.callId), name: part.name, arguments: argumentsText(part) });
      else if (isToolResult(part))
        out.push({ role: 'tool', toolCallId: ids.wire(part.callId), content: partsText(part.content) });
      else if (isImage(part))
        images.push({ mimeType: part.mimeType, base64: Buffer.from(part.data).toString('base64') });
      else texts.push(partText(part));
    }
    const content = texts.join('');
    if (message.role === ASSISTANT) {
      const assistant: ChatMessage = { role: 'assistant', content };
      if (calls.length > 0) {
        assistant.toolCalls = calls;
        const first = message.content.find(isToolCall);
        const reasoning = first !== undefined ? reasoningFor(first.callId) : undefined;
        if (reasoning !== undefined) assistant.reasoning = reasoning;
      }
      if (content !== '' || calls.length > 0) out.push(assistant);
    } else if (message.role !== SYSTEM && images.length > 0) {
      // Only a model whose listing says it reads images is offered them (modelCatalog.ts).
      out.push({ role: 'user', content, images });
    } else if (content !== '') {
      // An unknown role is taken as the user's: its words must not vanish.
      out.push({ role: message.role === SYSTEM ? 'system' : 'user', content });
    }
  }
  return out;
}

export function toChatTools(tools: readonly ProviderTool[] | undefined): ChatTool[] | undefined {
  if (tools === undefined || tools.length === 0) return undefined;
  return tools.map((tool) => {
    const chatTool: ChatTool = { name: tool.name, description: tool.description };
    if (tool.inputSchema !== undefined) chatTool.parameters = tool.inputSchema;
    return chatTool;
  });
}

/**
 * The calls an answer asked for, each with its parsed input and an id of ours (unique, and in the
 * nine-letter form Mistral's servers demand); throws `ToolArgumentsError` for arguments that are not
 * a JSON object. Calls without a name (a server that broke off mid-call) are left out.
 */
export function parseToolCalls(calls: readonly ToolCall[], newId: () => string = randomCallId): ParsedToolCall[] {
  const parsed: ParsedToolCall[] = [];
  for (const call of calls) {
    if (call.name === undefined || call.name === '') continue;
    parsed.push({ callId: newId(), name: call.name, input: parseArguments(call.name, call.arguments) });
  }
  return parsed;
}

function parseArguments(name: string, text: string): object {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ToolArgumentsError(name, error instanceof Error ? error.message : String(error));
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ToolArgumentsError(name, `got ${Array.isArray(value) ? 'an array' : String(value)}`);
  return value;
}

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** Nine letters and digits: what vLLM's Mistral tool parser requires, and unique enough for a conversation. */
export function randomCallId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(9));
  let id = '';
  for (const byte of bytes) id += ID_ALPHABET[byte % ID_ALPHABET.length];
  return id;
}

/** Ids of calls made through other providers (`toolu_…`, `call_…`) renamed to the nine-letter form. */
class CallIds {
  private readonly renamed = new Map<string, string>();

  wire(id: string): string {
    if (/^[A-Za-z0-9]{9}$/.test(id)) return id;
    let wire = this.renamed.get(id);
    if (wire === undefined) {
      wire = `call${String(this.renamed.size + 1).padStart(5, '0')}`;
      this.renamed.set(id, wire);
    }
    return wire;
  }
}

interface ToolCallShape {
  callId: string;
  name: string;
  input: unknown;
}

interface ToolResultShape {
  callId: string;
  content: readonly unknown[];
}

function isToolCall(part: unknown): part is ToolCallShape {
  if (typeof part !== 'object' || part === null) return false;
  const { callId, name } = part as Partial<ToolCallShape>;
  return typeof callId === 'string' && typeof name === 'string' && 'input' in part;
}

/** A `LanguageModelDataPart` holding an image (VS Code sends them only to models with `imageInput`). */
function isImage(part: unknown): part is { mimeType: string; data: Uint8Array } {
  if (typeof part !== 'object' || part === null) return false;
  const { mimeType, data } = part as { mimeType?: unknown; data?: unknown };
  return typeof mimeType === 'string' && mimeType.startsWith('image/') && data instanceof Uint8Array;
}

function isToolResult(part: unknown): part is ToolResultShape {
  if (typeof part !== 'object' || part === null) return false;
  const { callId, content } = part as Partial<ToolResultShape>;
  return typeof callId === 'string' && Array.isArray(content);
}

function argumentsText(call: ToolCallShape): string {
  return JSON.stringify(call.input ?? {});
}

function partsText(parts: readonly unknown[]): string {
  return parts.map(partText).join('');
}

/** Text of a text part, a text/JSON data part, or a prompt-tsx part (its text nodes); '' for images. */
function partText(part: unknown): string {
  if (typeof part === 'string') return part;
  if (typeof part !== 'object' || part === null) return '';
  const { value, mimeType, data } = part as { value?: unknown; mimeType?: unknown; data?: unknown };
  if (typeof value === 'string') return value;
  if (typeof mimeType === 'string' && data instanceof Uint8Array)
    return /^text\/|json/.test(mimeType) ? new TextDecoder().decode(data) : '';
  if (value !== undefined) return textNodes(value);
  return '';
}

/** The text in a prompt-tsx element tree (`{ text }` nodes), in order. */
function textNodes(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(textNodes).join('');
  if (typeof value !== 'object' || value === null) return '';
  const record = value as Record<string, unknown>;
  if (typeof record.text === 'string') return record.text;
  return Object.values(record).map(textNodes).join('');
}
