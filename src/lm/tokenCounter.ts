// Token counts for VS Code's prompt budgeting. Its agent asks thousands of times per turn (once per
// tool schema), so a count is arithmetic on lengths: no tokenizer, no copies of the text.
import type { LanguageModelChatRequestMessage } from './lmApi';

/** Characters per token before the server has told us better (English prose and code). */
const DEFAULT_CHARS_PER_TOKEN = 4;

export class TokenCounter {
  private readonly charsPerToken = new Map<string, number>();

  /** Learned from the server's usage: `characters` sent or received took `tokens`. */
  calibrate(modelId: string, charsPerToken: number): void {
    if (Number.isFinite(charsPerToken) && charsPerToken > 0) this.charsPerToken.set(modelId, charsPerToken);
  }

  count(modelId: string, text: string | LanguageModelChatRequestMessage): number {
    const ratio = this.charsPerToken.get(modelId) ?? DEFAULT_CHARS_PER_TOKEN;
    const characters = typeof text === 'string' ? text.length : messageLength(text);
    return Math.ceil(characters / ratio);
  }
}

/** Characters of a message's text, tool calls (their input as JSON) and tool results. */
function messageLength(message: LanguageModelChatRequestMessage): number {
  let length = 0;
  for (const part of message.content) length += partLength(part);
  return length;
}

function partLength(part: unknown): number {
  if (typeof part === 'string') return part.length;
  if (typeof part !== 'object' || part === null) return 0;
  const { value, input, content, name } = part as Partial<Record<'value' | 'input' | 'content' | 'name', unknown>>;
  if (typeof value === 'string') return value.length;
  if (Array.isArray(content)) return content.reduce((sum: number, inner: unknown) => sum + partLength(inner), 0);
  if (input !== undefined) return (typeof name === 'string' ? name.length : 0) + JSON.stringify(input).length;
  return 0;
}
