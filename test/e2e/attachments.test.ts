// Attachments and the context meter as a person uses them: attach the open file from the panel's
// button and from the palette's quick pick, see its chip with its size in tokens, remove one, ask;
// the file goes with the question (checked on the wire), the chips clear, the meter counts.
import * as assert from 'node:assert/strict';
import { openWorkspaceFile, pickQuickItem, runCommand, screenshot, waitForQuickInput } from '../harness/browser';
import { ChatPanel, messagesOf, nthChatRequest, squash, waitUntil } from './chatPanel';
import { e2eEnvironment, testModel } from './environment';

describe('e2e: attachments and the context meter', () => {
  it("an attached file's chip shows its size in tokens; it goes with the question and the meter counts it", async () => {
    const { page, testServer } = await e2eEnvironment();
    testServer.reset();
    testServer.models = [testModel];
    testServer.modelFields = { max_model_len: 8192 };
    const panel = await ChatPanel.newChat(page);
    const chips = panel.locator('.attachment-chips .chip');
    const meter = panel.locator('.panel-header .budget-meter');
    await waitUntil('the meter', async () => /^\d+ \/ 8k$/.test(squash(await meter.innerText())));
    assert.match((await meter.getAttribute('title')) ?? '', /window reported by the server's \/models/);

    await openWorkspaceFile(page, 'hello.ts');
    await panel.locator('button[data-action="attach:file"]').click();
    await waitUntil('a chip for hello.ts', async () => (await chips.count()) === 1);
    const chip = squash(await chips.first().innerText());
    assert.match(chip, /^hello\.ts \d+ tokens$/, chip);
    assert.equal(await chips.first().locator('button.chip-remove').getAttribute('aria-label'), 'Remove hello.ts');
    const withFile = Number(squash(await meter.innerText()).split(' ')[0]);
    assert.ok(withFile >= 20, `the meter counts the attachment: ${withFile}`);
    await panel.input.click();
    await panel.input.fill('What does greet return, and what happens with an empty name? '.repeat(4));
    await waitUntil('the meter to count the draft', async () => Number(squash(await meter.innerText()).split(' ')[0]) > withFile);
    await screenshot(page, 'attachments-1-chip-and-meter');

    // The palette's quick pick attaches another copy of a workspace file (replacing the same file), and × removes it.
    await runCommand(page, 'Stream Chat: Attach File to Chat');
    await waitForQuickInput(page, /Attach File to Chat/);
    await pickQuickItem(page, 'hello.ts');
    await waitUntil('still one chip (the same file replaces its copy)', async () => squash(await chips.first().innerText()).startsWith('hello.ts') && (await chips.count()) === 1);
    await chips.first().locator('button.chip-remove').click();
    await waitUntil('the chip to go', async () => (await chips.count()) === 0);
    await panel.locator('button[data-action="attach:file"]').click();
    await waitUntil('the chip again', async () => (await chips.count()) === 1);

    await panel.ask('What does greet return?');
    const request = await nthChatRequest(testServer, 1);
    const [message] = messagesOf(request) as { content: string }[];
    assert.match(message.content, /^File: hello\.ts \(typescript\):\n```typescript\nexport function greet/);
    assert.match(message.content, /\n\nWhat does greet return\?$/);
    await panel.waitForStatus('done');
    await waitUntil('the chips to clear after sending', async () => (await chips.count()) === 0);
    // The test server counts 5 prompt and 6 completion tokens.
    await waitUntil('the meter to show the server count', async () => squash(await meter.innerText()) === '11 / 8k');
    assert.match((await meter.getAttribute('title')) ?? '', /counted by the server/);
    await screenshot(page, 'attachments-2-sent-meter');
  });
});
