// bench:insert's answers: the streamed deltas, the marker each code delta carries, and what the document should
// hold at the end. Pure (no 'vscode'): test/unit/benchAnswer.test.ts checks them against the code filter.

/** What the server streams, and what the document should hold once the insertion is complete. */
export interface BenchAnswer {
  deltas: readonly string[];
  /** Per delta, what of it shows in the document (undefined: prose or a fence line, never in the document). */
  markers: readonly (string | undefined)[];
  document: string;
}

/** `d0000 ` … : a unique marker per delta, ten per line, plain code to the code filter. */
export function codeDeltas(count: number): string[] {
  const width = Math.max(4, String(count - 1).length);
  return Array.from({ length: count }, (_, i) => `d${String(i).padStart(width, '0')} ${i % 10 === 9 ? '\n' : ''}`);
}

/** A pure-code answer: every delta is code and goes into the document as it is. */
export function pureCodeAnswer(count: number): BenchAnswer {
  const deltas = codeDeltas(count);
  return { deltas, markers: deltas.map((delta) => delta.trimEnd()), document: deltas.join('') };
}

/**
 * The same code as a chatty model sends it: a sentence first, the code in a fence, an explanation after. The
 * filter holds the sentence back and drops it, and the fence's last line break goes with the closing fence.
 */
export function proseFirstAnswer(count: number): BenchAnswer {
  const code = codeDeltas(count);
  const closing = code.length === 0 || code[code.length - 1].endsWith('\n') ? '```\n' : '\n```\n';
  const before = ['Sure! Here is', ' the code you', ' asked for:', '\n\n', '```ts\n'];
  const after = [closing, '\nEach marker', ' is one delta.'];
  return {
    deltas: [...before, ...code, ...after],
    markers: [...before.map(() => undefined), ...code.map((delta) => delta.trimEnd()), ...after.map(() => undefined)],
    document: code.join('').replace(/\n$/, ''),
  };
}
