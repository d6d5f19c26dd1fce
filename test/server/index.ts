// A local OpenAI-compatible server for tests, benchmarks and `npm start`'s demo mode.
// Real HTTP on 127.0.0.1; what it answers is scripted per request (see ./types.ts).
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { demoAnswer } from './demo';
import { chunk, sse } from './fixtures';
import { countPromptTokens, countTokens } from './tokenCount';
import type { RecordedRequest, Scenario, StartOptions, StreamStep, TestServer } from './types';

export type { RecordedRequest, Scenario, StartOptions, StreamStep, TestServer } from './types';
export { chunk, fixtures, sse, type Fixture } from './fixtures';
export { countPromptTokens, countTokens } from './tokenCount';

const CHAT_ROUTE = 'POST /v1/chat/completions';
/** Pause after each dripped byte: long enough for the client to read it alone. */
const DRIP_DELAY_MS = 2;
const DEFAULT_MODELS = ['test-model'];

export async function startTestServer(options: StartOptions = {}): Promise<TestServer> {
  const queues = new Map<string, Scenario[]>();
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const requestWaiters: Array<{ count: number; resolve: (r: RecordedRequest[]) => void }> = [];
  const demoModel = options.demo?.model ?? 'demo-model';
  let models = options.demo ? [demoModel] : [...DEFAULT_MODELS];
  let modelFields: Record<string, unknown> = {};

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: unknown;
      try {
        json = body ? JSON.parse(body) : undefined;
      } catch {
        json = undefined;
      }
      let settle!: (outcome: 'finished' | 'aborted') => void;
      const outcome = new Promise<'finished' | 'aborted'>((resolve) => (settle = resolve));
      res.on('finish', () => settle('finished'));
      res.on('close', () => settle(res.writableFinished ? 'finished' : 'aborted'));
      const record: RecordedRequest = {
        index: requests.length + 1,
        receivedAt: performance.now(),
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: req.headers,
        body,
        json,
        outcome,
        bodyWrites: 0,
      };
      requests.push(record);
      for (const waiter of [...requestWaiters]) {
        if (requests.length >= waiter.count) {
          requestWaiters.splice(requestWaiters.indexOf(waiter), 1);
          waiter.resolve(requests.slice());
        }
      }
      const routeKey = `${record.method} ${(record.path.split('?')[0] ?? '').replace(/\/+$/, '')}`;
      const scenario = queues.get(routeKey)?.shift() ?? defaultScenario(routeKey, record);
      play(scenario, req, res, record).catch(() => res.destroy());
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  function defaultScenario(routeKey: string, record: RecordedRequest): Scenario {
    if (routeKey === 'GET /v1/models') {
      return {
        kind: 'respond',
        status: 200,
        body: {
          object: 'list',
          data: models.map((id) => ({ id, object: 'model', created: 0, owned_by: 'test-server', ...modelFields })),
        },
      };
    }
    if (routeKey === CHAT_ROUTE) {
      const request = (record.json ?? {}) as {
        model?: string;
        messages?: Array<{ content?: unknown }>;
        stream?: boolean;
        stream_options?: { include_usage?: unknown };
      };
      const model = request.model ?? demoModel;
      // Usage only when asked for (`stream_options.include_usage`), as OpenAI sends it.
      const promptTokens =
        request.stream_options?.include_usage === true ? countPromptTokens(request.messages) : undefined;
      if (options.demo) {
        const last = request.messages?.[request.messages.length - 1]?.content;
        return demoScenario(
          typeof last === 'string' ? last : '',
          model,
          options.demo.tokensPerSecond ?? 40,
          promptTokens,
        );
      }
      return helloScenario(model, promptTokens);
    }
    return {
      kind: 'respond',
      status: 404,
      body: { error: { message: `No route for ${routeKey}`, type: 'invalid_request_error', code: 'not_found' } },
    };
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;

  const enqueueFor = (method: string, path: string, ...scenarios: Scenario[]): void => {
    const key = `${method.toUpperCase()} ${path.replace(/\/+$/, '')}`;
    const queue = queues.get(key) ?? [];
    queue.push(...scenarios);
    queues.set(key, queue);
  };

  return {
    origin,
    baseUrl: `${origin}/v1`,
    requests,
    get models() {
      return models;
    },
    set models(ids: string[]) {
      models = ids;
    },
    get modelFields() {
      return modelFields;
    },
    set modelFields(fields: Record<string, unknown>) {
      modelFields = fields;
    },
    enqueue(...scenarios: Scenario[]) {
      enqueueFor('POST', '/v1/chat/completions', ...scenarios);
    },
    enqueueFor,
    waitForRequests(count: number) {
      if (requests.length >= count) return Promise.resolve(requests.slice());
      return new Promise((resolve) => requestWaiters.push({ count, resolve }));
    },
    reset() {
      queues.clear();
      requests.length = 0;
      models = options.demo ? [demoModel] : [...DEFAULT_MODELS];
      modelFields = {};
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
    },
  };
}

/** The answer when nothing is queued: a short, well-formed stream, with a usage chunk when asked for. */
function helloScenario(model: string, promptTokens: number | undefined): Scenario {
  const pieces = ['Hello', ' from the test server.'];
  const steps: StreamStep[] = [sse.data(chunk({ role: 'assistant', content: '' }, { model }))];
  for (const piece of pieces) steps.push(sse.data(chunk({ content: piece }, { model })));
  steps.push(sse.data(chunk({}, { model, finishReason: 'stop' })));
  if (promptTokens !== undefined) steps.push(usageStep(model, promptTokens, pieces));
  steps.push(sse.done());
  return { kind: 'stream', steps };
}

/** The usage chunk: the prompt's count, and the answer's counted as the prompt's text is. */
function usageStep(model: string, promptTokens: number, answer: readonly string[]): StreamStep {
  const completionTokens = countTokens(answer.join(''));
  return sse.data(
    chunk(null, {
      model,
      choices: [],
      usage: {
        prompt_tokens: promptTokens,
        completion_tokens: completionTokens,
        total_tokens: promptTokens + completionTokens,
      },
    }),
  );
}

function demoScenario(
  question: string,
  model: string,
  tokensPerSecond: number,
  promptTokens: number | undefined,
): Scenario {
  const tokens = demoAnswer(question);
  const wait = tokensPerSecond > 0 ? 1000 / tokensPerSecond : 0;
  const steps: StreamStep[] = [sse.data(chunk({ role: 'assistant', content: '' }, { model }))];
  for (const token of tokens) {
    if (wait) steps.push({ wait });
    steps.push(sse.data(chunk({ content: token }, { model })));
  }
  steps.push(sse.data(chunk({}, { model, finishReason: 'stop' })));
  if (promptTokens !== undefined) steps.push(usageStep(model, promptTokens, tokens));
  steps.push(sse.done());
  return { kind: 'stream', steps };
}

function toBytes(step: string | Uint8Array): Uint8Array {
  return typeof step === 'string' ? Buffer.from(step, 'utf8') : step;
}

/** Resolves after `ms`, or at once when the response is gone (so stalled plays end with the connection). */
function pause(ms: number, res: http.ServerResponse): Promise<void> {
  if (ms <= 0) return new Promise((resolve) => setImmediate(resolve));
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    res.once('close', done);
    function done() {
      clearTimeout(timer);
      res.off('close', done);
      resolve();
    }
  });
}

/** Writes `bytes`, waiting for drain when the socket buffer is full (a slow or paused reader). */
function write(res: http.ServerResponse, bytes: Uint8Array): Promise<void> {
  if (res.write(bytes)) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
  });
}

/** Writes `bytes` and resolves once the socket has taken them, so a pause after it keeps the next write apart. */
function writeFlushed(res: http.ServerResponse, bytes: Uint8Array): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('close', done);
      resolve();
    };
    res.once('close', done);
    res.write(bytes, done);
  });
}

/** Writes `bytes` one at a time, each handed to the socket before a pause of `delayMs`. */
async function drip(res: http.ServerResponse, bytes: Uint8Array, delayMs: number, record: RecordedRequest) {
  for (let offset = 0; offset < bytes.length; offset++) {
    if (res.destroyed) return;
    if (offset > 0) await pause(delayMs, res);
    record.bodyWrites++;
    await writeFlushed(res, bytes.subarray(offset, offset + 1));
  }
}

/** What a `decide` scenario chose, or a 500 that carries why it could not choose. */
async function decided(
  decide: (request: RecordedRequest) => Scenario | Promise<Scenario>,
  record: RecordedRequest,
): Promise<Scenario> {
  try {
    return await decide(record);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const message = `test server: the scenario's decide failed: ${reason}`;
    return { kind: 'respond', status: 500, body: { error: { message, type: 'server_error', code: 'decide_failed' } } };
  }
}

async function play(
  scenario: Scenario,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  record: RecordedRequest,
): Promise<void> {
  switch (scenario.kind) {
    case 'decide':
      return play(await decided(scenario.decide, record), req, res, record);
    case 'reset':
      req.socket.destroy();
      return;
    case 'stall':
      return; // the socket stays open until the client or close() ends it
    case 'redirect':
      res.writeHead(scenario.status, { location: scenario.location, 'content-length': '0' });
      res.end();
      return;
    case 'respond': {
      const isText = typeof scenario.body === 'string';
      const payload = isText ? (scenario.body as string) : JSON.stringify(scenario.body);
      res.writeHead(scenario.status, {
        'content-type': isText ? 'text/plain; charset=utf-8' : 'application/json',
        'content-length': String(Buffer.byteLength(payload)),
        ...scenario.headers,
      });
      res.end(payload);
      return;
    }
    case 'stream': {
      res.socket?.setNoDelay(true);
      res.writeHead(scenario.status ?? 200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
        ...scenario.headers,
      });
      res.flushHeaders();
      const slice = scenario.chunkSize ?? 0;
      const delay = scenario.chunkDelayMs ?? 0;
      let first = true;
      for (const step of scenario.steps) {
        if (res.destroyed) return;
        if (typeof step === 'object' && !(step instanceof Uint8Array)) {
          if ('drip' in step) await drip(res, toBytes(step.drip), step.delayMs ?? DRIP_DELAY_MS, record);
          else await pause(step.wait, res);
          continue;
        }
        const bytes = toBytes(step);
        if (slice <= 0) {
          record.bodyWrites++;
          await write(res, bytes);
          continue;
        }
        for (let offset = 0; offset < bytes.length; offset += slice) {
          if (res.destroyed) return;
          if (!first && delay > 0) await pause(delay, res);
          first = false;
          record.bodyWrites++;
          await write(res, bytes.subarray(offset, offset + slice));
        }
      }
      if (scenario.end === 'reset') {
        // Let the written bytes reach the client before the reset, so "partial output then reset" is what it sees.
        await pause(20, res);
        if (res.socket) res.socket.resetAndDestroy();
        else res.destroy();
      } else if (scenario.end !== 'stall') {
        res.end();
      }
      return;
    }
  }
}
