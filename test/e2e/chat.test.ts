// The chat panel as a person uses it: open it from the command palette, ask, watch the answer
// stream in, stop it, regenerate it, hide the panel mid-answer, use a code block's buttons, read
// the Thinking section, meet errors and the first-run notice, and stay safe from hostile output.
// Every test asserts what the panel shows and what the local test server saw on the wire.
import * as assert from 'node:assert/strict';
import {
  activeEditorText,
  activeEditorTitle,
  dismissQuickInput,
  focusedQuickItemLabel,
  openWorkspaceFile,
  pickQuickItem,
  runCommand,
  runCommandExact,
  screenshot,
} from '../harness/browser';
import { freePort } from '../harness/code-server';
import {
  answerStream,
  codeAnswer,
  hostileAnswerText,
  hostilePaths,
  longAnswerText,
  pieces,
  reasoningAnswer,
  segmentedAnswerStream,
} from '../server/chatFixtures';
import type { Scenario } from '../server';
import type { Locator, Page } from 'playwright-core';
import {
  accessibleName,
  borderColorsOf,
  boxInPanel,
  ChatPanel,
  chatRequests,
  chooseCustomEndpoint,
  colorsOf,
  cssOf,
  contrastRatio,
  completeCustomEndpoint,
  focusedInPanel,
  horizontalOverflow,
  messagesOf,
  nthChatRequest,
  panelButtons,
  panelGone,
  panelWindow,
  scrollPosition,
  squash,
  tabTo,
  trackOutcome,
  waitUntil,
  zoomWindow,
} from './chatPanel';
import { e2eEnvironment, testModel, type E2eEnvironment } from './environment';

/** Runs `body`, then puts back the colour theme that was on before it. */
async function keepingColorTheme(page: Page, body: () => Promise<void>): Promise<void> {
  await runCommandExact(page, 'Preferences: Color Theme');
  const original = await focusedQuickItemLabel(page);
  await dismissQuickInput(page);
  try {
    await body();
  } finally {
    await dismissQuickInput(page);
    await runCommandExact(page, 'Preferences: Color Theme');
    await pickQuickItem(page, original);
  }
}

/** Switches the colour theme and waits for the panel to follow it (its body's theme class). */
async function useColorTheme(page: Page, panel: ChatPanel, theme: string, kind: string): Promise<void> {
  await runCommandExact(page, 'Preferences: Color Theme');
  await pickQuickItem(page, theme);
  await waitUntil(`the panel to follow ${theme}`, async () =>
    ((await panel.locator('body').getAttribute('class')) ?? '').split(/\s+/).includes(kind),
  );
}

describe('e2e: chat panel', () => {
  let env: E2eEnvironment;
  let panel: ChatPanel;

  beforeEach(async () => {
    env = await e2eEnvironment();
    env.testServer.reset();
    env.testServer.models = [testModel];
    panel = await ChatPanel.newChat(env.page);
  });

  it('streams an answer into the panel while the server is still sending it, then shows the footer', async () => {
    const { page, testServer } = env;
    const text = longAnswerText(8);
    const parts = pieces(text);
    testServer.enqueue(answerStream(parts, { waitMs: 50 }));

    await panel.ask('Tell me a long story');
    const request = await nthChatRequest(testServer, 1);
    const outcome = trackOutcome(request);

    const partial = await panel.waitForAnswerText('Sentence number 2');
    assert.equal(outcome.value, undefined, 'the server had already finished when the partial text was read');
    assert.ok(!partial.includes('Sentence number 8'), `the whole answer was already there: ${partial}`);
    assert.equal(await panel.status(), 'streaming');
    assert.ok(await panel.stopButton.isVisible(), 'Stop is offered while streaming');
    // Named, with its shortcut, for hover and for screen readers.
    assert.equal(await panel.stopButton.getAttribute('title'), 'Stop · Esc');
    assert.equal(await panel.stopButton.getAttribute('aria-label'), 'Stop');
    assert.equal(await panel.stopButton.getAttribute('aria-keyshortcuts'), 'Escape');
    await screenshot(page, 'chat-1-streaming');

    await panel.waitForStatus('done');
    assert.equal(await request.outcome, 'finished');
    await panel.expectAnswerText(squash(text));
    const footer = squash(await panel.lastAnswer().locator('.turn-footer').innerText());
    assert.match(footer, /first token \d/, footer);
    assert.match(footer, /tok\/s/, footer);
    assert.match(footer, new RegExp(`12 in · ${parts.length} out`), footer);
    assert.match(footer, /complete/, footer);
    assert.ok(await panel.sendButton.isVisible(), 'Send is back once the answer is done');
    const messages = messagesOf(request);
    assert.deepEqual(messages, [{ role: 'user', content: 'Tell me a long story' }]);
    assert.equal((request.json as { model?: string }).model, testModel);
    assert.equal((request.json as { stream?: boolean }).stream, true);
    // The narrow header cuts long names: hovering shows the whole name and the endpoint, and the meter
    // says what it counts.
    assert.equal(
      await panel.locator('.model-button').getAttribute('title'),
      `Model: ${testModel} at ${new URL(testServer.baseUrl).origin} — click to choose another`,
    );
    assert.match(
      (await panel.locator('.budget-meter').getAttribute('title')) ?? '',
      /^Context: about [\d,]+ of [\d,]+ tokens \(window /,
    );
    await screenshot(page, 'chat-1-done');
  });

  it('offers Stop only while an answer streams and Send only when it does not', async () => {
    const { testServer } = env;
    testServer.enqueue(answerStream(pieces(longAnswerText(4)), { waitMs: 60 }));
    assert.ok(await panel.sendButton.isVisible(), 'Send is shown before asking');
    assert.ok(!(await panel.stopButton.isVisible()), 'Stop is shown before asking');

    await panel.ask('Show me the buttons');
    await panel.waitForAnswerText('Sentence number 1');
    assert.ok(await panel.stopButton.isVisible(), 'Stop is not shown while streaming');
    assert.ok(!(await panel.sendButton.isVisible()), 'Send is shown while streaming');

    await panel.waitForStatus('done');
    assert.ok(await panel.sendButton.isVisible(), 'Send is not shown after the answer');
    assert.ok(!(await panel.stopButton.isVisible()), 'Stop is still shown after the answer');
  });

  for (const how of ['the Stop button', 'Esc'] as const) {
    it(`stops mid-stream with ${how}: the request is aborted, the partial text stays`, async () => {
      const { testServer } = env;
      testServer.enqueue(answerStream(pieces(longAnswerText(40)), { waitMs: 80 }));

      await panel.ask(`Stop me with ${how}`);
      const request = await nthChatRequest(testServer, 1);
      await panel.waitForAnswerText('Sentence number 2');
      if (how === 'Esc') await panel.input.press('Escape');
      else await panel.stopButton.click();

      assert.equal(await request.outcome, 'aborted');
      await panel.waitForStatus('stopped');
      const shown = await waitUntil('the partial text after the stop', async () => {
        const text = await panel.answerText();
        return /^Sentence number 1 of the long answer arrives word by word\. Sentence number 2/.test(text)
          ? text
          : undefined;
      });
      assert.ok(!shown.includes('Sentence number 40'), shown);
      assert.match(await panel.lastAnswer().locator('.notice.stopped').innerText(), /Stopped/);
      assert.ok(await panel.sendButton.isVisible(), 'Send is back after Stop');
      // Nothing more arrives after the stop.
      await new Promise((resolve) => setTimeout(resolve, 500));
      await panel.expectAnswerText(shown);
      assert.equal(chatRequests(testServer).length, 1);
      if (how === 'Esc') await screenshot(env.page, 'chat-2-stopped');
    });
  }

  it('regenerates the last answer: a second request with the same messages replaces it', async () => {
    const { testServer } = env;
    testServer.enqueue(
      answerStream(pieces('The first answer, soon replaced.')),
      answerStream(pieces('The second answer, the one that stays.')),
    );

    await panel.ask('Say something');
    const first = await nthChatRequest(testServer, 1);
    await panel.waitForStatus('done');
    await panel.expectAnswerText('The first answer, soon replaced.');

    await panel.lastAnswer().locator('.turn-actions button[data-action=regenerate]').click();
    const second = await nthChatRequest(testServer, 2);
    await waitUntil(
      'the second answer',
      async () => (await panel.answerText()) === 'The second answer, the one that stays.',
    );
    await panel.waitForStatus('done');
    assert.deepEqual(messagesOf(second), messagesOf(first));
    assert.deepEqual(messagesOf(second), [{ role: 'user', content: 'Say something' }]);
    assert.equal(await panel.answers().count(), 1, 'the old answer is gone');
    assert.equal(await panel.userTurns().count(), 1, 'the question is not repeated');
  });

  it('keeps streaming while the panel is hidden: shown again, it has what came meanwhile, then the rest', async () => {
    const { page, testServer } = env;
    const before = 'Before hiding: the first part is on screen.';
    const hidden = 'While hidden: this part arrived with nobody watching.';
    const after = 'After showing: the rest streams in as usual, word by word, until the end.';
    // The server sends `before` at once, `hidden` 5 s later, and `after` from 10 s on.
    const hiddenAtMs = 5_000;
    const afterAtMs = 10_000;
    testServer.enqueue(
      segmentedAnswerStream([
        { pieces: pieces(before) },
        { pieces: pieces(` ${hidden}`), pauseBeforeMs: hiddenAtMs },
        { pieces: pieces(` ${after}`), pauseBeforeMs: afterAtMs - hiddenAtMs, waitMs: 150 },
      ]),
    );

    await panel.ask('Keep going while I look elsewhere');
    const request = await nthChatRequest(testServer, 1);
    const outcome = trackOutcome(request);
    await panel.waitForAnswerText(before);

    await runCommand(page, 'View: Show Explorer');
    await waitUntil('the chat panel to be hidden', () => panelGone(page), 15_000);
    const hiddenSince = performance.now() - request.receivedAt;
    assert.ok(
      hiddenSince < hiddenAtMs - 500,
      `hiding took too long (${Math.round(hiddenSince)} ms after the request) for this test's timing`,
    );
    await screenshot(page, 'chat-4-hidden');

    // Wait until the server has sent the middle part, then show the panel again.
    await waitUntil(
      'the middle part to be sent',
      async () => performance.now() - request.receivedAt > hiddenAtMs + 800,
      hiddenAtMs + 5_000,
    );
    assert.ok(await panelGone(page), 'the panel came back by itself');
    const shown = await ChatPanel.open(page);
    const reopenedAt = performance.now() - request.receivedAt;
    assert.ok(
      reopenedAt < afterAtMs - 500,
      `showing took too long (${Math.round(reopenedAt)} ms after the request) for this test's timing`,
    );
    const text = await shown.waitForAnswerText(hidden, shown.lastAnswer(), 10_000);
    assert.equal(outcome.value, undefined, 'the stream had already ended when the panel came back');
    assert.equal(text, squash(`${before} ${hidden}`));
    assert.equal(await shown.status(), 'streaming');
    assert.equal(await shown.userTurns().count(), 1);

    await shown.waitForStatus('done');
    assert.equal(await request.outcome, 'finished');
    await shown.expectAnswerText(squash(`${before} ${hidden} ${after}`));
    assert.equal(chatRequests(testServer).length, 1, 'hiding the panel does not send the question again');
    panel = shown;
  });

  it('renders a code block and a table; Insert puts the code in the editor, Copy copies, Open opens it', async () => {
    const { page, testServer } = env;
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.codeServer.origin });
    await openWorkspaceFile(page, 'hello.ts');
    const original = await waitUntil('hello.ts on screen', async () => {
      const text = await activeEditorText(page);
      return /export function greet/.test(text) ? text : undefined;
    });
    try {
      panel = await ChatPanel.open(page);
      testServer.enqueue(answerStream(pieces(codeAnswer.text, 10), { waitMs: 5 }));
      await panel.ask('Write an add function with examples');
      await panel.waitForStatus('done');

      const answer = panel.lastAnswer();
      const block = answer.locator('.code-block');
      assert.equal(await block.count(), 1);
      assert.equal(await block.getAttribute('data-language'), 'ts');
      assert.equal((await block.locator('code').textContent())?.trimEnd(), codeAnswer.code);
      assert.ok((await block.locator('code span[class^=hljs-]').count()) > 0, 'the code is highlighted');
      // The narrow side bar cuts the first line: the block scrolls sideways instead of losing it.
      const overflow = await block.locator('pre').evaluate((pre: { scrollWidth: number; clientWidth: number }) => ({
        scroll: pre.scrollWidth,
        client: pre.clientWidth,
      }));
      if (overflow.scroll > overflow.client) assert.equal(await cssOf(block.locator('pre'), 'overflow-x'), 'auto');
      const table = answer.locator('table');
      assert.equal(await table.count(), 1);
      assert.deepEqual((await table.locator('th').allInnerTexts()).map(squash), ['Input', 'Output']);
      assert.deepEqual((await table.locator('tbody tr').allInnerTexts()).map(squash), ['add(1, 2) 3', 'add(-1, 1) 0']);
      await screenshot(page, 'chat-5-code-and-table');

      // Insert at the cursor of hello.ts (at the start of the file).
      await block.locator('button[data-action=insert]').click();
      const inserted = await waitUntil('the code in hello.ts', async () => {
        const text = await activeEditorText(page);
        return text.includes('export function add(a: number, b: number): number {') ? text : undefined;
      });
      assert.equal(await activeEditorTitle(page), 'hello.ts');
      assert.ok(inserted.startsWith(`${codeAnswer.code}\n`), inserted);
      assert.ok(inserted.includes('export function greet'), inserted);
      await screenshot(page, 'chat-5-inserted');
      // One undo takes the whole insertion back (the editor has the focus after Insert).
      await page.keyboard.press('Control+z');
      let afterUndo = '';
      await waitUntil(
        'hello.ts as it was after one undo',
        async () => (afterUndo = await activeEditorText(page)) === original,
        10_000,
      ).catch(() => {
        throw new Error(`after one undo hello.ts reads:\n${afterUndo}`);
      });

      // Copy: the clipboard has the code.
      await page.evaluate(`navigator.clipboard.writeText('nothing copied yet')`);
      await block.locator('button[data-action=copy]').click();
      await page
        .locator('.statusbar-item')
        .filter({ hasText: 'Stream Chat: code copied' })
        .first()
        .waitFor({ state: 'visible', timeout: 10_000 });
      const clipboard = await page.evaluate<string>(`navigator.clipboard.readText()`);
      assert.equal(clipboard.trimEnd(), codeAnswer.code);

      // Open: a new untitled TypeScript editor with the code.
      await block.locator('button[data-action=open]').click();
      await waitUntil('an untitled editor', async () => /^Untitled-\d+$/.test((await activeEditorTitle(page)) ?? ''));
      assert.equal((await activeEditorText(page)).trimEnd(), codeAnswer.code);
      await page
        .locator('.statusbar-item')
        .filter({ hasText: /^TypeScript$/ })
        .first()
        .waitFor({ state: 'visible', timeout: 10_000 });
      await screenshot(page, 'chat-5-opened');
      await runCommand(page, 'View: Revert and Close Editor');
    } finally {
      // Nothing of this test stays behind: hello.ts unchanged on disk, no editors open.
      if ((await activeEditorTitle(page)) === 'hello.ts') await runCommand(page, 'File: Revert File');
      await runCommand(page, 'View: Revert and Close Editor').catch(() => undefined);
      await runCommand(page, 'View: Close All Editors');
    }
  });

  // VS Code's default webview stylesheet gives every `code` a background, padding and radius: inside a
  // code block that would paint a box behind each line.
  it('draws a code block as one box: no per-line background behind its code', async () => {
    const { page, testServer } = env;
    testServer.enqueue(answerStream(pieces(codeAnswer.text, 10)));
    await panel.ask('Write an add function with examples');
    await panel.waitForStatus('done');
    const code = panel.lastAnswer().locator('.code-block pre > code');
    // VS Code's default webview style gives every `code` a textPreformat background and padding; inside
    // a block, an inline <code> with a background paints a box behind each line's text.
    const background = await cssOf(code, 'background-color');
    await screenshot(page, 'chat-5-code-block-background');
    assert.match(
      background,
      /^rgba\(0, 0, 0, 0\)$|^transparent$/,
      `the code inside a code block has its own background ${background}`,
    );
  });

  it('Wrap Lines wraps every code block and is remembered when the panel comes back', async () => {
    const { page, testServer } = env;
    const longLine = `const greeting = '${'a long string that does not fit a narrow side bar '.repeat(3)}';`;
    const text = `Two blocks:\n\n\`\`\`ts\n${longLine}\n\`\`\`\n\nand\n\n\`\`\`ts\n${longLine}\n\`\`\``;
    testServer.enqueue(answerStream(pieces(text, 10)), answerStream(pieces(text, 10)));
    await panel.ask('Show me long lines');
    await panel.waitForStatus('done');
    const blocks = panel.lastAnswer().locator('.code-block');
    assert.equal(await blocks.count(), 2);
    const sideways = (block: Locator) =>
      block
        .locator('pre')
        .evaluate((pre: { scrollWidth: number; clientWidth: number }) => pre.scrollWidth > pre.clientWidth);
    const wrap = (block: Locator) => block.locator('button[data-action=wrap-code]');
    assert.equal(await sideways(blocks.first()), true, 'unwrapped, the long line scrolls sideways');
    assert.equal(await wrap(blocks.first()).getAttribute('aria-pressed'), 'false');
    assert.equal(await accessibleName(wrap(blocks.first())), 'Wrap long lines in code blocks');

    await wrap(blocks.first()).click();
    for (const index of [0, 1]) {
      assert.equal(await sideways(blocks.nth(index)), false, `block ${index + 1} wraps`);
      assert.equal(await wrap(blocks.nth(index)).getAttribute('aria-pressed'), 'true');
    }
    await screenshot(page, 'chat-6-wrapped-code');

    // A new panel page (hidden, shown again) and a new answer start wrapped: the host kept the choice.
    await runCommand(page, 'View: Show Explorer');
    await waitUntil('the chat panel to be hidden', () => panelGone(page), 15_000);
    panel = await ChatPanel.open(page);
    await panel.ask('Again');
    await panel.waitForStatus('done');
    const again = panel.lastAnswer().locator('.code-block');
    assert.equal(await sideways(again.first()), false, 'still wrapped in a new page');
    assert.equal(await wrap(again.first()).getAttribute('aria-pressed'), 'true');

    await wrap(again.first()).click(); // back to the default for the other tests
    await waitUntil('unwrapped', async () => (await sideways(again.first())) || undefined);
  });

  it('shows reasoning in a Thinking section that folds away once the answer starts', async () => {
    const { page, testServer } = env;
    testServer.enqueue(
      answerStream(reasoningAnswer.content, {
        reasoning: reasoningAnswer.reasoning,
        reasoningWaitMs: 300,
        waitMs: 300,
      }),
    );

    await panel.ask('What is the capital of France?');
    const thinking = panel.lastAnswer().locator('details.thinking');
    await waitUntil(
      'the Thinking section to show reasoning',
      async () =>
        (await thinking.isVisible()) &&
        (await thinking.locator('.thinking-body').innerText()).includes('The user asks'),
    );
    assert.notEqual(await thinking.getAttribute('open'), null, 'the Thinking section is open while the model thinks');
    await panel.expectAnswerText('');
    assert.match(await thinking.locator('summary').innerText(), /Thinking…/);
    await screenshot(page, 'chat-6-thinking-live');

    await panel.waitForAnswerText('The capital');
    assert.equal(await thinking.getAttribute('open'), null, 'the Thinking section folds once the answer starts');
    await panel.waitForStatus('done');
    await panel.expectAnswerText('The capital of France is Paris.');
    assert.equal(await thinking.getAttribute('open'), null);
    assert.equal(
      squash((await thinking.locator('.thinking-body').textContent()) ?? ''),
      squash(reasoningAnswer.reasoning.join('')),
    );
    assert.match(await thinking.locator('summary').innerText(), /Thought for \d+(\.\d)? s/);
    await screenshot(page, 'chat-6-thinking-folded');
    await thinking.locator('summary').click();
    assert.notEqual(await thinking.getAttribute('open'), null, 'a click opens it again');
    assert.ok(await thinking.locator('.thinking-body').isVisible());
    await screenshot(page, 'chat-6-thinking-opened');
  });

  it('shows a connection reset mid-answer inline, keeps the partial text, and Retry asks again', async () => {
    const { page, testServer } = env;
    const partial = 'This text arrived before the connection dropped.';
    testServer.enqueue(
      answerStream(pieces(partial), { waitMs: 20, end: 'reset' }),
      answerStream(pieces('The retried answer arrived in full.')),
    );

    await panel.ask('Answer despite a flaky network');
    const first = await nthChatRequest(testServer, 1);
    await panel.waitForStatus('error');
    await panel.expectAnswerText(partial);
    const error = panel.lastAnswer().locator('.notice.error');
    const message = squash(await error.innerText());
    assert.match(message, /^Interrupted: /, message);
    assert.ok(await error.locator('button[data-action=retry]').isVisible(), 'Retry is offered');
    assert.equal(chatRequests(testServer).length, 1, 'no automatic retry once text had arrived');
    await screenshot(page, 'chat-7-interrupted');

    await error.locator('button[data-action=retry]').click();
    const second = await nthChatRequest(testServer, 2);
    assert.deepEqual(messagesOf(second), messagesOf(first));
    await panel.waitForStatus('done');
    await panel.expectAnswerText('The retried answer arrived in full.');
    assert.equal(await panel.answers().count(), 1);
    assert.equal(await panel.lastAnswer().locator('.notice.error').count(), 0);
  });

  it('shows a server error that outlasts the retries inline, with Retry', async () => {
    const { page, testServer } = env;
    const badGateway: Scenario = {
      kind: 'respond',
      status: 502,
      body: { error: { message: 'Upstream model server is down', type: 'server_error' } },
      headers: { 'retry-after-ms': '100' },
    };
    testServer.enqueue(badGateway, badGateway, badGateway, answerStream(pieces('Back up and answering.')));

    await panel.ask('Are you there?');
    await panel.waitForStatus('error');
    assert.equal(chatRequests(testServer).length, 3, 'the first try and two retries');
    await panel.expectAnswerText('');
    const error = panel.lastAnswer().locator('.notice.error');
    const message = squash(await error.innerText());
    assert.match(message, /502|Upstream model server is down/, message);
    assert.doesNotMatch(message, /^Interrupted/, message);
    assert.ok(await error.locator('button[data-action=retry]').isVisible(), 'Retry is offered');
    await screenshot(page, 'chat-7-server-error');

    await error.locator('button[data-action=retry]').click();
    await panel.waitForStatus('done');
    assert.equal(chatRequests(testServer).length, 4);
    await panel.expectAnswerText('Back up and answering.');
  });

  it('shows the first-run notice with Select Endpoint and Test Connection before anything is typed', async () => {
    const { page, testServer } = env;
    const closedBaseUrl = `http://127.0.0.1:${await freePort()}/v1`;
    let restored = false;
    try {
      await runCommand(page, 'View: Show Explorer');
      await chooseCustomEndpoint(page, closedBaseUrl);
      panel = await ChatPanel.open(page);
      const notice = panel.notice;
      await notice.locator('.notice.error').waitFor({ state: 'visible', timeout: 30_000 });
      const text = squash(await notice.innerText());
      assert.match(text, new RegExp(new URL(closedBaseUrl).host.replace(/\./g, '\\.')), text);
      assert.ok(
        await notice.locator('button[data-action="fix:selectEndpoint"]').isVisible(),
        'Select Endpoint is offered',
      );
      assert.ok(
        await notice.locator('button[data-action="fix:testConnection"]').isVisible(),
        'Test Connection is offered',
      );
      assert.equal(
        await notice.locator('button[data-action="fix:selectEndpoint"]').count(),
        1,
        'Select Endpoint appears once',
      );
      assert.equal(await panel.input.inputValue(), '');
      assert.equal(await panel.userTurns().count(), 0);
      assert.equal(chatRequests(testServer).length, 0);
      await screenshot(page, 'chat-8-first-run');

      // The notice's own button fixes it: Select Endpoint → Custom URL → the test server.
      await notice.locator('button[data-action="fix:selectEndpoint"]').click();
      await completeCustomEndpoint(page, testServer.baseUrl);
      restored = true;
      await notice.waitFor({ state: 'hidden', timeout: 30_000 });
    } finally {
      if (!restored) {
        await dismissQuickInput(page);
        await chooseCustomEndpoint(page, testServer.baseUrl);
      }
    }
    // Chatting works again.
    await panel.ask('Hello again');
    await panel.waitForStatus('done');
    await panel.expectAnswerText('Hello from the test server.');
  });

  it('keeps hostile output inert: no script, frame, image or javascript: link, request or CSP violation', async () => {
    const { page, testServer } = env;
    testServer.enqueue(answerStream(pieces(hostileAnswerText(testServer.origin), 8), { waitMs: 5 }));

    await panel.ask('Show me something dangerous');
    await panel.waitForStatus('done');
    await panel.waitForAnswerText('End of hostile output.');
    await new Promise((resolve) => setTimeout(resolve, 1000)); // anything the page would fetch has had time to

    const answer = panel.lastAnswer().locator('.answer');
    for (const selector of [
      'script',
      'iframe',
      'img',
      'object',
      'embed',
      '[onerror]',
      '[onclick]',
      'a[href^="javascript:" i]',
      '[src]',
    ]) {
      assert.equal(await answer.locator(selector).count(), 0, `the answer contains ${selector}`);
    }
    // The whole panel document: only the panel's own script, no frames, no remote images.
    assert.equal(await panel.locator('iframe').count(), 0);
    assert.equal(await panel.locator('img[src^="http" i]').count(), 0);
    // Scripts in the whole panel document: VS Code's acquireVsCodeApi shim and the panel's bundle, nothing else.
    const scripts: string[] = [];
    for (const script of await panel.locator('script').all())
      scripts.push((await script.getAttribute('src')) ?? `inline: ${squash((await script.textContent()) ?? '')}`);
    const foreign = scripts.filter(
      (src) => !/\/dist\/webview\.js$/.test(src) && !/^inline: globalThis\.acquireVsCodeApi = /.test(src),
    );
    assert.deepEqual(foreign, [], `scripts in the panel: ${JSON.stringify(scripts)}`);
    assert.ok(
      !scripts.some((src) => src.includes(testServer.origin)),
      `scripts in the panel: ${JSON.stringify(scripts)}`,
    );
    // The remote image is a link to it, not an image.
    const imageLink = answer.locator('a.md-image-link');
    assert.equal(await imageLink.count(), 1);
    assert.equal(await imageLink.getAttribute('href'), `${testServer.origin}/remote.png`);
    await screenshot(page, 'chat-9-hostile');

    // The javascript: "link" is no link: its text stays as written (markdown-it refuses the destination),
    // and clicking it (on "[click]", not on the URL inside it, which is autolinked) does nothing.
    const jsLink = answer.locator('p').filter({ hasText: '[click](javascript:' });
    assert.equal(await jsLink.count(), 1);
    for (const href of await answer
      .locator('a')
      .evaluateAll((links: { getAttribute(name: string): string | null }[]) =>
        links.map((link) => link.getAttribute('href')),
      )) {
      assert.match(href ?? '', /^https?:\/\//, `a link to ${href}`);
    }
    const pagesBefore = page.context().pages().length;
    await jsLink.click({ position: { x: 4, y: 6 } });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal(await page.locator('.monaco-dialog-box').count(), 0, 'a dialog opened');
    assert.equal(page.context().pages().length, pagesBefore, 'a browser tab opened');

    const reached = testServer.requests
      .filter((request) => hostilePaths.some((path) => request.path.startsWith(path)))
      .map((request) => request.path);
    assert.deepEqual(reached, [], 'the hostile output reached the network');
    assert.ok([undefined, '0'].includes(await panel.cspViolations()), `CSP violations: ${await panel.cspViolations()}`);
  });

  // VS Code's webview frame opens clicked links itself (ignoring preventDefault): the panel must stop
  // the click, or a link opens twice.
  it('opens an http link of an answer once when clicked', async () => {
    const { page, testServer } = env;
    testServer.enqueue(answerStream(pieces(`Read [the docs](${testServer.origin}/docs-link) first.`)));
    await panel.ask('Where are the docs?');
    await panel.waitForStatus('done');
    const link = panel.lastAnswer().locator('.answer a', { hasText: 'the docs' });
    assert.equal(await link.getAttribute('href'), `${testServer.origin}/docs-link`);

    const pagesBefore = page.context().pages();
    try {
      await link.click();
      // A loopback URL is trusted by VS Code's link protection: no confirmation, the browser opens it
      // (code-server forwards it through its /proxy/PORT/ route).
      await waitUntil(
        'the link to be opened',
        async () => testServer.requests.some((request) => request.path === '/docs-link'),
        15_000,
      );
      await new Promise((resolve) => setTimeout(resolve, 2000)); // time for a second opening, if any
      const opened = testServer.requests.filter((request) => request.path === '/docs-link');
      const tabs = page
        .context()
        .pages()
        .filter((tab) => !pagesBefore.includes(tab));
      assert.equal(tabs.length, 1, `one click opened ${tabs.length} tabs: ${tabs.map((tab) => tab.url()).join(', ')}`);
      assert.equal(opened.length, 1, `one click reached the server ${opened.length} times`);
    } finally {
      for (const tab of page.context().pages()) if (!pagesBefore.includes(tab)) await tab.close();
      await page.bringToFront();
    }
  });

  it('follows the colour theme: Light Modern and Dark Modern', async () => {
    const { page, testServer } = env;
    await keepingColorTheme(page, async () => {
      testServer.enqueue(answerStream(pieces(codeAnswer.text, 10), { waitMs: 5 }));
      await panel.ask('Write an add function with examples');
      await panel.waitForStatus('done');
      for (const [theme, kind] of [
        ['Light Modern', 'vscode-light'],
        ['Dark Modern', 'vscode-dark'],
      ] as const) {
        await useColorTheme(page, panel, theme, kind);
        // Readable in this theme: body text, the footer, code and table cells stand out from what is behind them.
        const answer = panel.lastAnswer();
        for (const [what, locator, minimum] of [
          ['answer text', answer.locator('.answer p'), 4.5],
          ['footer', answer.locator('.turn-footer'), 3],
          ['code', answer.locator('.code-block code'), 4.5],
          ['table cell', answer.locator('.answer td'), 4.5],
          ['question', panel.userTurns().last().locator('.user-text'), 4.5],
          ['Regenerate', answer.locator('button[data-action=regenerate]'), 3],
        ] as const) {
          const { color, background } = await colorsOf(locator);
          const ratio = contrastRatio(color, background);
          assert.ok(
            ratio >= minimum,
            `${theme}: ${what} is ${color} on ${background}, contrast ${ratio.toFixed(2)} < ${minimum}`,
          );
        }
        await screenshot(page, `chat-10-theme-${theme.toLowerCase().replace(/\s+/g, '-')}`);
      }
    });
  });

  // Found here once: inline code and variable tokens unreadable in Light High Contrast (colours that are not a pair).
  for (const [theme, kind, shot] of [
    ['Dark High Contrast', 'vscode-high-contrast', 'chat-11-hc-dark'],
    ['Light High Contrast', 'vscode-high-contrast-light', 'chat-11-hc-light'],
  ] as const) {
    it(`stays readable, labelled and visible in ${theme}: text, code, table, question, every button`, async () => {
      const { page, testServer } = env;
      await keepingColorTheme(page, async () => {
        testServer.enqueue(answerStream(pieces(codeAnswer.text, 10), { waitMs: 5 }));
        await panel.ask('Write an add function with examples');
        await panel.waitForStatus('done');
        await useColorTheme(page, panel, theme, kind);
        const answer = panel.lastAnswer();
        // Text at least 4.5:1 against what is behind it, the parts of controls one must see at least 3:1
        // (WCAG 1.4.3, 1.4.11).
        const checks: [string, Locator, number][] = [
          ['answer text', answer.locator('.answer p'), 4.5],
          ['footer', answer.locator('.turn-footer'), 4.5],
          ['code', answer.locator('.code-block pre > code'), 4.5],
          ['code language', answer.locator('.code-block .code-language'), 4.5],
          ['table header', answer.locator('.answer th'), 4.5],
          ['table cell', answer.locator('.answer td'), 4.5],
          ['inline code in a table cell', answer.locator('.answer td code'), 4.5],
          ['question', panel.userTurns().last().locator('.user-text'), 4.5],
          ['composer text', panel.input, 4.5],
        ];
        // Every highlighted token colour of the code block.
        const tokenClasses = await answer
          .locator('.code-block code span[class^=hljs-]')
          .evaluateAll((spans: { className: string }[]) => [...new Set(spans.map((span) => span.className))]);
        assert.ok(tokenClasses.length > 0, 'the code is highlighted');
        for (const tokenClass of tokenClasses)
          checks.push([
            `code token .${tokenClass}`,
            answer.locator(`.code-block code span[class="${tokenClass}"]`),
            4.5,
          ]);
        // Every button of the panel: an accessible name, on screen (only Stop, nothing streams, and the
        // editing banner's Cancel, nothing is edited, are hidden), its label text (4.5) or its icon (3)
        // readable.
        const buttons = await panelButtons(panel);
        assert.deepEqual(
          buttons.map((button) => button.action),
          [
            'select-model',
            'edit-question',
            'wrap-code',
            'copy',
            'insert',
            'open',
            'regenerate',
            'regenerate-with',
            'copy-answer',
            'cancel-edit',
            'attach:file',
            'attach:selection',
            'attach:pick',
            'send',
            'stop',
          ],
        );
        for (const [index, button] of buttons.entries()) {
          const element = panel.locator('button').nth(index);
          assert.notEqual(button.name, '', `button ${index} (${button.action}) has no accessible name`);
          if (button.hiddenByAttribute) {
            assert.ok(
              ['stop', 'cancel-edit'].includes(button.action),
              `button ${button.action} "${button.name}" is hidden`,
            );
            continue;
          }
          assert.ok(await element.isVisible(), `button ${button.action} "${button.name}" is not visible`);
          assert.equal(await accessibleName(element), button.name, `the accessible name of ${button.action}`);
          if (button.visibleLabel !== '')
            checks.push([`${button.action} button label`, element.locator('.label'), 4.5]);
          else checks.push([`${button.action} button icon`, element.locator('.codicon'), 3]);
        }
        const failures: string[] = [];
        for (const [what, locator, minimum] of checks) {
          const { color, background } = await colorsOf(locator);
          const ratio = contrastRatio(color, background);
          if (ratio < minimum)
            failures.push(`${what} is ${color} on ${background}, contrast ${ratio.toFixed(2)} < ${minimum}`);
        }
        // The composer's box shows where to type: its border must stand out (3:1).
        const inputBorder = await borderColorsOf(panel.input);
        const inputBorderRatio = contrastRatio(inputBorder.color, inputBorder.background);
        if (inputBorderRatio < 3)
          failures.push(
            `the composer's border is ${inputBorder.color} on ${inputBorder.background}, ` +
              `contrast ${inputBorderRatio.toFixed(2)} < 3`,
          );
        await screenshot(page, shot);
        assert.deepEqual(failures, [], `${theme}:\n  ${failures.join('\n  ')}`);
      });
    });
  }

  it('works at 200% zoom by keyboard alone: ask, hear the answer end, Tab to Send, no sideways overflow', async () => {
    const { page, testServer } = env;
    const zoomed = await zoomWindow(page, 2);
    try {
      panel = await ChatPanel.open(page);
      await waitUntil('the panel at 200% zoom', async () => (await panelWindow(panel)).devicePixelRatio === 2, 15_000);
      // The empty chat's examples and keys fit the narrow panel too.
      const emptyOverflow = await horizontalOverflow(panel);
      await zoomed.screenshot('chat-12-zoom-200-empty');
      assert.deepEqual(emptyOverflow, [], `at 200% zoom the empty chat overflows: ${JSON.stringify(emptyOverflow)}`);
      // Keyboard only: Tab to the composer from where the focus is (Chromium starts from where the
      // panel's focus last was, so the way may lead out through the workbench and back in at the top:
      // the header's model button, the conversation, its example questions, the attach buttons, then
      // the composer, nothing else in an empty chat).
      await waitUntil(
        'the panel to have the keyboard focus',
        async () => (await focusedInPanel(panel)).documentFocused,
        15_000,
      );
      if ((await focusedInPanel(panel)).element !== 'textarea.input') {
        const path = await tabTo(panel, 'textarea.input', 16);
        const fromTop = path.lastIndexOf('button[data-action=select-model]');
        const examples = Array<string>(3).fill('button[data-action=use-example]');
        const attach = ['file', 'selection', 'pick'].map((what) => `button[data-action=attach:${what}]`);
        if (fromTop >= 0)
          assert.deepEqual(
            path.slice(fromTop),
            ['button[data-action=select-model]', 'main.scroller', ...examples, ...attach, 'textarea.input'],
            `Tab went ${path.join(' → ')}`,
          );
      }
      testServer.enqueue(answerStream(pieces(codeAnswer.text, 10), { waitMs: 5 }));
      const question = 'Write an add function with examples';
      await page.keyboard.type(question);
      assert.equal(await panel.input.inputValue(), question, 'the composer has what was typed');
      await page.keyboard.press('Enter');
      await panel.userTurns().filter({ hasText: question }).last().waitFor({ state: 'visible', timeout: 30_000 });
      await panel.waitForStatus('done');
      await panel.waitForAnswerText('Call it with two numbers.');

      // The polite live region tells a screen reader the answer is complete.
      const live = panel.locator('[aria-live=polite]');
      assert.equal(await live.count(), 1, 'one polite live region');
      await waitUntil(
        'the live region to announce the answer',
        async () => squash((await live.textContent()) ?? '') === 'Answer complete.',
        5_000,
      ).catch(async () => {
        throw new Error(
          `the live region says ${JSON.stringify(await live.textContent())} instead of "Answer complete."`,
        );
      });

      // Nothing but the code block scrolls or sticks out sideways, and Send is on screen.
      const { width, height, devicePixelRatio } = await panelWindow(panel);
      assert.equal(devicePixelRatio, 2, 'still at 200% zoom');
      const overflow = await horizontalOverflow(panel);
      await zoomed.screenshot('chat-12-zoom-200');
      assert.deepEqual(
        overflow,
        [],
        `at 200% zoom (panel ${width}×${height} CSS px) these overflow sideways: ${JSON.stringify(overflow)}`,
      );
      assert.ok(await panel.sendButton.isVisible(), 'Send is not shown');
      const send = await boxInPanel(panel.sendButton);
      assert.ok(
        send.left >= 0 && send.top >= 0 && send.right <= width + 0.5 && send.bottom <= height + 0.5,
        `Send at ${JSON.stringify(send)} is outside the panel (${width}×${height})`,
      );

      // The focus stayed in the composer; Tab from there reaches Send.
      assert.equal((await focusedInPanel(panel)).element, 'textarea.input', 'the composer lost the focus after Enter');
      const toSend = await tabTo(panel, 'button[data-action=send]', 3);
      assert.deepEqual(toSend, ['button[data-action=send]'], `Tab from the composer went ${toSend.join(' → ')}`);

      // Backwards from the composer, Shift+Tab visits every button above it in document order (read
      // bottom up) and the conversation, up to the model button. (Chromium also stops on a code
      // block's pre when it scrolls sideways: a keyboard-scrollable region.)
      await tabTo(panel, 'textarea.input', 1, 'Shift+Tab');
      const backwards = await tabTo(panel, 'button[data-action=select-model]', 16, 'Shift+Tab');
      const forwards = backwards.reverse();
      const buttonsAbove = (await panelButtons(panel))
        .filter((button) => !button.hiddenByAttribute && !['send', 'stop'].includes(button.action))
        .map((button) => `button[data-action=${button.action}]`);
      assert.deepEqual(
        forwards.filter((element) => element.startsWith('button')),
        buttonsAbove,
        `the focus order is ${forwards.join(' → ')}`,
      );
      assert.equal(forwards[1], 'main.scroller', `the focus order is ${forwards.join(' → ')}`);
    } finally {
      await zoomed.restore();
    }
  });

  // A finished block is laid out at its placeholder size first (content-visibility): the shrinking
  // must not stop the following.
  it('follows a long answer to its end: the footer and Regenerate are in view once it completes', async () => {
    const { testServer } = env;
    testServer.enqueue(answerStream(pieces(`${longAnswerText(40)}\n\n${codeAnswer.text}`, 10), { waitMs: 5 }));
    await panel.ask('Tell me a long story, then write an add function');
    await panel.waitForStatus('done');
    await panel.waitForAnswerText('Call it with two numbers.');
    // The last render's scroll lands within a frame or two; a panel that stopped following never gets there.
    let position = await scrollPosition(panel);
    const atEnd = (p: typeof position) => p.scrollHeight - p.scrollTop - p.clientHeight <= 2;
    await waitUntil(
      'the panel to follow the answer to its end',
      async () => atEnd((position = await scrollPosition(panel))),
      5_000,
    ).catch(() => assert.fail(`the panel is not at the end of the answer: ${JSON.stringify(position)}`));
    assert.ok(
      position.scrollHeight > position.clientHeight + 200,
      `the answer fits the panel: ${JSON.stringify(position)}`,
    );
    const regenerate = await boxInPanel(panel.lastAnswer().locator('button[data-action=regenerate]'));
    const scroller = await boxInPanel(panel.locator('main.scroller'));
    assert.ok(
      regenerate.bottom <= scroller.bottom + 0.5,
      `Regenerate (bottom ${regenerate.bottom}) is below the panel's bottom ${scroller.bottom}`,
    );
  });
});
