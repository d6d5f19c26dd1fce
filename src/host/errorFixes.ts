// One shape for any failure shown to the user or returned from a command: a kind and a message
// that names the cause. Messages pass through the log's redaction before they leave.
import * as vscode from 'vscode';
import { ChatError } from '../api';
import { EndpointError } from './endpointResolver';
import type { StreamChatLog } from './log';

export interface UserFacingError {
  /** A `ChatErrorKind`, an `EndpointErrorKind`, or `unexpected`. */
  kind: string;
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
  title: string;
  command: string;
}

/** The button offered next to a failure (besides Show Log): the command most likely to fix its cause. */
export function fixFor(kind: string | undefined): Fix {
  if (kind === 'auth') return { title: 'Set API Key', command: 'streamChat.setApiKey' };
  if (kind === 'model-not-found') return { title: 'Select Model', command: 'streamChat.selectModel' };
  return { title: 'Select Endpoint', command: 'streamChat.selectEndpoint' };
}

/** An error notification with the fix most likely to help, and Show Log. */
export function showErrorWithFix(message: string, fix: Fix, log: StreamChatLog): void {
  void vscode.window.showErrorMessage(message, fix.title, 'Show Log').then((choice) => {
    if (choice === fix.title) void vscode.commands.executeCommand(fix.command);
    else if (choice === 'Show Log') log.show();
  });
}
