// The extension under development is loaded by the real extension host, activates, and registers
// its commands.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { StreamChatApi } from '../../../src/extension';

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

  // The first suite to run: nothing has used Stream Chat in this window yet.
  it('loads no surface at activation; the first command loads them and runs with its arguments', async () => {
    const extension = vscode.extensions.getExtension<StreamChatApi>(extensionId);
    assert.ok(extension);
    const api = await extension.activate();
    assert.equal(api.surfacesLoaded, false, 'activation loaded the surfaces');
    // An argument makes the command scripted: it throws what is wrong instead of asking (no UI, no state
    // changed, no chat view opened for the suites after this one). Without the argument it would ask.
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('streamChat.setApiKey', { key: '' })),
      /streamChat\.baseUrl is not set|streamChat\.setApiKey expects \{ key: string \}/,
    );
    assert.equal(api.surfacesLoaded, true);
  });

  // After the test above: the surfaces' own registrations, which replaced the stand-ins.
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
