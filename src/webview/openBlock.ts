// A long open block, grown without parsing it whole every frame. When the open tail of a streamed
// answer is one table or one tight list, its rows (items) before the last are settled: a later line
// can end the block or add to the last one, not change them. Only a window is parsed each frame: a
// table's header and delimiter rows plus its last rows, or a list's last items; the settled ones keep
// their nodes. The window's parse must still be one block of the same kind (one table; one tight list
// with the same marker) or the caller parses the whole tail again, which handles everything else: a
// list turning loose (then it is parsed whole until it ends), a definition in it. When the window shows
// the block ended, the caller freezes it from the nodes it already has (endedWindow). Pure: tokens in,
// numbers out.
import type { Token } from './markdownRender';

export interface GrowingBlock {
  kind: 'table' | 'list';
  /** Source put before every window: a table's header and delimiter rows ('' for a list). */
  head: string;
  /** A list's opening token type and marker (`-`, `*`, `.`, `)`), which the window must keep. */
  listType: string;
  markup: string;
  /** Where the window starts in the tail (after the frozen text): the start of the last row or item. */
  windowStart: number;
  /** Rows or items before the window, whose nodes are kept. */
  settled: number;
}

/** The rows of a table or the items of a list, at the top level: their opening tokens. */
function parts(tokens: Token[], from: number, to: number, kind: GrowingBlock['kind']): Token[] {
  const type = kind === 'table' ? 'tr_open' : 'list_item_open';
  const level = kind === 'table' ? 2 : 1;
  const found: Token[] = [];
  for (let i = from; i < to; i++)
    if (tokens[i].type === type && tokens[i].level === level && tokens[i].map !== null) found.push(tokens[i]);
  // A table's first row is its header.
  return kind === 'table' ? found.slice(1) : found;
}

/** A list renders tight: no paragraph of its items is shown as one. */
function tight(tokens: Token[], from: number, to: number): boolean {
  for (let i = from; i < to; i++)
    if (tokens[i].type === 'paragraph_open' && tokens[i].level === 2 && !tokens[i].hidden) return false;
  return true;
}

const LIST_TYPES = new Set(['bullet_list_open', 'ordered_list_open']);

/**
 * After a whole parse of the tail (`text`, lines starting at `starts`) whose only open block is the
 * one opened at `tokens[first]`, running to the end of `tokens`: how to grow it from a window, or
 * undefined (not a table or a tight list, fewer than two rows or items). `shift` is subtracted from
 * offsets in `text` to make them offsets in the tail that remains once the blocks before are frozen.
 */
export function growingBlock(
  tokens: Token[],
  first: number,
  text: string,
  starts: number[],
  shift: number,
): GrowingBlock | undefined {
  const open = tokens[first];
  const kind = open.type === 'table_open' ? 'table' : LIST_TYPES.has(open.type) ? 'list' : undefined;
  if (kind === undefined || open.map === null) return undefined;
  if (kind === 'list' && !tight(tokens, first, tokens.length)) return undefined;
  const found = parts(tokens, first, tokens.length, kind);
  if (found.length < 2) return undefined;
  const last = found[found.length - 1].map![0];
  return {
    kind,
    head: kind === 'table' ? text.slice(starts[open.map[0]], starts[open.map[0] + 2]) : '',
    listType: open.type,
    markup: open.markup,
    windowStart: starts[last] - shift,
    settled: found.length - 1,
  };
}

/**
 * The parse of a window (`block.head` + the tail from `block.windowStart`): whether it is still one
 * block of the same kind, and if so how many rows or items it holds and the line (in the window's
 * source) where its last one starts.
 */
export function windowShape(tokens: Token[], block: GrowingBlock): { parts: number; lastLine: number } | undefined {
  const open = tokens[0];
  const close = tokens[tokens.length - 1];
  if (open === undefined || open.level !== 0 || close.level !== 0 || close.nesting !== -1) return undefined;
  // One block: nothing else opens at the top level after the first token.
  for (let i = 1; i < tokens.length - 1; i++) if (tokens[i].level === 0) return undefined;
  if (
    block.kind === 'table' ? open.type !== 'table_open' : open.type !== block.listType || open.markup !== block.markup
  )
    return undefined;
  if (block.kind === 'list' && !tight(tokens, 0, tokens.length)) return undefined;
  const found = parts(tokens, 0, tokens.length, block.kind);
  if (found.length === 0) return undefined;
  return { parts: found.length, lastLine: found[found.length - 1].map![0] };
}

/**
 * The parse of a window whose block has ended: it opens with a block of the same kind, holding one
 * row or item at least, then other blocks may follow (none: the window ends with it). The index of
 * the block's closing token, the window line after it, its rows or items and the line where the last
 * starts, and the top-level token that follows it; or undefined.
 */
export function endedWindow(
  tokens: Token[],
  block: GrowingBlock,
): { close: number; endLine: number; parts: number; lastLine: number; next: Token | undefined } | undefined {
  const open = tokens[0];
  if (open === undefined || open.level !== 0 || open.map === null) return undefined;
  if (
    block.kind === 'table' ? open.type !== 'table_open' : open.type !== block.listType || open.markup !== block.markup
  )
    return undefined;
  let close = 1;
  while (close < tokens.length && tokens[close].level !== 0) close++;
  if (close === tokens.length) return undefined;
  if (block.kind === 'list' && !tight(tokens, 0, close)) return undefined;
  const found = parts(tokens, 0, close, block.kind);
  if (found.length === 0) return undefined;
  const lastLine = found[found.length - 1].map![0];
  return { close, endLine: open.map[1], parts: found.length, lastLine, next: tokens[close + 1] };
}
