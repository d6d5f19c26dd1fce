// A long conversation stays light (src/webview/transcript.ts, turnWindow.ts): reopened from Chat
// History, only the answers near the screen hold their rendered markdown; one scrolled far away gives
// it up but keeps its height (nothing around it moves), and renders again, the same, when scrolled to.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator } from 'playwright-core';
import { pickQuickItem, runCommand, screenshot, waitForQuickInput } from '../harness/browser';
import { CONVERSATION_DATA_VERSION, type ConversationData } from '../../src/core/conversation';
import { ChatPanel, waitUntil } from './chatPanel';
import { e2eEnvironment, type E2eEnvironment } from './environment';

const ANSWERS = 60;
const TITLE = 'A long conversation to scroll through';

/** An answer of about 2 KB: a heading, prose, a list and a code block. */
function answerText(n: number): string {
  const prose = `Answer ${n} explains one more step of the long walk through the code. `.repeat(8);
  return (
    `## Answer ${n}\n\n${prose}\n\n- the first point of answer ${n}\n- the second point\n- the third point\n\n` +
    '```ts\n' +
    `export function step${n}(input: number): number {\n  return input * ${n} + 1;\n}\n` +
    '```\n\n' +
    `${prose}\n`
  );
}

/** Writes a saved conversation of ANSWERS questions and answers where Chat History reads them. */
function saveLongConversation(env: E2eEnvironment): void {
  const dir = path.join(
    env.codeServer.userDataDir,
    'User',
    'globalStorage',
    'stream-chat.stream-chat',
    'conversations',
  );
  const now = Date.now();
  const data: ConversationData = {
    version: CONVERSATION_DATA_VERSION,
    id: `long-${now}`,
    title: TITLE,
    createdAt: now,
    updatedAt: now,
    turns: Array.from({ length: ANSWERS }, (_, i) => [
      { role: 'user' as const, id: `q${i + 1}`, text: `Question ${i + 1}` },
      {
        role: 'assistant' as const,
        id: `a${i + 1}`,
        requestId: -(i + 1),
        content: answerText(i + 1),
        reasoning: '',
        status: 'done' as const,
        footer: { model: 'test-model', finishReason: 'stop' },
      },
    ]).flat(),
  };
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${data.id}.json`), JSON.stringify(data));
}

interface AnswerState {
  classes: string;
  /** Elements of rendered markdown in the answer. */
  blocks: number;
  height: number;
  copyButton: boolean;
}

type ElementLike = {
  className: string;
  querySelector(selector: string): { childElementCount: number } | null;
  getBoundingClientRect(): { height: number };
};

/** The answer's state; `blocks` -1 when it is not built at all (its group not come near the screen yet). */
async function stateOf(answer: Locator): Promise<AnswerState> {
  if ((await answer.count()) === 0) return { classes: '(not built)', blocks: -1, height: 0, copyButton: false };
  return answer.evaluate((element: ElementLike) => ({
    classes: element.className,
    blocks: element.querySelector('.answer')?.childElementCount ?? -1,
    height: element.getBoundingClientRect().height,
    copyButton: element.querySelector('button[data-action=copy-answer]') !== null,
  }));
}

type ScrollerLike = { scrollTop: number; scrollHeight: number; clientHeight: number };

async function scrollTo(panel: ChatPanel, where: 'top' | 'bottom'): Promise<void> {
  await panel.locator('main.scroller').evaluate((scroller: ScrollerLike, to) => {
    scroller.scrollTop = to === 'top' ? 0 : scroller.scrollHeight;
  }, where);
}

describe('e2e: a long conversation', () => {
  let env: E2eEnvironment;

  beforeEach(async () => {
    env = await e2eEnvironment();
    env.testServer.reset();
  });

  it('renders only answers near the screen; one far off keeps its height and comes back when scrolled to', async () => {
    const { page } = env;
    saveLongConversation(env);
    await ChatPanel.newChat(page);
    await runCommand(page, 'Stream Chat: Show Chat History');
    await waitForQuickInput(page, 'Chat History');
    await pickQuickItem(page, TITLE);
    const panel = await ChatPanel.find(page);
    const first = panel.locator('article.turn.assistant[data-turn-id="a1"]');
    const last = panel.locator(`article.turn.assistant[data-turn-id="a${ANSWERS}"]`);
    await waitUntil('the last answer rendered', async () => (await stateOf(last)).blocks > 0);

    // Never scrolled to: the first answer is not even built (its group holds its place), or not rendered.
    const unread = await stateOf(first);
    assert.ok(unread.blocks <= 0, `the first answer is rendered right after opening: ${unread.classes}`);
    const room = await panel
      .locator('main.scroller')
      .evaluate((scroller: ScrollerLike) => scroller.scrollHeight / scroller.clientHeight);
    assert.ok(room > 20, `what is not rendered still takes room: the transcript is ${room} screens high`);

    await scrollTo(panel, 'top');
    await waitUntil('the first answer rendered at the top', async () => (await stateOf(first)).blocks > 0);
    const read = await stateOf(first);
    const text = await panel.answerText(first);
    assert.ok(text.startsWith('Answer 1 Answer 1 explains'), text);
    assert.ok(read.copyButton);

    // Far off screen again: it gives its markdown and buttons up, keeping the height it had.
    await scrollTo(panel, 'bottom');
    const released = await waitUntil('the first answer released', async () => {
      const state = await stateOf(first);
      return state.blocks === 0 ? state : undefined;
    });
    assert.match(released.classes, /\breleased\b/);
    assert.equal(released.copyButton, false);
    assert.ok(Math.abs(released.height - read.height) < 0.5, `height ${read.height}px became ${released.height}px`);
    const rendered = await panel.locator('article.turn.assistant:not(.deferred):not(.released)').count();
    assert.ok(rendered < ANSWERS / 3, `${rendered} of ${ANSWERS} answers hold their DOM at the bottom`);
    assert.ok((await stateOf(last)).blocks > 0, 'the last answer stays rendered');
    await screenshot(page, 'long-conversation-1-bottom');

    // Scrolled to again: the same answer, its Copy button back.
    await scrollTo(panel, 'top');
    await waitUntil('the first answer rendered again', async () => (await stateOf(first)).blocks > 0);
    assert.equal(await panel.answerText(first), text);
    const back = await stateOf(first);
    assert.ok(back.copyButton);
    assert.ok(Math.abs(back.height - read.height) < 0.5, `height ${read.height}px came back as ${back.height}px`);
    await screenshot(page, 'long-conversation-2-top');
  });
});
