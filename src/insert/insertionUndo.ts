// One undo takes back a whole insertion even when VS Code split it into several undo steps. A save
// while the model writes pushes an undo stop (TextFileEditorModel does, so the user can undo back to
// the saved text), and auto save after a delay does exactly that during any pause in the stream; it
// is code-server's default. An undo that takes back the end of an insertion carries on until none of
// it is left; a redo that brings back its start carries on until all of it is. Any other change to
// the document once the insertion has ended stops the tracking, so it never undoes more than the
// insertion.
import * as vscode from 'vscode';

export class InsertionUndo implements vscode.Disposable {
  /** Document offset where the insertion starts. */
  private start = 0;
  /** Everything the insertion wrote. */
  private inserted = '';
  /** Characters of `inserted` in the document now (fewer after a partial undo). */
  private present = 0;
  /** While the insertion runs it reports its own edits and moves; afterwards any other change ends the tracking. */
  private running = true;
  private disposed = false;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly document: vscode.TextDocument,
    /** The text the insertion's first edit replaced (the selection, for Rewrite Selection). */
    private readonly replaced: string,
  ) {
    this.subscriptions = [
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.document === document && event.contentChanges.length > 0) this.onChange(event);
      }),
      vscode.workspace.onDidCloseTextDocument((closed) => {
        if (closed === document) this.dispose();
      }),
    ];
  }

  /** The insertion's text as it now stands in the document, all of it present. */
  update(start: number, inserted: string): void {
    this.start = start;
    this.inserted = inserted;
    this.present = inserted.length;
  }

  /** The insertion ended: from now on, only undo and redo of it are followed. */
  ended(): void {
    this.running = false;
    if (this.inserted === '') this.dispose();
  }

  dispose(): void {
    this.disposed = true;
    for (const subscription of this.subscriptions) subscription.dispose();
  }

  private onChange(event: vscode.TextDocumentChangeEvent): void {
    const undo = event.reason === vscode.TextDocumentChangeReason.Undo;
    const redo = event.reason === vscode.TextDocumentChangeReason.Redo;
    if (!undo && !redo) {
      if (!this.running) this.dispose();
      return;
    }
    const [change] = event.contentChanges;
    const step = event.contentChanges.length === 1 ? (undo ? this.undone(change) : this.redone(change)) : undefined;
    if (step === undefined) {
      this.dispose();
      return;
    }
    this.present = step;
    const more = undo ? step > 0 : step < this.inserted.length;
    if (more && vscode.window.activeTextEditor?.document === this.document)
      void vscode.commands.executeCommand(undo ? 'undo' : 'redo');
  }

  /** What is left of the insertion after this undo, or undefined when the undo was not of (the end of) it. */
  private undone(change: vscode.TextDocumentContentChangeEvent): number | undefined {
    const end = this.start + this.present;
    if (change.rangeOffset + change.rangeLength !== end || change.rangeOffset < this.start) return undefined;
    // The first edit's undo brings back what it replaced; a later one only removes text.
    if (change.rangeOffset === this.start) return change.text === this.replaced ? 0 : undefined;
    return change.text === '' && change.rangeLength > 0 ? change.rangeOffset - this.start : undefined;
  }

  /** How much of the insertion is back after this redo, or undefined when the redo was not of (the next part of) it. */
  private redone(change: vscode.TextDocumentContentChangeEvent): number | undefined {
    if (change.text === '' || !this.inserted.startsWith(change.text, this.present)) return undefined;
    const first =
      this.present === 0 && change.rangeOffset === this.start && change.rangeLength === this.replaced.length;
    const next = this.present > 0 && change.rangeOffset === this.start + this.present && change.rangeLength === 0;
    return first || next ? this.present + change.text.length : undefined;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }
}
