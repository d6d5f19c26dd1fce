// A code block being streamed, grown by appending its new text. While a fence is open its content
// is plain text, shown verbatim (markdown.ts renders it escaped, unhighlighted), so parsing,
// rendering and sanitizing the whole block every frame only to add a line to one text node costs
// time growing with the block. When the open tail is one such fence, new text that cannot close it
// is appended to its code's text node instead; the DOM is the same a whole render makes. Anything
// else (a line that may close it, a carriage return or NUL markdown-it would rewrite) goes back to
// the whole render.
import { closesFence } from './markdownLines';
import type { Token } from './markdownRender';

export class GrowingFence {
  private constructor(
    /** The opening fence's characters (``` or ~~~~ …). */
    private readonly markup: string,
    private readonly code: Element,
    /** Characters of the tail (from the fence's opening line) shown in the code so far. */
    private shown: number,
  ) {}

  /**
   * The fence to grow, when the open tail is one open fence, `token`, whose opening line starts at
   * `lineStart` of `visible` in the first column (so its lines are its content as they are),
   * rendered into `element`; `frozen` characters of `visible` before it are now frozen.
   */
  static of(
    token: Token,
    visible: string,
    lineStart: number,
    frozen: number,
    element: ChildNode | undefined,
  ): GrowingFence | undefined {
    const open = (token.meta as { open?: boolean } | null)?.open === true;
    if (token.type !== 'fence' || !open || token.level !== 0 || !visible.startsWith(token.markup, lineStart)) return;
    const code = element?.nodeType === 1 ? (element as Element).querySelector('pre > code') : null;
    if (code === null || code.childNodes.length > 1) return;
    return new GrowingFence(token.markup, code, visible.length - frozen);
  }

  /**
   * Shows the tail `visible` (the fence from its start, as the tail it was found in after the text
   * before it froze) by appending what is new; false when that may change more than the code's end.
   */
  extend(visible: string): boolean {
    if (visible.length < this.shown) return false;
    const added = visible.slice(this.shown);
    if (added === '') return true;
    // markdown-it rewrites CR, CRLF (also split across the old end) and NUL: a whole render shows them.
    if (visible.charCodeAt(this.shown - 1) === 13 || added.includes('\r') || added.includes('\0')) return false;
    if (this.mayClose(visible)) return false;
    const text = this.code.firstChild;
    if (text === null) this.code.append(added);
    else if (text.nodeType === 3) (text as Text).appendData(added);
    else return false;
    this.shown = visible.length;
    return true;
  }

  /** Whether a line starting in the new text could close the fence (then a whole render decides). */
  private mayClose(visible: string): boolean {
    let start = visible.charCodeAt(this.shown - 1) === 10 ? this.shown : visible.indexOf('\n', this.shown) + 1;
    while (start > 0 && start < visible.length) {
      const end = visible.indexOf('\n', start);
      if (closesFence(visible.slice(start, end === -1 ? undefined : end), this.markup, true)) return true;
      start = end + 1;
    }
    return false;
  }
}
