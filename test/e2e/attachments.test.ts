// Attachments and the context meter as a person uses them: attach the open file from the panel's
// button and from the palette's quick pick, see its chip with its size in tokens, remove one, ask;
// the file goes with the question (checked on the wire), the chips clear, the meter counts.
import * as assert from 'node:assert/strict';
import { openWorkspaceFile, pickQuickItem, runCommand, screenshot, waitForQuickInput } from '../harness/browser';
import { ChatPanel, messagesOf, nthChatRequest, squash, waitUntil } from './chatPanel';
import { e2eEnvironment, testModel } from './environment';
import { countPromptTokens, countTokens } from '../server';

describe('e2e: attachments and the context meter', () => {
  it("an attached file's chip shows its token size; it goes with the question and the meter counts it", async () => {
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
    await waitUntil(
      'the meter to count the draft',
      async () => Number(squash(await meter.innerText()).split(' ')[0]) > withFile,
    );
    await screenshot(page, 'attachments-1-chip-and-meter');

    // The palette's quick pick attaches another copy of a workspace file (replacing the same file), and × removes it.
    const firstId = await chips.first().getAttribute('data-attachment-id');
    await runCommand(page, 'Stream Chat: Attach File to Chat');
    await waitForQuickInput(page, /Attach File to Chat/);
    await pickQuickItem(page, 'hello.ts');
    await waitUntil(
      'the copy from the quick pick to replace the chip',
      async () =>
        (await chips.count()) === 1 &&
        (await chips.first().getAttribute('data-attachment-id')) !== firstId &&
        squash(await chips.first().innerText()).startsWith('hello.ts'),
    );
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
    const counted =
      countPromptTokens(messagesOf(request) as { content: string }[]) + countTokens('Hello from the test server.');
    await waitUntil(
      `the meter to show the server count, ${counted}`,
      async () => squash(await meter.innerText()) === `${counted} / 8k`,
    );
    assert.match((await meter.getAttribute('title')) ?? '', /counted by the server/);
    await screenshot(page, 'attachments-2-sent-meter');
  });
});

describe('e2e: edit and resend of a question with an attachment', () => {
  it('the composer gets the typed question back, the file comes back as a removable chip, sent once', async () => {
    const { page, testServer } = await e2eEnvironment();
    testServer.reset();
    testServer.models = [testModel];
    const panel = await ChatPanel.newChat(page);
    const chips = panel.locator('.attachment-chips .chip');
    await openWorkspaceFile(page, 'hello.ts');
    await panel.locator('button[data-action="attach:file"]').click();
    await waitUntil('a chip for hello.ts', async () => (await chips.count()) === 1);
    await panel.ask('What does greet return?');
    await panel.waitForStatus('done');
    await waitUntil('the chips to clear after sending', async () => (await chips.count()) === 0);

    const question = panel.userTurns().first();
    await question.hover();
    await question.locator('button[data-action=edit-question]').click();
    await panel.locator('.editing-banner').waitFor({ state: 'visible' });
    assert.equal(await panel.input.inputValue(), 'What does greet return?', 'exactly the typed question');
    await waitUntil('its file as a chip', async () => (await chips.count()) === 1);
    assert.match(squash(await chips.first().innerText()), /^hello\.ts \d+ tokens$/);
    assert.equal(await chips.first().locator('button.chip-remove').getAttribute('aria-label'), 'Remove hello.ts');
    await screenshot(page, 'attachments-3-editing');

    await panel.input.fill('What does greet return for an empty name?');
    await panel.input.press('Enter');
    const request = await nthChatRequest(testServer, 2);
    const [message] = messagesOf(request) as { content: string }[];
    assert.equal(message.content.split('File: hello.ts (typescript):').length - 1, 1, message.content);
    assert.match(message.content, /\n\nWhat does greet return for an empty name\?$/);
    await panel.waitForStatus('done');
    await waitUntil('the chips to clear after sending', async () => (await chips.count()) === 0);
  });
});

describe('e2e: the context budget in the transcript', () => {
  it("older turns left out are noted; a context-length error's Leave out older turns and retry works", async () => {
    const { page, testServer } = await e2eEnvironment();
    testServer.reset();
    testServer.models = [testModel];
    testServer.modelFields = { max_model_len: 400 }; // 100 kept for the answer
    const panel = await ChatPanel.newChat(page);
    const meter = panel.locator('.panel-header .budget-meter');
    await waitUntil('the meter to show the small window', async () =>
      squash(await meter.innerText()).endsWith('/ 400'),
    );

    // Two of them never fit the 300 tokens left for the prompt, one always does, whatever ratio from
    // 3 to 5 characters a token earlier answers taught (the server counts " abc" as one token).
    const long = (tag: string) => `${tag} ${'abc '.repeat(200)}`.trim();
    await panel.ask(long('first'));
    await panel.waitForStatus('done');
    await panel.ask(long('second'));
    await panel.waitForStatus('done');
    const note = panel.lastAnswer().locator('.context-note');
    assert.equal(squash(await note.innerText()), "1 earlier turn left out to fit the model's 400-token window");
    assert.equal(((messagesOf(await nthChatRequest(testServer, 2)) as unknown[]) ?? []).length, 1);

    testServer.enqueue({
      kind: 'respond',
      status: 400,
      body: {
        object: 'error',
        message: "This model's maximum context length is 300 tokens. However, your request has 320 input tokens.",
        type: 'BadRequestError',
        code: 400,
      },
    });
    await panel.ask('third');
    await panel.waitForStatus('error');
    const retry = panel.lastAnswer().getByRole('button', { name: 'Leave out older turns and retry' });
    assert.ok(await retry.isVisible(), 'the retry that leaves out older turns is offered');
    assert.equal(
      await panel.lastAnswer().getByRole('button', { name: 'Regenerate' }).count(),
      0,
      'no second way to ask again',
    );
    await screenshot(page, 'budget-1-context-error');
    const failedId = await panel.lastAnswer().getAttribute('data-turn-id');
    await retry.click();
    // The failed answer goes, and a new one (another turn id) takes its place.
    await waitUntil(
      'the retried answer',
      async () =>
        (await panel.answers().count()) === 3 && (await panel.lastAnswer().getAttribute('data-turn-id')) !== failedId,
    );
    await panel.waitForStatus('done');
    const retried = messagesOf(await nthChatRequest(testServer, 4)) as { content: string }[];
    assert.deepEqual(
      retried.map((m) => m.content.split(' ')[0]),
      ['third'],
    );
    const expected = "2 earlier turns left out to fit the model's 300-token window";
    let shown = '';
    await waitUntil(
      `the retried answer's note: ${expected}`,
      async () => (shown = squash(await panel.lastAnswer().locator('.context-note').innerText())) === expected,
    ).catch(() => {
      assert.equal(shown, expected);
    });
    await waitUntil('the meter to use the window the error named', async () =>
      squash(await meter.innerText()).endsWith('/ 300'),
    );
    await screenshot(page, 'budget-2-retried');
  });
});
