// A person selects code in hello.ts, right-clicks it, opens the "Stream Chat" submenu and picks
// "Explain Selection": the chat panel opens with the question (the code as one compact, collapsed
// line) and the answer streams into it.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { openWorkspaceFile, runCommand, screenshot } from '../harness/browser';
import { chunk, sse, type StreamStep } from '../server';
import { ChatPanel, chatRequests, messagesOf, squash, trackOutcome, waitUntil } from './chatPanel';
import { e2eEnvironment } from './environment';

/** A context-menu entry (the workbench renders menus in a shadow root; Playwright's CSS pierces it). */
function menuItem(page: Page, label: string) {
  return page.locator('.monaco-menu .action-item .action-label').filter({ hasText: new RegExp(`^${label}$`) });
}

describe('e2e: ask commands from the editor context menu', () => {
  it('right click → Stream Chat → Explain Selection streams the answer into the chat panel', async () => {
    const { page, testServer } = await e2eEnvironment();
    testServer.reset();
    const answer =
      'The function **greet** takes a name and returns a greeting built with a template string. It has no side effects, and the same name always gives the same greeting, so it is easy to test.';
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
    await menuItem(page, 'Stream Chat').first().hover();
    await menuItem(page, 'Explain Selection').first().waitFor({ state: 'visible', timeout: 10_000 });
    await screenshot(page, 'ask-1-context-menu');
    await menuItem(page, 'Explain Selection').first().click();

    const request = await waitUntil('the request', async () => chatRequests(testServer)[0]);
    const outcome = trackOutcome(request);
    const sent = (messagesOf(request) as { content: string }[]).at(-1)?.content ?? '';
    assert.match(
      sent,
      /^Code from hello\.ts:1-3 \(typescript\):\n```typescript\nexport function greet\(name: string\): string \{\n {2}return `Hello, \$\{name\}!`;\n\}\n```\n\nExplain what this code does/,
    );

    const panel = await ChatPanel.find(page);
    const question = panel.userTurns().last();
    await question.waitFor({ state: 'visible' });
    assert.equal(await question.locator('.snippet-label').innerText(), 'hello.ts:1-3');
    assert.equal(await question.locator('.snippet-meta').innerText(), '3 lines · ~19 tokens');
    assert.equal(await question.locator('.snippet').getAttribute('open'), null, 'the code is collapsed');
    await panel.waitForAnswerText('takes a name');
    assert.equal(outcome.value, undefined, 'the answer shows while the server is still streaming');
    await screenshot(page, 'ask-2-streaming');

    await panel.waitForStatus('done');
    await panel.expectAnswerText(answer.replace(/\*\*/g, ''));
    await question.locator('.snippet summary').click();
    assert.match(await question.locator('.snippet-code').innerText(), /^export function greet\(name: string\): string \{\n {2}return `Hello, \$\{name\}!`;\n\}$/);
    await screenshot(page, 'ask-3-done-code-open');
    await runCommand(page, 'View: Close All Editors');
  });
});
