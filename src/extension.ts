// Entry point: builds the pieces and registers them; no logic of its own.
import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('streamChat.testConnection', async () => ({ ok: false })),
  );
}

export function deactivate(): void {}
