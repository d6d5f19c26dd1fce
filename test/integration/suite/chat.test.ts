// The chat panel's host side in the real extension host: the conversation it keeps, the requests it
// sends (checked in the test server's record), stop, regenerate, errors with their fix, first run,
// the deltas it posts (coalesced), and the links it opens for the panel (http(s) only).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AssistantTurnView, HostToWebview } from '../../../src/protocol';
import { chunk, sse, type TestServer } from '../../server';
import { setUserSetting, streamChatApi, useEndpoint, withTestEndpoint } from './helpers';

type ChatMessages = { role: string; content: string }[];

function messagesOf(index: number, server: TestServer): ChatMessages {
  return (server.requests.filter((r) => r.path === '/v1/chat/completions')[index]?.json as { messages: ChatMessages })
    .messages;
}

describe('chat session (host side of the chat panel)', () => {
  let server: TestServer;
  withTestEndpoint((started) => (server = started));

  afterEach(async () => {
    await setUserSetting('systemPrompt', undefined);
  });

  it('answers a question and keeps the context for the follow-up; the system prompt leads', async () => {
    await setUserSetting('systemPrompt', 'Be brief.');
    const { chat } = (await streamChatApi()).testing;
    server.enqueue({
      kind: 'stream',
      steps: [
        sse.data(chunk({ role: 'assistant', content: 'Paris' })),
        sse.data(chunk({ content: '.' }, { finishReason: 'stop' })),
        sse.done(),
      ],
    });
    const first = await chat.send('Capital of France?');
    assert.equal(first?.status, 'done');
    assert.equal(first?.content, 'Paris.');
    assert.equal(first?.footer?.finishReason, 'stop');
    assert.equal(first?.footer?.model, 'test-model');

    await chat.send('And of Italy?');
    assert.deepEqual(messagesOf(1, server), [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Capital of France?' },
      { role: 'assistant', content: 'Paris.' },
      { role: 'user', content: 'And of Italy?' },
    ]);
    assert.deepEqual(
      chat.turns().map((turn) => turn.role),
      ['user', 'assistant', 'user', 'assistant'],
    );
  });

  it('stop mid-stream aborts the request at the server and keeps the partial answer, marked stopped', async () => {
    const { chat } = (await streamChatApi()).testing;
    server.enqueue({
      kind: 'stream',
      steps: [sse.data(chunk({ role: 'assistant', content: 'Partial answer' }))],
      end: 'stall',
    });
    const ended = new Promise<AssistantTurnView>((resolve) => chat.onDidEndAnswer(resolve));
    // Stands in for the panel: the first delta posted means the partial answer is in.
    const posted: HostToWebview[] = [];
    const firstDelta = new Promise<void>((resolve) =>
      chat.attach((message) => {
        posted.push(message);
        if (message.type === 'delta') resolve();
      }),
    );
    const answering = chat.send('Tell me a long story');
    await firstDelta;
    const seen = server.requests.find((request) => request.path === '/v1/chat/completions');
    assert.ok(seen);
    chat.detach();
    // One snapshot, then the new turns and deltas only (status and context meter messages may come in between).
    assert.deepEqual(
      posted.map((message) => message.type).filter((type) => type !== 'status' && type !== 'budget'),
      ['snapshot', 'turns-added', 'delta'],
    );
    assert.equal(await vscode.commands.executeCommand<number>('streamChat.stop', { owner: 'chat' }), 1);
    const turn = await ended;
    assert.equal(turn.status, 'stopped');
    assert.equal(turn.content, 'Partial answer');
    assert.equal(await seen.outcome, 'aborted');
    await answering;
    assert.equal(chat.busy, false);
  });

  it('Regenerate with Another Model asks that model for the last answer only; the setting stays', async () => {
    const { chat } = (await streamChatApi()).testing;
    server.enqueue(
      {
        kind: 'stream',
        steps: [
          sse.data(chunk({ role: 'assistant', content: 'From the usual model' }, { finishReason: 'stop' })),
          sse.done(),
        ],
      },
      {
        kind: 'stream',
        steps: [
          sse.data(chunk({ role: 'assistant', content: 'From the other model' }, { finishReason: 'stop' })),
          sse.done(),
        ],
      },
    );
    await chat.send('Hi');
    const again = await vscode.commands.executeCommand<AssistantTurnView | undefined>('streamChat.regenerateWith', {
      model: 'other-model',
    });
    assert.equal(again?.content, 'From the other model');
    assert.equal(again?.footer?.model, 'other-model');
    const bodies = server.requests
      .filter((r) => r.path === '/v1/chat/completions')
      .map((r) => r.json as { model: string });
    assert.deepEqual(
      bodies.map((body) => body.model),
      ['test-model', 'other-model'],
    );
    assert.deepEqual(messagesOf(1, server), messagesOf(0, server));
    assert.equal(vscode.workspace.getConfiguration('streamChat').get('model'), 'test-model');
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('streamChat.regenerateWith', { model: ' ' })),
      /expects \{ model: string \}/,
    );
  });

  it('regenerate replaces the last answer and asks with the same conversation', async () => {
    const { chat } = (await streamChatApi()).testing;
    server.enqueue(
      {
        kind: 'stream',
        steps: [sse.data(chunk({ role: 'assistant', content: 'First try' }, { finishReason: 'stop' })), sse.done()],
      },
      {
        kind: 'stream',
        steps: [sse.data(chunk({ role: 'assistant', content: 'Second try' }, { finishReason: 'stop' })), sse.done()],
      },
    );
    await chat.send('Hi');
    const again = await chat.regenerate();
    assert.equal(again?.content, 'Second try');
    assert.deepEqual(messagesOf(1, server), messagesOf(0, server));
    assert.deepEqual(
      chat.turns().map((turn) => (turn.role === 'user' ? turn.text : turn.content)),
      ['Hi', 'Second try'],
    );
  });

  it('an error is an answer with the server message, its fix and Retry; text that arrived is kept', async () => {
    const { chat } = (await streamChatApi()).testing;
    server.enqueue({ kind: 'respond', status: 401, body: { error: { message: 'Invalid key' } } });
    const rejected = await chat.send('Hi');
    assert.equal(rejected?.status, 'error');
    assert.equal(rejected?.error?.kind, 'auth');
    assert.deepEqual(rejected?.error?.fix, { action: 'setApiKey', title: 'Set API Key' });

    server.enqueue({
      kind: 'stream',
      steps: [sse.data(chunk({ role: 'assistant', content: 'Half an ans' }))],
      end: 'reset',
    });
    const cut = await chat.send('Again');
    assert.equal(cut?.status, 'error');
    assert.equal(cut?.content, 'Half an ans');
    assert.equal(cut?.error?.kind, 'interrupted');
    assert.equal(cut?.error?.retryable, true);
  });

  it('the footer names the model that answered when the endpoint fails over, and reasoning is kept apart', async () => {
    const { chat } = (await streamChatApi()).testing;
    server.enqueue({
      kind: 'stream',
      steps: [
        sse.data(chunk({ role: 'assistant', reasoning_content: 'Let me think.' }, { model: 'backup-model' })),
        sse.data(chunk({ content: 'Answer.' }, { model: 'backup-model', finishReason: 'length' })),
        sse.done(),
      ],
    });
    const turn = await chat.send('Hi');
    assert.equal(turn?.footer?.respondedModel, 'backup-model');
    assert.equal(turn?.reasoning, 'Let me think.');
    assert.equal(turn?.content, 'Answer.');
    assert.equal(turn?.footer?.finishReason, 'length');
    const continued = await chat.continueAnswer();
    assert.equal(continued?.status, 'done');
    assert.equal(messagesOf(1, server).at(-1)?.role, 'user');
  });

  it('coalesces a fast stream: 300 deltas reach the panel whole in a few dozen posts at most', async () => {
    const { chat } = (await streamChatApi()).testing;
    const pieces = Array.from({ length: 300 }, (_, index) => `w${index} `);
    server.enqueue({
      kind: 'stream',
      steps: [
        sse.data(chunk({ role: 'assistant', content: '' })),
        ...pieces.map((text) => sse.data(chunk({ content: text }))),
        sse.data(chunk({}, { finishReason: 'stop' })),
        sse.done(),
      ],
    });
    // Stands in for the panel: what the host posts it.
    const deltas: string[] = [];
    chat.attach((message) => {
      if (message.type === 'delta' && message.channel === 'content') deltas.push(message.text);
    });
    try {
      const turn = await chat.send('Count to 300');
      assert.equal(turn?.content, pieces.join(''));
    } finally {
      chat.detach();
    }
    assert.equal(deltas.join(''), pieces.join(''), 'the panel did not get the whole text');
    assert.ok(deltas.length <= 40, `300 deltas took ${deltas.length} posts`);
  });

  it('opens only the http(s) links the panel asks for, each once; other schemes are refused and logged', async () => {
    const api = await streamChatApi();
    const refused = [
      'command:workbench.action.quit',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'vscode://vscode.git/clone?url=https%3A%2F%2Fexample.com%2Frepo.git',
    ];
    const allowed = ['https://example.com/docs', 'http://example.com/last'];
    const opened: string[] = [];
    const lastOpened = new Promise<void>((resolve) => {
      const listener = api.testing.onDidOpenExternal((uri) => {
        opened.push(uri);
        if (uri !== allowed.at(-1)) return;
        listener.dispose();
        resolve();
      });
    });
    // A page that renders model output could post anything; the host is the last check.
    for (const href of [...refused, ...allowed]) api.testing.postFromChatPanel({ type: 'open-link', href });
    await lastOpened;
    assert.deepEqual(opened, allowed);
    const log = api.logLines().join('\n');
    for (const scheme of refused.map((href) => href.slice(0, href.indexOf(':'))))
      assert.match(log, new RegExp(`refused\\b.*\\b${scheme}:`), `no log line for the refused ${scheme}: link`);
  });

  it('streamChat.newChat clears the conversation', async () => {
    const { chat } = (await streamChatApi()).testing;
    await chat.send('Hi');
    assert.equal(chat.turns().length, 2);
    await vscode.commands.executeCommand('streamChat.newChat');
    assert.equal(chat.turns().length, 0);
    // New Chat showed the panel; put the Explorer back so the panel's endpoint checks stay out of other
    // suites' server records.
    await vscode.commands.executeCommand('workbench.view.explorer');
  });

  it('first run: the hosted default without a key is reported before anything is typed, with Set API Key', async () => {
    const { chat } = (await streamChatApi()).testing;
    await setUserSetting('baseUrl', undefined);
    await chat.checkEndpoint();
    const problem = chat.status().problem;
    assert.equal(problem?.kind, 'auth');
    assert.match(problem?.message ?? '', /No API key is set for https:\/\/api\.solidrust\.ai/);
    assert.equal(problem?.fix?.action, 'setApiKey');

    await useEndpoint(server.baseUrl);
    await chat.checkEndpoint();
    assert.equal(chat.status().problem, undefined, 'a working local endpoint clears it');
  });
});
