// Line helpers of the streaming renderer (markdown.ts, openBlock windows): where lines start as
// markdown-it counts them, which fences are still open at the end of the text streamed so far, which
// line being typed is not shown yet, and which line settles that a block exists.
import type { Token } from './markdownRender';

/** Offsets where lines start (index 0 = 0, then one per line break: \n, \r\n or \r, as markdown-it counts them). */
export function lineStarts(text: string): number[] {
  const starts = [0];
  if (!text.includes('\r')) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    return starts;
  }
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 13 && text.charCodeAt(i + 1) === 10) i++;
    if (ch === 10 || ch === 13) starts.push(i + 1);
  }
  return starts;
}

// A closing fence line: inside a container (a list item, a quote) after its markers; at the top
// level with at most 3 spaces before it (4 make it a line of the code).
const CLOSING_FENCE = /^[ \t>]*(`{3,}|~{3,})[ \t]*$/;
const TOP_LEVEL_CLOSING_FENCE = /^ {0,3}(`{3,}|~{3,})[ \t]*$/;

/** Whether `line` (its break trimmed) closes a fence opened with `markup`. */
export function closesFence(line: string, markup: string, topLevel: boolean): boolean {
  const closing = (topLevel ? TOP_LEVEL_CLOSING_FENCE : CLOSING_FENCE).exec(line.trimEnd());
  return closing !== null && closing[1][0] === markup[0] && closing[1].length >= markup.length;
}

/**
 * Marks fences that are still open (they run to the end of `text` with no closing line that has
 * ended): they render as plain text. A fence that closed, or whose container ended, is highlighted.
 */
export function markOpenFences(tokens: Token[], from: number, text: string, starts: number[]): void {
  const complete = starts.length - 1;
  const lineCount = complete + (starts[complete] < text.length ? 1 : 0);
  for (let i = from; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.type !== 'fence' || token.map === null || token.map[1] < lineCount) continue;
    const last = token.map[1] - 1;
    const closed =
      last > token.map[0] &&
      last < complete &&
      closesFence(text.slice(starts[last], starts[last + 1]), token.markup, token.level === 0);
    if (!closed) token.meta = { open: true };
  }
}

// A line being typed that is only markers so far (`#`, `***`, `-`, ```` ``` ````, `1.`, `>`) is not
// shown until it has more, so a heading, rule, list or setext underline does not flash.
const AMBIGUOUS_PARTIAL_LINE = /^[ \t>]*(?:#{1,6}|[-*_+=]+|[`~]+|\d{1,9}[.)]?|\|)?[ \t]*$/;

/** The text without its last, unended line when that line is only markers so far. */
export function withoutAmbiguousPartialLine(text: string): string {
  const lastBreak = Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r'));
  const partial = text.slice(lastBreak + 1);
  return partial !== '' && AMBIGUOUS_PARTIAL_LINE.test(partial) ? text.slice(0, lastBreak + 1) : text;
}

/**
 * The line whose end settles that `block` exists: its first, except for a table, which exists
 * only with its delimiter row (`a | b` then `|---|--` is a table; `|---|--x` makes both lines part
 * of the paragraph before, since a table can interrupt a paragraph).
 */
export function settledFrom(block: Token): number {
  return block.map![0] + (block.type === 'table_open' ? 1 : 0);
}
