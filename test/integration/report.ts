// The messages the integration runner (inside the extension host) sends to its launcher.

export type TrustMode = 'trusted' | 'restricted';

export interface TestFailure {
  title: string;
  message: string;
  stack?: string;
}

export interface TestCounts {
  passed: number;
  failed: number;
  pending: number;
}

export type ReportEvent =
  /** Mocha has loaded the files; `total` tests are going to run. */
  | { type: 'start'; total: number; files: string[] }
  | { type: 'pass'; title: string; durationMs: number }
  | { type: 'fail'; failure: TestFailure }
  | { type: 'pending'; title: string }
  /** The run settled; `counts` are final. `error` when the runner itself broke. */
  | { type: 'end'; total: number; counts: TestCounts; failures: TestFailure[]; error?: string };

/** Environment variables shared by the runner and its launchers. */
export const ReportEnv = {
  /** Loopback URL the runner POSTs each ReportEvent to (JSON), in order. */
  url: 'STREAM_CHAT_TEST_REPORT_URL',
  /** File the runner writes the final `end` event to. */
  file: 'STREAM_CHAT_TEST_REPORT_FILE',
  /** 'trusted' (default) or 'restricted': which pass runs, so suites can describe accordingly. */
  trust: 'STREAM_CHAT_TEST_TRUST',
  /** Mocha grep (only matching tests run). */
  grep: 'STREAM_CHAT_TEST_GREP',
} as const;
