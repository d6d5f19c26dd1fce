// Profiles as a person switches them: from the chat header's model button, the picker's Switch
// Profile button, Save Current Endpoint as a Profile…, then back to Default from the palette. The
// header, the status bar and the next request follow.
import * as assert from 'node:assert/strict';
import { pickQuickItem, runCommand, screenshot, submitQuickInput, waitForQuickInput } from '../harness/browser';
import { ChatPanel, chatRequests, waitUntil } from './chatPanel';
import { e2eEnvironment, testModel } from './environment';

describe('e2e: endpoint profiles', () => {
  it('switches profile from the chat header: the header, the status bar and the next request follow', async () => {
    const env = await e2eEnvironment();
    const { page, testServer } = env;
    testServer.reset();
    testServer.models = [testModel];
    const panel = await ChatPanel.newChat(page);

    await panel.locator('.model-button').click();
    await waitForQuickInput(page, /Stream Chat: Model on/);
    await page.locator('.quick-input-titlebar .action-label[aria-label^="Switch Profile"]').click();
    await waitForQuickInput(page, 'Stream Chat: Select Profile');
    await screenshot(page, 'profiles-1-picker');
    await pickQuickItem(page, 'Save Current Endpoint');
    await waitForQuickInput(page, 'Stream Chat: Save Profile');
    await submitQuickInput(page, 'Lab');

    const status = page.locator('.statusbar-item').filter({ hasText: `Lab · ${testModel}` });
    await status.first().waitFor({ timeout: 30_000 });
    await waitUntil('the header to name the profile', async () =>
      (await panel.locator('.model-button .label').innerText()) === `Lab · ${testModel}` ? true : undefined,
    );
    await panel.ask('Which profile?');
    await panel.waitForStatus('done');
    assert.equal(chatRequests(testServer).length, 1);
    await screenshot(page, 'profiles-2-in-use');

    await runCommand(page, 'Stream Chat: Select Profile…');
    await pickQuickItem(page, 'Default');
    await page.locator('.statusbar-item').filter({ hasText: testModel }).first().waitFor();
    await waitUntil('the header back on Default', async () =>
      (await panel.locator('.model-button .label').innerText()) === testModel ? true : undefined,
    );
  });
});
