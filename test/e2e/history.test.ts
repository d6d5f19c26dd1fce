// The chat history as a person meets it: the window reloads while an answer streams, and the panel
// shows the conversation again with the partial answer marked interrupted; Show Chat History finds
// a past conversation by a word from its answer and reopens it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  activeEditorText,
  activeEditorTitle,
  pickQuickItem,
  runCommand,
  screenshot,
  waitForNotification,
  waitForQuickInput,
} from '../harness/browser';
import { answerStream, longAnswerText, pieces } from '../server/chatFixtures';
import { ChatPanel, nthChatRequest, squash, waitUntil } from './chatPanel';
import { e2eEnvironment, testModel, type E2eEnvironment } from './environment';

/** Where the extension's global storage keeps the history in the e2e code-server. */
function historyDirectory(env: E2eEnvironment): string {
  return path.join(env.codeServer.userDataDir, 'User', 'globalStorage', 'stream-chat.stream-chat', 'conversations');
}

/** The saved conversation whose last answer is streaming with `text` in it, if one is on disk. */
function savedMidStream(env: E2eEnvironment, text: string): string | undefined {
  const dir = historyDirectory(env);
  if (!fs.existsSync(dir)) return undefined;
  for (const name of fs.readdirSync(dir).filter((file) => file.endsWith('.json'))) {
    try {
      const data = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as {
        turns: { role: string; status?: string; content?: string }[];
      };
      const last = data.turns.at(-1);
      if (last?.role === 'assistant' && last.status === 'streaming' && last.content?.includes(text)) return name;
    } catch {
      // being replaced right now (rename), or not ours
    }
  }
  return undefined;
}

describe('e2e: chat history', () => {
  let env: E2eEnvironment;

  beforeEach(async () => {
    env = await e2eEnvironment();
    env.testServer.reset();
    env.testServer.models = [testModel];
  });

  it('a window reload mid-answer brings the conversation back, the partial answer marked interrupted', async () => {
    const { page, testServer } = env;
    const panel = await ChatPanel.newChat(page);
    const text = longAnswerText(40);
    testServer.enqueue(answerStream(pieces(text), { waitMs: 60 }));
    await panel.ask('A story to survive a reload');
    const request = await nthChatRequest(testServer, 1);
    await panel.waitForAnswerText('Sentence number 3');
    // Saved while streaming (at most every 2 s): the file on disk has the partial answer.
    const file = await waitUntil(
      'a mid-stream save of the answer',
      async () => savedMidStream(env, 'Sentence number 3'),
      30_000,
      200,
    );
    assert.equal(await panel.status(), 'streaming');

    await page.reload();
    const restored = await ChatPanel.find(page, 120_000);
    await waitUntil(
      'the restored question',
      async () => (await restored.userTurns().filter({ hasText: 'A story to survive a reload' }).count()) === 1,
      60_000,
    );
    await restored.waitForStatus('stopped');
    const notice = squash(await restored.lastAnswer().locator('.notice.interrupted').innerText());
    assert.match(notice, /^Interrupted/);
    const shown = await restored.answerText();
    assert.ok(shown.startsWith('Sentence number 1 of the long answer'), shown);
    assert.ok(shown.includes('Sentence number 3'), shown);
    assert.ok(!shown.includes('Sentence number 40'), 'only what had arrived');
    assert.equal(await request.outcome, 'aborted', 'the reload ended the request');
    assert.ok(fs.existsSync(path.join(historyDirectory(env), file)));
    await screenshot(page, 'history-1-interrupted-after-reload');
  });

  it('Show Chat History finds a conversation by a word in its answer and reopens it', async () => {
    const { page, testServer } = env;
    let panel = await ChatPanel.newChat(page);
    testServer.enqueue(answerStream(pieces('The zebra is striped.')));
    await panel.ask('Tell me about an animal');
    await panel.waitForStatus('done');
    panel = await ChatPanel.newChat(page);

    await runCommand(page, 'Stream Chat: Show Chat History');
    await waitForQuickInput(page, 'Chat History');
    await screenshot(page, 'history-2-list');
    // "zebra" is only in the answer, not in the title: the item stays listed with the excerpt.
    await pickQuickItem(page, 'zebra', 'Tell me about an animal');
    panel = await ChatPanel.find(page);
    await waitUntil(
      'the reopened conversation',
      async () => (await panel.userTurns().filter({ hasText: 'Tell me about an animal' }).count()) === 1,
    );
    await panel.expectAnswerText('The zebra is striped.');
    await screenshot(page, 'history-3-reopened');
  });

  it('deletes a conversation with its trash button in the list; Undo in the notification brings it back', async () => {
    const { page, testServer } = env;
    const panel = await ChatPanel.newChat(page);
    testServer.enqueue(answerStream(pieces('Soon gone.')));
    await panel.ask('A conversation to delete');
    await panel.waitForStatus('done');
    await ChatPanel.newChat(page);

    await runCommand(page, 'Stream Chat: Show Chat History');
    await waitForQuickInput(page, 'Chat History');
    const row = page
      .locator('.quick-input-list .monaco-list-row')
      .filter({ hasText: 'A conversation to delete' })
      .first();
    await row.hover();
    await row.locator('.action-label.codicon-trash').click();
    await waitUntil('the row to leave the list', async () => (await row.count()) === 0);
    // (Escape would hide the notification's toast too: the list stays open until Undo is clicked.)
    const notice = await waitForNotification(page, /deleted “A conversation to delete”/);
    await screenshot(page, 'history-4-deleted-undo');
    await notice.locator('.monaco-button').filter({ hasText: 'Undo' }).click();

    await waitUntil('the conversation back on disk', async () => {
      const dir = historyDirectory(env);
      return fs
        .readdirSync(dir)
        .some(
          (name) =>
            name.endsWith('.json') &&
            fs.readFileSync(path.join(dir, name), 'utf8').includes('A conversation to delete'),
        );
    });
    await runCommand(page, 'Stream Chat: Show Chat History');
    await waitForQuickInput(page, 'Chat History');
    await pickQuickItem(page, 'A conversation to delete');
    const reopened = await ChatPanel.find(page);
    await waitUntil(
      'the restored conversation',
      async () => (await reopened.userTurns().filter({ hasText: 'A conversation to delete' }).count()) === 1,
    );
  });

  it('resends an edited earlier question: later turns replaced, the earlier version kept in Chat History', async () => {
    const { page, testServer } = env;
    const panel = await ChatPanel.newChat(page);
    testServer.enqueue(
      answerStream(pieces('Answer one.')),
      answerStream(pieces('Answer two.')),
      answerStream(pieces('Answer one, edited.')),
    );
    await panel.ask('Question one');
    await panel.waitForStatus('done');
    await panel.ask('Question two');
    await panel.waitForStatus('done');

    const first = panel.userTurns().first();
    await first.hover();
    await first.locator('button[data-action=edit-question]').click();
    const banner = panel.locator('.editing-banner');
    await banner.waitFor({ state: 'visible' });
    assert.equal(await panel.input.inputValue(), 'Question one');
    await screenshot(page, 'history-6-editing');
    await panel.input.fill('Question one, edited');
    await panel.input.press('Enter');

    await waitUntil(
      'the edited question alone',
      async () => squash((await panel.userTurns().allInnerTexts()).join('|')) === 'Question one, edited',
    );
    await panel.waitForStatus('done');
    await panel.expectAnswerText('Answer one, edited.');
    assert.equal(await panel.answers().count(), 1);
    assert.ok(await banner.isHidden());
    await screenshot(page, 'history-7-edited');

    await runCommand(page, 'Stream Chat: Show Chat History');
    await waitForQuickInput(page, 'Chat History');
    await pickQuickItem(page, 'earlier version', 'Question one (earlier version)');
    const earlier = await ChatPanel.find(page);
    await waitUntil(
      'the earlier version reopened',
      async () => squash((await earlier.userTurns().allInnerTexts()).join('|')) === 'Question one|Question two',
    );
  });

  it('Copy answer copies Markdown; Export Chat as Markdown opens the chat in an untitled Markdown editor', async () => {
    const { page, testServer } = env;
    const panel = await ChatPanel.newChat(page);
    testServer.enqueue(answerStream(pieces('Here:\n\n```js\nconsole.log(1);\n```\n')));
    await panel.ask('Show me a log line');
    await panel.waitForStatus('done');

    // The answer's Copy button copies its Markdown source (the fence included), not the rendered text.
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.codeServer.origin });
    await page.evaluate(`navigator.clipboard.writeText('nothing copied yet')`);
    await panel.lastAnswer().locator('button[data-action=copy-answer]').click();
    const copied = await waitUntil('the answer on the clipboard', async () => {
      const text = await page.evaluate<string>(`navigator.clipboard.readText()`);
      return text !== 'nothing copied yet' ? text : undefined;
    });
    assert.equal(copied.trimEnd(), 'Here:\n\n```js\nconsole.log(1);\n```');

    await runCommand(page, 'Stream Chat: Export Chat as Markdown');
    await waitUntil('the exported document', async () => (await activeEditorText(page)).includes('console.log(1);'));
    assert.match((await activeEditorTitle(page)) ?? '', /^Untitled/);
    const text = await activeEditorText(page);
    assert.ok(
      text.startsWith('# Show me a log line\n\n## You\n\nShow me a log line\n\n## Assistant (test-model)'),
      text,
    );
    await screenshot(page, 'history-5-exported');
    await runCommand(page, 'View: Revert and Close Editor');
  });
});
