// Whether a line of a streamed answer reads as prose, for the code filter (codeFilter.ts). Cheap
// tests on one line, so they can run on a line while it is still arriving.

/** Characters prose does not use: a line with one of them (outside `inline code`) is code. */
const CODE_ONLY = /[=;{}[\]<>$\\|^~@]|\w\(/;

/** `inline code` spans, and an unclosed one at the end (it may still close): prose quotes code in them. */
const INLINE_CODE = /`[^`\n]*(?:`|$)/g;

/**
 * Whether the line, so far, may still turn out to be prose: a capital letter first (as a sentence
 * starts; code seldom does), and nothing only code uses outside `inline code` ("Here is a test for `add()`:").
 */
export function mayBeProse(line: string): boolean {
  return /^\p{Lu}/u.test(line) && !CODE_ONLY.test(line.replace(INLINE_CODE, ''));
}

const CAPITAL = /\p{Lu}/uy;

/** Whether the line at `start` begins with a capital letter (no slicing: it runs at every line start of raw code). */
export function startsWithCapital(input: string, start: number): boolean {
  CAPITAL.lastIndex = start;
  return CAPITAL.test(input);
}

/** A whole line that reads as a sentence of prose: it may be, and it ends like a sentence (or a lead-in, ':'). */
export function isProseLine(line: string): boolean {
  return mayBeProse(line) && /[.!?:…]\s*$/.test(line);
}

/** Whether `text` holds something only code uses (then it is code, whatever prose may be around it). */
export function hasCode(text: string): boolean {
  return CODE_ONLY.test(text);
}

/** The line starting at `start`, up to (without) its line break, or to the end of the input. */
export function lineAt(input: string, start: number): string {
  const newline = input.indexOf('\n', start);
  return newline === -1 ? input.slice(start) : input.slice(start, newline);
}
