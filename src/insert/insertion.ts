// Streams text into a document at a tracked position. Text that arrives while an edit is in flight
// is coalesced into the next one, so the document keeps up with any event rate; no edit adds an
// undo stop after the first, so one undo removes the whole insertion (and brings a replaced
// selection back). The user's edits elsewhere move the insertion point along; typing at it, or
// undo, stops the insertion; so does the document closing or its editor going away. When a save splits
// the undo step anyway, InsertionUndo joins the pieces back.
import * as vscode from 'vscode';
import { withLineEndings, type LineEnding } from '../core/lineEndings';
import type { InsertionUndo } from './insertionUndo';

/**
 * Why an insertion stopped before its stream ended: the user typed into it, undid it, removed it (a revert),
 * or its document or editor went away.
 */
export type InsertionStop = 'typed' | 'undo' | 'removed' | 'closed' | 'hidden';

interface ExpectedChange {
  offset: number;
  removed: number;
  text: string;
}

/** How often an edit rejected because the document changed meanwhile is tried again. */
const MAX_EDIT_RETRIES = 20;

export class StreamingInsertion implements vscode.Disposable {
  /** Document offset where the inserted text starts (moves with the user's edits above it). */
  private start: number;
  /** What is in the document now, in its line endings. */
  private inserted = '';
  /** Text waiting for the next edit. */
  private queue = '';
  /** The next edit first removes everything inserted so far. */
  private retractQueued = false;
  /** The selection the first edit replaces (rewrite), as offsets. */
  private replaceLength: number;
  private firstEdit = true;
  private pumping: Promise<void> | undefined;
  private expected: ExpectedChange | undefined;
  private stopReason: InsertionStop | undefined;
  private readonly eol: LineEnding;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly stopped = new vscode.EventEmitter<InsertionStop>();
  /** Fires once when something other than the stream ends the insertion. */
  readonly onDidStop = this.stopped.event;

  constructor(
    private editor: vscode.TextEditor,
    target: vscode.Range,
    private readonly decoration: vscode.TextEditorDecorationType,
    private readonly undo: InsertionUndo,
  ) {
    const { document } = editor;
    this.start = document.offsetAt(target.start);
    this.replaceLength = document.offsetAt(target.end) - this.start;
    this.eol = document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
    this.disposables.push(
      this.stopped,
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.document === document) this.onChange(event);
      }),
      vscode.workspace.onDidCloseTextDocument((closed) => {
        if (closed === document) this.stop('closed');
      }),
      vscode.window.onDidChangeVisibleTextEditors((editors) => this.onVisibleEditors(editors)),
    );
  }

  get document(): vscode.TextDocument {
    return this.editor.document;
  }

  /** The text inserted so far, exactly as it stands in the document. */
  get text(): string {
    return this.inserted;
  }

  get stoppedBy(): InsertionStop | undefined {
    return this.stopReason;
  }

  append(text: string): void {
    if (this.stopReason !== undefined || text === '') return;
    this.queue += withLineEndings(text, this.eol);
    this.pump();
  }

  /** Everything inserted so far was not code (or was reasoning): take it out again. */
  retractAll(): void {
    if (this.stopReason !== undefined) return;
    this.queue = '';
    this.retractQueued = true;
    this.pump();
  }

  /**
   * Resolves when every queued edit has landed (or the insertion stopped), then closes the undo
   * step, so what the user types next is not undone together with the insertion.
   */
  async finish(): Promise<void> {
    while (this.pumping !== undefined) await this.pumping;
    if (this.firstEdit || this.stopReason === 'closed' || this.stopReason === 'hidden') return;
    await Promise.resolve(this.editor.edit(() => undefined, { undoStopBefore: false, undoStopAfter: true })).catch(
      () => undefined,
    );
  }

  stop(reason: InsertionStop): void {
    if (this.stopReason !== undefined) return;
    this.stopReason = reason;
    this.queue = '';
    this.retractQueued = false;
    this.stopped.fire(reason);
  }

  dispose(): void {
    this.undo.ended();
    this.editor.setDecorations(this.decoration, []);
    for (const disposable of this.disposables) disposable.dispose();
  }

  private pump(): void {
    this.pumping ??= this.drain().finally(() => {
      this.pumping = undefined;
    });
  }

  private async drain(): Promise<void> {
    let failures = 0;
    while (this.stopReason === undefined && (this.queue !== '' || this.retractQueued)) {
      const retract = this.retractQueued;
      const text = this.queue;
      this.queue = '';
      this.retractQueued = false;
      // First edit: replaces the selection (rewrite); a retraction replaces what was inserted.
      const removed = this.firstEdit ? this.replaceLength : retract ? this.inserted.length : 0;
      const offset = this.firstEdit || retract ? this.start : this.start + this.inserted.length;
      const { document } = this.editor;
      const range = new vscode.Range(document.positionAt(offset), document.positionAt(offset + removed));
      this.expected = { offset, removed, text };
      let applied = false;
      try {
        applied = await this.editor.edit((edit) => edit.replace(range, text), {
          undoStopBefore: this.firstEdit,
          undoStopAfter: false,
        });
      } catch {
        applied = false; // the editor was closed meanwhile; the listeners say why
      }
      this.expected = undefined;
      if (applied) {
        failures = 0;
        continue;
      }
      // The document changed under the edit (the user typed): the listener has moved the insertion
      // point; put the text back in front of anything newer and try again.
      if (this.stopReason !== undefined || ++failures > MAX_EDIT_RETRIES) break;
      this.queue = text + this.queue;
      this.retractQueued ||= retract;
    }
  }

  private onChange(event: vscode.TextDocumentChangeEvent): void {
    for (const change of event.contentChanges) {
      const expected = this.expected;
      if (
        expected !== undefined &&
        change.rangeOffset === expected.offset &&
        change.rangeLength === expected.removed &&
        change.text === expected.text
      ) {
        this.expected = undefined;
        this.applied(expected);
        continue;
      }
      this.onUserChange(change, event.reason);
    }
  }

  /** Our edit is in the document: record it and highlight what was written. */
  private applied(change: ExpectedChange): void {
    if (this.firstEdit) {
      this.firstEdit = false;
      this.replaceLength = 0;
      this.inserted = change.text;
    } else if (change.removed > 0) {
      this.inserted = change.text;
    } else {
      this.inserted += change.text;
    }
    this.undo.update(this.start, this.inserted);
    const { document } = this.editor;
    this.editor.setDecorations(this.decoration, [
      new vscode.Range(document.positionAt(this.start), document.positionAt(this.start + this.inserted.length)),
    ]);
  }

  private onUserChange(
    change: vscode.TextDocumentContentChangeEvent,
    reason: vscode.TextDocumentChangeReason | undefined,
  ): void {
    if (this.stopReason !== undefined) return;
    if (reason === vscode.TextDocumentChangeReason.Undo || reason === vscode.TextDocumentChangeReason.Redo) {
      // Undo takes back the whole insertion so far (one undo step, or joined into one by InsertionUndo).
      if (reason === vscode.TextDocumentChangeReason.Undo) this.inserted = '';
      this.stop('undo');
      return;
    }
    const regionEnd = this.start + (this.firstEdit ? this.replaceLength : this.inserted.length);
    const changeEnd = change.rangeOffset + change.rangeLength;
    if (
      changeEnd < this.start ||
      (changeEnd === this.start && change.rangeLength > 0) ||
      (changeEnd === this.start && regionEnd > this.start)
    ) {
      // Above the insertion: it moves along.
      this.start += change.text.length - change.rangeLength;
      this.undo.update(this.start, this.inserted);
    } else if (change.rangeOffset > regionEnd) {
      // Below it: nothing moves.
    } else if (this.inserted !== '' && change.rangeOffset <= this.start && changeEnd >= regionEnd) {
      // Everything written was replaced (a revert, select-all and type): it is no longer in the document.
      this.inserted = '';
      this.stop('removed');
    } else {
      // At the insertion point or inside what was written: the user takes over.
      this.stop('typed');
    }
  }

  private onVisibleEditors(editors: readonly vscode.TextEditor[]): void {
    if (editors.includes(this.editor)) return;
    // The document may still be shown by another editor (a split): carry on there.
    const other = editors.find((candidate) => candidate.document === this.editor.document);
    if (other !== undefined) this.editor = other;
    else this.stop('hidden');
  }
}
