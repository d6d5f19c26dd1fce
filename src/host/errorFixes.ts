// One shape for any failure shown to the user or returned from a command: a kind and a message
// that names the cause. Messages pass through the log's redaction before they leave. And the one
// fix offered for each kind: notifications (`showErrorWithFix`), the chat transcript and the chat
// panel's notice all take it from `fixFor`, so a failure offers the same button wherever it shows.
import * as vscode from 'vscode';
import { ChatError } from '../api';
import type { ErrorKind, FixAction } from '../protocol';
import { EndpointError } from './endpointResolver';
import type { StreamChatLog } from './log';

export interface UserFacingError {
  kind: ErrorKind;
  message: string;
}

export function toUserFacingError(error: unknown, redact: (text: string) => string): UserFacingError {
  if (error instanceof ChatError || error instanceof EndpointError)
    return { kind: error.kind, message: redact(error.message) };
  const message = error instanceof Error ? error.message : String(error);
  return { kind: 'unexpected', message: redact(message) };
}

/** A command that likely fixes a failure, offered as a button next to it. */
export interface Fix {
  action: FixAction;
  title: string;
  command: string;
}

/** The button and command of each fix (the webview names a fix by its action). */
const FIX_BUTTONS: Record<FixAction, Omit<Fix, 'action'>> = {
  setApiKey: { title: 'Set API Key', command: 'streamChat.setApiKey' },
  selectEndpoint: { title: 'Select Endpoint', command: 'streamChat.selectEndpoint' },
  selectModel: { title: 'Select Model', command: 'streamChat.selectModel' },
  testConnection: { title: 'Test Connection', command: 'streamChat.testConnection' },
  showLog: { title: 'Show Log', command: 'streamChat.showLog' },
};

/**
 * The fix most likely to help, per kind (a record: the compiler makes every kind choose one).
 * Show Log where no setting is to blame: the log holds the server's own words and the request.
 */
const FIX_FOR_KIND: Record<ErrorKind, FixAction> = {
  // The key is missing or refused, or its account is out of quota: another key is the fix (a
  // different endpoint only helps if it has one too, and Set API Key is where that starts).
  auth: 'setApiKey',
  quota: 'setApiKey',
  // The model is unknown, or its window is too small for the conversation: another model.
  'model-not-found': 'selectModel',
  'context-length': 'selectModel',
  // The base URL is wrong or unusable: nothing there, not an API, or the key may not travel to it.
  'not-found': 'selectEndpoint',
  network: 'selectEndpoint',
  'not-event-stream': 'selectEndpoint',
  config: 'selectEndpoint',
  'key-not-sent': 'selectEndpoint',
  // Down, or only slow? Test Connection tells (and measures the first token).
  timeout: 'testConnection',
  // The endpoint is right but this request failed: the details are in the log (Retry is offered
  // beside it where a second try can help).
  'rate-limit': 'showLog',
  server: 'showLog',
  'bad-request': 'showLog',
  'stream-error': 'showLog',
  malformed: 'showLog',
  interrupted: 'showLog',
  incomplete: 'showLog',
  'too-large': 'showLog',
  aborted: 'showLog',
  unexpected: 'showLog',
};

/** The button offered next to a failure: the command most likely to fix its cause. */
export function fixFor(kind: ErrorKind | undefined): Fix {
  const action = kind === undefined ? 'showLog' : FIX_FOR_KIND[kind];
  return { action, ...FIX_BUTTONS[action] };
}

/** The command a fix button of the chat panel runs. */
export function fixCommand(action: FixAction): string {
  return FIX_BUTTONS[action].command;
}

/** A button of a notification besides the fix and Show Log (e.g. Test Connection's Show Report). */
export interface NotificationAction {
  title: string;
  run(): void;
}

/**
 * An error notification with the fix most likely to help, `more` actions, and Show Log (once, if
 * that is the fix).
 */
export function showErrorWithFix(
  message: string,
  fix: Pick<Fix, 'title' | 'command'>,
  log: StreamChatLog,
  more: readonly NotificationAction[] = [],
): void {
  const showLog = FIX_BUTTONS.showLog.title;
  const first = fix.command === FIX_BUTTONS.showLog.command ? [] : [fix.title];
  const buttons = [...first, ...more.map((action) => action.title), showLog];
  void vscode.window.showErrorMessage(message, ...buttons).then((choice) => {
    if (choice === showLog) log.show();
    else if (choice === fix.title) void vscode.commands.executeCommand(fix.command);
    else more.find((action) => action.title === choice)?.run();
  });
}
