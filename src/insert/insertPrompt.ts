// What "Insert at Cursor" / "Rewrite Selection" ask the model: the instruction, the code around the
// cursor (and the selection), the file's language and path, and code only. No 'vscode' import: the
// command hands in plain text, so the prompt is unit-tested in plain Node.
import type { ChatMessage } from '../api';
import { fenced } from '../shared/snippets';

export type InsertMode = 'insert' | 'rewrite';

export interface InsertContext {
  mode: InsertMode;
  instruction: string;
  languageId: string;
  /** Workspace-relative path, or the untitled name. */
  path: string;
  /** Lines above the cursor (or the selection), up to the cursor. */
  before: string;
  /** The selected text: replaced in rewrite mode, context in insert mode (may be empty). */
  selection: string;
  /** From the cursor (or the end of the selection) on, some lines down. */
  after: string;
}

/** Standing instructions for both commands: the answer goes into a file as it streams. */
export const CODE_ONLY_INSTRUCTIONS =
  'Your reply is written straight into the user’s file as it streams. Reply with the code only: no explanation, ' +
  'no Markdown fences, no repetition of the surrounding code. Match the file’s language, indentation and style.';

export function insertMessages(context: InsertContext): ChatMessage[] {
  const { mode, languageId, path } = context;
  const parts = [`File: ${path} (${languageId})`];
  if (context.before !== '')
    parts.push(
      `Code before the ${mode === 'rewrite' ? 'selection' : 'cursor'}:\n${fenced(context.before, languageId)}`,
    );
  if (mode === 'rewrite')
    parts.push(`Selected code, to be replaced by your reply:\n${fenced(context.selection, languageId)}`);
  else if (context.selection !== '')
    parts.push(`Selected code (the cursor is at its end):\n${fenced(context.selection, languageId)}`);
  if (context.after !== '')
    parts.push(`Code after the ${mode === 'rewrite' ? 'selection' : 'cursor'}:\n${fenced(context.after, languageId)}`);
  const task = mode === 'rewrite' ? 'Rewrite the selected code' : 'Write the code to insert at the cursor';
  parts.push(`${task}. Instruction: ${context.instruction.trim()}`);
  return [{ role: 'user', content: parts.join('\n\n') }];
}
