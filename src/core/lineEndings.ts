// Text from the model or a code block arrives with "\n" or "\r\n"; a document keeps one kind throughout.
// The one conversion for every place that puts text into a document (insertion, the panel's Insert).
// No 'vscode' import: callers map the document's EndOfLine to the string.

export type LineEnding = '\n' | '\r\n';

/** `text` with every line break ("\r\n" or "\n") written as `eol`. */
export function withLineEndings(text: string, eol: LineEnding): string {
  return text.replace(/\r?\n/g, eol);
}
