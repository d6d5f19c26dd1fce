// Shared helpers for the client's unit tests: run a stream to its end, summarise its events,
// cut bytes into pieces and feed them through the client's own read loop, and a self-signed
// certificate for the TLS case.
import { ChatClient, ChatError, type StreamEvent, type StreamOptions, type Usage } from '../../src/api';
import type { FetchFunction } from '../../src/api/http';
import { seededRandom } from '../harness/random';

export interface StreamResult {
  events: StreamEvent[];
  /** The ChatError the stream ended with, if any. */
  error?: ChatError;
}

export { withTestServer } from '../server/mochaHooks';

/** Drains a stream; a ChatError ends it, anything else thrown is a test failure. */
export async function drain(stream: AsyncIterable<StreamEvent>): Promise<StreamResult> {
  const events: StreamEvent[] = [];
  try {
    for await (const event of stream) events.push(event);
  } catch (error) {
    if (error instanceof ChatError) return { events, error };
    throw error;
  }
  return { events };
}

export interface Summary {
  content: string;
  reasoning: string;
  finishReasons: string[];
  usage?: Usage;
  toolCalls: Extract<StreamEvent, { type: 'tool-call' }>[];
  movedToReasoning: string[];
  done: boolean;
  opens: number;
}

export function summarize(events: StreamEvent[]): Summary {
  const summary: Summary = {
    content: '',
    reasoning: '',
    finishReasons: [],
    toolCalls: [],
    movedToReasoning: [],
    done: false,
    opens: 0,
  };
  for (const event of events) {
    switch (event.type) {
      case 'content':
        summary.content += event.text;
        break;
      case 'reasoning':
        summary.reasoning += event.text;
        break;
      case 'content-was-reasoning':
        summary.movedToReasoning.push(event.text);
        break;
      case 'finish':
        summary.finishReasons.push(event.reason);
        break;
      case 'usage':
        summary.usage = event.usage;
        break;
      case 'tool-call':
        summary.toolCalls.push(event);
        break;
      case 'done':
        summary.done = true;
        break;
      case 'open':
        summary.opens++;
        break;
      case 'role':
        break;
    }
  }
  return summary;
}

export function bytesOf(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'utf8'));
}

/**
 * A `fetch` that answers 200 with a body whose reads are exactly the pieces of `source`, in order
 * (one read per piece, empty ones included): the client's production read loop sees the cuts.
 */
export function fetchReturning(source: AsyncIterable<Uint8Array>, contentType = 'text/event-stream'): FetchFunction {
  return () => {
    const iterator = source[Symbol.asyncIterator]();
    const body = new ReadableStream<Uint8Array>(
      {
        async pull(controller) {
          const read = await iterator.next();
          if (read.done) controller.close();
          else controller.enqueue(read.value);
        },
        async cancel() {
          await iterator.return?.();
        },
      },
      { highWaterMark: 0 },
    );
    return Promise.resolve(new Response(body, { status: 200, headers: { 'content-type': contentType } }));
  };
}

/** The stream-level options of the in-memory tests (no retries, no timers), and the key to send. */
export type InMemoryOptions = Pick<StreamOptions, 'splitThinkTags' | 'maxEventBytes'> & { apiKey?: string };

/**
 * Decodes bytes through the real client (request, read loop, decoder, event hand-out) with the
 * network replaced by `fetchReturning`. Requests go to `http://model.test/v1`. The leading `open`
 * event is left out: it is the transport's, asserted by the socket tests.
 */
export async function* decodeThroughClient(
  source: AsyncIterable<Uint8Array>,
  options: InMemoryOptions = {},
): AsyncGenerator<StreamEvent, void, undefined> {
  const { apiKey, ...streamOptions } = options;
  const client = new ChatClient({ fetch: fetchReturning(source) });
  const request = { model: 'test-model', messages: [{ role: 'user' as const, content: 'hi' }] };
  const endpoint = { baseUrl: 'http://model.test/v1', apiKey };
  for await (const event of client.streamChat(endpoint, request, {
    ...streamOptions,
    maxRetries: 0,
    idleTimeoutMs: 0,
  })) {
    if (event.type !== 'open') yield event;
  }
}

/** Yields the pieces as an async byte source. */
export async function* source(pieces: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const piece of pieces) yield piece;
}

/** Cuts `bytes` at the given offsets. */
export function cutAt(bytes: Uint8Array, ...offsets: number[]): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  let start = 0;
  for (const offset of offsets) {
    pieces.push(bytes.subarray(start, offset));
    start = offset;
  }
  pieces.push(bytes.subarray(start));
  return pieces;
}

export { seededRandom };

/** Random piece sizes between 1 and `maxPiece` bytes. */
export function randomChunking(bytes: Uint8Array, seed: number, maxPiece: number): Uint8Array[] {
  const random = seededRandom(seed);
  const pieces: Uint8Array[] = [];
  for (let start = 0; start < bytes.length;) {
    const size = 1 + Math.floor(random() * maxPiece);
    pieces.push(bytes.subarray(start, start + size));
    start += size;
  }
  return pieces;
}

/** A self-signed certificate for 127.0.0.1 (valid for 100 years), for the TLS failure case. */
export const selfSigned = {
  key: `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgtToUjV/+Xq1iharK
x2dpjs38KGqFXrgQ67ZbtvQEeEihRANCAAT7HQffF3q0v5uAN7Fd4O/smXV2jr3B
ml1VSuizzS+CHM4AgEDv9tbcaigVLrToHkSYIzYgDDgwnZqjbf0tnKRl
-----END PRIVATE KEY-----
`,
  cert: `-----BEGIN CERTIFICATE-----
MIIBkDCCATagAwIBAgIUPha29ii6zKc3phQ6R5zp0D0AIc8wCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJMTI3LjAuMC4xMCAXDTI2MTEyNTE3MDY0NVoYDzIxMjYxMTAx
MTcwNjQ1WjAUMRIwEAYDVQQDDAkxMjcuMC4wLjEwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAAT7HQffF3q0v5uAN7Fd4O/smXV2jr3Bml1VSuizzS+CHM4AgEDv9tbc
aigVLrToHkSYIzYgDDgwnZqjbf0tnKRlo2QwYjAdBgNVHQ4EFgQUgkW8ZGSus7P5
c8wd6M4NwZxpxz8wHwYDVR0jBBgwFoAUgkW8ZGSus7P5c8wd6M4NwZxpxz8wDwYD
VR0TAQH/BAUwAwEB/zAPBgNVHREECDAGhwR/AAABMAoGCCqGSM49BAMCA0gAMEUC
IAl/Zrn530PFvS+hBcHnRYnKfeSOhc7J2ntwP2AT0B9jAiEAsAJ+uTAQlpdHgUf5
Wple5NKkRnbMVlvtHYMpmUjoVNE=
-----END CERTIFICATE-----
`,
};

/** For the suite: `document` is this jsdom window's (the panel's DOM helpers use the global), restored after. */
export function withGlobalDocument(window: { document: Document }): void {
  let saved: unknown;
  before(() => {
    saved = (globalThis as { document?: unknown }).document;
    (globalThis as { document?: unknown }).document = window.document;
  });
  after(() => {
    (globalThis as { document?: unknown }).document = saved;
  });
}
