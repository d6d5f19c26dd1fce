// Attachments and the context budget in the real extension host: attached files and selections go
// with the next question as fenced blocks with their paths (checked in the test server's record);
// a small window reported by /models leaves out older turns with a note; a question too long alone
// is not sent; a context-length error offers a retry that leaves out older turns, and it succeeds.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { BudgetView, HostToWebview } from '../../../src/protocol';
import { countPromptTokens, countTokens, type TestServer } from '../../server';
import { setUserSetting, streamChatApi, withTestEndpoint } from './helpers';

type ChatMessages = { role: string; content: string }[];

function chatRequests(server: TestServer): ChatMessages[] {
  return server.requests
    .filter((r) => r.path === '/v1/chat/completions')
    .map((r) => (r.json as { messages: ChatMessages }).messages);
}

function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the integration tests open a folder');
  return vscode.Uri.joinPath(folder.uri, name);
}

/** About `tokens` tokens of question text, starting with `tag`: the server counts " abc" as 1, as estimated. */
function question(tag: string, tokens: number): string {
  return `${tag} ${'abc '.repeat(tokens)}`.trim();
}

/** A model no answer has taught yet: its estimates use the default ratio (each test asks its own). */
async function freshModel(server: TestServer, model: string): Promise<void> {
  server.models = [model];
  await setUserSetting('model', model);
}

describe('attachments and the context budget (chat)', () => {
  let server: TestServer;
  withTestEndpoint((started) => (server = started));

  beforeEach(async () => {
    (await streamChatApi()).testing.attachments.take();
  });

  afterEach(async () => {
    (await streamChatApi()).testing.chat.detach();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('an attached selection and file go with the next question, fenced with their paths, then cleared', async () => {
    const { chat, attachments } = (await streamChatApi()).testing;
    const editor = await vscode.window.showTextDocument(workspaceFile('sample.ts'));
    editor.selection = new vscode.Selection(1, 0, 2, 1);
    const selection = await vscode.commands.executeCommand<{ path: string; tokens: number } | undefined>(
      'streamChat.attachSelection',
    );
    assert.equal(selection?.path, 'sample.ts');
    await vscode.commands.executeCommand('streamChat.attachFile', workspaceFile('README.md'));
    const pending = attachments.all();
    assert.deepEqual(
      pending.map((a) => [a.path, a.range, a.languageId]),
      [
        ['sample.ts', { startLine: 2, endLine: 3 }, 'typescript'],
        ['README.md', undefined, 'markdown'],
      ],
    );
    assert.ok(pending.every((a) => a.tokens > 5));

    await chat.send('What does this do?', attachments.take());
    const sent = chatRequests(server)[0].at(-1)?.content ?? '';
    assert.equal(
      sent,
      [
        'Code from sample.ts:2-3 (typescript):\n```typescript\n  return a + b;\n}\n```',
        `File: README.md (markdown):\n\`\`\`markdown\n# ${vscode.workspace.workspaceFolders![0].name}\n\n` +
          'A folder the integration tests open.\n```',
        'What does this do?',
      ].join('\n\n'),
    );
    assert.deepEqual(attachments.all(), []);
    const [asked] = chat.turns();
    assert.deepEqual(asked.role === 'user' && asked.snippets?.map((snippet) => snippet.path), [
      'sample.ts',
      'README.md',
    ]);
  });

  it('edit and resend through the panel: the typed question, its file as a chip, sent once', async () => {
    const api = (await streamChatApi()).testing;
    const { chat, attachments } = api;
    chat.newChat();
    await vscode.commands.executeCommand('streamChat.attachFile', workspaceFile('README.md'));
    await chat.send('What is this folder?', attachments.take());
    const [asked] = chat.turns();
    // Waiting for the next question meanwhile: set aside while the edit runs, back afterwards.
    await vscode.commands.executeCommand('streamChat.attachFile', workspaceFile('sample.ts'));

    api.postFromChatPanel({ type: 'start-edit', turnId: asked.id });
    assert.deepEqual(
      attachments.all().map((a) => a.path),
      ['README.md'],
      "the edited question's file is the only chip",
    );
    api.postFromChatPanel({ type: 'cancel-edit' });
    assert.deepEqual(
      attachments.all().map((a) => a.path),
      ['sample.ts'],
    );

    api.postFromChatPanel({ type: 'start-edit', turnId: asked.id });
    const answered = new Promise<void>((resolve) => chat.onDidEndAnswer(() => resolve()));
    api.postFromChatPanel({ type: 'edit-question', turnId: asked.id, text: 'What is this folder for?' });
    await answered;
    const sent = chatRequests(server).at(-1)?.at(-1)?.content ?? '';
    assert.equal(sent.split('File: README.md (markdown):').length - 1, 1, sent);
    assert.ok(sent.endsWith('\n\nWhat is this folder for?'), sent);
    const [edited] = chat.turns();
    assert.deepEqual(edited.role === 'user' && [edited.text, edited.snippets?.map((snippet) => snippet.path)], [
      'What is this folder for?',
      ['README.md'],
    ]);
    assert.deepEqual(
      attachments.all().map((a) => a.path),
      ['sample.ts'],
      'what was waiting comes back',
    );
  });

  it('binary and over-limit files are refused; attaching the same file again replaces it', async () => {
    const { attachments } = (await streamChatApi()).testing;
    const binary = workspaceFile('blob.bin');
    const huge = workspaceFile('huge.txt');
    await vscode.workspace.fs.writeFile(binary, new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13, 1, 2, 3]));
    await vscode.workspace.fs.writeFile(huge, new TextEncoder().encode('line of text\n'.repeat(30_000)));
    try {
      assert.equal(await vscode.commands.executeCommand('streamChat.attachFile', binary), undefined);
      assert.equal(await vscode.commands.executeCommand('streamChat.attachFile', huge), undefined);
      assert.deepEqual(attachments.all(), []);
      const said = (await streamChatApi()).logLines().join('\n');
      assert.match(said, /Not attached: blob\.bin looks like a binary file \(11 bytes\): only text can be attached\./);
      assert.match(said, /Not attached: huge\.txt is 381 KB; attachments are limited to 256 KB/);
      await vscode.commands.executeCommand('streamChat.attachFile', workspaceFile('sample.ts'));
      await vscode.commands.executeCommand('streamChat.attachFile', workspaceFile('sample.ts'));
      assert.deepEqual(
        attachments.all().map((a) => a.path),
        ['sample.ts'],
      );
    } finally {
      await vscode.workspace.fs.delete(binary);
      await vscode.workspace.fs.delete(huge);
    }
  });

  it("a small window from /models leaves out the oldest turns, says so; meter: window, server's count", async () => {
    server.modelFields = { max_model_len: 400 }; // 100 kept for the answer: 300 for the prompt
    await freshModel(server, 'small-window-model');
    const { chat } = (await streamChatApi()).testing;
    let waiter: { predicate: (budget: BudgetView) => boolean; resolve: (budget: BudgetView) => void } | undefined;
    chat.attach((message: HostToWebview) => {
      if (message.type !== 'budget') return;
      if (waiter?.predicate(message.budget)) waiter.resolve(message.budget);
    });
    const budgetWhere = (predicate: (budget: BudgetView) => boolean) =>
      new Promise<BudgetView>((resolve) => (waiter = { predicate, resolve }));

    const first = await chat.send(question('first', 150));
    assert.equal(first?.contextNote, undefined);
    await chat.send(question('second', 150));
    const third = await chat.send(question('third', 60));
    const [one, two, three] = chatRequests(server);
    assert.equal(one.length, 1);
    assert.equal(two.length, 1, 'the first turn did not fit with the second');
    assert.match(two[0].content, /^second/);
    assert.match(three[0].content, /^second/);
    assert.equal(three.length, 3);
    assert.equal(third?.status, 'done');
    assert.equal(third?.contextNote, "1 earlier turn left out to fit the model's 400-token window");

    const estimated = budgetWhere((budget) => budget.conversationTokens === 0);
    chat.newChat();
    const { charsPerToken, ...afterNewChat } = await estimated;
    assert.deepEqual(afterNewChat, {
      window: 400,
      windowSource: 'server',
      conversationTokens: 0,
      measured: false,
      reserve: 100,
    });
    assert.ok(Math.abs(charsPerToken - 4) < 0.2, `learned from " abc": ${charsPerToken}`);

    const measured = budgetWhere((budget) => budget.measured);
    await chat.send('Hi');
    const counted = countPromptTokens(chatRequests(server).at(-1)) + countTokens('Hello from the test server.');
    assert.equal((await measured).conversationTokens, counted);
  });

  it('a question too long for the window alone is not sent, with its size and the limit', async () => {
    server.modelFields = { max_model_len: 400 };
    await freshModel(server, 'too-long-model');
    const { chat } = (await streamChatApi()).testing;
    const turn = await chat.send(question('long', 600));
    assert.equal(turn?.status, 'error');
    assert.equal(turn?.error?.kind, 'context-length');
    assert.match(
      turn?.error?.message ?? '',
      new RegExp(
        /^Not sent: the question is about 6\d\d tokens .* more than the 300 /.source +
          /the model's 400-token window leaves after 100 kept for the answer/.source,
      ),
    );
    assert.equal(chatRequests(server).length, 0);
  });

  it('a context-length error offers "Leave out older turns and retry": it works without the oldest turn', async () => {
    const { chat } = (await streamChatApi()).testing;
    await chat.send(question('first', 50));
    await chat.send(question('second', 50));
    server.enqueue({
      kind: 'respond',
      status: 400,
      body: {
        object: 'error',
        message:
          "This model's maximum context length is 300 tokens. However, you requested 320 tokens " +
          '(320 in the messages, 0 in the completion). Please reduce the length of the messages or completion.',
        type: 'BadRequestError',
        param: null,
        code: 400,
      },
    });
    const failed = await chat.send(question('third', 50));
    assert.equal(failed?.status, 'error');
    assert.equal(failed?.error?.kind, 'context-length');
    assert.equal(failed?.error?.leaveOutRetry, true);

    const retried = await chat.retryLeavingOut();
    assert.equal(retried?.status, 'done');
    assert.equal(retried?.contextNote, "1 earlier turn left out to fit the model's 300-token window");
    const last = chatRequests(server).at(-1)!;
    assert.deepEqual(
      last.filter((m) => m.role === 'user').map((m) => m.content.split(' ')[0]),
      ['second', 'third'],
    );
    assert.deepEqual(
      chat.turns().map((t) => (t.role === 'user' ? t.text.split(' ')[0] : t.status)),
      ['first', 'done', 'second', 'done', 'third', 'done'],
    );
  });
});
