// The shared e2e environment: one local OpenAI-compatible test server, one code-server with the
// extension under development pointed at it (user settings), one headless chromium window on the
// workbench. Started by the first test that asks, stopped by the root hook in hooks.ts.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { closeWorkbench, launchBrowser, openWorkbench } from '../harness/browser';
import { startCodeServer, type CodeServer } from '../harness/code-server';
import { repoRoot } from '../harness/paths';
import { startTestServer, type TestServer } from '../server';

export const testModel = 'test-model';

export interface E2eEnvironment {
  testServer: TestServer;
  codeServer: CodeServer;
  browser: Browser;
  /** The workbench window with the extension under development loaded. */
  page: Page;
  workspace: string;
  /** Opens another workbench window (closed by stopE2eEnvironment). */
  openWindow(): Promise<Page>;
}

let shared: Promise<E2eEnvironment> | undefined;
const cleanups: (() => Promise<void>)[] = [];

function makeWorkspace(root: string): string {
  const folder = path.join(root, 'e2e-workspace');
  fs.mkdirSync(path.join(folder, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(folder, '.vscode', 'settings.json'), '{}\n');
  fs.writeFileSync(
    path.join(folder, 'hello.ts'),
    'export function greet(name: string): string {\n  return `Hello, ${name}!`;\n}\n',
  );
  return folder;
}

async function start(): Promise<E2eEnvironment> {
  const tempRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'stream-chat-e2e-'));
  cleanups.push(async () => fs.rmSync(tempRoot, { recursive: true, force: true }));
  const testServer = await startTestServer();
  testServer.models = [testModel];
  cleanups.push(() => testServer.close());
  const workspace = makeWorkspace(tempRoot);
  const codeServer = await startCodeServer({
    workspace,
    userSettings: { 'streamChat.baseUrl': testServer.baseUrl, 'streamChat.model': testModel },
    // Installed by link rather than by payload: the smoke-test driver that a payload needs also
    // hides notification toasts, and these tests must see what a person sees.
    linkExtensions: [repoRoot],
    smokeTestDriver: false,
    // A fresh user-data dir is a first run: no walkthrough or chat view opening amid the tests
    // (test/e2e/walkthrough.test.ts has a window of its own for that).
    env: { STREAM_CHAT_SKIP_WELCOME: '1' },
  });
  cleanups.push(() => codeServer.stop());
  const browser = await launchBrowser();
  cleanups.push(() => browser.close());
  const verbose = process.env.STREAM_CHAT_TEST_VERBOSE ? (line: string) => console.log(line) : undefined;
  const openWindow = async () => {
    const page = await openWorkbench(browser, codeServer.url(), { onConsole: verbose });
    cleanups.push(() => closeWorkbench(page));
    return page;
  };
  const page = await openWindow();
  return { testServer, codeServer, browser, page, workspace, openWindow };
}

/** The shared environment, started on first use (about 10–30 s on 2 cores). */
export function e2eEnvironment(): Promise<E2eEnvironment> {
  shared ??= start();
  return shared;
}

/** The environment if a test already started it (never starts one). */
export function startedEnvironment(): Promise<E2eEnvironment> | undefined {
  return shared;
}

/** Stops everything the environment started, newest first. Safe to call when nothing started. */
export async function stopE2eEnvironment(): Promise<void> {
  const started = shared;
  shared = undefined;
  await started?.catch(() => undefined);
  while (cleanups.length > 0) {
    const cleanup = cleanups.pop();
    await cleanup?.().catch((error: unknown) => console.error(`e2e cleanup: ${String(error)}`));
  }
}
