// Mocha hooks shared by the unit and integration suites: one test server per suite.

import { startTestServer } from './index';
import type { TestServer } from './types';

/**
 * One test server for the suite: started before it (handed to `use`), its record reset before each
 * test, closed after it (after `cleanUp`, e.g. resetting settings that point at it).
 */
export function withTestServer(use: (server: TestServer) => void, cleanUp?: () => Promise<void>): void {
  let server: TestServer | undefined;
  before(async () => {
    server = await startTestServer();
    use(server);
  });
  beforeEach(() => server?.reset());
  after(async () => {
    await cleanUp?.();
    await server?.close();
  });
}
