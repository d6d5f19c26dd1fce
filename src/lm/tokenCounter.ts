// Token counts for VS Code's prompt budgeting. Its agent asks thousands of times per turn (once per
// tool schema), so a count is arithmetic on lengths — no tokenizer, no pass over the text, no copies —
// scaled by the characters per token the server's usage taught for the model (shared with the chat).
import type { TokenCalibrations } from '../core/tokenCalibration';
import type { LanguageModelChatRequestMessage } from './lmApi';

export class TokenCounter {
  constructor(private readonly calibrations: TokenCalibrations) {}

  count(origin: string, modelId: string, text: string | LanguageModelChatRequestMessage): number {
    const characters = typeof text === 'string' ? text.length : messageLength(text);
    return this.calibrations.for(origin, modelId).estimateWeight(characters);
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
