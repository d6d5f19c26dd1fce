// Code that travels with a question: an ask command's selection, an attached file. No 'vscode'
// import: commands hand in plain text, so formatting and estimates are unit-tested in plain Node.
import type { CodeSnippet } from '../protocol';

/** A fence longer than any backtick run in `text`, so the text cannot close it. */
export function fenced(text: string, languageId: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((run) => run[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${languageId}\n${text}${text.endsWith('\n') || text === '' ? '' : '\n'}${fence}`;
}

/** Characters a token holds on average before a server's counts have taught better (English-like text). */
export const DEFAULT_CHARS_PER_TOKEN = 4;

/**
 * `text`'s length as a tokenizer weighs it, in characters: an ASCII character counts 1, any other
 * a whole token's worth at the default ratio (CJK characters and emoji take 1–3 tokens each).
 */
export function tokenWeight(text: string): number {
  let weight = 0;
  for (let i = 0; i < text.length; i++) weight += text.charCodeAt(i) < 128 ? 1 : DEFAULT_CHARS_PER_TOKEN;
  return weight;
}

/**
 * Tokens `text` will take, estimated without a tokenizer: its `tokenWeight` over `charsPerToken`
 * (what the server's counts taught for the model, else the default). Rounded up, so an estimate
 * errs on the full side.
 */
export function estimateTokens(text: string, charsPerToken = DEFAULT_CHARS_PER_TOKEN): number {
  return Math.ceil(tokenWeight(text) / charsPerToken);
}

/** `src/a.ts:10-20`, `src/a.ts:7`, or the path alone for a whole file. */
export function snippetLabel(path: string, range?: { startLine: number; endLine: number }): string {
  if (range === undefined) return path;
  return range.startLine === range.endLine
    ? `${path}:${range.startLine}`
    : `${path}:${range.startLine}-${range.endLine}`;
}

/** How a snippet is introduced to the model: its label and language, then the fenced code. */
export function snippetForModel(snippet: CodeSnippet): string {
  const what = snippet.range === undefined ? 'File:' : 'Code from';
  const about = snippet.description !== undefined ? `, ${snippet.description}` : '';
  const heading = `${what} ${snippetLabel(snippet.path, snippet.range)} (${snippet.languageId}${about}):`;
  return `${heading}\n${fenced(snippet.code, snippet.languageId)}`;
}

/** A user turn's text as sent: the snippets first, each fenced with its path, then the question. */
export function userMessageContent(text: string, snippets: readonly CodeSnippet[] | undefined): string {
  if (snippets === undefined || snippets.length === 0) return text;
  return [...snippets.map(snippetForModel), text].join('\n\n');
}
