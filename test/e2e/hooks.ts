// Mocha root hooks for the e2e phase (run-mocha --hooks): whatever the suite started is stopped once
// at the end, and a failing test leaves a screenshot of the window it failed in.
import type Mocha from 'mocha';
import { screenshot } from '../harness/browser';
import { startedEnvironment, stopE2eEnvironment } from './environment';

export const mochaHooks: Mocha.RootHookObject = {
  async afterEach(this: Mocha.Context) {
    if (this.currentTest?.state !== 'failed') return;
    const started = startedEnvironment();
    if (!started) return;
    try {
      const { page } = await started;
      const file = await screenshot(page, `FAILED-${this.currentTest.fullTitle()}`);
      console.log(`    screenshot of the failure: ${file}`);
    } catch {
      // no window to show
    }
  },
  async afterAll() {
    await stopE2eEnvironment();
  },
};
