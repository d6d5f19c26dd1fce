// The first run as VS Code shows it: the chat view revealed and the walkthrough
// (package.json contributes.walkthroughs) opened once per user; what and why is in core/welcome.ts.
import * as vscode from 'vscode';
import { readWelcomeEnvironment, runWelcome, WALKTHROUGH_ID, WALKTHROUGH_SHOWN_KEY } from '../core/welcome';
import type { StreamChatLog } from './log';

/** Starts the welcome without waiting for it: activation must not wait on the workbench's editors. */
export function showWelcome(
  context: vscode.ExtensionContext,
  log: StreamChatLog,
  revealChat: () => Thenable<unknown>,
): void {
  // Seen on one machine, not again on the next one that syncs settings.
  context.globalState.setKeysForSync([WALKTHROUGH_SHOWN_KEY]);
  const walkthrough = `${context.extension.id}#${WALKTHROUGH_ID}`;
  const testMode = context.extensionMode === vscode.ExtensionMode.Test;
  void runWelcome(context.globalState, readWelcomeEnvironment(process.env), testMode, {
    revealChat,
    openWalkthrough: () => vscode.commands.executeCommand('workbench.action.openWalkthrough', walkthrough),
  }).then(
    (outcome) => (outcome.problems.length > 0 ? log.warn(outcome.note) : log.info(outcome.note)),
    (error: unknown) => log.warn(`Welcome: ${String(error)}`),
  );
}
