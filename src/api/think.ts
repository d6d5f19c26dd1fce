// Splits `<think>…</think>` out of streamed content into reasoning, wherever the network cut the tags.
import type { StreamEvent } from './types';

const OPEN = '<think>';
const CLOSE = '</think>';

const enum State {
  /** Nothing but whitespace so far: a `<think>` here opens a reasoning block. */
  Start,
  /** Inside `<think>`: text is reasoning until `</think>`. */
  Inside,
  /**
   * Content without a block so far: a lone `</think>` where a reasoning model puts it means everything
   * so far was reasoning.
   */
  Content,
  /** The block is over (or never can be): pass content through, dropping the blank lines after `</think>`. */
  After,
}

/** What a lone `</think>` is. Undecided: mid-line with only spaces after it so far, the next delta tells. */
const enum Verdict {
  Text,
  EndsReasoning,
  Undecided,
}

/** How far the current line has got towards a fence line: indent, a run of ` or ~ (the marker), the rest. */
const enum Line {
  Indent,
  Marker,
  Rest,
  Text,
}

/** Length of the longest suffix of `text` that is a proper prefix of `tag` (0 when none). */
function partialTagSuffix(text: string, tag: string): number {
  const lt = text.lastIndexOf('<');
  if (lt === -1 || text.length - lt >= tag.length) return 0;
  return tag.startsWith(text.slice(lt)) ? text.length - lt : 0;
}

/**
 * Where shown content stands in Markdown (fenced block, inline span, line start); sees each char once, and only
 * when a lone `</think>` needs judging. Leans to "code" (prose taken for code only leaves reasoning visible, code
 * taken for prose deletes content): fences may be indented any amount (lists nest them); an open span is code.
 */
class MarkdownScanner {
  /** The marker run (``` or ~~~…) that opened the fenced block we are in, or ''. */
  private fence = '';
  /** Length of the backtick run that opened a still-open inline span, or 0. */
  private span = 0;
  /** Backticks at the end of the text so far: the run may go on in the next piece. */
  private run = 0;
  private line = Line.Indent;
  private marker = '';
  private markerLength = 0;
  /** After the marker: a backtick (no ``` fence then) / anything but spaces (no closing fence). */
  private restBacktick = false;
  private restBlank = true;
  /** The last char was CR: an LF now is the same line break. */
  private afterCR = false;

  scan(text: string): void {
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (c === '\n' || c === '\r') {
        if (c === '\r' || !this.afterCR) this.endLine();
        this.afterCR = c === '\r';
        continue;
      }
      this.afterCR = false;
      if (this.fence === '') {
        if (c === '`') this.run++;
        else if (this.run !== 0) this.settleRun();
      }
      if (this.line === Line.Marker && c !== this.marker) this.line = Line.Rest;
      if (this.line === Line.Indent && c !== ' ' && c !== '\t') {
        this.line = c === '`' || c === '~' ? Line.Marker : Line.Text;
        this.marker = c;
      }
      if (this.line === Line.Marker) this.markerLength++;
      else if (this.line === Line.Rest) {
        if (c === '`') this.restBacktick = true;
        if (c !== ' ' && c !== '\t') this.restBlank = false;
      }
    }
  }

  /** What a lone `</think>` at `input[close]` is, all before it scanned: outside code, does it start or end a line? */
  judge(input: string, close: number): Verdict {
    this.settleRun();
    if (this.fence !== '' || this.span !== 0 || this.fenceLine()) return Verdict.Text;
    if (this.line === Line.Indent) return Verdict.EndsReasoning;
    let i = close + CLOSE.length;
    while (input[i] === ' ' || input[i] === '\t') i++;
    if (i === input.length) return Verdict.Undecided;
    return input[i] === '\n' || input[i] === '\r' ? Verdict.EndsReasoning : Verdict.Text;
  }

  private fenceLine(): boolean {
    return (this.line === Line.Marker || this.line === Line.Rest) && this.markerLength >= 3;
  }

  /** A backtick run opens a span, or closes the open one if it is as long. */
  private settleRun(): void {
    if (this.span === 0) this.span = this.run;
    else if (this.span === this.run) this.span = 0;
    this.run = 0;
  }

  private endLine(): void {
    this.settleRun();
    if (this.fence !== '') {
      if (this.fenceLine() && this.marker === this.fence[0] && this.markerLength >= this.fence.length && this.restBlank)
        this.fence = '';
    } else if (this.fenceLine() && !(this.marker === '`' && this.restBacktick)) {
      this.fence = this.marker.repeat(this.markerLength);
      this.span = 0;
    } else if (this.line === Line.Indent) {
      this.span = 0; // a blank line ends a paragraph, and any span left open in it
    }
    this.line = Line.Indent;
    this.markerLength = 0;
    this.restBacktick = false;
    this.restBlank = true;
  }
}

/** Deltas per block of shown content. */
const PIECES_PER_BLOCK = 64;

/**
 * Content shown while a lone `</think>` could still turn it into reasoning. The deltas are joined in
 * blocks, so a long answer keeps a few large strings alive rather than one per delta, which the GC
 * would copy again and again until it promoted them all.
 */
class ShownContent {
  /** Joined blocks, in order; what a `</think>` judgement scans. */
  readonly blocks: string[] = [];
  private readonly recent: string[] = [];

  get isEmpty(): boolean {
    return this.blocks.length === 0 && this.recent.length === 0;
  }

  add(piece: string): void {
    this.recent.push(piece);
    if (this.recent.length === PIECES_PER_BLOCK) this.seal();
  }

  /** Moves the recent deltas into a block, so `blocks` holds all the content. */
  seal(): void {
    const recent = this.recent;
    if (recent.length === 0) return;
    this.blocks.push(recent.length === 1 ? recent[0] : recent.join(''));
    recent.length = 0;
  }

  text(): string {
    this.seal();
    return this.blocks.join('');
  }

  clear(): void {
    this.blocks.length = 0;
    this.recent.length = 0;
  }
}

/**
 * One per response. Only a `<think>` at the very start of the answer opens a block (models that think put it
 * there; later it is the model talking about the tag). A lone `</think>` (templates that open the tag in the
 * prompt) ends reasoning only outside code at a line boundary: elsewhere it is the answer quoting the tag, and
 * would turn all content shown so far into reasoning. Costs one `indexOf('<')` per delta when no tag is in play.
 */
export class ThinkTagSplitter {
  private state = State.Start;
  /** Text held back because it may be the start of a tag cut by the network. */
  private held = '';
  /** Content yielded while a lone `</think>` could still turn it into reasoning. */
  private readonly shownContent = new ShownContent();
  /** `shownContent.blocks[0, scanned)` has been fed to `markdown`; the rest waits until a `</think>` needs judging. */
  private scanned = 0;
  private readonly markdown = new MarkdownScanner();
  private trimLeading = false;

  push(text: string, out: StreamEvent[]): void {
    let input = this.held === '' ? text : this.held + text;
    this.held = '';
    // Each step takes the input in the current state and returns what is left of it for the next state.
    while (input !== '') {
      switch (this.state) {
        case State.Content:
          input = this.pushContent(input, out);
          break;
        case State.After:
          input = this.pushAfter(input, out);
          break;
        case State.Inside:
          input = this.pushInside(input, out);
          break;
        case State.Start:
          input = this.pushStart(input);
          break;
      }
    }
  }

  /** Releases held-back text at the end of the response (or before an error). A held mid-line `</think>` is content. */
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
    if (this.state === State.Content) this.shownContent.add(held);
    out.push({ type: 'content', text: held });
  }

  /** Content so far: passed through, unless a lone `</think>` at a line boundary turns it into reasoning. */
  private pushContent(input: string, out: StreamEvent[]): string {
    if (input.indexOf('<') === -1) {
      this.shownContent.add(input);
      out.push({ type: 'content', text: input });
      return '';
    }
    // Judge each `</think>` in turn, the scanner catching up first (it has seen `input[0, fed)`).
    let fed = 0;
    let verdict = Verdict.Text;
    let close = input.indexOf(CLOSE);
    for (; close !== -1; close = input.indexOf(CLOSE, close + CLOSE.length)) {
      const blocks = this.shownContent.blocks;
      this.shownContent.seal();
      for (; this.scanned < blocks.length; this.scanned++) this.markdown.scan(blocks[this.scanned]);
      this.markdown.scan(input.slice(fed, close));
      fed = close;
      verdict = this.markdown.judge(input, close);
      if (verdict !== Verdict.Text) break;
    }
    if (verdict === Verdict.EndsReasoning) {
      if (!this.shownContent.isEmpty) out.push({ type: 'content-was-reasoning', text: this.shownContent.text() });
      this.shownContent.clear();
      if (close > 0) out.push({ type: 'reasoning', text: input.slice(0, close), source: 'think-tag' });
      this.enterAfter();
      return input.slice(close + CLOSE.length);
    }
    const end = verdict === Verdict.Undecided ? close : input.length - partialTagSuffix(input, CLOSE);
    const shown = input.slice(0, end);
    this.held = input.slice(end);
    if (shown !== '') {
      this.shownContent.add(shown);
      out.push({ type: 'content', text: shown });
    }
    if (fed !== 0) {
      // The scanner has seen all before this delta and part of it: feed the rest, keep one piece.
      this.markdown.scan(shown.slice(fed));
      this.shownContent.seal();
      this.scanned = this.shownContent.blocks.length;
    }
    return '';
  }

  /** After the block: content as it comes, the blank lines right after `</think>` dropped. */
  private pushAfter(input: string, out: StreamEvent[]): string {
    if (this.trimLeading) {
      const trimmed = input.trimStart();
      if (trimmed === '') return '';
      this.trimLeading = false;
      input = trimmed;
    }
    out.push({ type: 'content', text: input });
    return '';
  }

  /** Inside `<think>`: reasoning up to `</think>` (a tag the network cut is held back). */
  private pushInside(input: string, out: StreamEvent[]): string {
    const close = input.indexOf(CLOSE);
    if (close !== -1) {
      if (close > 0) out.push({ type: 'reasoning', text: input.slice(0, close), source: 'think-tag' });
      this.enterAfter();
      return input.slice(close + CLOSE.length);
    }
    const partial = partialTagSuffix(input, CLOSE);
    if (partial !== 0) this.held = input.slice(input.length - partial);
    const reasoning = partial === 0 ? input : input.slice(0, input.length - partial);
    if (reasoning !== '') out.push({ type: 'reasoning', text: reasoning, source: 'think-tag' });
    return '';
  }

  /** Only whitespace so far: a `<think>` opens the block; anything else makes this content. */
  private pushStart(input: string): string {
    const trimmed = input.trimStart();
    if (trimmed.startsWith(OPEN)) {
      this.state = State.Inside;
      return trimmed.slice(OPEN.length);
    }
    if (OPEN.startsWith(trimmed)) {
      // Only whitespace or the beginning of `<think>` so far: wait for more.
      this.held = input;
      return '';
    }
    this.state = State.Content;
    return input;
  }

  private enterAfter(): void {
    this.state = State.After;
    this.trimLeading = true;
  }
}
