// Turns a streamed answer into the code to insert into a document: strips a markdown fence and the prose around it.
// Same shape as think.ts: a splitter that holds back only what the next delta could still change.
import { hasCode, isProseLine, lineAt, mayBeProse, startsWithCapital } from './proseLines';

export type CodeFilterOutput =
  | { type: 'code'; text: string } // append this to what was inserted
  | { type: 'retract' }; // everything emitted so far was not code: remove it all

const enum State {
  /** Only whitespace so far, or the first line while it could still open a fence. */
  Start,
  /** A first line that may be prose ("Sure! Here is the function:"): held, never inserted, until it ends. */
  Lead,
  /** The answer began with code, not a fence: code unless a line opens a fence (then it was prose). */
  Raw,
  /**
   * After raw code, lines that may be prose ("Here is a test:"): held, never inserted, until what follows settles
   * them: code (they were code: a docstring, a YAML key), a fence (they led into it) or the end (an explanation).
   */
  Aside,
  /** The answer began with code in a markdown document: fences are content, everything passes. */
  Plain,
  /** Inside the fence: code until the closing fence line. */
  Fence,
  /**
   * The fence closed (or opened and ended with the stream), or a lead-in after raw code opened one: the rest is
   * explanation or extras, dropped.
   */
  Done,
}

const enum Verdict {
  No,
  Undecided,
  Yes,
}

/**
 * Up to 3 spaces (`spaces` of them seen before `start`), then a run of one char: `marker` is '' at the end of
 * input.
 */
interface FenceRun {
  markerStart: number;
  marker: string;
  length: number;
  end: number;
}

/** Reads the start of the line at `start` as a fence line would begin; undefined when it cannot be one. */
function readFenceRun(input: string, start: number, spaces: number): FenceRun | undefined {
  let i = start;
  for (; i < input.length && input[i] === ' ' && spaces < 3; i++) spaces++;
  if (i === input.length) return { markerStart: i, marker: '', length: 0, end: i };
  const marker = input[i];
  if (marker !== '`' && marker !== '~') return undefined;
  let end = i + 1;
  while (end < input.length && input[end] === marker) end++;
  return { markerStart: i, marker, length: end - i, end };
}

/**
 * Whether the line read as `run` opens a fence: -1 no, 0 undecided (incomplete), else the index after its
 * line break.
 */
function openingFence(input: string, run: FenceRun): number {
  if (run.end === input.length) return 0;
  if (run.length < 3) return -1;
  const newline = input.indexOf('\n', run.end);
  if (run.marker === '`') {
    // "```js```" or "``` a `b`": inline code spans, not a fence.
    const tick = input.indexOf('`', run.end);
    if (tick !== -1 && (newline === -1 || tick < newline)) return -1;
  }
  return newline === -1 ? 0 : newline + 1;
}

/** Whether the line at `start` closes a fence of `length` × `marker`: only spaces or tabs may follow the run. */
function closingFence(input: string, start: number, marker: string, length: number): Verdict {
  const run = readFenceRun(input, start, 0);
  if (run === undefined) return Verdict.No;
  if (run.end === input.length) return run.marker === '' || run.marker === marker ? Verdict.Undecided : Verdict.No;
  if (run.marker !== marker || run.length < length) return Verdict.No;
  let i = run.end;
  while (i < input.length && (input[i] === ' ' || input[i] === '\t')) i++;
  if (i === input.length || (input[i] === '\r' && i + 1 === input.length)) return Verdict.Undecided;
  return input[i] === '\n' || (input[i] === '\r' && input[i + 1] === '\n') ? Verdict.Yes : Verdict.No;
}

/**
 * Whether the line at `start` in raw code may begin lines to hold back: it may be prose (a capital first, nothing
 * only code uses), or it is blank (a line break first), so it is not written before the prose it may lead into.
 */
function mayStartAside(input: string, start: number): boolean {
  if (input[start] === '\n' || input[start] === '\r') return true;
  return startsWithCapital(input, start) && mayBeProse(lineAt(input, start));
}

/** Index after the next '\n' at or after `from`, or -1. */
function nextLine(input: string, from: number): number {
  const newline = input.indexOf('\n', from);
  return newline === -1 ? -1 : newline + 1;
}

function isBlank(char: string): boolean {
  return char === ' ' || char === '\t' || char === '\n' || char === '\r';
}

/**
 * One per answer. Code streams out as it arrives; held back is only what the next delta could turn into a fence
 * line or what may be prose: the first line while it may open a fence or be a sentence, a line start that may close
 * the fence (with the line break before it, so inserting mid-line leaves the rest of the line where it was), a line
 * start in raw code that may open one, and a line of raw code at the margin that may be prose (until its end, and a
 * sentence until what follows settles it). What may be prose is never emitted; nothing emitted is taken back,
 * except when a fence shows that raw text with nothing only code uses was prose. Slices only at ASCII chars it
 * searched for, so multi-byte chars stay as they arrived. One `indexOf('\n')` per delta when no line starts in it.
 */
export class CodeOnlyFilter {
  private readonly markdownDocument: boolean;
  private state = State.Start;
  /** Text held back: the start of a line that may become a fence line (Fence: with the line break before it). */
  private held = '';
  /** Raw: spaces of a line start already emitted (-1: mid-line). Fence: 0 when input starts the fence's first line. */
  private indent = -1;
  private marker = '';
  private fenceLength = 0;
  /** Aside: where the line being read starts in `held`; before it, held lines that may be prose, and blank ones. */
  private asideEnd = 0;
  /** The code emitted so far, in pieces (no rope per delta). */
  private readonly pieces: string[] = [];

  constructor(options?: {
    /** The document is markdown: a fence is only stripped when the answer starts with one. */
    markdownDocument?: boolean;
  }) {
    this.markdownDocument = options?.markdownDocument ?? false;
  }

  /** The code emitted so far (after retracts), for tests and the caller's result. */
  get emitted(): string {
    if (this.pieces.length > 1) this.pieces.splice(0, this.pieces.length, this.pieces.join(''));
    return this.pieces.length === 0 ? '' : this.pieces[0];
  }

  push(delta: string, out: CodeFilterOutput[]): void {
    let input = this.held === '' ? delta : this.held + delta;
    this.held = '';
    for (;;) {
      switch (this.state) {
        case State.Start: {
          let i = 0;
          while (i < input.length && isBlank(input[i])) i++;
          if (i === input.length) {
            this.held = input;
            return;
          }
          // Leading blank lines are dropped; the first line keeps its indent.
          input = input.slice(input.lastIndexOf('\n', i) + 1);
          const run = readFenceRun(input, 0, 0);
          const open = run === undefined ? -1 : openingFence(input, run);
          if (open === 0) {
            this.held = input;
            return;
          }
          if (run === undefined || open === -1) {
            // In a markdown document prose is content; elsewhere a sentence is held until its line ends.
            if (this.markdownDocument) this.state = State.Plain;
            else this.state = mayBeProse(lineAt(input, 0)) ? State.Lead : State.Raw;
            this.indent = -1;
            continue;
          }
          this.openFence(run);
          input = input.slice(open);
          continue;
        }
        case State.Lead: {
          const rest = this.lead(input);
          if (rest === undefined) return;
          input = rest;
          continue;
        }
        case State.Raw: {
          const rest = this.raw(input, out);
          if (rest === undefined) return;
          input = rest;
          continue;
        }
        case State.Aside: {
          const rest = this.aside(input, out);
          if (rest === undefined) return;
          input = rest;
          continue;
        }
        case State.Plain:
          this.emit(input, out);
          return;
        case State.Fence:
          this.fence(input, out);
          return;
        case State.Done:
          return;
      }
    }
  }

  /**
   * The stream ended: release what was held back, if it is code. A line held because it may be prose is written
   * only when the answer `complete`d and the line does not end like a sentence (the last line of code, "FROM t");
   * after a stop or a failure it is dropped, never written: the line may be prose, or code cut short.
   */
  flush(out: CodeFilterOutput[], options?: { complete?: boolean }): void {
    const complete = options?.complete ?? true;
    const held = this.held;
    this.held = '';
    // Start holds blanks or a first line that may open a fence; Fence holds a line break and what may close it.
    if (held !== '' && complete && this.state === State.Lead && !isProseLine(held)) this.emit(held, out);
    if (held !== '' && complete && this.state === State.Aside && this.asideEndsInCode(held)) this.emit(held, out);
    if (held === '' || this.state !== State.Raw) return;
    // A line that opens a fence at the very end is one (with nothing in it): what came before was prose.
    if ((readFenceRun(held, 0, this.indent)?.length ?? 0) >= 3) {
      this.retract(out);
      this.state = State.Done;
    } else this.emit(held, out);
  }

  /**
   * Everything pushed so far was really reasoning (think tags): start over, as if nothing had been pushed.
   * The caller retracts what was inserted.
   */
  reset(): void {
    this.state = State.Start;
    this.held = '';
    this.indent = -1;
    this.asideEnd = 0;
    this.pieces.length = 0;
  }

  /**
   * The first line while it may be prose: held until a character only code uses (then it is code) or
   * its end. A sentence is dropped and what follows starts over; any other line is code. Returns the
   * input to go on with in the new state, undefined while still held.
   */
  private lead(input: string): string | undefined {
    const line = lineAt(input, 0);
    if (!mayBeProse(line)) {
      this.state = State.Raw;
      return input;
    }
    if (line.length === input.length) {
      this.held = input;
      return undefined;
    }
    this.state = isProseLine(line.replace(/\r$/, '')) ? State.Start : State.Raw;
    return this.state === State.Start ? input.slice(line.length + 1) : input;
  }

  /** Raw code: emitted as it comes, until a line opens a fence. Returns the input after that fence line, if one did. */
  private raw(input: string, out: CodeFilterOutput[]): string | undefined {
    let spaces = Math.max(this.indent, 0);
    for (
      let start = this.indent >= 0 ? 0 : nextLine(input, 0);
      start !== -1;
      start = nextLine(input, start), spaces = 0
    ) {
      const run = readFenceRun(input, start, spaces);
      const open = run === undefined ? -1 : openingFence(input, run);
      if (run === undefined || open === -1) {
        if (spaces > 0 || !mayStartAside(input, start)) continue;
        // A line at the margin that may be prose ("Here is a test:"), or a blank line that may come before one:
        // held, never inserted, until settled.
        this.emit(input.slice(0, start), out);
        this.state = State.Aside;
        this.asideEnd = 0;
        return input.slice(start);
      }
      if (open === 0) {
        // A fence retracts everything anyway: hold from the marker only, so indenting spaces are not delayed.
        this.emit(input.slice(0, run.markerStart), out);
        this.held = input.slice(run.markerStart);
        this.indent = spaces + run.markerStart - start;
        return undefined;
      }
      this.retract(out);
      this.openFence(run);
      return input.slice(open);
    }
    this.emit(input, out);
    this.indent = -1;
    return undefined;
  }

  /**
   * Lines that may be prose after raw code, held from the start of the first. Each line is read as it comes: a
   * sentence (or lead-in, ':') or a blank line stays held; a fence drops them (they led into it); any other line
   * is code, and the held lines go in with it. Returns the input to go on with in the new state, if any.
   */
  private aside(input: string, out: CodeFilterOutput[]): string | undefined {
    for (let start = this.asideEnd; ;) {
      const run = readFenceRun(input, start, 0);
      const open = run === undefined ? -1 : openingFence(input, run);
      if (run !== undefined && open > 0) return this.fenceAfterAside(run, input, start, open, out);
      const newline = input.indexOf('\n', start);
      const line = newline === -1 ? input.slice(start) : input.slice(start, newline);
      const blank = line.trim() === '';
      if (open === 0 || (newline === -1 && (blank || mayBeProse(line)))) {
        this.held = input;
        this.asideEnd = start;
        return undefined;
      }
      if (newline !== -1 && (blank || isProseLine(line))) {
        start = newline + 1;
        continue;
      }
      // Code after all: the held lines were code too (a docstring, a YAML key) and go in with it.
      this.emit(input.slice(0, start), out);
      this.state = State.Raw;
      this.indent = -1;
      return input.slice(start);
    }
  }

  /**
   * The held lines (`input` up to `start`) led into a fence that opens there: they were prose, and are dropped.
   * When what was written before them has something only code uses, it is the code and the fence an extra (a usage
   * example, a test), left out with all after it; otherwise, or when only blank lines were held (as when a fence
   * follows code directly), what was written was prose that slipped through, and the fence holds the code.
   */
  private fenceAfterAside(
    run: FenceRun,
    input: string,
    start: number,
    open: number,
    out: CodeFilterOutput[],
  ): string | undefined {
    if (input.slice(0, start).trim() !== '' && hasCode(this.emitted)) {
      this.state = State.Done;
      return undefined;
    }
    this.retract(out);
    this.openFence(run);
    return input.slice(open);
  }

  /** At the end: whether the held lines end in a line of code (then they were all code), not prose or a fence. */
  private asideEndsInCode(held: string): boolean {
    const line = held.slice(this.asideEnd);
    return line.trim() !== '' && !isProseLine(line) && (readFenceRun(line, 0, 0)?.length ?? 0) < 3;
  }

  /**
   * Inside the fence: emits up to the last line break, holding it and the line after it while that may close
   * the fence.
   */
  private fence(input: string, out: CodeFilterOutput[]): void {
    for (let start = this.indent === 0 ? 0 : nextLine(input, 0); start !== -1; start = nextLine(input, start)) {
      const close = closingFence(input, start, this.marker, this.fenceLength);
      if (close === Verdict.No) continue;
      // The line break before the line goes with it ("\r\n" whole); the fence's first line has none.
      const lineBreak = start === 0 ? 0 : start >= 2 && input[start - 2] === '\r' ? start - 2 : start - 1;
      this.emit(input.slice(0, lineBreak), out);
      if (close === Verdict.Yes) {
        this.state = State.Done;
        return;
      }
      this.held = input.slice(lineBreak);
      this.indent = lineBreak === start ? 0 : -1;
      return;
    }
    // Mid-line: a final "\r" may be the start of a line break.
    const cr = input.endsWith('\r') ? 1 : 0;
    this.emit(input.slice(0, input.length - cr), out);
    this.held = cr === 1 ? '\r' : '';
    this.indent = -1;
  }

  private openFence(run: FenceRun): void {
    this.state = State.Fence;
    this.marker = run.marker;
    this.fenceLength = run.length;
    this.indent = 0;
  }

  private emit(text: string, out: CodeFilterOutput[]): void {
    if (text === '') return;
    this.pieces.push(text);
    out.push({ type: 'code', text });
  }

  private retract(out: CodeFilterOutput[]): void {
    if (this.pieces.length === 0) return;
    this.pieces.length = 0;
    out.push({ type: 'retract' });
  }
}
