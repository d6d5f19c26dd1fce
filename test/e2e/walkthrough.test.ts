// A first run as a new user meets it: a fresh VS Code (its own code-server and user data, unlike the
// shared e2e window, which skips the welcome) opens the Stream Chat walkthrough and shows the chat
// view; running a step's command ticks the step; the empty chat offers example questions (a click
// puts one in the composer, nothing is sent) and lists the keys. Light and dark screenshots.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import {
  activeEditorText,
  activeEditorTitle,
  pickQuickItem,
  runCommand,
  runCommandExact,
  screenshot,
  submitQuickInput,
  waitForNotification,
  waitForQuickInput,
} from '../harness/browser';
import { repoRoot } from '../harness/paths';
import type { TestServer } from '../server';
import { answerStream, pieces } from '../server/chatFixtures';
import { withOwnWindow } from './ownWindow';
import { ChatPanel, chatRequests, colorsOf, contrastRatio, focusedInPanel, squash, waitUntil } from './chatPanel';
import { testModel } from './environment';

const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  publisher: string;
  name: string;
};
const walkthroughId = `${manifest.publisher}.${manifest.name}#gettingStarted`;
const STEPS = ['chooseEndpoint', 'setApiKey', 'testConnection', 'openChat', 'askAboutSelection', 'insertAtCursor'];

/** A step of the walkthrough page (a button that expands it; `aria-checked` says whether it is done). */
const step = (page: Page, id: string): Locator =>
  page.locator(`button.getting-started-step[data-step-id="${walkthroughId}#${id}"]`);

async function doneSteps(page: Page): Promise<string[]> {
  const done: string[] = [];
  for (const id of STEPS) if ((await step(page, id).getAttribute('aria-checked')) === 'true') done.push(id);
  return done;
}

async function useColorTheme(page: Page, panel: ChatPanel, theme: string, kind: string): Promise<void> {
  await runCommandExact(page, 'Preferences: Color Theme');
  await pickQuickItem(page, theme);
  await waitUntil(`the panel to follow ${theme}`, async () =>
    ((await panel.locator('body').getAttribute('class')) ?? '').split(/\s+/).includes(kind),
  );
}

describe('e2e: first run', () => {
  const window = withOwnWindow('stream-chat-first-run-', (tempRoot, server) => {
    server.models = [testModel];
    const workspace = path.join(tempRoot, 'first-run-workspace');
    fs.mkdirSync(workspace);
    fs.writeFileSync(path.join(workspace, 'hello.ts'), 'export const greeting = "Hello";\n');
    // No STREAM_CHAT_SKIP_WELCOME: this window is the first run of a new user.
    return {
      workspace,
      userSettings: { 'streamChat.baseUrl': server.baseUrl, 'streamChat.model': testModel },
      linkExtensions: [repoRoot],
      smokeTestDriver: false,
    };
  });
  let testServer: TestServer;
  let page: Page;
  before(() => ({ testServer, page } = window()));

  it('opens the walkthrough with its six steps, none done, and shows the chat view beside it', async () => {
    await step(page, 'insertAtCursor').waitFor({ state: 'visible', timeout: 90_000 });
    const titles = await page.locator('button.getting-started-step .step-title').allInnerTexts();
    assert.deepEqual(
      titles.map((title) => title.trim()),
      [
        'Choose an endpoint',
        'Set the API key',
        'Test the connection',
        'Open the chat',
        'Ask about a selection',
        'Insert at the cursor',
      ],
    );
    assert.deepEqual(await doneSteps(page), []);
    // The chat view is on screen without any command run.
    await ChatPanel.find(page);
    await screenshot(page, 'walkthrough-1-first-run');
  });

  it('marks a step done when its command runs: from the command palette, or from its own button', async () => {
    await runCommand(page, 'Stream Chat: Test Connection');
    await waitForNotification(page, /Stream Chat: Connected/, 60_000);
    await waitUntil('the Test the connection step to be done', async () =>
      (await doneSteps(page)).includes('testConnection'),
    );
    // Showing the chat at the first run is not the user opening it.
    assert.deepEqual(await doneSteps(page), ['testConnection']);

    await step(page, 'openChat').click();
    await step(page, 'openChat').locator('.monaco-button').filter({ hasText: 'Open Chat' }).click();
    await waitUntil('the Open the chat step to be done', async () => (await doneSteps(page)).includes('openChat'));
    assert.deepEqual(await doneSteps(page), ['testConnection', 'openChat']);
    await screenshot(page, 'walkthrough-2-steps-done');
  });

  it('the insert step: its button opens a scratch file beside it; Ctrl+Alt+Enter there ticks it', async () => {
    // VS Code opens a step's editor beside the walkthrough only when the editor area is wider than
    // 950 px; at 1280 px with the sidebar it opens in the walkthrough's place.
    const viewport = page.viewportSize() ?? { width: 1280, height: 800 };
    await page.setViewportSize({ width: 1600, height: viewport.height });
    try {
      await step(page, 'insertAtCursor').click();
      await step(page, 'insertAtCursor').locator('.monaco-button').filter({ hasText: 'Open a Scratch File' }).click();
      // The new editor opens beside the walkthrough; which group has the focus then varies: take it.
      const scratchTab = page.locator('.tabs-container .tab').filter({ hasText: /^Untitled-\d+/ });
      await scratchTab.first().waitFor({ state: 'visible', timeout: 30_000 });
      await scratchTab.first().click();
      await waitUntil('a scratch file beside the walkthrough', async () =>
        (await activeEditorTitle(page))?.startsWith('Untitled'),
      );
      assert.ok(await step(page, 'insertAtCursor').isVisible(), 'the walkthrough stays in view');
      assert.ok(!(await doneSteps(page)).includes('insertAtCursor'), 'opening a file is not inserting');

      const code = 'export const add = (a: number, b: number) => a + b;';
      testServer.enqueue(answerStream(pieces(`${code}\n`), { waitMs: 5 }));
      // Into the file, as a person clicks there before typing the shortcut.
      await page.locator('.editor-group-container.active .monaco-editor .view-lines').click();
      await page.keyboard.press('Control+Alt+Enter');
      await waitForQuickInput(page, /Insert at Cursor/);
      await submitQuickInput(page, 'an add function');
      await waitUntil('the code in the scratch file', async () => (await activeEditorText(page)).includes(code));
      await waitUntil('the insert step to be done', async () => (await doneSteps(page)).includes('insertAtCursor'));
      await screenshot(page, 'walkthrough-3-insert-step');
      await runCommand(page, 'View: Revert and Close Editor'); // its group closes with it
    } finally {
      await page.setViewportSize(viewport);
    }
  });

  it('the empty chat lists example questions and keys; a click puts the question in the composer, unsent', async () => {
    const panel = await ChatPanel.find(page);
    const examples = panel.locator('button[data-action=use-example]');
    assert.equal(await examples.count(), 3);
    const keys = (await panel.locator('.shortcut').allInnerTexts()).map(squash);
    assert.deepEqual(keys, [
      'Enter Send',
      'Shift+Enter New line',
      'Esc Stop the answer',
      'Ctrl+K X Explain the selected code',
      'Ctrl+K A Ask about the selected code',
      'Ctrl+Alt+Enter Write code at the cursor (with a selection: rewrite it)',
    ]);

    const question = squash(await examples.nth(1).innerText());
    const requestsBefore = chatRequests(testServer).length; // Test Connection's
    await examples.nth(1).click();
    await waitUntil('the question in the composer', async () => (await panel.input.inputValue()) === question);
    assert.equal((await focusedInPanel(panel)).element, 'textarea.input', 'the composer has the focus');
    assert.equal(await panel.userTurns().count(), 0, 'nothing was sent');
    assert.equal(chatRequests(testServer).length, requestsBefore, 'no request reached the server');
    await screenshot(page, 'walkthrough-4-example-in-composer');

    // Sent as any question: the examples give way to the conversation, and come back with New Chat.
    testServer.enqueue(answerStream(pieces('A debounced function waits for a pause.'), { waitMs: 5 }));
    await panel.input.press('Enter');
    await panel.userTurns().filter({ hasText: question }).waitFor({ state: 'visible', timeout: 30_000 });
    await panel.waitForStatus('done');
    assert.equal(await examples.count(), 0, 'the examples are gone once the chat has a question');
    const fresh = await ChatPanel.newChat(page);
    assert.equal(await fresh.locator('button[data-action=use-example]').count(), 3);
  });

  for (const [theme, kind, shot] of [
    ['Light Modern', 'vscode-light', 'walkthrough-5-light'],
    ['Dark Modern', 'vscode-dark', 'walkthrough-6-dark'],
  ] as const) {
    it(`reads well in ${theme}: the walkthrough, the example questions and the keys`, async () => {
      const panel = await ChatPanel.find(page);
      await useColorTheme(page, panel, theme, kind);
      for (const [what, locator, minimum] of [
        ['example question', panel.locator('button[data-action=use-example]').first(), 4.5],
        ['key', panel.locator('.shortcut kbd').first(), 4.5],
        ['what a key does', panel.locator('.shortcut dd').first(), 4.5],
      ] as const) {
        const { color, background } = await colorsOf(locator);
        const ratio = contrastRatio(color, background);
        assert.ok(ratio >= minimum, `${theme}: ${what} is ${color} on ${background}, contrast ${ratio.toFixed(2)}`);
      }
      await step(page, 'chooseEndpoint').click();
      await screenshot(page, shot);
    });
  }
});
