// Restricted Mode: an untrusted folder's .vscode/settings.json cannot change what the ask commands
// tell the model (streamChat.prompts) or how much code they send (streamChat.ask.maxSnippetTokens).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AskResult } from '../../../src/ask/askCommands';
import { DEFAULT_PROMPTS } from '../../../src/ask/prompts';
import { chunk, sse, startTestServer, type TestServer } from '../../server';
import { resetUserSettings, setUserSetting, useEndpoint } from './helpers';

describe('ask commands in Restricted Mode', () => {
  let server: TestServer;
  let settingsFile: string;

  before(async () => {
    assert.equal(vscode.workspace.isTrusted, false, 'this pass must run untrusted');
    server = await startTestServer();
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    settingsFile = path.join(folder.uri.fsPath, '.vscode', 'settings.json');
  });

  after(async () => {
    fs.writeFileSync(settingsFile, '{}\n');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await resetUserSettings();
    await server.close();
  });

  it('ignores the workspace’s prompts and snippet limit', async () => {
    await useEndpoint(server.baseUrl);
    await setUserSetting('model', 'test-model');
    fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
    fs.writeFileSync(
      settingsFile,
      JSON.stringify({
        'streamChat.prompts': { explain: 'from an untrusted repo' },
        'streamChat.ask.maxSnippetTokens': 1,
        'editor.tabSize': 5,
      }),
    );
    // editor.tabSize is not restricted: once it shows, the file has been read.
    const tabSize = () => vscode.workspace.getConfiguration('editor').inspect<number>('tabSize')?.workspaceValue;
    await new Promise<void>((resolve) => {
      if (tabSize() === 5) return resolve();
      const listener = vscode.workspace.onDidChangeConfiguration(() => {
        if (tabSize() === 5) {
          listener.dispose();
          resolve();
        }
      });
    });

    const editor = await vscode.window.showTextDocument(
      await vscode.workspace.openTextDocument({ content: 'let answer = 42;\n', language: 'javascript' }),
    );
    editor.selection = new vscode.Selection(0, 0, 0, 16);
    server.enqueue({
      kind: 'stream',
      steps: [sse.data(chunk({ role: 'assistant', content: 'ok' }, { finishReason: 'stop' })), sse.done()],
    });
    const result = await vscode.commands.executeCommand<AskResult>('streamChat.explainSelection');
    assert.equal(result.error, undefined, 'the workspace limit of 1 token is ignored');
    const messages = (
      server.requests.find((request) => request.path === '/v1/chat/completions')?.json as {
        messages: { content: string }[];
      }
    ).messages;
    assert.ok(
      messages.at(-1)?.content.endsWith(`\n\n${DEFAULT_PROMPTS.explain}`),
      'the default instruction, not the workspace’s',
    );
  });
});
