// Restricted Mode: workspace trust on and the folder not trusted. The extension declares
// `capabilities.untrustedWorkspaces: limited`, so it must still load, activate and register its
// commands there. Runs only in the launcher's restricted pass (*.restricted.test.js).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const extensionId = 'stream-chat.stream-chat';

interface Manifest {
  capabilities?: { untrustedWorkspaces?: { supported?: boolean | 'limited' } };
}

describe('restricted mode', () => {
  it('opens the folder untrusted', () => {
    assert.equal(process.env.STREAM_CHAT_TEST_TRUST, 'restricted');
    assert.equal(vscode.workspace.isTrusted, false);
    assert.ok(vscode.workspace.workspaceFolders?.length, 'no workspace folder is open');
  });

  it('declares limited support for untrusted workspaces', () => {
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension, `${extensionId} is not loaded in Restricted Mode`);
    assert.equal((extension.packageJSON as Manifest).capabilities?.untrustedWorkspaces?.supported, 'limited');
  });

  it('activates and registers its commands', async () => {
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension);
    await extension.activate();
    assert.equal(extension.isActive, true);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.ok(registered.has('streamChat.testConnection'), 'streamChat.testConnection is not registered');
  });
});
