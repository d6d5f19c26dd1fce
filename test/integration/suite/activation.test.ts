// The extension under development is loaded by the real extension host, activates, and registers
// its commands.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

export const extensionId = 'stream-chat.stream-chat';

interface Manifest {
  name?: string;
  contributes?: { commands?: { command: string }[] };
}

describe('activation', () => {
  it('finds the extension under development', () => {
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension, `${extensionId} is not loaded`);
    assert.equal((extension.packageJSON as Manifest).name, 'stream-chat');
  });

  it('activates', async () => {
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension);
    await extension.activate();
    assert.equal(extension.isActive, true);
  });

  it('registers every contributed command, and streamChat.testConnection', async () => {
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension);
    await extension.activate();
    const registered = new Set(await vscode.commands.getCommands(true));
    const contributed = ((extension.packageJSON as Manifest).contributes?.commands ?? []).map((c) => c.command);
    const missing = [...new Set([...contributed, 'streamChat.testConnection'])].filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], `commands not registered: ${missing.join(', ')}`);
  });

  it('runs in a trusted workspace folder (the restricted pass covers Restricted Mode)', () => {
    assert.equal(vscode.workspace.isTrusted, true);
    assert.ok(vscode.workspace.workspaceFolders?.length, 'no workspace folder is open');
  });
});
