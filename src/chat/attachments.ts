// Files and selections waiting to go with the next chat question. The host owns the list (the
// panel only renders it as chips): the commands, the panel's buttons and the explorer add to it,
// sending takes it. Each attachment is a CodeSnippet, fenced with its path when sent.
import * as vscode from 'vscode';
import { snippetForModel } from '../shared/snippets';
import { chatTokenEstimator } from './contextWindow';
import type { AttachKind, AttachmentView, CodeSnippet } from '../protocol';
import type { Services } from '../host/services';

/** Larger files are refused: a window of 8,192 tokens holds about 32 KB of code. */
export const MAX_ATTACHMENT_BYTES = 256 * 1024;
/** The workspace file quick pick lists at most this many files. */
const MAX_PICK_FILES = 5_000;
/** How much of a file is checked for NUL bytes (how git tells binary from text, too). */
const BINARY_SNIFF_BYTES = 8_000;

export class PendingAttachments implements vscode.Disposable {
  private list: AttachmentView[] = [];
  /** The attachments waiting before an edit began (see beginEdit). */
  private setAside: AttachmentView[] | undefined;
  private nextId = 1;
  private readonly changed = new vscode.EventEmitter<AttachmentView[]>();
  /** Fires with the whole list after every change. */
  readonly onDidChange = this.changed.event;

  all(): AttachmentView[] {
    return this.list.map((attachment) => ({ ...attachment }));
  }

  /** Adds a snippet; the same file (and range) attached again replaces the older copy. */
  add(snippet: CodeSnippet): AttachmentView {
    const same = (other: CodeSnippet) =>
      other.path === snippet.path &&
      other.range?.startLine === snippet.range?.startLine &&
      other.range?.endLine === snippet.range?.endLine;
    const attachment: AttachmentView = { ...snippet, id: `a${this.nextId++}` };
    this.list = [...this.list.filter((other) => !same(other)), attachment];
    this.fire();
    return attachment;
  }

  remove(id: string): void {
    const before = this.list.length;
    this.list = this.list.filter((attachment) => attachment.id !== id);
    if (this.list.length !== before) this.fire();
  }

  /**
   * Editing an earlier question: its code becomes the chips (removable, sent once with the edited
   * question); what was waiting for the next question is set aside until the edit ends.
   */
  beginEdit(snippets: readonly CodeSnippet[]): void {
    this.setAside ??= this.list;
    this.list = snippets.map((snippet) => ({ ...snippet, id: `a${this.nextId++}` }));
    this.fire();
  }

  /** The edit was sent or cancelled: what was waiting before it comes back. */
  endEdit(): void {
    if (this.setAside === undefined) return;
    this.list = this.setAside;
    this.setAside = undefined;
    this.fire();
  }

  /** The snippets to send with a question; the list is empty afterwards. */
  take(): CodeSnippet[] {
    const taken = this.list.map(({ id: _id, ...snippet }) => snippet);
    this.list = [];
    if (taken.length > 0) this.fire();
    return taken;
  }

  dispose(): void {
    this.changed.dispose();
  }

  private fire(): void {
    this.changed.fire(this.all());
  }
}

export function registerAttachmentCommands(attachments: PendingAttachments, services: Services): vscode.Disposable[] {
  const thenShowChat = async (added: unknown) => {
    if (added !== undefined) await vscode.commands.executeCommand('streamChat.openChat');
    return added;
  };
  return [
    // From the explorer: the clicked file, or all selected ones; from the palette: a quick pick.
    vscode.commands.registerCommand('streamChat.attachFile', async (uri?: unknown, uris?: unknown) => {
      const chosen =
        Array.isArray(uris) && uris.every((item) => item instanceof vscode.Uri)
          ? uris
          : uri instanceof vscode.Uri
            ? [uri]
            : undefined;
      if (chosen === undefined) return thenShowChat(await attach('pick', attachments, services));
      let added: AttachmentView | undefined;
      for (const file of chosen) added = (await attachFile(file, attachments, services)) ?? added;
      return thenShowChat(added);
    }),
    vscode.commands.registerCommand('streamChat.attachSelection', async () =>
      thenShowChat(await attach('selection', attachments, services)),
    ),
  ];
}

/** Adds what the user asked for; undefined (after saying why) when there is nothing to add. */
export async function attach(
  what: AttachKind,
  attachments: PendingAttachments,
  services: Services,
): Promise<AttachmentView | undefined> {
  if (what === 'pick') {
    const uri = await pickWorkspaceFile();
    return uri === undefined ? undefined : attachFile(uri, attachments, services);
  }
  const editor = vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0];
  if (editor === undefined) {
    void vscode.window.showInformationMessage(
      `Stream Chat: open a file first to attach its ${what === 'file' ? 'contents' : 'selection'}.`,
    );
    return undefined;
  }
  const { document, selection } = editor;
  if (what === 'selection' && selection.isEmpty) {
    void vscode.window.showInformationMessage('Stream Chat: select some code first (or attach the whole file).');
    return undefined;
  }
  if (what === 'file') return addChecked(snippetOf(document, document.getText()), attachments, services);
  // A selection that ends at the start of a line does not include that line.
  const endLine =
    selection.end.character === 0 && selection.end.line > selection.start.line
      ? selection.end.line - 1
      : selection.end.line;
  const range = { startLine: selection.start.line + 1, endLine: endLine + 1 };
  return addChecked(snippetOf(document, document.getText(selection), range), attachments, services);
}

async function attachFile(
  uri: vscode.Uri,
  attachments: PendingAttachments,
  services: Services,
): Promise<AttachmentView | undefined> {
  const name = vscode.workspace.asRelativePath(uri, false);
  try {
    const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
    if (open !== undefined) return addChecked(snippetOf(open, open.getText()), attachments, services);
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.type & vscode.FileType.Directory) return refuse(services, `${name} is a folder: attach files one by one.`);
    if (stat.size > MAX_ATTACHMENT_BYTES) return refuse(services, tooLarge(name, stat.size));
    const bytes = await vscode.workspace.fs.readFile(uri);
    if (bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0))
      return refuse(
        services,
        `${name} looks like a binary file (${formatBytes(bytes.length)}): only text can be attached.`,
      );
    const document = await vscode.workspace.openTextDocument(uri);
    return addChecked(snippetOf(document, document.getText()), attachments, services);
  } catch (error) {
    return refuse(services, `Could not read ${name}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function snippetOf(document: vscode.TextDocument, code: string, range?: CodeSnippet['range']): CodeSnippet {
  const path = document.isUntitled ? document.uri.path : vscode.workspace.asRelativePath(document.uri, false);
  const snippet: CodeSnippet = { path, languageId: document.languageId, code, tokens: 0 };
  if (range !== undefined) snippet.range = range;
  return snippet;
}

function addChecked(
  snippet: CodeSnippet,
  attachments: PendingAttachments,
  services: Services,
): AttachmentView | undefined {
  const size = Buffer.byteLength(snippet.code, 'utf8');
  if (size > MAX_ATTACHMENT_BYTES) return refuse(services, tooLarge(snippet.path, size));
  if (snippet.code.trim() === '') return refuse(services, `${snippet.path} is empty: nothing to attach.`);
  snippet.tokens = chatTokenEstimator(services).estimate(snippetForModel(snippet));
  const added = attachments.add(snippet);
  const lines = snippet.range ? `:${snippet.range.startLine}-${snippet.range.endLine}` : '';
  services.log.info(`Attached ${snippet.path}${lines} (about ${snippet.tokens} tokens)`);
  return added;
}

function refuse(services: Services, message: string): undefined {
  services.log.warn(`Not attached: ${message}`);
  void vscode.window.showWarningMessage(`Stream Chat: ${message}`);
  return undefined;
}

function tooLarge(name: string, bytes: number): string {
  const limit = `${formatBytes(MAX_ATTACHMENT_BYTES)} (about ${Math.round(MAX_ATTACHMENT_BYTES / 4 / 1000)}k tokens)`;
  return `${name} is ${formatBytes(bytes)}; attachments are limited to ${limit}. Attach a selection instead.`;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  return bytes < 1024 * 1024 ? `${Math.round(bytes / 1024)} KB` : `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** A quick pick of the workspace's files (files.exclude applies), by name with the folder as description. */
async function pickWorkspaceFile(): Promise<vscode.Uri | undefined> {
  if (vscode.workspace.workspaceFolders === undefined) {
    void vscode.window.showInformationMessage('Stream Chat: open a folder to attach its files.');
    return undefined;
  }
  // `undefined` as exclude applies files.exclude (null would not).
  const files = await vscode.workspace.findFiles('**/*', undefined, MAX_PICK_FILES);
  const items = files
    .map((uri) => {
      const path = vscode.workspace.asRelativePath(uri, true);
      const slash = path.lastIndexOf('/');
      return { label: path.slice(slash + 1), description: slash < 0 ? '' : path.slice(0, slash), uri, path };
    })
    .sort((a, b) => a.path.localeCompare(b.path));
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Stream Chat: Attach File to Chat',
    placeHolder:
      files.length >= MAX_PICK_FILES
        ? `Type to find a file (the first ${MAX_PICK_FILES.toLocaleString('en-US')} files are listed)`
        : 'Type to find a file',
    matchOnDescription: true,
  });
  return picked?.uri;
}
