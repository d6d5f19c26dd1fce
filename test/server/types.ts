// The scripting contract of the local OpenAI-compatible test server (test/server/index.ts).
import type { IncomingHttpHeaders } from 'node:http';

/**
 * One step of a streamed body: bytes to write, a pause, or bytes to drip: written one at a time,
 * each handed to the socket and then a pause of `delayMs` (default 2), so the client reads them apart.
 */
export type StreamStep = string | Uint8Array | { wait: number } | { drip: string | Uint8Array; delayMs?: number };

/**
 * What the server does with one request. Scenarios are queued per route with `enqueue` /
 * `enqueueFor` and consumed first-in first-out; an empty queue falls back to the default answer.
 */
export type Scenario =
  /**
   * 200 (or `status`) with `content-type: text/event-stream` (or `headers`), then the steps in order.
   * `chunkSize` slices every byte step into writes of that many bytes; `chunkDelayMs` pauses between
   * slices (default 0 = back to back, and then the client may well read them all at once: to split
   * the client's reads for sure, pause, or drip the bytes in a `drip` step).
   * `end`: 'close' ends the response normally (default); 'reset' destroys the socket (connection reset);
   * 'stall' leaves the response open forever (until the client gives up or the server closes).
   */
  | {
      kind: 'stream';
      steps: StreamStep[];
      status?: number;
      headers?: Record<string, string>;
      chunkSize?: number;
      chunkDelayMs?: number;
      end?: 'close' | 'reset' | 'stall';
    }
  /**
   * A whole response: objects are sent as JSON (`application/json`), strings as given (set the
   * content-type in headers).
   */
  | { kind: 'respond'; status: number; body: string | object; headers?: Record<string, string> }
  /** Destroy the socket before any response byte. */
  | { kind: 'reset' }
  /** Accept the request and never answer (no headers). */
  | { kind: 'stall' }
  /** A redirect; `location` may be absolute (another origin) or a path. */
  | { kind: 'redirect'; status: 301 | 302 | 303 | 307 | 308; location: string }
  /**
   * The scenario chosen once the request is there: `decide` reads it (its body, e.g. the `tools` a
   * client offers) and returns what to play, at once or later (the request waits meanwhile). A
   * `decide` that throws or rejects is answered 500 with its message, so the test sees why.
   */
  | { kind: 'decide'; decide: (request: RecordedRequest) => Scenario | Promise<Scenario> };

export interface RecordedRequest {
  /** 1-based, in arrival order across all routes. */
  index: number;
  /** `performance.now()` when the request (headers and body) had arrived. */
  receivedAt: number;
  method: string;
  /** Path with query, e.g. `/v1/chat/completions`. */
  path: string;
  headers: IncomingHttpHeaders;
  /** Raw request body (UTF-8). */
  body: string;
  /** Parsed body when it was JSON. */
  json?: unknown;
  /** Separate writes of a streamed response body so far (its steps, their slices, dripped bytes one each). */
  bodyWrites: number;
  /**
   * Resolves when the exchange ends: 'finished' = the server completed the response, 'aborted' = the
   * client went away first.
   */
  outcome: Promise<'finished' | 'aborted'>;
}

export interface DemoOptions {
  /** Streaming speed of demo answers. Default 40 tokens/s. 0 = as fast as possible. */
  tokensPerSecond?: number;
  /** Model id listed by /models and reported in chunks. Default `demo-model`. */
  model?: string;
}

export interface StartOptions {
  /** Default 0 (ephemeral). */
  port?: number;
  /** When set, chat completions with an empty queue stream a realistic markdown demo answer. */
  demo?: DemoOptions;
}

export interface TestServer {
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  /** `http://127.0.0.1:PORT/v1` */
  readonly baseUrl: string;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /** Ids listed by `GET /v1/models` (when no scenario is queued for it). Default `['test-model']`. */
  models: string[];
  /**
   * Extra fields of every `GET /v1/models` entry, e.g. `{ max_model_len: 512 }` (vLLM's context
   * window). Default none.
   */
  modelFields: Record<string, unknown>;
  /** Queue scenarios for the next `POST /v1/chat/completions` requests. */
  enqueue(...scenarios: Scenario[]): void;
  /** Queue scenarios for another route, e.g. `enqueueFor('GET', '/v1/models', …)` or a redirect target. */
  enqueueFor(method: string, path: string, ...scenarios: Scenario[]): void;
  /** Resolves once at least `count` requests have arrived; returns the list. */
  waitForRequests(count: number): Promise<RecordedRequest[]>;
  /** Forget queued scenarios and recorded requests, restore default models. */
  reset(): void;
  /** Stops listening and destroys open connections (stalled ones included). */
  close(): Promise<void>;
}
