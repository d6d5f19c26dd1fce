// The chat panel: a webview view in the Stream Chat activity-bar container. A minimal HTML shell
// under a strict CSP; the session (host side) owns the conversation, this class only connects a
// ready webview to it and carries out what the user asks for in the panel.
import * as vscode from 'vscode';
import { withLineEndings } from '../core/lineEndings';
import { fixCommand } from '../host/errorFixes';
import type { HostToWebview, WebviewToHost } from '../protocol';
import type { Services } from '../host/services';
import { attach, type PendingAttachments } from './attachments';
import type { ChatSession } from './chatSession';
import type { ViewOptionsStore } from './viewOptions';
import { readWebviewMessage } from './webviewMessages';

export { CHAT_VIEW_ID } from './chatViewId';

/** The messages about the conversation, which `handle` passes to the session. */
type ConversationMessageType =
  | 'ready'
  | 'send'
  | 'start-edit'
  | 'cancel-edit'
  | 'edit-question'
  | 'stop'
  | 'regenerate'
  | 'retry'
  | 'continue'
  | 'retry-leaving-out'
  | 'new-chat';

export class ChatViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private viewDisposables: vscode.Disposable[] = [];
  private readonly testMessages: vscode.Disposable | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly session: ChatSession,
    private readonly services: Services,
    private readonly attachments: PendingAttachments,
    private readonly viewOptions: ViewOptionsStore,
  ) {
    // Tests post what a page could, down the same path as the webview's own messages.
    this.testMessages = services.testHooks?.onDidPostFromChatPanel((message) => this.onMessage(message));
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.disposeView();
    this.view = view;
    const { webview } = view;
    webview.options = {
      enableScripts: true,
      localResourceRoots: [
        vscode.Uri.joinPath(this.extensionUri, 'dist'),
        vscode.Uri.joinPath(this.extensionUri, 'media'),
      ],
    };
    webview.html = this.html(webview);
    this.viewDisposables.push(
      webview.onDidReceiveMessage((message: unknown) => this.onMessage(message)),
      this.attachments.onDidChange((attachments) => this.post({ type: 'attachments', attachments })),
      view.onDidChangeVisibility(() => {
        // A hidden webview view loses its page; it says `ready` again when shown and gets a snapshot.
        if (!view.visible) this.lostView();
      }),
      view.onDidDispose(() => {
        this.lostView();
        this.disposeView();
        this.view = undefined;
      }),
    );
  }

  dispose(): void {
    this.lostView();
    this.disposeView();
    this.testMessages?.dispose();
  }

  private lostView(): void {
    this.session.detach();
    this.services.focus.chatViewFocused = false;
  }

  private disposeView(): void {
    for (const disposable of this.viewDisposables) disposable.dispose();
    this.viewDisposables = [];
  }

  private post = (message: HostToWebview): PromiseLike<boolean> | undefined => this.view?.webview.postMessage(message);

  private onMessage(raw: unknown): void {
    const message = readWebviewMessage(raw, this.services.log);
    if (message !== undefined) this.handle(message);
  }

  /** What the user asked for in the panel: the conversation's messages here, the rest in `act`. */
  private handle(message: WebviewToHost): void {
    switch (message.type) {
      case 'ready':
        this.session.attach(this.post);
        this.attachments.endEdit(); // a re-created panel is not editing anything
        this.post({ type: 'attachments', attachments: this.attachments.all() });
        this.post({ type: 'view-options', options: this.viewOptions.get() });
        break;
      case 'send':
        // Attachments go with a question the session takes (not while an answer streams).
        if (!this.session.busy && message.text.trim() !== '')
          void this.session.send(message.text, this.attachments.take());
        break;
      case 'start-edit':
        this.attachments.beginEdit(this.session.questionSnippets(message.turnId));
        break;
      case 'cancel-edit':
        this.attachments.endEdit();
        break;
      case 'edit-question':
        // The chips are the edited question's code: each goes out once, with it.
        if (!this.session.busy && message.text.trim() !== '') {
          const snippets = this.attachments.take();
          this.attachments.endEdit();
          void this.session.editQuestion(message.turnId, message.text, snippets);
        }
        break;
      case 'stop':
        this.session.stop();
        break;
      case 'regenerate':
      case 'retry':
        void this.session.regenerate();
        break;
      case 'continue':
        void this.session.continueAnswer();
        break;
      case 'retry-leaving-out':
        void this.session.retryLeavingOut();
        break;
      case 'new-chat':
        this.session.newChat();
        break;
      default:
        this.act(message);
    }
  }

  /** Commands, attachments, code blocks, links and focus. */
  private act(message: Exclude<WebviewToHost, { type: ConversationMessageType }>): void {
    switch (message.type) {
      case 'attach':
        void attach(message.what, this.attachments, this.services);
        break;
      case 'remove-attachment':
        this.attachments.remove(message.id);
        break;
      case 'regenerate-with':
        void vscode.commands.executeCommand('streamChat.regenerateWith');
        break;
      case 'fix':
        // Check again afterwards: the panel's notice goes away once the fix worked.
        void vscode.commands.executeCommand(fixCommand(message.action)).then(() => this.session.checkEndpoint());
        break;
      case 'select-model':
        void vscode.commands.executeCommand('streamChat.selectModel');
        break;
      case 'recheck':
        void this.session.checkEndpoint();
        break;
      case 'open-link':
        void openLink(message.href, this.services);
        break;
      case 'copy-code':
        void vscode.env.clipboard
          .writeText(message.code)
          .then(() => vscode.window.setStatusBarMessage('Stream Chat: code copied', 2000));
        break;
      case 'insert-code':
        void insertCode(message.code);
        break;
      case 'open-code':
        void openCode(message.code, message.language);
        break;
      case 'focus':
        this.services.focus.chatViewFocused = message.focused;
        break;
      case 'wrap-code':
        void this.viewOptions.setWrapCode(message.wrap).then(() => {
          this.post({ type: 'view-options', options: this.viewOptions.get() });
        });
        break;
      default: {
        // Does not compile while a member of WebviewToHost has no case here or in `handle`.
        const unhandled: never = message;
        this.services.log.warn(`Chat panel: no handler for ${JSON.stringify(unhandled)}`);
      }
    }
  }

  private html(webview: vscode.Webview): string {
    const nonce = makeNonce();
    const asset = (...path: string[]) =>
      webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, ...path)).toString();
    const csp = [
      "default-src 'none'",
      `img-src ${webview.cspSource} data:`,
      `style-src ${webview.cspSource}`,
      `font-src ${webview.cspSource}`,
      `script-src 'nonce-${nonce}'`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset('dist', 'codicons', 'codicon.css')}">
<link rel="stylesheet" href="${asset('media', 'markdown.css')}">
<link rel="stylesheet" href="${asset('media', 'chat.css')}">
<title>Stream Chat</title>
</head>
<body>
<div id="app"></div>
<script nonce="${nonce}" src="${asset('dist', 'webview.js')}"></script>
</body>
</html>`;
  }
}

function makeNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString('base64');
}

/** Opens http(s) links only, through VS Code (which asks before opening an untrusted domain). */
async function openLink(href: string, services: Services): Promise<void> {
  let uri: vscode.Uri;
  try {
    uri = vscode.Uri.parse(href, true);
  } catch {
    return;
  }
  if (uri.scheme !== 'http' && uri.scheme !== 'https') {
    services.log.warn(`Chat panel: refused to open a ${uri.scheme}: link`);
    return;
  }
  // Tests record the link instead: a browser tab or VS Code's trusted-domain prompt would stay open.
  if (services.testHooks !== undefined) await services.testHooks.openExternal(uri);
  else await vscode.env.openExternal(uri);
}

/** Puts code at the cursor of the last active editor (replacing its selection), as one undo step. */
async function insertCode(code: string): Promise<void> {
  const editor = vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0];
  if (editor === undefined) {
    await openCode(code, undefined);
    return;
  }
  const text = withLineEndings(code, editor.document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n');
  await editor.edit((edit) => edit.replace(editor.selection, text));
  await vscode.window.showTextDocument(editor.document, editor.viewColumn);
}

/** Fence tags that are not VS Code language ids. */
const LANGUAGE_ALIASES: Record<string, string> = {
  ts: 'typescript',
  js: 'javascript',
  py: 'python',
  sh: 'shellscript',
  bash: 'shellscript',
  shell: 'shellscript',
  zsh: 'shellscript',
  yml: 'yaml',
  md: 'markdown',
  rs: 'rust',
  rb: 'ruby',
  cs: 'csharp',
  'c++': 'cpp',
  kt: 'kotlin',
  html: 'html',
  text: 'plaintext',
};

async function openCode(code: string, fenceLanguage: string | undefined): Promise<void> {
  const wanted =
    fenceLanguage === undefined
      ? undefined
      : (LANGUAGE_ALIASES[fenceLanguage.toLowerCase()] ?? fenceLanguage.toLowerCase());
  const known =
    wanted === undefined ? undefined : (await vscode.languages.getLanguages()).includes(wanted) ? wanted : undefined;
  const document = await vscode.workspace.openTextDocument({ content: code, language: known });
  await vscode.window.showTextDocument(document, { preview: false });
}
