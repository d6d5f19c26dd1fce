// Highlighting a streamed answer's closed code blocks outside the frame they close in. Highlighting,
// sanitizing and laying out a block's hundreds of token spans made that frame two or three frames
// long; the block is frozen as plain text (as it streamed) and coloured in an idle period after.
// finish() colours what is left at once, so a finished answer is what a one-shot render makes. A
// block is coloured in place (same element), so the open tail's record of its nodes stays true.
import { highlightedCodeBlock, PENDING_HIGHLIGHT, type DeferredCode } from './markdownRender';

/** Below this much idle time left, the next block waits for the next idle period. */
const IDLE_MS_PER_BLOCK = 8;

interface QueuedBlock extends DeferredCode {
  element: Element;
}

export class DeferredHighlights {
  private queue: QueuedBlock[] = [];
  private scheduled: (() => void) | undefined;

  constructor(private readonly window: Window & typeof globalThis) {}

  /** Queues the fragment's pending blocks, paired in order with what the render listed for them. */
  add(fragment: DocumentFragment, deferred: DeferredCode[]): void {
    fragment.querySelectorAll(`div.${PENDING_HIGHLIGHT}`).forEach((element, i) => {
      if (deferred[i] !== undefined) this.queue.push({ element, ...deferred[i] });
    });
    this.schedule();
  }

  /**
   * Queues the pending blocks in `nodes` (and those that are one), reading their code and language
   * from the DOM: closed code blocks of the open tail, and finished blocks frozen with the nodes
   * they had there. A block queued twice is coloured once.
   */
  addFrom(nodes: ChildNode[]): void {
    for (const node of nodes) {
      if (node.nodeType !== 1) continue;
      const element = node as Element;
      const pending = [...element.querySelectorAll(`div.${PENDING_HIGHLIGHT}`)];
      if (element.matches(`div.${PENDING_HIGHLIGHT}`)) pending.unshift(element);
      for (const block of pending) {
        const code = block.querySelector('pre > code')?.textContent ?? '';
        this.queue.push({ element: block, code, language: block.getAttribute('data-language') ?? '' });
      }
    }
    this.schedule();
  }

  /** Colours every queued block now. */
  flush(): void {
    this.cancel();
    while (this.queue.length > 0) this.highlightNext();
  }

  /** Forgets the queue (the text was replaced). */
  clear(): void {
    this.cancel();
    this.queue = [];
  }

  private schedule(): void {
    if (this.scheduled !== undefined || this.queue.length === 0) return;
    const { window } = this;
    if (typeof window.requestIdleCallback === 'function') {
      const id = window.requestIdleCallback((deadline) => this.run(deadline), { timeout: 500 });
      this.scheduled = () => window.cancelIdleCallback(id);
    } else {
      const id = window.setTimeout(() => this.run(undefined), 0);
      this.scheduled = () => window.clearTimeout(id);
    }
  }

  private cancel(): void {
    this.scheduled?.();
    this.scheduled = undefined;
  }

  private run(deadline: IdleDeadline | undefined): void {
    this.scheduled = undefined;
    do this.highlightNext();
    while (this.queue.length > 0 && (deadline?.timeRemaining() ?? 0) > IDLE_MS_PER_BLOCK);
    this.schedule();
  }

  private highlightNext(): void {
    const block = this.queue.shift();
    if (block === undefined) return;
    // A block no longer in place was rendered again since (its chunk queued the new one); one no
    // longer pending was queued twice.
    const { element } = block;
    if (element.parentNode === null || !element.classList.contains(PENDING_HIGHLIGHT)) return;
    const done = highlightedCodeBlock(block.code, block.language, this.window.document);
    element.className = done.className;
    element.replaceChildren(...done.childNodes);
  }
}
