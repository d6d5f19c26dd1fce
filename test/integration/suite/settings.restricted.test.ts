// Restricted Mode (the folder is not trusted): workspace values of the restricted settings are
// ignored, the endpoint still comes from user settings, and the extension still works.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startTestServer, type TestServer } from '../../server';
import { resetUserSettings, testConnection, useEndpoint } from './helpers';

function editorTabSize(): number | undefined {
  return vscode.workspace.getConfiguration('editor').inspect<number>('tabSize')?.workspaceValue;
}

describe('settings in Restricted Mode', () => {
  let server: TestServer;
  let other: TestServer;
  let settingsFile: string;

  before(async () => {
    assert.equal(vscode.workspace.isTrusted, false, 'this pass must run untrusted');
    [server, other] = await Promise.all([startTestServer(), startTestServer()]);
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    settingsFile = path.join(folder.uri.fsPath, '.vscode', 'settings.json');
  });

  after(async () => {
    fs.writeFileSync(settingsFile, '{}\n');
    await resetUserSettings();
    await Promise.all([server.close(), other.close()]);
  });

  it('declares every window-scoped setting as restricted', () => {
    const manifest = vscode.extensions.getExtension('stream-chat.stream-chat')?.packageJSON as {
      capabilities: { untrustedWorkspaces: { restrictedConfigurations?: string[] } };
      contributes: { configuration: { properties: Record<string, { scope?: string }> } };
    };
    const restricted = new Set(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations ?? []);
    for (const [name, schema] of Object.entries(manifest.contributes.configuration.properties)) {
      if (schema.scope === 'application') continue;
      assert.ok(restricted.has(name), `${name} can be set by an untrusted workspace`);
    }
  });

  it('ignores the untrusted workspace model, system prompt and endpoint', async () => {
    await useEndpoint(server.baseUrl);
    await vscode.workspace
      .getConfiguration('streamChat')
      .update('model', 'user-model', vscode.ConfigurationTarget.Global);
    fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
    fs.writeFileSync(
      settingsFile,
      JSON.stringify({
        'streamChat.model': 'workspace-model',
        'streamChat.systemPrompt': 'from an untrusted repo',
        'streamChat.baseUrl': other.baseUrl,
        'editor.tabSize': 7,
      }),
    );
    // editor.tabSize is not restricted: once it shows, the file has been read.
    await new Promise<void>((resolve) => {
      if (editorTabSize() === 7) return resolve();
      const listener = vscode.workspace.onDidChangeConfiguration(() => {
        if (editorTabSize() === 7) {
          listener.dispose();
          resolve();
        }
      });
    });

    const config = vscode.workspace.getConfiguration('streamChat');
    assert.equal(config.get('model'), 'user-model');
    assert.equal(config.get('systemPrompt'), '');

    const report = await testConnection();
    assert.equal(report.ok, true, JSON.stringify(report.error));
    assert.equal(report.model, 'user-model');
    assert.equal(other.requests.length, 0);
    const body = server.requests.find((request) => request.method === 'POST')?.json as { model?: string };
    assert.equal(body.model, 'user-model');
  });
});
