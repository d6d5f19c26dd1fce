// "Insert at Cursor…" and "Rewrite Selection…": the model's code streams into the editor as it
// arrives (see insertion.ts), as the `insert` owner of its request. Each resolves, when it ends, with
// what was inserted and how it ended.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CodeOnlyFilter, type CodeFilterOutput } from './codeFilter';
import { prepareRequest } from '../core/requestPreparation';
import { StreamChatConfig } from '../host/config';
import { fixFor, showErrorWithFix, toUserFacingError } from '../host/errorFixes';
import type { Services } from '../host/services';
import { StreamingInsertion, type InsertionStop } from './insertion';
import { InsertionUndo } from './insertionUndo';
import { CODE_ONLY_INSTRUCTIONS, insertMessages, type InsertMode } from './insertPrompt';

export interface InsertResult {
  /** Exactly what was inserted (in the document's line endings). */
  text: string;
  finishReason?: string;
  stopped: boolean;
  /** A readable message when the request failed or could not start. */
  error?: string;
  /** The code that arrived when its document or editor went away mid-stream (offered to copy or open). */
  leftover?: string;
}

/** Set while an insertion streams into the active editor (Esc stops it there). */
export const INSERT_ACTIVE_CONTEXT = 'streamChat.insertActive';
const DEFAULT_CONTEXT_LINES = 40;

export function registerInsertCommands(services: Services): vscode.Disposable[] {
  const active = new ActiveInsertions();
  const decoration = vscode.window.createTextEditorDecorationType({
    backgroundColor: new vscode.ThemeColor('diffEditor.insertedTextBackground'),
    isWholeLine: false,
    overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.addedForeground'),
    overviewRulerLane: vscode.OverviewRulerLane.Left,
  });
  const undoTrackers = new UndoTrackers();
  const run = (mode: InsertMode) => (arg?: unknown) => insert(services, mode, arg, active, decoration, undoTrackers);
  return [
    active,
    undoTrackers,
    decoration,
    vscode.commands.registerCommand('streamChat.insertAtCursor', run('insert')),
    vscode.commands.registerCommand('streamChat.rewriteSelection', run('rewrite')),
  ];
}

/** Which documents are being written into, for the Esc context key. */
class ActiveInsertions implements vscode.Disposable {
  private readonly documents = new Set<string>();
  private readonly subscription = vscode.window.onDidChangeActiveTextEditor(() => this.update());

  add(uri: string): void {
    this.documents.add(uri);
    this.update();
  }

  delete(uri: string): void {
    this.documents.delete(uri);
    this.update();
  }

  has(uri: string): boolean {
    return this.documents.has(uri);
  }

  dispose(): void {
    this.subscription.dispose();
  }

  private update(): void {
    const uri = vscode.window.activeTextEditor?.document.uri.toString();
    void vscode.commands.executeCommand(
      'setContext',
      INSERT_ACTIVE_CONTEXT,
      uri !== undefined && this.documents.has(uri),
    );
  }
}

/** The last insertion's undo tracking per document (it outlives the insertion: the undo comes later). */
class UndoTrackers implements vscode.Disposable {
  private readonly trackers = new Map<string, InsertionUndo>();

  start(document: vscode.TextDocument, replaced: string): InsertionUndo {
    for (const [key, tracker] of this.trackers) if (tracker.isDisposed) this.trackers.delete(key);
    const key = document.uri.toString();
    this.trackers.get(key)?.dispose();
    const tracker = new InsertionUndo(document, replaced);
    this.trackers.set(key, tracker);
    return tracker;
  }

  dispose(): void {
    for (const tracker of this.trackers.values()) tracker.dispose();
    this.trackers.clear();
  }
}

function failed(message: string, services: Services, automated: boolean): InsertResult {
  services.log.warn(message);
  if (!automated) void vscode.window.showErrorMessage(`Stream Chat: ${message}`);
  return { text: '', stopped: false, error: message };
}

async function insert(
  services: Services,
  mode: InsertMode,
  arg: unknown,
  active: ActiveInsertions,
  decoration: vscode.TextEditorDecorationType,
  undoTrackers: UndoTrackers,
): Promise<InsertResult | undefined> {
  const automated = typeof arg === 'object' && arg !== null && typeof (arg as { prompt?: unknown }).prompt === 'string';
  const editor = vscode.window.activeTextEditor;
  if (editor === undefined)
    return failed('Open a file and place the cursor where the code should go.', services, automated);
  const { document } = editor;
  // Multiple cursors: the primary one (the first selection) is where the code goes.
  const selection = editor.selection;
  if (mode === 'rewrite' && selection.isEmpty) return failed('Select the code to rewrite first.', services, automated);
  if (isReadOnly(document))
    return failed(`${displayPath(document)} is read-only: nothing was sent.`, services, automated);
  const key = document.uri.toString();
  if (active.has(key))
    return failed('The model is already writing into this document; stop it first (Esc).', services, automated);

  const instruction = automated ? (arg as { prompt: string }).prompt : await askInstruction(mode);
  if (instruction === undefined || instruction.trim() === '') return undefined;

  let resolved;
  try {
    resolved = await services.resolver.resolve();
  } catch (error) {
    const problem = toUserFacingError(error, (text) => services.log.redact(text));
    if (!automated) showErrorWithFix(`Stream Chat: ${problem.message}`, fixFor(problem.kind), services.log);
    return { text: '', stopped: false, error: problem.message };
  }
  const settings = resolved.settings;
  const contextLines = contextLinesSetting();
  const target =
    mode === 'rewrite'
      ? new vscode.Range(selection.start, selection.end)
      : new vscode.Range(selection.active, selection.active);
  const before = document.getText(
    new vscode.Range(
      new vscode.Position(Math.max(0, target.start.line - contextLines), 0),
      mode === 'rewrite' ? target.start : selection.start,
    ),
  );
  const after = document.getText(
    new vscode.Range(
      target.end,
      document.lineAt(Math.min(document.lineCount - 1, target.end.line + contextLines)).range.end,
    ),
  );
  const messages = insertMessages({
    mode,
    instruction,
    languageId: document.languageId,
    path: displayPath(document),
    before,
    selection: document.getText(selection),
    after,
  });
  const prepared = prepareRequest(settings, messages, { instructions: CODE_ONLY_INSTRUCTIONS });
  const request = services.runner.start({
    owner: 'insert',
    scope: key,
    endpoint: resolved.endpoint,
    request: prepared.request,
    options: prepared.options,
  });

  const insertion = new StreamingInsertion(
    editor,
    target,
    decoration,
    undoTrackers.start(document, document.getText(target)),
  );
  const filter = new CodeOnlyFilter({ markdownDocument: document.languageId === 'markdown' });
  const outputs: CodeFilterOutput[] = [];
  const apply = () => {
    for (const output of outputs) {
      if (output.type === 'code') insertion.append(output.text);
      else insertion.retractAll();
    }
    outputs.length = 0;
  };
  active.add(key);
  try {
    insertion.onDidStop(() => request.stop());
    const answer = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `Stream Chat: writing into ${path.basename(document.fileName) || 'the document'}`,
        cancellable: true,
      },
      async (_progress, token) => {
        const cancel = token.onCancellationRequested(() => request.stop());
        try {
          return await request.collect((event) => {
            if (event.type === 'content') filter.push(event.text, outputs);
            else if (event.type === 'content-was-reasoning') {
              // What was inserted was the model thinking: it comes out again.
              filter.reset();
              insertion.retractAll();
            }
            apply();
          });
        } finally {
          cancel.dispose();
        }
      },
    );
    if (insertion.stoppedBy === undefined) {
      filter.flush(outputs);
      apply();
    }
    await insertion.finish();
    const stopReason = insertion.stoppedBy;
    const lost = stopReason === 'closed' || stopReason === 'hidden' || stopReason === 'removed';
    if (lost) offerText(filter.emitted, stopReason, document.languageId);
    const result: InsertResult = { text: insertion.text, stopped: answer.stopped || stopReason !== undefined };
    if (lost && filter.emitted !== '') result.leftover = filter.emitted;
    if (answer.finishReason !== undefined) result.finishReason = answer.finishReason;
    if (answer.error !== undefined) {
      const problem = toUserFacingError(answer.error, (text) => services.log.redact(text));
      result.error = problem.message;
      if (!automated)
        showErrorWithFix(
          `Stream Chat: ${problem.message}${insertion.text !== '' ? ' — the code that arrived is in the document.' : ''}`,
          fixFor(problem.kind),
          services.log,
        );
    } else if (answer.finishReason === 'length' && !automated) {
      void vscode.window.showWarningMessage(
        'Stream Chat: the model stopped at its token limit; the code may be incomplete.',
      );
    }
    return result;
  } finally {
    active.delete(key);
    insertion.dispose();
  }
}

async function askInstruction(mode: InsertMode): Promise<string | undefined> {
  return vscode.window.showInputBox({
    title: mode === 'rewrite' ? 'Stream Chat: Rewrite Selection' : 'Stream Chat: Insert at Cursor',
    prompt:
      mode === 'rewrite'
        ? 'How should the selected code change? The result replaces it as it streams (one undo brings it back).'
        : 'What code should be written at the cursor? It appears as it streams; Esc stops, one undo removes it.',
    placeHolder: mode === 'rewrite' ? 'e.g. add error handling' : 'e.g. a function that parses ISO dates',
    ignoreFocusOut: true,
  });
}

function contextLinesSetting(): number {
  return StreamChatConfig.readSurfaceSetting('insert.contextLines', (value) =>
    typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 1000 ? value : DEFAULT_CONTEXT_LINES,
  );
}

/** Read-only file systems (git:, output, virtual read-only providers) are refused before any request. */
function isReadOnly(document: vscode.TextDocument): boolean {
  if (document.isUntitled) return false;
  return vscode.workspace.fs.isWritableFileSystem(document.uri.scheme) === false;
}

function displayPath(document: vscode.TextDocument): string {
  return document.isUntitled ? document.uri.path : vscode.workspace.asRelativePath(document.uri, false);
}

/** The editor went away mid-stream: the code is not lost, the user can take it. */
function offerText(text: string, why: InsertionStop, languageId: string): void {
  if (text === '') return;
  const what =
    why === 'closed'
      ? 'The document was closed'
      : why === 'hidden'
        ? 'The editor was closed'
        : 'The inserted code was removed from the document';
  void vscode.window
    .showWarningMessage(
      `Stream Chat: ${what} while the model was writing. Keep the code it wrote?`,
      'Copy',
      'Open in New Editor',
    )
    .then(async (choice) => {
      if (choice === 'Copy') await vscode.env.clipboard.writeText(text);
      else if (choice === 'Open in New Editor')
        await vscode.window.showTextDocument(
          await vscode.workspace.openTextDocument({ content: text, language: languageId }),
        );
    });
}
