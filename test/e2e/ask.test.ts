// A person selects code in hello.ts, right-clicks it, opens the "Stream Chat" submenu and picks
// "Explain Selection": the chat panel opens with the question (the code as one compact, collapsed
// line) and the answer streams into it.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import {
  clearNotifications,
  dismissQuickInput,
  openWorkspaceFile,
  runCommand,
  screenshot,
  submitQuickInput,
  waitForNotification,
  waitForQuickInput,
} from '../harness/browser';
import { chunk, sse, type StreamStep } from '../server';
import { ChatPanel, chatRequests, messagesOf, shownText, trackOutcome, waitUntil } from './chatPanel';
import { e2eEnvironment } from './environment';

/** A context-menu entry (the workbench renders menus in a shadow root; Playwright's CSS pierces it). */
function menuItem(page: Page, label: string) {
  return page.locator('.monaco-menu .action-item .action-label').filter({ hasText: new RegExp(`^${label}$`) });
}

/**
 * In the open context menu: opens the submenu `submenu`, then runs its entry `label` (pressed
 * again if a click landed while it moved).
 */
async function chooseFromSubmenu(
  page: Page,
  submenu: string,
  label: string,
  beforeChoosing?: () => Promise<void>,
): Promise<void> {
  await menuItem(page, submenu).first().click();
  const entry = menuItem(page, label).first();
  await entry.waitFor({ state: 'visible', timeout: 10_000 });
  await beforeChoosing?.();
  await entry.click();
  const closed = await page
    .locator('.monaco-menu')
    .first()
    .waitFor({ state: 'hidden', timeout: 5000 })
    .then(
      () => true,
      () => false,
    );
  if (!closed) {
    await entry.hover();
    await page.keyboard.press('Enter');
  }
}

/**
 * Later e2e tests open hello.ts and insert at its cursor, assuming the start of the file: VS Code
 * remembers a file's cursor and selection after its editor closes, so put them back.
 */
async function resetHelloTs(page: Page): Promise<void> {
  await dismissQuickInput(page);
  await page.keyboard.press('Escape'); // a context menu left open by a failure
  await openWorkspaceFile(page, 'hello.ts');
  await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+Home');
  await runCommand(page, 'View: Close All Editors');
}

describe('e2e: ask commands from the editor context menu', () => {
  afterEach(async () => {
    const { page } = await e2eEnvironment();
    await resetHelloTs(page);
  });

  it('right click → Stream Chat → Explain Selection streams the answer into the chat panel', async () => {
    const { page, testServer } = await e2eEnvironment();
    testServer.reset();
    const answer =
      'The function **greet** takes a name and returns a greeting built with a template string. ' +
      'It has no side effects, and the same name always gives the same greeting, so it is easy to test.';
    const words = answer.split(/(?<= )/);
    const steps: StreamStep[] = [sse.data(chunk({ role: 'assistant', content: '' }))];
    for (const word of words) steps.push(sse.data(chunk({ content: word })), { wait: 200 });
    steps.push(sse.data(chunk({}, { finishReason: 'stop' })), sse.done());
    testServer.enqueue({ kind: 'stream', steps });

    await ChatPanel.newChat(page);
    await openWorkspaceFile(page, 'hello.ts');
    const editor = page.locator('.editor-group-container.active .monaco-editor').first();
    await editor.locator('.view-lines').click();
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Shift+End');
    // Right click inside the selection (the first line's text), as a person would.
    await editor
      .locator('.view-line')
      .filter({ hasText: 'export function greet' })
      .first()
      .click({ button: 'right', position: { x: 40, y: 5 } });
    await chooseFromSubmenu(page, 'Stream Chat', 'Explain Selection', () =>
      screenshot(page, 'ask-1-context-menu').then(() => undefined),
    );

    const request = await waitUntil('the request', async () => chatRequests(testServer)[0]);
    const outcome = trackOutcome(request);
    const sent = (messagesOf(request) as { content: string }[]).at(-1)?.content ?? '';
    assert.match(
      sent,
      new RegExp(
        /^Code from hello\.ts:1-3 \(typescript\):\n```typescript\n/.source +
          /export function greet\(name: string\): string \{\n {2}return `Hello, \$\{name\}!`;\n\}\n/.source +
          /```\n\nExplain what this code does/.source,
      ),
    );

    const panel = await ChatPanel.find(page);
    const question = panel.userTurns().last();
    await question.waitFor({ state: 'visible' });
    // A turn above the last is skipped while off screen (content-visibility): just after it comes
    // into view its innerText can still read as empty (one CI run saw ''). Wait for it to be drawn.
    const label = await shownText(question.locator('.user-label'));
    assert.equal(label, 'Explain · hello.ts:1-3');
    const code = question.locator('.user-snippets .snippet');
    assert.equal(await shownText(code.locator('.snippet-label')), 'hello.ts:1-3');
    assert.equal(await shownText(code.locator('.snippet-meta')), '3 lines · ~19 tokens');
    assert.equal(await code.getAttribute('open'), null, 'the code is collapsed');
    const instruction = question.locator('.instruction');
    assert.equal(await instruction.getAttribute('open'), null, 'the instruction is folded away');
    assert.equal(await instruction.locator('.instruction-text').isVisible(), false);
    await panel.waitForAnswerText('takes a name');
    assert.equal(outcome.value, undefined, 'the answer shows while the server is still streaming');
    await screenshot(page, 'ask-2-streaming');

    await panel.waitForStatus('done');
    await panel.expectAnswerText(answer.replace(/\*\*/g, ''));
    await code.locator('summary').click();
    await instruction.locator('summary').click();
    assert.match(await instruction.locator('.instruction-text').innerText(), /^Explain what this code does/);
    assert.match(
      await code.locator('.snippet-code').innerText(),
      /^export function greet\(name: string\): string \{\n {2}return `Hello, \$\{name\}!`;\n\}$/,
    );
    await screenshot(page, 'ask-3-done-code-open');
  });

  it('Ask… with no selection: the enclosing function, then the whole file; a follow-up keeps the code', async () => {
    const { page, testServer } = await e2eEnvironment();
    testServer.reset();
    testServer.enqueue(
      {
        kind: 'stream',
        steps: [
          sse.data(chunk({ role: 'assistant', content: 'It exports **greet**.' }, { finishReason: 'stop' })),
          sse.done(),
        ],
      },
      {
        kind: 'stream',
        steps: [sse.data(chunk({ role: 'assistant', content: 'Nothing else.' }, { finishReason: 'stop' })), sse.done()],
      },
    );
    const panel = await ChatPanel.newChat(page);
    await openWorkspaceFile(page, 'hello.ts');
    const editor = page.locator('.editor-group-container.active .monaco-editor').first();
    // The breadcrumbs show the function once the TypeScript server knows the file's symbols.
    await page
      .locator('.editor-group-container.active .breadcrumbs-control')
      .filter({ hasText: 'greet' })
      .waitFor({ state: 'visible', timeout: 60_000 });
    await editor.locator('.view-line').filter({ hasText: 'return' }).first().click();

    await editor.locator('.view-line').filter({ hasText: 'return' }).first().click({ button: 'right' });
    await chooseFromSubmenu(page, 'Stream Chat', 'Ask…', async () => {
      assert.equal(await menuItem(page, 'Explain Selection').count(), 0, 'the actions need a selection in the menu');
    });
    await waitForQuickInput(
      page,
      'Stream Chat: Ask about hello.ts:1-3 (enclosing function greet, 3 lines, ~19 tokens)',
    );
    await screenshot(page, 'ask-4-input-enclosing-function');
    await page
      .locator('.quick-input-widget .quick-input-titlebar .action-label[aria-label="Ask about the whole file instead"]')
      .click();
    await waitForQuickInput(page, 'Stream Chat: Ask about hello.ts (whole file, 3 lines, ~19 tokens)');
    await submitQuickInput(page, 'What does this file export?');

    await panel.waitForAnswerText('It exports greet.');
    const first = messagesOf(chatRequests(testServer)[0]) as { content: string }[];
    assert.match(
      first.at(-1)?.content ?? '',
      new RegExp(
        /^File: hello\.ts \(typescript, whole file\):\n```typescript\n/.source +
          /export function greet[^]*\n```\n\nWhat does this file export\?$/.source,
      ),
    );
    assert.equal(
      await shownText(panel.userTurns().last().locator('.snippet-meta')),
      'whole file · 3 lines · ~19 tokens',
    );

    await panel.ask('Anything else?');
    await panel.waitForAnswerText('Nothing else.');
    const second = messagesOf(chatRequests(testServer)[1]) as { role: string; content: string }[];
    assert.deepEqual(
      second.map((message) => message.role),
      ['user', 'assistant', 'user'],
    );
    assert.equal(second[0].content, first.at(-1)?.content, 'the code stays in the conversation');
    await screenshot(page, 'ask-5-follow-up');
  });

  it('Ctrl+K X during an answer offers Stop and Ask: the running answer stops, the new one streams', async () => {
    const { page, testServer } = await e2eEnvironment();
    testServer.reset();
    testServer.enqueue(
      { kind: 'stream', steps: [sse.data(chunk({ role: 'assistant', content: 'A long story begins' }))], end: 'stall' },
      {
        kind: 'stream',
        steps: [
          sse.data(chunk({ role: 'assistant', content: 'Second answer.' }, { finishReason: 'stop' })),
          sse.done(),
        ],
      },
    );
    const panel = await ChatPanel.newChat(page);
    await clearNotifications(page);
    await openWorkspaceFile(page, 'hello.ts');
    const editor = page.locator('.editor-group-container.active .monaco-editor').first();
    await editor.locator('.view-lines').click();
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('Shift+End');

    await page.keyboard.press('Control+K');
    await page.keyboard.press('x');
    const first = await waitUntil('the first request', async () => chatRequests(testServer)[0]);
    const firstOutcome = trackOutcome(first);
    await panel.waitForAnswerText('A long story begins');

    await editor.locator('.view-lines').click();
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('Shift+End');
    await page.keyboard.press('Control+K');
    await page.keyboard.press('x');
    const toast = await waitForNotification(page, /still answering/);
    await screenshot(page, 'ask-6-busy');
    assert.equal(chatRequests(testServer).length, 1, 'nothing is sent before the user answers');
    await toast.locator('.monaco-button').filter({ hasText: 'Stop and Ask' }).click();

    await waitUntil('the first request to be aborted', async () => firstOutcome.value === 'aborted');
    await panel.waitForAnswerText('Second answer.');
    await panel.waitForStatus('done');
    assert.equal(await panel.status(panel.answers().nth(0)), 'stopped');
    assert.equal(await panel.answers().count(), 2);
    await screenshot(page, 'ask-7-stopped-and-asked');
  });
});
