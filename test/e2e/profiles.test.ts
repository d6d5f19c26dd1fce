// Profiles as a person switches them: from the chat header's model button, the picker's Switch
// Profile button, Save Current Endpoint as a Profile…, then back to Default from the palette. The
// header, the status bar and the next request follow. A conversation reopened from the history goes
// back to its own profile and model: the follow-up reaches that profile's server.
import * as assert from 'node:assert/strict';
import { pickQuickItem, runCommand, screenshot, submitQuickInput, waitForQuickInput } from '../harness/browser';
import { startTestServer, type TestServer } from '../server';
import { ChatPanel, chatRequests, nthChatRequest, waitUntil } from './chatPanel';
import { e2eEnvironment, testModel } from './environment';

/** The model a recorded chat request asked for. */
function modelOf(server: TestServer, n: number): string | undefined {
  return (chatRequests(server)[n - 1]?.json as { model?: string } | undefined)?.model;
}

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

  it('a conversation reopened from the history goes back to its profile: the follow-up reaches it', async () => {
    const env = await e2eEnvironment();
    const { page, testServer } = env;
    testServer.reset();
    testServer.models = [testModel];
    const remote = await startTestServer();
    remote.models = ['remote-model'];
    try {
      // A second profile on another server, made as a person makes one: save, then point it elsewhere.
      let panel = await ChatPanel.newChat(page);
      await runCommand(page, 'Stream Chat: Select Profile…');
      await pickQuickItem(page, 'Save Current Endpoint');
      await waitForQuickInput(page, 'Stream Chat: Save Profile');
      await submitQuickInput(page, 'Remote');
      await page
        .locator('.statusbar-item')
        .filter({ hasText: `Remote · ${testModel}` })
        .first()
        .waitFor();
      await runCommand(page, 'Stream Chat: Select Endpoint');
      await waitForQuickInput(page, 'Select Endpoint');
      await pickQuickItem(page, 'Custom URL');
      await waitForQuickInput(page, 'Custom endpoint');
      await submitQuickInput(page, remote.baseUrl);
      await waitForQuickInput(page, 'Model on');
      await pickQuickItem(page, 'remote-model');
      await page.locator('.statusbar-item').filter({ hasText: 'Remote · remote-model' }).first().waitFor();

      await panel.ask('Asked on the remote server');
      await panel.waitForStatus('done');
      assert.equal(modelOf(remote, 1), 'remote-model');

      await runCommand(page, 'Stream Chat: Select Profile…');
      await pickQuickItem(page, 'Default');
      panel = await ChatPanel.newChat(page);
      await panel.ask('Asked on the default server');
      await panel.waitForStatus('done');
      assert.equal(modelOf(testServer, 1), testModel);

      await runCommand(page, 'Stream Chat: Show Chat History');
      await waitForQuickInput(page, 'Chat History');
      await screenshot(page, 'profiles-3-history');
      await pickQuickItem(page, 'Asked on the remote server');
      panel = await ChatPanel.find(page);
      await page.locator('.statusbar-item').filter({ hasText: 'Remote · remote-model' }).first().waitFor();
      await waitUntil("the header on the reopened conversation's profile", async () =>
        (await panel.locator('.model-button .label').innerText()) === 'Remote · remote-model' ? true : undefined,
      );
      await panel.ask('A follow-up');
      await nthChatRequest(remote, 2);
      await panel.waitForStatus('done');
      assert.equal(modelOf(remote, 2), 'remote-model');
      assert.equal(chatRequests(testServer).length, 1, 'nothing more went to the default server');
      await screenshot(page, 'profiles-4-reopened');

      // And back: the other conversation goes on with Default and its model.
      await runCommand(page, 'Stream Chat: Show Chat History');
      await waitForQuickInput(page, 'Chat History');
      await pickQuickItem(page, 'Asked on the default server');
      panel = await ChatPanel.find(page);
      await waitUntil('the header back on Default', async () =>
        (await panel.locator('.model-button .label').innerText()) === testModel ? true : undefined,
      );
      await panel.ask('Another follow-up');
      await nthChatRequest(testServer, 2);
      await panel.waitForStatus('done');
      assert.equal(modelOf(testServer, 2), testModel);
      assert.equal(chatRequests(remote).length, 2);
    } finally {
      await remote.close();
    }
  });
});
