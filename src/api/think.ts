// Splits `<think>…</think>` out of streamed content into reasoning, wherever the network cut the tags.
import type { StreamEvent } from './types';

const OPEN = '<think>';
const CLOSE = '</think>';

const enum State {
  /** Nothing but whitespace so far: a `<think>` here opens a reasoning block. */
  Start,
  /** Inside `<think>`: text is reasoning until `</think>`. */
  Inside,
  /** Content without a block so far: a lone `</think>` means everything so far was reasoning. */
  Content,
  /** The block is over (or never can be): pass content through, dropping the blank lines after `</think>`. */
  After,
}

/** Length of the longest suffix of `text` that is a proper prefix of `tag` (0 when none). */
function partialTagSuffix(text: string, tag: string): number {
  const lt = text.lastIndexOf('<');
  if (lt === -1 || text.length - lt >= tag.length) return 0;
  return tag.startsWith(text.slice(lt)) ? text.length - lt : 0;
}

/**
 * One per response. Only a `<think>` at the very start of the answer opens a block (models that
 * think put it there; a `<think>` later on is the model talking about the tag). Costs one
 * `indexOf('<')` per delta when no tag is in play.
 */
export class ThinkTagSplitter {
  private state = State.Start;
  /** Text held back because it may be the start of a tag cut by the network. */
  private held = '';
  /** Content yielded while a lone `</think>` could still turn it into reasoning (pieces: no rope per delta). */
  private readonly shownContent: string[] = [];
  private trimLeading = false;

  push(text: string, out: StreamEvent[]): void {
    let input = this.held === '' ? text : this.held + text;
    this.held = '';
    while (input !== '') {
      switch (this.state) {
        case State.Content: {
          if (input.indexOf('<') === -1) {
            this.shownContent.push(input);
            out.push({ type: 'content', text: input });
            return;
          }
          const close = input.indexOf(CLOSE);
          if (close !== -1) {
            if (this.shownContent.length !== 0) out.push({ type: 'content-was-reasoning', text: this.shownContent.join('') });
            if (close > 0) out.push({ type: 'reasoning', text: input.slice(0, close), source: 'think-tag' });
            this.shownContent.length = 0;
            this.enterAfter();
            input = input.slice(close + CLOSE.length);
            continue;
          }
          const partial = partialTagSuffix(input, CLOSE);
          const shown = partial === 0 ? input : input.slice(0, input.length - partial);
          if (partial !== 0) this.held = input.slice(input.length - partial);
          if (shown !== '') {
            this.shownContent.push(shown);
            out.push({ type: 'content', text: shown });
          }
          return;
        }
        case State.After: {
          if (this.trimLeading) {
            const trimmed = input.trimStart();
            if (trimmed === '') return;
            this.trimLeading = false;
            input = trimmed;
          }
          out.push({ type: 'content', text: input });
          return;
        }
        case State.Inside: {
          const close = input.indexOf(CLOSE);
          if (close !== -1) {
            if (close > 0) out.push({ type: 'reasoning', text: input.slice(0, close), source: 'think-tag' });
            this.enterAfter();
            input = input.slice(close + CLOSE.length);
            continue;
          }
          const partial = partialTagSuffix(input, CLOSE);
          if (partial !== 0) this.held = input.slice(input.length - partial);
          const reasoning = partial === 0 ? input : input.slice(0, input.length - partial);
          if (reasoning !== '') out.push({ type: 'reasoning', text: reasoning, source: 'think-tag' });
          return;
        }
        case State.Start: {
          const trimmed = input.trimStart();
          if (trimmed.startsWith(OPEN)) {
            this.state = State.Inside;
            input = trimmed.slice(OPEN.length);
            continue;
          }
          if (OPEN.startsWith(trimmed)) {
            // Only whitespace or the beginning of `<think>` so far: wait for more.
            this.held = input;
            return;
          }
          this.state = State.Content;
          continue;
        }
      }
    }
  }

  /** Releases held-back text at the end of the response (or before an error). */
  flush(out: StreamEvent[]): void {
    const held = this.held;
    if (held === '') return;
    this.held = '';
    if (this.state === State.Inside) {
      out.push({ type: 'reasoning', text: held, source: 'think-tag' });
      return;
    }
    if (this.state === State.Start) {
      // Whitespace alone is not worth showing; a cut-off `<thi` is content.
      if (held.trim() === '') return;
      this.state = State.Content;
    }
    if (this.state === State.Content) this.shownContent.push(held);
    out.push({ type: 'content', text: held });
  }

  private enterAfter(): void {
    this.state = State.After;
    this.trimLeading = true;
  }
}
