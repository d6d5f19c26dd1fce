// Streamed markdown, rendered incrementally, at most once per animation frame. Only the open tail
// (the text after the last finished top-level block) is parsed: a block is finished once the next
// starts on an ended line (a lone `#` or `***` being typed may still become something else; a table
// needs its delimiter row ended). Finished blocks are attached once, in groups (frozenGroups.ts),
// never touched again: as the tail had them when nothing changed, else rendered and sanitized. The
// tail is re-rendered into one live element, block by block, patched in place; a long table or list
// grows from a window of its last rows (openBlock.ts, growingWindow.ts), an open code block by
// appending its text (openFence.ts). Frozen chunks concatenate exactly as a one-shot render emits
// them, so the finished DOM is byte-identical to `reset(text); finish()`. Link reference definitions
// carry over through one markdown-it `env`; a chunk that used a label before its definition is
// rendered again.
import { DeferredHighlights } from './deferredHighlight';
import { updateBlock, type RenderedBlock } from './domPatch';
import { FrozenGroups } from './frozenGroups';
import { appendPlain, renderWhole } from './markdownBaselines';
import { lineStarts, markOpenFences, settledFrom, withoutAmbiguousPartialLine } from './markdownLines';
import { htmlToFragment, md, renderTokens, undefinedLabels } from './markdownRender';
import type { DeferredCode, MarkdownEnv, Token } from './markdownRender';
import { newRenderStats, type RenderStats } from './markdownStats';
import { growingBlock } from './openBlock';
import { GrowingWindow } from './growingWindow';
import { GrowingFence } from './openFence';

export interface StreamingMarkdownOptions {
  /**
   * Bench baselines only: `whole` re-renders the whole message at every frame instead of only the
   * open tail; `plain` shows the raw text in one text node, appending each frame's new text (no
   * markdown at all: what a plain-text panel costs).
   */
  baseline?: 'whole' | 'plain';
}

/** A frozen chunk that mentions a label not defined (yet): kept so a later definition can fix it. */
interface PendingChunk {
  source: string;
  nodes: ChildNode[];
  labels: Set<string>;
}

const newEnv = (): MarkdownEnv => ({ references: {} });

export class StreamingMarkdown {
  readonly stats: RenderStats = newRenderStats();
  // Frozen text in pieces, the tail apart: slicing one growing string flattens and copies it all.
  private frozenParts: string[] = [];
  private tail = '';
  /** Characters in frozenParts (mirrored in stats.frozenChars). */
  private frozenLength = 0;
  /** References defined in frozen chunks (the tail parses against a copy). */
  private refs = newEnv();
  private pending: PendingChunk[] = [];
  private readonly groups: FrozenGroups;
  /** Closed code blocks frozen as plain text, coloured after their frame (deferredHighlight.ts). */
  private readonly highlights: DeferredHighlights;
  /** The element the open tail renders into (the last child of root while streaming)… */
  private live: HTMLElement | undefined;
  /** …and what it holds, block by block: its top-level blocks as last rendered. */
  private liveBlocks: RenderedBlock[] = [];
  /** The open tail is one long table or list, grown from a window (growingWindow.ts). */
  private growing: GrowingWindow | undefined;
  /** The open tail is one open code block, grown by appending to its text (openFence.ts). */
  private fence: GrowingFence | undefined;
  private frame: number | undefined;
  private dirty = false;
  private clearOnRender = false;
  private finished = false;
  private disposed = false;

  constructor(
    private readonly root: HTMLElement,
    private readonly options: StreamingMarkdownOptions = {},
  ) {
    this.groups = new FrozenGroups(root, () => this.live ?? null);
    this.highlights = new DeferredHighlights(this.window);
  }

  get text(): string {
    return this.frozenParts.join('') + this.tail;
  }

  /** Whether the text is `text`, compared piece by piece: joining a long answer's pieces copies it all. */
  hasText(text: string): boolean {
    if (text.length !== this.frozenLength + this.tail.length) return false;
    let at = 0;
    for (const part of this.frozenParts) {
      if (!text.startsWith(part, at)) return false;
      at += part.length;
    }
    return text.startsWith(this.tail, at);
  }

  /** Appends streamed text; renders at most once per animation frame (requestAnimationFrame). */
  append(text: string): void {
    if (text === '') return;
    // More text after finish(): the last frozen block may continue, so start over.
    if (this.finished) {
      this.reset(this.text + text);
      return;
    }
    this.tail += text;
    this.schedule();
  }

  /** Replaces the whole text (a snapshot, or content that turned out to be reasoning) and re-renders from scratch. */
  reset(text: string): void {
    this.cancelFrame();
    this.frozenParts = [];
    this.tail = text;
    this.frozenLength = 0;
    this.refs = newEnv();
    this.pending = [];
    this.highlights.clear();
    this.finished = false;
    // The old DOM stays until the next render replaces it (no blank frame in between).
    this.clearOnRender = true;
    this.schedule();
  }

  /** The stream ended: renders what is new now (an unused Thinking section has none), the tail as finished. */
  finish(): void {
    if (this.disposed) return;
    this.cancelFrame();
    if (this.dirty || this.tail !== '' || this.clearOnRender) this.render(true);
    else this.highlights.flush();
    this.finished = true;
  }

  /** Render pending text now (tests, bench). */
  flush(): void {
    if (!this.dirty || this.disposed) return;
    this.cancelFrame();
    this.render(false);
  }

  /** Cancels a pending frame; the DOM stays as it is. */
  dispose(): void {
    this.cancelFrame();
    this.highlights.clear();
    this.disposed = true;
  }

  private get window(): Window & typeof globalThis {
    return this.root.ownerDocument.defaultView as Window & typeof globalThis;
  }

  private schedule(): void {
    this.dirty = true;
    if (this.frame !== undefined || this.disposed) return;
    this.frame = this.window.requestAnimationFrame(() => {
      this.frame = undefined;
      if (this.dirty) this.render(false);
    });
  }

  private cancelFrame(): void {
    if (this.frame !== undefined) this.window.cancelAnimationFrame(this.frame);
    this.frame = undefined;
  }

  private render(final: boolean): void {
    this.dirty = false;
    this.stats.lastParsedChars = 0;
    if (this.clearOnRender) {
      this.root.replaceChildren();
      this.groups.clear();
      this.forgetLive();
      this.clearOnRender = false;
    }
    const { baseline } = this.options;
    const shown =
      baseline === 'whole'
        ? renderWhole(this.text, final, this.parse, this.root, this.groups)
        : baseline === 'plain'
          ? this.renderPlain()
          : this.renderTail(final);
    // Before the event: whoever follows the stream lays the answer out once, already coloured.
    if (final) this.highlights.flush();
    this.stats.renders++;
    this.stats.frozenChars = this.frozenLength;
    this.root.dispatchEvent(
      new this.window.CustomEvent('markdown-rendered', { bubbles: true, detail: { length: shown } }),
    );
  }

  private readonly parse = (text: string, env: MarkdownEnv): Token[] => {
    this.stats.parsedChars += text.length;
    this.stats.lastParsedChars += text.length;
    return md.parse(text, env);
  };

  /** The `plain` baseline: the new text appended as it is (and counted as frozen). */
  private renderPlain(): number {
    appendPlain(this.root, this.tail);
    this.freezeText(this.tail.length);
    return this.frozenLength;
  }

  /** The first `length` characters of the tail are now rendered for good. */
  private freezeText(length: number): void {
    if (length === 0) return;
    this.frozenParts.push(this.tail.slice(0, length));
    this.tail = this.tail.slice(length);
    this.frozenLength += length;
  }

  /** Freezes the finished blocks of the tail, re-renders the rest into the live element; returns the length shown. */
  private renderTail(final: boolean): number {
    if (final) return this.renderFinal();
    let visible = withoutAmbiguousPartialLine(this.tail);
    const grown = this.growOpenBlock(visible);
    if (grown === 'grown') return this.frozenLength + visible.length;
    visible = visible.slice(grown);
    const env: MarkdownEnv = { references: { ...this.refs.references }, deferredCode: [] };
    const tokens = this.parse(visible, env);
    const starts = lineStarts(visible);
    const completeLines = starts.length - 1;

    // Top-level blocks; the last one whose successor starts on an ended line is the last finished one.
    const blocks: number[] = [];
    for (let i = 0; i < tokens.length; i++)
      if (tokens[i].level === 0 && tokens[i].nesting !== -1 && tokens[i].map !== null) blocks.push(i);
    let finished = blocks.length - 2;
    while (finished >= 0 && settledFrom(tokens[blocks[finished + 1]]) >= completeLines) finished--;

    let frozenHere = 0;
    if (finished >= 0) {
      frozenHere = starts[tokens[blocks[finished]].map![1]];
      // The first ones as they are in the open tail, where nothing changed; the rest rendered.
      const kept = this.liveNodesOf(tokens, blocks, finished, env);
      const keptEnd = kept.count > 0 ? starts[tokens[blocks[kept.count - 1]].map![1]] : 0;
      if (kept.count > 0) this.freeze(visible.slice(0, keptEnd), kept.nodes);
      if (keptEnd < frozenHere) this.freeze(visible.slice(keptEnd, frozenHere));
      this.freezeText(frozenHere);
      // The other live versions go; the blocks after keep their place in liveBlocks.
      for (const gone of this.liveBlocks.splice(0, finished + 1).slice(kept.count))
        gone.nodes.forEach((n) => n.remove());
    }
    // The rest renders from this parse (its env held the same definitions, in the same order), block
    // by block: a block whose HTML did not change keeps its nodes, a changed one is patched in place.
    markOpenFences(tokens, blocks[finished + 1] ?? tokens.length, visible, starts);
    const live = this.liveElement();
    const next: RenderedBlock[] = [];
    for (let b = Math.max(finished + 1, 0); b < blocks.length; b++) {
      const html = renderTokens(tokens.slice(blocks[b], blocks[b + 1] ?? tokens.length), env);
      const build = () => [...htmlToFragment(html, live.ownerDocument).childNodes];
      const { block, how } = updateBlock(live, this.liveBlocks[next.length], html, build);
      next.push(block);
      if (how === 'grown') this.stats.grownTexts++;
      // A closed code block is coloured in the next idle period, not only once the block after it ends.
      if (how === 'built' && tokens[blocks[b]].type === 'fence') this.highlights.addFrom(block.nodes);
    }
    for (const block of this.liveBlocks.slice(next.length)) for (const node of block.nodes) node.remove();
    this.liveBlocks = next;
    if (blocks.length > 0 && finished + 2 === blocks.length) {
      const open = tokens[blocks[finished + 1]];
      this.fence = GrowingFence.of(open, visible, starts[open.map![0]], frozenHere, this.liveBlocks[0].nodes[0]);
      if (Object.keys(env.references).length === Object.keys(this.refs.references).length)
        this.growing = GrowingWindow.of(
          growingBlock(tokens, blocks[finished + 1], visible, starts, frozenHere),
          this.liveBlocks[0].nodes[0],
        );
    }
    return this.frozenLength + visible.length - frozenHere;
  }

  /** The tail rendered as finished: an open table or list that it starts with frozen as it is, the rest rendered. */
  private renderFinal(): number {
    const ended = this.growing?.render(this.tail, true, this.parse, this.refs.references);
    if (typeof ended === 'number') this.freezeLive(ended);
    const tail = this.tail;
    if (tail !== '') this.freeze(tail);
    this.freezeText(tail.length);
    this.forgetLive();
    return this.frozenLength;
  }

  /**
   * The one open block grown in place, if it can be: an open code block, a long table or list.
   * 'grown', or how many characters of `visible` it ended in (frozen as it is; 0: none).
   */
  private growOpenBlock(visible: string): 'grown' | number {
    if (this.fence?.extend(visible) === true) {
      this.liveBlocks[0].html = '';
      return 'grown';
    }
    this.fence = undefined;
    const outcome = this.growing?.render(visible, false, this.parse, this.refs.references);
    // Its rows were patched: the live block's HTML no longer describes its DOM.
    if (outcome !== undefined) this.liveBlocks[0].html = '';
    if (outcome === 'grown') return outcome;
    this.growing = undefined;
    if (outcome === undefined) return 0;
    this.freezeLive(outcome);
    return outcome;
  }

  /**
   * How many of the blocks up to `finished` the open tail has with the HTML this parse renders for
   * them (none if the tail defines a link label), and their nodes: frozen as they are, their code
   * blocks coloured in place, instead of being rendered, sanitized and built again.
   */
  private liveNodesOf(tokens: Token[], blocks: number[], finished: number, env: MarkdownEnv) {
    const nodes: ChildNode[] = [];
    let count = 0;
    if (Object.keys(env.references).length !== Object.keys(this.refs.references).length) return { count, nodes };
    const compared: MarkdownEnv = { references: env.references, deferredCode: [] };
    for (; count <= finished; count++) {
      const live = this.liveBlocks[count] as RenderedBlock | undefined;
      const html = live === undefined || live.html === '' ? undefined : live.html;
      if (html !== renderTokens(tokens.slice(blocks[count], blocks[count + 1] ?? tokens.length), compared)) break;
      nodes.push(...live!.nodes);
    }
    this.highlights.addFrom(nodes);
    this.stats.keptBlocks += count;
    return { count, nodes };
  }

  /** The live block, a growing block that ended in the first `length` characters of the tail, frozen as it is. */
  private freezeLive(length: number): void {
    const [block] = this.liveBlocks.splice(0, 1);
    this.highlights.addFrom(block.nodes); // a code block in an item: coloured in place, as in a whole render
    this.freeze(this.tail.slice(0, length), block.nodes);
    this.freezeText(length);
    this.stats.keptBlocks++;
  }

  /** No open tail any more: its element goes, with what was known about it. */
  private forgetLive(): void {
    this.live?.remove();
    this.live = undefined;
    this.liveBlocks = [];
    this.growing = undefined;
    this.fence = undefined;
  }

  private liveElement(): HTMLElement {
    if (this.live === undefined) {
      this.live = this.root.ownerDocument.createElement('div');
      this.live.className = 'md-live';
      this.root.append(this.live);
    }
    return this.live;
  }

  /** Renders finished blocks once (or takes the nodes they have, `rendered`); attaches them before the live element. */
  private freeze(source: string, rendered?: ChildNode[]): void {
    const defined = Object.keys(this.refs.references).length;
    const nodes = rendered ?? [...this.renderFrozen(source).childNodes];
    const labels = undefinedLabels(source, this.refs);
    if (labels.size > 0 && nodes.length > 0) this.pending.push({ source, nodes, labels });
    this.groups.append(nodes);
    this.stats.frozenChunks++;
    if (this.pending.length > 0 && Object.keys(this.refs.references).length > defined) this.renderPendingAgain();
  }

  /** Finished blocks' DOM, their code blocks queued for highlighting; references defined go into refs. */
  private renderFrozen(source: string): DocumentFragment {
    const deferredCode: DeferredCode[] = [];
    const env: MarkdownEnv = { references: this.refs.references, deferredCode };
    const fragment = htmlToFragment(renderTokens(this.parse(source, env), env), this.root.ownerDocument);
    this.highlights.add(fragment, deferredCode);
    return fragment;
  }

  /** Chunks that used a label defined only now are rendered again, in place. */
  private renderPendingAgain(): void {
    let firstGroup: Element | undefined;
    for (const chunk of this.pending) {
      if (![...chunk.labels].some((label) => this.refs.references[label] !== undefined)) continue;
      const fragment = this.renderFrozen(chunk.source);
      const nodes = [...fragment.childNodes];
      // Node for node when the count is the same (a paragraph stays one <p>): every group keeps
      // its size. Otherwise the groups from this chunk's first one on are filled again.
      if (nodes.length === chunk.nodes.length) chunk.nodes.forEach((node, i) => node.replaceWith(nodes[i]));
      else {
        firstGroup ??= chunk.nodes[0].parentElement ?? undefined;
        chunk.nodes[0].before(fragment);
        for (const node of chunk.nodes) node.remove();
      }
      chunk.nodes = nodes;
      chunk.labels = undefinedLabels(chunk.source, this.refs);
      this.stats.rerenderedChunks++;
      this.stats.rerenderedChars += chunk.source.length;
    }
    this.pending = this.pending.filter((chunk) => chunk.labels.size > 0 && chunk.nodes.length > 0);
    if (firstGroup !== undefined) this.groups.refillFrom(firstGroup);
  }
}
