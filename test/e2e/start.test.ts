// `npm start` as a person uses it: run it, open the printed URL, see Stream Chat active on the demo
// model with its chat view open, test the connection, press Ctrl+C, and find everything stopped.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import {
  closeWorkbench,
  notificationText,
  openWorkbench,
  runCommand,
  screenshot,
  waitForNotification,
} from '../harness/browser';
import { repoRoot } from '../harness/paths';
import { ChatPanel, shownText, waitUntil } from './chatPanel';
import { e2eEnvironment } from './environment';

/** Resolves with the URL `start` prints, or rejects with its output if it exits first. */
function startedUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /^STREAM_CHAT_URL=(\S+)$/m.exec(output);
      if (match?.[1]) resolve(match[1]);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`npm start exited (${code}) before printing its URL:\n${output}`)));
  });
}

/** Runs `npm start` (its compiled script) with `env`, hands `use` the open window, then presses Ctrl+C. */
async function withStart(env: NodeJS.ProcessEnv, use: (page: Page) => Promise<void>): Promise<void> {
  const { browser } = await e2eEnvironment();
  const child = spawn(process.execPath, [path.join(repoRoot, 'out', 'test', 'harness', 'start.js')], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    const url = await startedUrl(child);
    const page = await openWorkbench(browser, url);
    try {
      await use(page);
    } finally {
      await closeWorkbench(page);
    }
    child.kill('SIGINT');
    assert.equal(await exited, 0);
    const origin = new URL(url).origin;
    await assert.rejects(fetch(origin, { signal: AbortSignal.timeout(5000) }), `${origin} still answers after Ctrl+C`);
  } finally {
    // SIGTERM, not SIGKILL: start must get to stop its code-server process group.
    if (child.exitCode === null) child.kill('SIGTERM');
  }
}

describe('e2e: npm start', () => {
  let userData: string;
  let env: NodeJS.ProcessEnv;

  before(() => {
    // A user-data-dir of this test's own, kept between its two runs as .vscode-test/start-user-data is.
    userData = fs.mkdtempSync(path.join(os.tmpdir(), 'stream-chat-start-'));
    env = { ...process.env, STREAM_CHAT_USER_DATA_DIR: userData };
    delete env.STREAM_CHAT_BASE_URL;
    delete env.STREAM_CHAT_API_KEY;
    delete env.STREAM_CHAT_MODEL;
  });

  after(() => fs.rmSync(userData, { recursive: true, force: true }));

  it('serves a window with the extension on the demo model, its chat view open, and Ctrl+C stops it', async () => {
    await withStart(env, async (page) => {
      await page.locator('.statusbar-item').filter({ hasText: 'Demo model' }).first().waitFor({ timeout: 60_000 });
      // The chat view is on screen from the start, nothing clicked; it says the endpoint is the environment's.
      const panel = await ChatPanel.find(page);
      await panel.locator('.environment-tag').waitFor({ state: 'visible' });
      assert.match(
        (await panel.locator('.model-button').getAttribute('title')) ?? '',
        /From the environment \(STREAM_CHAT_BASE_URL, STREAM_CHAT_MODEL\), not from Settings\./,
      );
      await panel.ask('What does stockValue do?');
      await panel.waitForStatus('done');
      await runCommand(page, 'Stream Chat: Test Connection');
      const text = await notificationText(await waitForNotification(page, /Stream Chat: Connect/, 60_000));
      await screenshot(page, 'start-demo-test-connection');
      assert.match(text, /Connected to http:\/\/127\.0\.0\.1:\d+ — Demo model/, text);
    });
  });

  it('keeps the chat history for the next npm start', async () => {
    await withStart(env, async (page) => {
      const panel = await ChatPanel.find(page);
      await waitUntil('the earlier conversation', async () =>
        (await panel.userTurns().count()) > 0 ? true : undefined,
      );
      assert.equal(await shownText(panel.userTurns().first()), 'What does stockValue do?');
      await screenshot(page, 'start-history-kept');
    });
  });
});
