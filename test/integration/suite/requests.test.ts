// Requests in the real extension host: the settings a user sets reach the wire, and
// "Stream Chat: Stop Generating" stops the request of the surface the user is in — only that one.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ChatRequest } from '../../../src/api';
import type { TrackedRequest } from '../../../src/core/requestRunner';
import { chunk, sse, type TestServer } from '../../server';
import { setUserSetting, streamChatApi, testConnection, withTestEndpoint } from './helpers';

const request: ChatRequest = { model: 'test-model', messages: [{ role: 'user', content: 'hi' }] };
const helloThenStall = {
  kind: 'stream' as const,
  steps: [sse.data(chunk({ role: 'assistant', content: 'Hello' }))],
  end: 'stall' as const,
};

/** Reads until the first content arrives; the request keeps streaming (stalled) afterwards. */
async function untilFirstContent(tracked: TrackedRequest): Promise<void> {
  for (;;) {
    const read = await tracked.events.next();
    if (read.done === true || read.value.type === 'content') return;
  }
}

describe('requests in the extension host', () => {
  let server: TestServer;
  withTestEndpoint((started) => (server = started));

  afterEach(async () => {
    const api = await streamChatApi();
    api.testing.setChatFocused(false);
    api.testing.runner.stopAll();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const key of ['systemPrompt', 'temperature', 'maxTokens'] as const) await setUserSetting(key, undefined);
  });

  it('Test Connection sends the system prompt, temperature and max tokens from the settings', async () => {
    await setUserSetting('systemPrompt', 'Answer in French.');
    await setUserSetting('temperature', 0.3);
    await setUserSetting('maxTokens', 10);
    const report = await testConnection();
    assert.equal(report.ok, true, JSON.stringify(report.error));
    const completion = server.requests.find((r) => r.path === '/v1/chat/completions');
    const body = completion?.json as {
      messages: { role: string; content: string }[];
      temperature?: number;
      max_tokens?: number;
    };
    assert.deepEqual(body.messages[0], { role: 'system', content: 'Answer in French.' });
    assert.equal(body.messages[1].role, 'user');
    assert.equal(body.temperature, 0.3);
    assert.equal(body.max_tokens, 10, "the user's smaller cap wins over the probe's");
  });

  it('Test Connection names the model that answered when the endpoint fails over', async () => {
    server.enqueue({
      kind: 'stream',
      steps: [
        sse.data(chunk({ role: 'assistant', content: 'Hi' }, { model: 'backup-model' })),
        sse.data(chunk({}, { finishReason: 'stop', model: 'backup-model' })),
        sse.done(),
      ],
    });
    const report = await testConnection();
    assert.equal(report.ok, true, JSON.stringify(report.error));
    assert.equal(report.respondedModel, 'backup-model');
  });

  it('Stop Generating stops the insertion in the active editor and leaves the chat streaming', async () => {
    const { runner } = (await streamChatApi()).testing;
    const document = await vscode.workspace.openTextDocument({ content: 'x', language: 'plaintext' });
    await vscode.window.showTextDocument(document);
    server.enqueue(helloThenStall, helloThenStall);
    const endpoint = { baseUrl: server.baseUrl };
    // The chat's request is the most recent: only the active-editor rule picks the insertion.
    const insert = runner.start({ owner: 'insert', scope: document.uri.toString(), endpoint, request });
    await untilFirstContent(insert);
    const chat = runner.start({ owner: 'chat', endpoint, request });
    await untilFirstContent(chat);
    const [insertSeen, chatSeen] = server.requests;

    assert.equal(await vscode.commands.executeCommand<number>('streamChat.stop'), 1);
    assert.equal(await insertSeen.outcome, 'aborted');
    assert.equal(insert.ended, true);
    assert.equal(chat.ended, false, 'the chat request is untouched');
    assert.deepEqual(
      runner.activeRequests().map((r) => r.owner),
      ['chat'],
    );
    const chatOutcome = await Promise.race([chatSeen.outcome, Promise.resolve('still open')]);
    assert.equal(chatOutcome, 'still open');
  });

  it('with the chat focused it stops the chat request, not the insertion; with nothing running, nothing', async () => {
    const api = await streamChatApi();
    const { runner } = api.testing;
    const document = await vscode.workspace.openTextDocument({ content: 'x', language: 'plaintext' });
    await vscode.window.showTextDocument(document);
    server.enqueue(helloThenStall, helloThenStall);
    const endpoint = { baseUrl: server.baseUrl };
    // The insertion is the most recent and in the active editor: only the chat focus picks the chat.
    const chat = runner.start({ owner: 'chat', endpoint, request });
    await untilFirstContent(chat);
    const insert = runner.start({ owner: 'insert', scope: document.uri.toString(), endpoint, request });
    await untilFirstContent(insert);

    api.testing.setChatFocused(true);
    assert.equal(await vscode.commands.executeCommand<number>('streamChat.stop'), 1);
    assert.equal(await server.requests[0].outcome, 'aborted');
    assert.equal(chat.ended, true);
    assert.equal(insert.ended, false);

    assert.equal(await vscode.commands.executeCommand<number>('streamChat.stop', { owner: 'insert' }), 1);
    assert.equal(await server.requests[1].outcome, 'aborted');
    assert.equal(await vscode.commands.executeCommand<number>('streamChat.stop'), 0);
  });
});
