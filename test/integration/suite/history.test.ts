// The chat history in the real extension host: conversations saved in the extension's storage as
// they change and restored by the next activation (an answer cut by the window closing comes back
// interrupted), unreadable files skipped with a message and kept aside, reopen / rename / delete
// with undo, and Export Chat as Markdown.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ConversationData } from '../../../src/core/conversation';
import type { AssistantTurnView, HostToWebview } from '../../../src/protocol';
import { chunk, sse, type TestServer } from '../../server';
import { streamChatApi, withTestEndpoint } from './helpers';

function answerScenario(text: string) {
  return {
    kind: 'stream' as const,
    steps: [sse.data(chunk({ role: 'assistant', content: text }, { finishReason: 'stop' })), sse.done()],
  };
}

describe('chat history (saved conversations)', () => {
  let server: TestServer;
  withTestEndpoint((started) => (server = started));

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('a conversation is saved to extension storage and restored by a new chat session (next activation)', async () => {
    const { chat, history, recreateChat } = (await streamChatApi()).testing;
    server.enqueue(answerScenario('Saved answer.'));
    await chat.send('Remember this');
    await history.flush();
    const file = path.join(history.store.directory, `${chat.current.id}.json`);
    const saved = JSON.parse(await fs.readFile(file, 'utf8')) as ConversationData;
    assert.equal(saved.version, 1);
    assert.deepEqual(
      saved.turns.map((turn) => (turn.role === 'user' ? turn.text : `${turn.status}: ${turn.content}`)),
      ['Remember this', 'done: Saved answer.'],
    );

    const next = await recreateChat();
    try {
      assert.equal(next.chat.current.id, chat.current.id);
      assert.deepEqual(
        next.chat.turns().map((turn) => (turn.role === 'user' ? turn.text : `${turn.status}: ${turn.content}`)),
        ['Remember this', 'done: Saved answer.'],
      );
      // And the conversation goes on: the restored turns are sent as context.
      server.enqueue(answerScenario('Still here.'));
      await next.chat.send('Still there?');
      const sent = (
        server.requests.filter((r) => r.path === '/v1/chat/completions').at(-1)?.json as {
          messages: { content: string }[];
        }
      ).messages;
      assert.deepEqual(
        sent.map((message) => message.content),
        ['Remember this', 'Saved answer.', 'Still there?'],
      );
    } finally {
      await next.dispose();
    }
  });

  it('an answer streaming when the window closes is saved mid-stream, comes back partial and interrupted', async () => {
    const { recreateChat } = (await streamChatApi()).testing;
    // A window of its own (its session and history over the same storage), closed mid-answer as a reload does.
    const closing = await recreateChat();
    closing.chat.newChat();
    server.enqueue({
      kind: 'stream',
      steps: [sse.data(chunk({ role: 'assistant', content: 'Partial answer' }))],
      end: 'stall',
    });
    const savedMidStream = new Promise<ConversationData>((resolve) =>
      closing.history.onDidSave((data) => {
        const last = data.turns.at(-1);
        if (last?.role === 'assistant' && last.status === 'streaming' && last.content === 'Partial answer')
          resolve(data);
      }),
    );
    const answering = closing.chat.send('Tell me a long story');
    const midStream = await savedMidStream;
    const request = server.requests.find(
      (r) =>
        r.path === '/v1/chat/completions' &&
        (r.json as { messages: { content: string }[] }).messages.at(-1)?.content === 'Tell me a long story',
    );
    await closing.dispose(); // what deactivation does: the history first, then the chat (which stops the request)
    await answering;
    assert.equal(await request?.outcome, 'aborted');
    const onDisk = JSON.parse(
      await fs.readFile(path.join(closing.history.store.directory, `${midStream.id}.json`), 'utf8'),
    ) as ConversationData;
    assert.equal(
      (onDisk.turns.at(-1) as AssistantTurnView).status,
      'streaming',
      'the stop by the closing window is not written over it',
    );

    const reopened = await recreateChat();
    try {
      const posted: HostToWebview[] = [];
      reopened.chat.attach((message) => void posted.push(message));
      const snapshot = posted.find((message) => message.type === 'snapshot');
      assert.ok(snapshot?.type === 'snapshot');
      const answer = snapshot.turns.at(-1);
      assert.ok(answer?.role === 'assistant');
      assert.equal(answer.content, 'Partial answer');
      assert.equal(answer.status, 'stopped');
      assert.equal(answer.interrupted, true);
      reopened.chat.detach();
    } finally {
      await reopened.dispose();
    }
  });

  it('a corrupt history file is skipped with a message naming it, kept aside, and the others still load', async () => {
    const { chat, history } = (await streamChatApi()).testing;
    server.enqueue(answerScenario('Fine.'));
    await chat.send('A readable one');
    await history.flush();
    const corrupt = path.join(history.store.directory, 'corrupt-test.json');
    await fs.writeFile(corrupt, '{"version":1,"id":"corrupt-test","turns":[{"role":');
    const reported = new Promise<readonly { file: string; movedTo?: string }[]>((resolve) =>
      history.onDidReportProblems(resolve),
    );
    const listed = await history.list();
    const problems = await reported;
    assert.deepEqual(
      problems.map((p) => p.file),
      ['corrupt-test.json'],
    );
    assert.ok(listed.some((data) => data.id === chat.current.id));
    const names = await fs.readdir(history.store.directory);
    assert.ok(!names.includes('corrupt-test.json'));
    assert.ok(names.includes(problems[0].movedTo ?? ''), 'kept aside as .corrupt-<time>');
    const log = (await streamChatApi()).logLines().join('\n');
    assert.match(log, /History: skipped corrupt-test\.json: not valid JSON/);
  });

  it('reopen, rename and delete (with undo) from the history; New Chat keeps the old conversation', async () => {
    const { chat, history } = (await streamChatApi()).testing;
    server.enqueue(answerScenario('About A.'), answerScenario('About B.'));
    await chat.send('First conversation');
    const first = chat.current.id;
    await vscode.commands.executeCommand('streamChat.newChat');
    await vscode.commands.executeCommand('workbench.view.explorer');
    await chat.send('Second conversation');
    const second = chat.current.id;
    await history.flush();
    const ids = (await history.list()).map((data) => data.id);
    assert.ok(ids.indexOf(second) < ids.indexOf(first) && ids.indexOf(first) >= 0, 'both listed, newest first');

    assert.equal(await history.open(first), true);
    assert.equal(chat.current.id, first);
    assert.deepEqual(
      chat.turns().map((turn) => (turn.role === 'user' ? turn.text : turn.content)),
      ['First conversation', 'About A.'],
    );

    await history.rename(second, 'Renamed B');
    assert.equal((await history.list()).find((data) => data.id === second)?.title, 'Renamed B');

    const deleted = await history.delete(second);
    assert.ok(deleted);
    assert.equal(deleted.title, 'Renamed B');
    assert.ok(!(await history.list()).some((data) => data.id === second));
    await assert.rejects(fs.stat(path.join(history.store.directory, `${second}.json`)));
    await history.undoDelete(deleted);
    assert.ok((await history.list()).some((data) => data.id === second && data.title === 'Renamed B'));
  });

  it('streamChat.history.maxConversations deletes the oldest conversations, never the one open', async () => {
    const { chat, history } = (await streamChatApi()).testing;
    server.enqueue(answerScenario('A.'), answerScenario('B.'), answerScenario('C.'));
    const ids: string[] = [];
    for (const question of ['Conversation A', 'Conversation B', 'Conversation C']) {
      chat.newChat();
      await chat.send(question);
      ids.push(chat.current.id);
    }
    await history.flush();
    const [a, b, c] = ids;
    assert.equal(await history.open(a), true);
    const pruned = new Promise<readonly string[]>((resolve) => history.onDidPrune(resolve));
    try {
      await vscode.workspace
        .getConfiguration('streamChat')
        .update('history.maxConversations', 2, vscode.ConfigurationTarget.Global);
      const removed = await pruned;
      assert.ok(removed.includes(b), 'B is the oldest one not open');
      assert.equal(history.writtenThisSession(b), false, 'a pruned conversation is forgotten, not kept in memory');
      assert.equal(history.writtenThisSession(c), true);
      const left = (await fs.readdir(history.store.directory)).filter((name) => name.endsWith('.json')).sort();
      assert.deepEqual(left, [`${a}.json`, `${c}.json`].sort());
    } finally {
      await vscode.workspace
        .getConfiguration('streamChat')
        .update('history.maxConversations', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('a conversation over the size limit is saved without its oldest turns, with a note', async () => {
    const { recreateChat } = (await streamChatApi()).testing;
    const small = await recreateChat({ maxBytes: 3000 });
    try {
      small.chat.newChat();
      for (let i = 1; i <= 3; i++) {
        server.enqueue(answerScenario(`Answer ${i} ${'x'.repeat(1200)}`));
        await small.chat.send(`Question ${i}`);
      }
      await small.history.flush();
      const saved = JSON.parse(
        await fs.readFile(path.join(small.history.store.directory, `${small.chat.current.id}.json`), 'utf8'),
      ) as ConversationData;
      assert.ok((saved.omittedTurns ?? 0) >= 2, `omitted ${saved.omittedTurns}`);
      assert.equal(saved.turns.length + (saved.omittedTurns ?? 0), 6);
      assert.equal(saved.turns.at(-1)?.role, 'assistant');
      assert.equal(small.chat.turns().length, 6, 'the panel keeps every turn');
      const log = (await streamChatApi()).logLines().join('\n');
      assert.match(
        log,
        new RegExp(`History: conversation ${small.chat.current.id} passed the 3 KB limit; \\d+ oldest turns not saved`),
      );
    } finally {
      await small.dispose();
    }
  });

  it('edit and resend: turns from the edited question on are replaced; the earlier version stays saved', async () => {
    const { chat, history } = (await streamChatApi()).testing;
    server.enqueue(answerScenario('One.'), answerScenario('Two.'), answerScenario('One, edited.'));
    await chat.send('First question');
    await chat.send('Second question');
    const [firstQuestion] = chat.turns();
    const edited = await chat.editQuestion(firstQuestion.id, 'First question, edited');
    assert.equal(edited?.content, 'One, edited.');
    assert.deepEqual(
      chat.turns().map((turn) => (turn.role === 'user' ? turn.text : turn.content)),
      ['First question, edited', 'One, edited.'],
    );
    const sent = (
      server.requests.filter((r) => r.path === '/v1/chat/completions').at(-1)?.json as {
        messages: { content: string }[];
      }
    ).messages;
    assert.deepEqual(
      sent.map((message) => message.content),
      ['First question, edited'],
      'the later turns are not sent',
    );
    await history.flush();
    const earlier = (await history.list()).find((data) => data.title === 'First question (earlier version)');
    assert.ok(earlier, 'the earlier version is in the history');
    assert.deepEqual(
      earlier.turns.map((turn) => (turn.role === 'user' ? turn.text : turn.content)),
      ['First question', 'One.', 'Second question', 'Two.'],
    );
  });

  it('Export Chat as Markdown opens the conversation as an untitled Markdown document', async () => {
    const { chat } = (await streamChatApi()).testing;
    server.enqueue({
      kind: 'stream',
      steps: [
        sse.data(chunk({ role: 'assistant', reasoning_content: 'Hmm.' })),
        sse.data(chunk({ content: 'Use:\n\n```js\nconsole.log(1);\n```\n' }, { finishReason: 'stop' })),
        sse.done(),
      ],
    });
    await chat.send('How do I log?');
    const document = await vscode.commands.executeCommand<vscode.TextDocument>('streamChat.exportChat');
    assert.ok(document);
    assert.equal(document.isUntitled, true);
    assert.equal(document.languageId, 'markdown');
    assert.equal(vscode.window.activeTextEditor?.document, document);
    assert.equal(
      document.getText(),
      '# How do I log?\n\n## You\n\nHow do I log?\n\n## Assistant (test-model)\n\n' +
        '<details>\n<summary>Thinking</summary>\n\nHmm.\n\n</details>\n\nUse:\n\n```js\nconsole.log(1);\n```\n',
    );
  });
});
