// "Insert at Cursor…" and "Rewrite Selection…": the model's code streams into the editor as it
// arrives (see insertion.ts), as the `insert` owner of its request. Each resolves, when it ends, with
// what was inserted and how it ended.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Answer, ChatMessage, StreamEvent } from '../api';
import { CodeOnlyFilter, type CodeFilterOutput } from './codeFilter';
import { prepareRequest } from '../core/requestPreparation';
import type { TrackedRequest } from '../core/requestRunner';
import type { ResolvedEndpoint } from '../host/endpointResolver';
import { fixFor, showErrorWithFix, toUserFacingError } from '../host/errorFixes';
import type { Services } from '../host/services';
import { StreamingInsertion, type InsertionStop } from './insertion';
import { InsertionUndo } from './insertionUndo';
import { CODE_ONLY_INSTRUCTIONS, insertMessages, type InsertContext, type InsertMode } from './insertPrompt';

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

/** Where the code goes: the active editor's primary cursor or selection. */
interface InsertTarget {
  editor: vscode.TextEditor;
  document: vscode.TextDocument;
  /** Multiple cursors: the primary one (the first selection) is where the code goes. */
  selection: vscode.Selection;
  /** What the code replaces: the selection (rewrite), or nothing at the cursor (insert). */
  range: vscode.Range;
  /** The document's URI: the request's scope, and the key of the active insertion. */
  key: string;
}

async function insert(
  services: Services,
  mode: InsertMode,
  arg: unknown,
  active: ActiveInsertions,
  decoration: vscode.TextEditorDecorationType,
  undoTrackers: UndoTrackers,
): Promise<InsertResult | undefined> {
  const prompt = automatedPrompt(arg);
  const automated = prompt !== undefined;
  const target = findTarget(mode, active);
  if (typeof target === 'string') return failed(target, services, automated);
  const instruction = prompt ?? (await askInstruction(mode));
  if (instruction === undefined || instruction.trim() === '') return undefined;
  const resolved = await resolveEndpoint(services, automated);
  if ('failure' in resolved) return resolved.failure;
  const request = startRequest(
    services,
    resolved,
    insertMessages(promptContext(services, mode, instruction, target)),
    target,
  );

  const { editor, document, range, key } = target;
  const insertion = new StreamingInsertion(
    editor,
    range,
    decoration,
    undoTrackers.start(document, document.getText(range)),
  );
  active.add(key);
  try {
    const feed = new CodeFeed(insertion, document.languageId);
    const answer = await streamInto(request, insertion, feed, document);
    return endResult(services, automated, answer, insertion, feed, document.languageId);
  } finally {
    active.delete(key);
    insertion.dispose();
  }
}

/** Commands run by tests and automation pass `{ prompt }`: nothing is asked and nothing is shown. */
function automatedPrompt(arg: unknown): string | undefined {
  const prompt = typeof arg === 'object' && arg !== null ? (arg as { prompt?: unknown }).prompt : undefined;
  return typeof prompt === 'string' ? prompt : undefined;
}

/** The editor and range to write into, or why there is none (before anything is sent). */
function findTarget(mode: InsertMode, active: ActiveInsertions): InsertTarget | string {
  const editor = vscode.window.activeTextEditor;
  if (editor === undefined) return 'Open a file and place the cursor where the code should go.';
  const { document, selection } = editor;
  if (mode === 'rewrite' && selection.isEmpty) return 'Select the code to rewrite first.';
  if (isReadOnly(document)) return `${displayPath(document)} is read-only: nothing was sent.`;
  const key = document.uri.toString();
  if (active.has(key)) return 'The model is already writing into this document; stop it first (Esc).';
  const range =
    mode === 'rewrite'
      ? new vscode.Range(selection.start, selection.end)
      : new vscode.Range(selection.active, selection.active);
  return { editor, document, selection, range, key };
}

async function resolveEndpoint(
  services: Services,
  automated: boolean,
): Promise<ResolvedEndpoint | { failure: InsertResult }> {
  try {
    return await services.resolver.resolve();
  } catch (error) {
    const problem = toUserFacingError(error, (text) => services.log.redact(text));
    if (!automated) showErrorWithFix(`Stream Chat: ${problem.message}`, fixFor(problem.kind), services.log);
    return { failure: { text: '', stopped: false, error: problem.message } };
  }
}

/** The instruction and the code around the target, some lines each way. */
function promptContext(services: Services, mode: InsertMode, instruction: string, target: InsertTarget): InsertContext {
  const { document, selection, range } = target;
  const contextLines = contextLinesSetting(services);
  const before = document.getText(
    new vscode.Range(
      new vscode.Position(Math.max(0, range.start.line - contextLines), 0),
      mode === 'rewrite' ? range.start : selection.start,
    ),
  );
  const after = document.getText(
    new vscode.Range(
      range.end,
      document.lineAt(Math.min(document.lineCount - 1, range.end.line + contextLines)).range.end,
    ),
  );
  return {
    mode,
    instruction,
    languageId: document.languageId,
    path: displayPath(document),
    before,
    selection: document.getText(selection),
    after,
  };
}

function startRequest(
  services: Services,
  resolved: ResolvedEndpoint,
  messages: ChatMessage[],
  target: InsertTarget,
): TrackedRequest {
  const prepared = prepareRequest(resolved.settings, messages, { instructions: CODE_ONLY_INSTRUCTIONS });
  return services.runner.start({
    owner: 'insert',
    scope: target.key,
    endpoint: resolved.endpoint,
    request: prepared.request,
    options: prepared.options,
  });
}

/** The stream's content, through the code filter, into the insertion. */
class CodeFeed {
  private readonly filter: CodeOnlyFilter;
  private readonly outputs: CodeFilterOutput[] = [];

  constructor(
    private readonly insertion: StreamingInsertion,
    languageId: string,
  ) {
    this.filter = new CodeOnlyFilter({ markdownDocument: languageId === 'markdown' });
  }

  /** All the code that came through so far (after retractions), whether or not it reached the document. */
  get emitted(): string {
    return this.filter.emitted;
  }

  push(event: StreamEvent): void {
    if (event.type === 'content') this.filter.push(event.text, this.outputs);
    else if (event.type === 'content-was-reasoning') {
      // What was inserted was the model thinking: it comes out again.
      this.filter.reset();
      this.insertion.retractAll();
    }
    this.apply();
  }

  /**
   * The stream ended: what the filter held back goes in if it is code (the start of what could have been a fence).
   * A line held because it may be prose goes in only at the end of a `complete` answer, and only if it is no
   * sentence; after a stop or a failure it stays out.
   */
  flush(complete: boolean): void {
    this.filter.flush(this.outputs, { complete });
    this.apply();
  }

  private apply(): void {
    for (const output of this.outputs) {
      if (output.type === 'code') this.insertion.append(output.text);
      else this.insertion.retractAll();
    }
    this.outputs.length = 0;
  }
}

/**
 * Reads the answer into the insertion under a cancellable notification, and waits for its last edit.
 * Cancel, `streamChat.stop` (Esc) and the insertion stopping (typing, undo, closing) all stop the request.
 */
async function streamInto(
  request: TrackedRequest,
  insertion: StreamingInsertion,
  feed: CodeFeed,
  document: vscode.TextDocument,
): Promise<Answer> {
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
        return await request.collect((event) => feed.push(event));
      } finally {
        cancel.dispose();
      }
    },
  );
  if (insertion.stoppedBy === undefined) feed.flush(!answer.stopped && answer.error === undefined);
  await insertion.finish();
  return answer;
}

/** What the insertion came to; code that could not stay in the document is offered, failures are shown. */
function endResult(
  services: Services,
  automated: boolean,
  answer: Answer,
  insertion: StreamingInsertion,
  feed: CodeFeed,
  languageId: string,
): InsertResult {
  const stopReason = insertion.stoppedBy;
  const lost = stopReason === 'closed' || stopReason === 'hidden' || stopReason === 'removed';
  if (lost) offerText(feed.emitted, stopReason, languageId);
  const result: InsertResult = { text: insertion.text, stopped: answer.stopped || stopReason !== undefined };
  if (lost && feed.emitted !== '') result.leftover = feed.emitted;
  if (answer.finishReason !== undefined) result.finishReason = answer.finishReason;
  if (answer.error !== undefined) {
    const problem = toUserFacingError(answer.error, (text) => services.log.redact(text));
    result.error = problem.message;
    const kept = insertion.text !== '' ? ' — the code that arrived is in the document.' : '';
    if (!automated) showErrorWithFix(`Stream Chat: ${problem.message}${kept}`, fixFor(problem.kind), services.log);
  } else if (answer.finishReason === 'length' && !automated) {
    void vscode.window.showWarningMessage(
      'Stream Chat: the model stopped at its token limit; the code may be incomplete.',
    );
  }
  return result;
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

function contextLinesSetting(services: Services): number {
  return services.config.readSurfaceSetting('insert.contextLines', (value) =>
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
