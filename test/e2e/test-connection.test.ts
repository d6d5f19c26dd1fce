// A person runs "Stream Chat: Test Connection" from the command palette and reads the notification
// it shows: against the local OpenAI-compatible test server, then against a port nobody listens on
// (chosen the way a person does, through "Stream Chat: Select Endpoint…" → Custom URL).
import * as assert from 'node:assert/strict';
import {
  activeEditorText,
  clearNotifications,
  dismissQuickInput,
  notificationText,
  runCommand,
  screenshot,
  waitForNotification,
} from '../harness/browser';
import { freePort } from '../harness/code-server';
import { chooseCustomEndpoint, waitUntil } from './chatPanel';
import { e2eEnvironment, testModel } from './environment';

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

describe('e2e: Stream Chat: Test Connection', () => {
  it('shows the connection report for the configured endpoint', async () => {
    const { page, testServer } = await e2eEnvironment();
    testServer.reset();
    testServer.models = [testModel];
    await clearNotifications(page);
    await screenshot(page, 'test-connection-0-workbench');

    await runCommand(page, 'Stream Chat: Test Connection');
    const toast = await waitForNotification(page, /Stream Chat: Connect/, 60_000);
    const text = await notificationText(toast);
    await screenshot(page, 'test-connection-1-report');

    assert.match(text, new RegExp(`Connected to ${escapeRegExp(testServer.origin)}`), text);
    assert.match(text, new RegExp(`model ${testModel}`), text);
    assert.match(text, /no API key/, text);
    const paths = testServer.requests.map((request) => `${request.method} ${request.path.split('?')[0]}`);
    assert.ok(paths.includes('GET /v1/models'), `requests: ${paths.join(', ')}`);
    assert.ok(paths.includes('POST /v1/chat/completions'), `requests: ${paths.join(', ')}`);

    // The whole report, where it can be read and copied: every check with its figures.
    await toast.locator('.monaco-button').filter({ hasText: 'Show Report' }).click();
    await waitUntil('the report in an editor', async () =>
      (await activeEditorText(page)).startsWith('# Stream Chat: Test Connection — connected'),
    );
    const report = await activeEditorText(page);
    assert.match(report, new RegExp(`✓ GET /models: 1 model; \`${escapeRegExp(testModel)}\` is among them`), report);
    assert.match(report, /✓ Streamed reply: first token \d+ ms/, report);
    assert.match(report, /– No API key sent/, report);
    await screenshot(page, 'test-connection-3-report-editor');
    await runCommand(page, 'View: Revert and Close Editor');
  });

  it('shows a clear error for an endpoint nobody listens on', async () => {
    const { page, testServer } = await e2eEnvironment();
    const closedBaseUrl = `http://127.0.0.1:${await freePort()}/v1`;
    try {
      await clearNotifications(page);
      await chooseCustomEndpoint(page, closedBaseUrl);
      await clearNotifications(page);

      await runCommand(page, 'Stream Chat: Test Connection');
      const toast = await waitForNotification(page, /Stream Chat: Connection failed/, 60_000);
      const text = await notificationText(toast);
      await screenshot(page, 'test-connection-2-refused');
      assert.match(text, new RegExp(escapeRegExp(new URL(closedBaseUrl).host)), text);
      await toast.locator('.monaco-button').filter({ hasText: 'Show Report' }).click();
      await waitUntil('the report in an editor', async () =>
        (await activeEditorText(page)).startsWith('# Stream Chat: Test Connection — failed'),
      );
      const report = await activeEditorText(page);
      assert.match(report, /✗ GET \/models: /, report);
      assert.match(report, /– Streamed reply: not tried/, report);
      assert.match(report, /Fix: \*\*Select Endpoint\*\* \(command `streamChat\.selectEndpoint`\)/, report);
      await runCommand(page, 'View: Revert and Close Editor');
    } finally {
      await dismissQuickInput(page);
      await chooseCustomEndpoint(page, testServer.baseUrl);
    }
  });
});
