// "Stream Chat: Stop Generating": stops the one request the user means, never everything at once —
// the chat panel's when it has focus, the insertion in the active editor, else the most recent.
import * as vscode from 'vscode';
import { REQUEST_OWNERS, type RequestOwner, type TrackedRequest } from '../core/requestRunner';
import type { Services } from '../host/services';

/** What `streamChat.stop` accepts: a request id, or an owner (its most recent request); nothing = where the user is. */
export type StopArgument = { requestId: number } | { owner: RequestOwner };

export function registerStopCommand(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand('streamChat.stop', (arg?: unknown) => stop(services, arg));
}

/** Resolves with how many requests were stopped (0 or 1). */
function stop(services: Services, arg: unknown): number {
  const target = targetOf(services, arg);
  if (target === undefined) {
    vscode.window.setStatusBarMessage('Stream Chat: nothing to stop', 2000);
    return 0;
  }
  target.stop();
  services.log.info(`Stopped ${target.owner} request #${target.id}`);
  return 1;
}

function targetOf(services: Services, arg: unknown): TrackedRequest | undefined {
  const { runner } = services;
  if (typeof arg === 'object' && arg !== null) {
    const { requestId, owner } = arg as { requestId?: unknown; owner?: unknown };
    if (typeof requestId === 'number') return runner.activeRequests().find((request) => request.id === requestId);
    if (typeof owner === 'string' && (REQUEST_OWNERS as readonly string[]).includes(owner))
      return runner.latest({ owners: [owner as RequestOwner] });
    throw new Error(
      `streamChat.stop expects { requestId: number } or { owner: ${REQUEST_OWNERS.map((o) => `'${o}'`).join(' | ')} }`,
    );
  }
  return runner.requestToStop({
    chatFocused: services.focus.chatViewFocused,
    activeDocument: vscode.window.activeTextEditor?.document.uri.toString(),
  });
}
