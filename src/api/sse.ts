// Server-sent events, text → events, per the WHATWG event-stream rules: lines end in CRLF, LF or CR
// (a CR at the end of one read and an LF at the start of the next are one line end); `data:` lines
// join with "\n"; a blank line dispatches. Written for the hot path of a chat stream (one `data:`
// line then a blank line, tens of thousands of times): per event it slices the data once and makes
// no other allocation, and per read it copies nothing but a line cut by the network.

/** What the reader reports; called synchronously from `feed`. */
export interface SseHandler {
  /** A dispatched event: its `event:` type (undefined when none or empty) and its data lines joined. */
  onEvent(type: string | undefined, data: string): void;
  /** A `:` comment line (keep-alives). */
  onComment(): void;
  /** A field this reader does not know (`field` is the whole line when it has no colon). */
  onUnknownField(field: string, value: string, line: string): void;
  /** A line or an event outgrew the limit; the reader stops there and ignores the rest. */
  onTooLarge(): void;
}

const LF = 10;
const CR = 13;
const SPACE = 32;
const COLON = 58;
const LOWER_D = 100;

export class SseReader {
  /** The start of a line the last read cut off. */
  private pending = '';
  /** The last read ended in CR: an LF first thing in the next read ends no further line. */
  private skipLF = false;
  private data = '';
  private dataLines = 0;
  private eventType: string | undefined;
  private stopped = false;

  /** `maxLength`: longest line or event, in UTF-16 units. */
  constructor(
    private readonly handler: SseHandler,
    private readonly maxLength: number,
  ) {}

  feed(chunk: string): void {
    if (this.stopped || chunk === '') return;
    let start = 0;
    if (this.skipLF) {
      this.skipLF = false;
      if (chunk.charCodeAt(0) === LF) start = 1;
    }
    // Only the cut line is joined with the new read, not the whole read.
    if (this.pending !== '') {
      const end = nextLineEnd(chunk, start);
      if (end === -1) {
        this.pending += chunk.slice(start);
        this.checkLength();
        return;
      }
      const line = this.pending + chunk.slice(start, end);
      this.pending = '';
      this.line(line, 0, line.length);
      start = this.afterLineEnd(chunk, end);
    }
    start = chunk.indexOf('\r', start) === -1 ? this.linesEndingInLF(chunk, start) : this.anyLines(chunk, start);
    if (start < chunk.length) this.pending = chunk.slice(start);
    this.checkLength();
  }

  /** The common case, a read without CR; returns where its unfinished line starts. */
  private linesEndingInLF(chunk: string, start: number): number {
    for (let end = chunk.indexOf('\n', start); end !== -1; end = chunk.indexOf('\n', start)) {
      this.line(chunk, start, end);
      start = end + 1;
    }
    return start;
  }

  /** Lines ending in any of CRLF, LF, CR; each search result kept until passed, so no line is scanned twice. */
  private anyLines(chunk: string, start: number): number {
    let cr = -2;
    let lf = -2;
    for (;;) {
      if (cr !== -1 && cr < start) cr = chunk.indexOf('\r', start);
      if (lf !== -1 && lf < start) lf = chunk.indexOf('\n', start);
      const end = cr === -1 || (lf !== -1 && lf < cr) ? lf : cr;
      if (end === -1) return start;
      this.line(chunk, start, end);
      start = this.afterLineEnd(chunk, end);
    }
  }

  /** Where the next line starts after the line end at `end`. */
  private afterLineEnd(chunk: string, end: number): number {
    if (chunk.charCodeAt(end) !== CR) return end + 1;
    if (end + 1 === chunk.length) {
      this.skipLF = true;
      return end + 1;
    }
    return chunk.charCodeAt(end + 1) === LF ? end + 2 : end + 1;
  }

  /** The line `chunk[start, end)`, without its line end. */
  private line(chunk: string, start: number, end: number): void {
    if (start === end) {
      this.dispatch();
      return;
    }
    const first = chunk.charCodeAt(start);
    if (first === LOWER_D && chunk.startsWith('data:', start)) {
      const valueStart = chunk.charCodeAt(start + 5) === SPACE ? start + 6 : start + 5;
      this.addData(chunk.slice(valueStart, end));
      return;
    }
    if (first === COLON) {
      this.handler.onComment();
      return;
    }
    const line = chunk.slice(start, end);
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(line.charCodeAt(colon + 1) === SPACE ? colon + 2 : colon + 1);
    this.field(field, value, line);
  }

  private field(field: string, value: string, line: string): void {
    switch (field) {
      case 'data':
        this.addData(value);
        return;
      case 'event':
        this.eventType = value === '' ? undefined : value;
        return;
      case 'id':
      case 'retry':
        return; // this client neither reconnects nor resumes
      default:
        this.handler.onUnknownField(field, value, line);
    }
  }

  private addData(value: string): void {
    this.data = this.dataLines === 0 ? value : `${this.data}\n${value}`;
    this.dataLines++;
  }

  private dispatch(): void {
    const { dataLines, data, eventType } = this;
    this.data = '';
    this.dataLines = 0;
    this.eventType = undefined;
    if (dataLines !== 0) this.handler.onEvent(eventType, data);
  }

  private checkLength(): void {
    if (this.pending.length + this.data.length <= this.maxLength) return;
    this.stopped = true;
    this.pending = '';
    this.data = '';
    this.handler.onTooLarge();
  }
}

/** Index of the first CR or LF at or after `from`, or -1. */
function nextLineEnd(chunk: string, from: number): number {
  const lf = chunk.indexOf('\n', from);
  const cr = chunk.indexOf('\r', from);
  if (cr === -1) return lf;
  return lf === -1 || cr < lf ? cr : lf;
}
