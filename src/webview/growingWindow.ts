// The DOM side of a long open table or list (openBlock.ts has the token side): each frame parses
// only a window of its last rows or items and patches them over those after the settled ones. When
// another block follows, it is rendered after it from the same window until its first line has ended;
// then the block has ended, and its nodes are already what a whole render makes: the caller freezes
// them as they are. A 500-row table is not parsed, sanitized and built again as it ends.
import { patchRows, updateBlock, type RenderedBlock } from './domPatch';
import { lineStarts, markOpenFences, settledFrom } from './markdownLines';
import { htmlToFragment, renderTokens } from './markdownRender';
import type { MarkdownEnv, Token } from './markdownRender';
import { endedWindow, windowShape, type GrowingBlock } from './openBlock';

/** 'grown': still open, its rows patched. A number: it ended there (characters of the tail it holds). */
export type WindowOutcome = 'grown' | number | undefined;

export class GrowingWindow {
  /** The block that starts after it, on a line still being typed, as last rendered. */
  private next: RenderedBlock = { html: '', nodes: [] };

  private constructor(
    private readonly block: GrowingBlock,
    /** The table's body or the list: where the rows or items are. */
    private readonly container: Element,
    /** The block's element (the table, the list). */
    private readonly element: Element,
  ) {}

  /** For the live block `element` that `block` describes, or undefined when its DOM is not that block. */
  static of(block: GrowingBlock | undefined, element: ChildNode | undefined): GrowingWindow | undefined {
    const view = element?.ownerDocument?.defaultView;
    if (block === undefined || view === null || view === undefined || !(element instanceof view.Element))
      return undefined;
    const container = block.kind === 'table' ? element.querySelector(':scope > tbody') : element;
    if (container === null || container.children.length <= block.settled) return undefined;
    return new GrowingWindow({ ...block }, container, element);
  }

  /**
   * Renders the block from its window of `visible` (the tail as shown; all of it once the stream is
   * `final`). Undefined: render the tail whole (the window is no longer such a block, or it defined a
   * link reference).
   */
  render(
    visible: string,
    final: boolean,
    parse: (text: string, env: MarkdownEnv) => Token[],
    references: MarkdownEnv['references'],
  ): WindowOutcome {
    const { block } = this;
    const source = block.head + visible.slice(block.windowStart);
    const env: MarkdownEnv = { references: { ...references }, deferredCode: [] };
    const tokens = parse(source, env);
    const starts = lineStarts(source);
    const shape = final ? undefined : windowShape(tokens, block);
    const ended = shape === undefined ? endedWindow(tokens, block) : undefined;
    const defines = Object.keys(env.references).length !== Object.keys(references).length;
    if ((shape === undefined && ended === undefined) || defines) return this.forgetNext();
    // The block ended for good once the stream is over or what follows it settled that it exists.
    const over = final || (ended?.next?.map != null && settledFrom(ended.next) < starts.length - 1);
    if (!over) markOpenFences(tokens, 0, source, starts);
    const html = renderTokens(tokens.slice(0, (ended?.close ?? tokens.length) + 1), env);
    const rendered = htmlToFragment(html, this.element.ownerDocument);
    patchRows(
      this.container,
      block.settled,
      block.kind === 'table' ? rendered.querySelector('tbody') : rendered.firstElementChild,
    );
    if (over) {
      this.forgetNext();
      return block.windowStart + (starts[ended!.endLine] ?? source.length) - block.head.length;
    }
    if (ended !== undefined) this.renderNext(tokens.slice(ended.close + 1), env);
    else this.forgetNext();
    const grown = shape ?? ended!;
    if (grown.parts > 1) {
      block.settled += grown.parts - 1;
      block.windowStart += starts[grown.lastLine] - block.head.length;
    }
    return 'grown';
  }

  /** The block after this one, still being typed: rendered after it, patched in place. */
  private renderNext(tokens: Token[], env: MarkdownEnv): void {
    const html = renderTokens(tokens, env);
    const build = () => [...htmlToFragment(html, this.element.ownerDocument).childNodes];
    this.next = updateBlock(this.element.parentNode!, this.next, html, build).block;
  }

  /** Removes the block after it (the caller renders what follows from now on). */
  private forgetNext(): undefined {
    for (const node of this.next.nodes) node.remove();
    this.next = { html: '', nodes: [] };
    return undefined;
  }
}
