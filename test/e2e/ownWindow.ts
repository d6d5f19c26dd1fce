// A suite's own VS Code window, not the shared one: a temp folder, a test server, a code-server with
// the options the suite gives, a browser on it. Started before the suite's tests, a failing test's
// window photographed (the root hook photographs only the shared one), everything stopped after.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type Mocha from 'mocha';
import type { Page } from 'playwright-core';
import { closeWorkbench, launchBrowser, openWorkbench, screenshot } from '../harness/browser';
import { startCodeServer, type CodeServer, type CodeServerOptions } from '../harness/code-server';
import { startTestServer, type TestServer } from '../server';

export interface OwnWindow {
  testServer: TestServer;
  codeServer: CodeServer;
  page: Page;
}

/**
 * Registers the suite's hooks; `prepare` writes what the window needs under `tempRoot` and returns
 * the code-server options. The returned function gives the window once it is open.
 */
export function withOwnWindow(
  tempPrefix: string,
  prepare: (tempRoot: string, testServer: TestServer) => CodeServerOptions,
): () => OwnWindow {
  const cleanups: (() => Promise<void>)[] = [];
  let own: OwnWindow | undefined;

  before(async () => {
    const tempRoot = fs.mkdtempSync(path.join(os.tmpdir(), tempPrefix));
    cleanups.push(async () => fs.rmSync(tempRoot, { recursive: true, force: true }));
    const testServer = await startTestServer();
    cleanups.push(() => testServer.close());
    const codeServer = await startCodeServer(prepare(tempRoot, testServer));
    cleanups.push(() => codeServer.stop());
    const browser = await launchBrowser();
    cleanups.push(() => browser.close());
    const page = await openWorkbench(browser, codeServer.url());
    cleanups.push(() => closeWorkbench(page));
    own = { testServer, codeServer, page };
  });

  afterEach(async function (this: Mocha.Context) {
    if (this.currentTest?.state === 'failed' && own !== undefined)
      console.log(
        `    screenshot of the failure: ${await screenshot(own.page, `FAILED-${this.currentTest.fullTitle()}`)}`,
      );
  });

  after(async () => {
    while (cleanups.length > 0)
      await cleanups
        .pop()?.()
        .catch((error: unknown) => console.error(String(error)));
  });

  return () => {
    if (own === undefined) throw new Error('the suite’s window is not open (its before hook failed)');
    return own;
  };
}
