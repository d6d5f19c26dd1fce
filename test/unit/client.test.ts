// The client against the real local test server: HTTP-level errors (cases 1–9), stream faults
// over a socket (10–15, 22–24, 30), abort, redirects, listModels.
import * as assert from 'node:assert/strict';
import * as https from 'node:https';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { ChatClient, type ChatRequest, type Endpoint, type RetryInfo, type StreamOptions } from '../../src/api';
import { chunk, fixtures, sse, startTestServer, type RecordedRequest, type TestServer } from '../server';
import { bytesOf, drain, fetchReturning, selfSigned, source, summarize, withTestServer } from './helpers';

const KEY = 'sk-test-SECRET-0123456789';
const request: ChatRequest = { model: 'test-model', messages: [{ role: 'user', content: 'hi' }] };
const role = sse.data(chunk({ role: 'assistant', content: '' }));
const hello = sse.data(chunk({ content: 'Hello' }));
const world = sse.data(chunk({ content: ' world' }));
const stop = sse.data(chunk({}, { finishReason: 'stop' }));
const okStream = { kind: 'stream' as const, steps: [role, hello, world, stop, sse.done()] };

/** Fast defaults for tests: tiny retry waits, short idle timeout. */
const fast: StreamOptions = { maxRetryDelayMs: 5, idleTimeoutMs: 2000 };

function assertNoKey(value: unknown): void {
  const text = JSON.stringify(value, (_key, v: unknown) =>
    v instanceof Error ? { ...v, message: v.message, cause: v.cause } : v,
  );
  assert.ok(!text.includes(KEY), `the API key leaked: ${text}`);
}

describe('ChatClient against the test server', function () {
  let server: TestServer;
  let endpoint: Endpoint;
  let client: ChatClient;

  withTestServer((started) => (server = started));
  beforeEach(() => {
    endpoint = { baseUrl: server.baseUrl, apiKey: KEY };
    client = new ChatClient();
  });

  function stream(options: StreamOptions = {}, req: ChatRequest = request, ep: Endpoint = endpoint) {
    return drain(client.streamChat(ep, req, { ...fast, ...options }));
  }

  function chatRequests(): RecordedRequest[] {
    return server.requests.filter((r) => r.path.endsWith('/chat/completions'));
  }

  it('sends POST, a bearer key, a JSON body with stream and stream_options; decodes the default stream', async () => {
    const { events, error } = await stream(
      {},
      { ...request, temperature: 0.2, maxTokens: 100 },
      { ...endpoint, headers: { 'HTTP-Referer': 'https://example.test' } },
    );
    assert.equal(error, undefined);
    const summary = summarize(events);
    assert.equal(summary.content, 'Hello from the test server.');
    // The test server counts "hi" as 1 token, 3 around the message and 3 for the reply; the answer 6.
    assert.deepEqual(summary.usage, { promptTokens: 7, completionTokens: 6, totalTokens: 13 });
    assert.ok(summary.done);
    assert.deepEqual(events[0], { type: 'open', status: 200, attempt: 1 });
    const [sent] = server.requests;
    assert.equal(sent.method, 'POST');
    assert.equal(sent.path, '/v1/chat/completions');
    assert.equal(sent.headers.authorization, `Bearer ${KEY}`);
    assert.equal(sent.headers['http-referer'], 'https://example.test');
    assert.deepEqual(sent.json, {
      ...request,
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0.2,
      max_tokens: 100,
    });
  });

  it('sends no max_tokens or temperature unless asked, and no Authorization without a key', async () => {
    await stream({}, request, { baseUrl: `${server.baseUrl}/` });
    const [sent] = server.requests;
    assert.equal(sent.headers.authorization, undefined);
    assert.deepEqual(Object.keys(sent.json as object).sort(), ['messages', 'model', 'stream', 'stream_options']);
  });

  it('an invalid base URL fails with a typed error, before any request', async () => {
    const a = await stream({}, request, { baseUrl: 'localhost:8000/v1', apiKey: KEY });
    assert.equal(a.error?.kind, 'network');
    assert.match(a.error?.message ?? '', /only http:\/\/ and https:\/\/|Invalid base URL/);
    const b = await stream({}, request, { baseUrl: 'not a url', apiKey: KEY });
    assert.match(b.error?.message ?? '', /Invalid base URL "not a url"/);
    assert.equal(server.requests.length, 0);
  });

  describe('HTTP-level errors before any token', () => {
    for (const status of [401, 403]) {
      it(`case 1: ${status} → auth error naming the origin, no retry, key never in the error`, async () => {
        server.enqueue({
          kind: 'respond',
          status,
          body: {
            error: {
              message: `Incorrect API key provided: ${KEY}`,
              type: 'invalid_request_error',
              code: 'invalid_api_key',
            },
          },
        });
        const { error } = await stream();
        assert.equal(error?.kind, 'auth');
        assert.equal(error?.status, status);
        assert.equal(error?.message, `API key rejected by ${server.origin} (HTTP ${status}).`);
        assert.equal(chatRequests().length, 1);
        assertNoKey(error);
        assert.ok(error?.serverMessage?.includes('•••'));
      });
    }

    it('case 1: without a key the message says one is needed', async () => {
      server.enqueue({ kind: 'respond', status: 401, body: { error: { message: 'Unauthorized' } } });
      const { error } = await stream({}, request, { baseUrl: server.baseUrl });
      assert.equal(error?.kind, 'auth');
      assert.match(error?.message ?? '', /requires an API key/);
    });

    const notFoundShapes: Array<[string, object]> = [
      [
        'OpenAI shape',
        {
          error: {
            message: 'The model `gpt-9` does not exist or you do not have access to it.',
            type: 'invalid_request_error',
            param: null,
            code: 'model_not_found',
          },
        },
      ],
      [
        'vLLM shape',
        {
          object: 'error',
          message: 'The model `gpt-9` does not exist.',
          type: 'NotFoundError',
          param: null,
          code: 404,
        },
      ],
      ['Ollama shape', { error: 'model "gpt-9" not found, try pulling it first' }],
    ];
    for (const [shape, body] of notFoundShapes) {
      it(`case 2: 404 model not found, ${shape} → names the model and lists what GET /models offers`, async () => {
        server.models = ['llama-3', 'qwen-3'];
        server.enqueue({ kind: 'respond', status: 404, body });
        const { error } = await stream({}, { ...request, model: 'gpt-9' });
        assert.equal(error?.kind, 'model-not-found');
        assert.match(error?.message ?? '', /"gpt-9"/);
        assert.match(error?.message ?? '', /llama-3, qwen-3/);
        assert.deepEqual(error?.availableModels, ['llama-3', 'qwen-3']);
        assert.equal(chatRequests().length, 1);
        const models = server.requests.find((r) => r.path === '/v1/models');
        assert.equal(models?.headers.authorization, `Bearer ${KEY}`);
      });
    }

    it('case 2: model not found even when /models fails; a 404 without a model is a base-URL problem', async () => {
      server.enqueue({ kind: 'respond', status: 404, body: { error: 'model "gpt-9" not found' } });
      server.enqueueFor('GET', '/v1/models', { kind: 'respond', status: 500, body: 'boom' });
      const a = await stream({}, { ...request, model: 'gpt-9' });
      assert.equal(a.error?.kind, 'model-not-found');
      assert.equal(a.error?.availableModels, undefined);

      server.enqueue({ kind: 'respond', status: 404, body: { detail: 'Not Found' } });
      const b = await stream();
      assert.equal(b.error?.kind, 'not-found');
      assert.match(b.error?.message ?? '', /does it end in \/v1\?/);
    });

    it('case 2/15: an abort during the /models lookup after a 404 → aborted, and that request closed too', async () => {
      server.enqueue({ kind: 'respond', status: 404, body: { error: 'model "gpt-9" not found' } });
      server.enqueueFor('GET', '/v1/models', { kind: 'stall' });
      const controller = new AbortController();
      const pending = stream({ signal: controller.signal }, { ...request, model: 'gpt-9' });
      await server.waitForRequests(2);
      controller.abort();
      const { error } = await pending;
      assert.equal(error?.kind, 'aborted');
      assert.equal(server.requests[1].path, '/v1/models');
      assert.equal(await server.requests[1].outcome, 'aborted');
    });

    const contextShapes: Array<[string, object]> = [
      [
        'code context_length_exceeded',
        {
          error: {
            message: 'This request exceeds the limit.',
            type: 'invalid_request_error',
            param: 'messages',
            code: 'context_length_exceeded',
          },
        },
      ],
      [
        "vLLM's message-only form",
        {
          object: 'error',
          message:
            "This model's maximum context length is 4096 tokens. However, you requested 5000 tokens in the messages.",
          type: 'BadRequestError',
          param: null,
          code: 400,
        },
      ],
      [
        'llama.cpp server',
        {
          error: {
            code: 400,
            message: 'the request exceeds the available context size, try increasing it',
            type: 'exceed_context_size_error',
            n_prompt_tokens: 5000,
            n_ctx: 4096,
          },
        },
      ],
    ];
    for (const [shape, body] of contextShapes) {
      it(`case 3: 400 context length (${shape}) → context-length, no retry`, async () => {
        server.enqueue({ kind: 'respond', status: 400, body });
        const { error } = await stream();
        assert.equal(error?.kind, 'context-length');
        assert.match(error?.message ?? '', /too long for model "test-model"/);
        assert.equal(chatRequests().length, 1);
      });
    }

    it('case 4: 429 + Retry-After (s, then ms) under the cap: waits as asked (server-timed), succeeds', async () => {
      const limited = {
        kind: 'respond' as const,
        status: 429,
        body: { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } },
      };
      server.enqueue(
        { ...limited, headers: { 'retry-after': '1' } },
        { ...limited, headers: { 'retry-after-ms': '150', 'retry-after': '60' } },
        okStream,
      );
      const retries: RetryInfo[] = [];
      const { events, error } = await stream({
        maxRetries: 3,
        maxRetryDelayMs: 5000,
        onRetry: (info) => retries.push(info),
      });
      assert.equal(error, undefined);
      assert.equal(summarize(events).content, 'Hello world');
      assert.deepEqual(
        retries.map((r) => [r.attempt, r.error.kind, r.delayMs]),
        [
          [2, 'rate-limit', 1000],
          [3, 'rate-limit', 150],
        ],
        'Retry-After seconds read, then retry-after-ms preferred over Retry-After',
      );
      const [first, second, third] = chatRequests();
      // Timers never fire early; a few ms of slack covers clock granularity only.
      assert.ok(
        second.receivedAt - first.receivedAt >= 995,
        `retried after ${Math.round(second.receivedAt - first.receivedAt)} ms, asked 1000`,
      );
      assert.ok(
        third.receivedAt - second.receivedAt >= 145,
        `retried after ${Math.round(third.receivedAt - second.receivedAt)} ms, asked 150`,
      );
      assert.deepEqual(events[0], { type: 'open', status: 200, attempt: 3 });
    });

    it('case 4: Retry-After past the cap fails at once: rate-limit, says when to retry (429, HTTP date)', async () => {
      const inFiveSeconds = new Date(Date.now() + 5000).toUTCString();
      server.enqueue(
        {
          kind: 'respond',
          status: 429,
          body: { error: { message: 'slow down' } },
          headers: { 'retry-after': inFiveSeconds },
        },
        okStream,
      );
      const retries: RetryInfo[] = [];
      const { error } = await stream({ maxRetryDelayMs: 40, onRetry: (info) => retries.push(info) });
      assert.equal(error?.kind, 'rate-limit');
      const asked = error?.retryAfterMs ?? 0;
      assert.ok(asked > 2000 && asked <= 5000, `HTTP date read as ${asked} ms`);
      assert.match(
        error?.message ?? '',
        new RegExp(`^${server.origin} asks to wait \\d s before the next request — try again after \\d`),
      );
      assert.match(error?.message ?? '', /slow down/);
      assert.equal(retries.length, 0, 'no retry spent against a server that said no');
      assert.equal(chatRequests().length, 1);
    });

    it('case 5: a 503 whose Retry-After exceeds the cap is a rate-limit error, not a silent 30 s wait', async () => {
      server.enqueue(
        {
          kind: 'respond',
          status: 503,
          body: { error: { message: 'maintenance' } },
          headers: { 'retry-after': '120' },
        },
        okStream,
      );
      const { error } = await stream({ maxRetryDelayMs: 30_000 });
      assert.equal(error?.kind, 'rate-limit');
      assert.equal(error?.status, 503);
      assert.equal(error?.retryAfterMs, 120_000);
      assert.match(error?.message ?? '', /asks to wait 2 min before the next request — try again after/);
      assert.equal(chatRequests().length, 1);
    });

    for (const when of ['as it begins', 'while it runs'] as const) {
      it(`case 4: the wait is cancellable by the signal (abort ${when})`, async () => {
        server.enqueue({
          kind: 'respond',
          status: 429,
          body: { error: { message: 'slow down' } },
          headers: { 'retry-after': '60' },
        });
        const controller = new AbortController();
        // onRetry runs just before the wait starts; a microtask later the wait is running (a 60 s wait
        // would time the test out).
        const onRetry =
          when === 'as it begins' ? () => controller.abort() : () => queueMicrotask(() => controller.abort());
        const { error } = await stream({ signal: controller.signal, maxRetryDelayMs: 60_000, onRetry });
        assert.equal(error?.kind, 'aborted');
        assert.equal(chatRequests().length, 1);
      });
    }

    it('case 4: 429 retries are bounded; the last error says rate limited', async () => {
      const limited = { kind: 'respond' as const, status: 429, body: { error: { message: 'slow down' } } };
      server.enqueue(limited, limited, limited, okStream);
      const { error } = await stream({ maxRetries: 2 });
      assert.equal(error?.kind, 'rate-limit');
      assert.match(error?.message ?? '', new RegExp(`Rate limited by ${server.origin}`));
      assert.equal(chatRequests().length, 3);
    });

    it('case 4: 429 insufficient_quota is never retried', async () => {
      server.enqueue(
        {
          kind: 'respond',
          status: 429,
          body: {
            error: {
              message: 'You exceeded your current quota',
              type: 'insufficient_quota',
              code: 'insufficient_quota',
            },
          },
        },
        okStream,
      );
      const retries: RetryInfo[] = [];
      const { error } = await stream({ onRetry: (info) => retries.push(info) });
      assert.equal(error?.kind, 'quota');
      assert.equal(retries.length, 0);
      assert.equal(chatRequests().length, 1);
    });

    it('case 5: 500/502/503 before the first token are retried with backoff, then the stream succeeds', async () => {
      server.enqueue(
        { kind: 'respond', status: 500, body: { error: { message: 'internal' } } },
        {
          kind: 'respond',
          status: 502,
          body: '<html><head><title>502 Bad Gateway</title></head></html>',
          headers: { 'content-type': 'text/html' },
        },
        {
          kind: 'respond',
          status: 503,
          body: { error: { message: 'overloaded' } },
          headers: { 'retry-after-ms': '4' },
        },
        okStream,
      );
      const retries: RetryInfo[] = [];
      const { events, error } = await stream({ maxRetries: 3, onRetry: (info) => retries.push(info) });
      assert.equal(error, undefined);
      assert.equal(summarize(events).content, 'Hello world');
      assert.deepEqual(
        retries.map((r) => r.error.status),
        [500, 502, 503],
      );
      assert.ok(retries.every((r) => r.delayMs >= 0 && r.delayMs <= 5));
      assert.equal(retries[2].error.retryAfterMs, 4, "a 503's Retry-After is read too");
      assert.equal(retries[2].delayMs, 4, 'and honoured');
      assert.deepEqual(
        events.filter((e) => e.type === 'open'),
        [{ type: 'open', status: 200, attempt: 4 }],
      );
    });

    it('case 5: a throwing onRetry changes nothing: the retry still happens and only ChatErrors come out', async () => {
      server.enqueue({ kind: 'respond', status: 503, body: { error: { message: 'overloaded' } } }, okStream);
      const { events, error } = await stream({
        onRetry: () => {
          throw new Error('broken progress callback');
        },
      });
      assert.equal(error, undefined);
      assert.equal(summarize(events).content, 'Hello world');
    });

    it('case 5: when retries run out the server error is reported with its status', async () => {
      const unavailable = {
        kind: 'respond' as const,
        status: 503,
        body: { error: { message: 'Service Unavailable' } },
      };
      server.enqueue(unavailable, unavailable);
      const { error } = await stream({ maxRetries: 1 });
      assert.equal(error?.kind, 'server');
      assert.equal(error?.status, 503);
      assert.match(error?.message ?? '', /HTTP 503: Service Unavailable/);
      assert.equal(chatRequests().length, 2);
    });

    it('case 5: a reset before any output is retried, not one after partial output (no duplicated text)', async () => {
      server.enqueue({ kind: 'reset' }, { kind: 'stream', steps: [role], end: 'reset' }, okStream);
      const a = await stream();
      assert.equal(a.error, undefined);
      assert.equal(summarize(a.events).content, 'Hello world');
      assert.equal(chatRequests().length, 3);

      server.reset();
      server.enqueue({ kind: 'stream', steps: [role, hello], end: 'reset' }, okStream);
      const b = await stream();
      assert.equal(summarize(b.events).content, 'Hello');
      assert.equal(b.error?.kind, 'interrupted');
      assert.equal(b.error?.afterOutput, true);
      assert.equal(chatRequests().length, 1);
    });

    it('case 6: connection refused → names the host, no waiting', async () => {
      const port = await new Promise<number>((resolve) => {
        const probe = net.createServer().listen(0, '127.0.0.1', () => {
          const { port: free } = probe.address() as AddressInfo;
          probe.close(() => resolve(free));
        });
      });
      const retries: RetryInfo[] = [];
      const { error } = await stream({ onRetry: (info) => retries.push(info) }, request, {
        baseUrl: `http://127.0.0.1:${port}/v1`,
        apiKey: KEY,
      });
      assert.equal(error?.kind, 'network');
      assert.equal(
        error?.message,
        `Could not connect to 127.0.0.1:${port}: connection refused. Is the server running?`,
      );
      assert.equal(retries.length, 0);
    });

    it('case 6: DNS failure → names the host', async () => {
      const { error } = await stream({ connectTimeoutMs: 5000 }, request, {
        baseUrl: 'http://no-such-host.invalid/v1',
        apiKey: KEY,
      });
      assert.ok(error?.kind === 'network' || error?.kind === 'timeout', `kind ${error?.kind}`);
      assert.match(error?.message ?? '', /no-such-host\.invalid/);
      assertNoKey(error);
    });

    it('case 6: TLS failure (self-signed certificate) → names the host and the reason', async () => {
      const tls = https.createServer({ key: selfSigned.key, cert: selfSigned.cert }, (_req, res) => res.end('{}'));
      await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
      try {
        const { port } = tls.address() as AddressInfo;
        const { error } = await stream({}, request, { baseUrl: `https://127.0.0.1:${port}/v1`, apiKey: KEY });
        assert.equal(error?.kind, 'network');
        assert.equal(
          error?.message,
          `TLS connection to 127.0.0.1:${port} failed (self-signed certificate). ` +
            "The server's certificate is not trusted.",
        );
      } finally {
        tls.closeAllConnections();
        await new Promise((resolve) => tls.close(resolve));
      }
    });

    it('case 6: no headers within connectTimeoutMs → timeout naming the host; the request is abandoned', async () => {
      server.enqueue({ kind: 'stall' });
      const { error } = await stream({ connectTimeoutMs: 150 });
      assert.equal(error?.kind, 'timeout');
      assert.match(error?.message ?? '', /No response from 127\.0\.0\.1:\d+ within 150 ms/);
      assert.equal(await server.requests[0].outcome, 'aborted');
    });

    it('case 7: HTML (200) → not-event-stream, check the base URL, truncated excerpt escaped on display', async () => {
      const page =
        '<!DOCTYPE html><html><head><title>My App</title></head>' +
        `<body>${'<p>filler</p>'.repeat(2000)}</body></html>`;
      server.enqueue({
        kind: 'respond',
        status: 200,
        body: page,
        headers: { 'content-type': 'text/html; charset=utf-8' },
      });
      const { events, error } = await stream();
      assert.equal(events.length, 0);
      assert.equal(error?.kind, 'not-event-stream');
      assert.equal(
        error?.message,
        `${server.origin} answered with an HTML page, not an event stream — check the base URL (does it end in /v1?)`,
      );
      assert.ok(error?.excerpt?.startsWith('<!DOCTYPE html><html><head><title>My App</title>'));
      assert.ok((error?.excerpt?.length ?? Infinity) < 400);
      assert.equal(chatRequests().length, 1);
    });

    it('case 7: any other non-event-stream body (text/plain) → not-event-stream', async () => {
      server.enqueue({ kind: 'respond', status: 200, body: 'It works!' });
      const { error } = await stream();
      assert.equal(error?.kind, 'not-event-stream');
      assert.equal(error?.excerpt, 'It works!');
    });

    it('case 7: an event stream mislabelled text/plain is still decoded', async () => {
      server.enqueue({ ...okStream, headers: { 'content-type': 'text/plain' } });
      const { events, error } = await stream();
      assert.equal(error, undefined);
      assert.equal(summarize(events).content, 'Hello world');
    });

    it('case 7: a body without a content type that breaks before its first byte is retried, like a reset', async () => {
      // In memory, so the break is certain to come after the headers, while the client sniffs the body.
      const answer = bytesOf([role, hello, world, stop, sse.done()].join(''));
      const broken = new ReadableStream<Uint8Array>({ pull: (controller) => controller.error(new TypeError('lost')) });
      let calls = 0;
      const client = new ChatClient({
        fetch: (url, init) =>
          ++calls === 1
            ? Promise.resolve(new Response(broken, { status: 200 }))
            : fetchReturning(source([answer]))(url, init),
      });
      const { events, error } = await drain(client.streamChat({ baseUrl: 'http://model.test/v1' }, request, fast));
      assert.equal(error, undefined);
      assert.equal(summarize(events).content, 'Hello world');
      assert.equal(calls, 2);
      assert.deepEqual(
        events.filter((e) => e.type === 'open'),
        [{ type: 'open', status: 200, attempt: 2 }],
      );
    });

    it('case 8: a plain JSON completion despite stream: true → one complete reply', async () => {
      server.enqueue({
        kind: 'respond',
        status: 200,
        body: {
          id: 'chatcmpl-1',
          object: 'chat.completion',
          created: 1,
          model: 'test-model',
          choices: [
            {
              index: 0,
              message: { role: 'assistant', content: 'The whole answer.', reasoning_content: 'Short.' },
              finish_reason: 'stop',
            },
          ],
          usage: { prompt_tokens: 1, completion_tokens: 3, total_tokens: 4 },
        },
      });
      const { events, error } = await stream();
      assert.equal(error, undefined);
      assert.deepEqual(events, [
        { type: 'open', status: 200, attempt: 1 },
        { type: 'model', model: 'test-model' },
        { type: 'role', role: 'assistant' },
        { type: 'reasoning', text: 'Short.', source: 'reasoning_content' },
        { type: 'content', text: 'The whole answer.' },
        { type: 'finish', reason: 'stop' },
        { type: 'usage', usage: { promptTokens: 1, completionTokens: 3, totalTokens: 4 } },
        { type: 'done' },
      ]);
    });

    it('case 8/15: stopping while a plain JSON reply is handed out ends with aborted, like a stream', async () => {
      server.enqueue({
        kind: 'respond',
        status: 200,
        body: {
          object: 'chat.completion',
          choices: [{ index: 0, message: { role: 'assistant', content: 'The whole answer.' }, finish_reason: 'stop' }],
        },
      });
      const controller = new AbortController();
      const types: string[] = [];
      let caught: unknown;
      try {
        for await (const event of client.streamChat(endpoint, request, { ...fast, signal: controller.signal })) {
          types.push(event.type);
          if (event.type === 'role') controller.abort();
        }
      } catch (error) {
        caught = error;
      }
      assert.deepEqual(types, ['open', 'role']);
      assert.equal((caught as { kind?: string }).kind, 'aborted');
    });

    it('case 9: a 400 naming stream_options → retried once without it, and remembered for that base URL', async () => {
      const rejection = {
        kind: 'respond' as const,
        status: 400,
        body: {
          object: 'error',
          message:
            "[{'type': 'extra_forbidden', 'loc': ('body', 'stream_options'), 'msg': 'Extra inputs are not permitted'}]",
          code: 400,
        },
      };
      server.enqueue(rejection);
      const first = await stream();
      assert.equal(first.error, undefined);
      assert.equal(summarize(first.events).content, 'Hello from the test server.');
      const [a, b] = chatRequests();
      assert.ok('stream_options' in (a.json as object));
      assert.ok(!('stream_options' in (b.json as object)));

      await stream({}, request, { ...endpoint, baseUrl: `${server.baseUrl}/` });
      assert.equal(chatRequests().length, 3);
      assert.ok(
        !('stream_options' in (chatRequests()[2].json as object)),
        'remembered (trailing slash is the same endpoint)',
      );

      await drain(new ChatClient().streamChat(endpoint, request, fast));
      assert.ok('stream_options' in (chatRequests()[3].json as object), 'memory is per ChatClient instance');
    });

    it('case 9: a FastAPI-style 422 naming stream_options is handled the same way', async () => {
      server.enqueue({
        kind: 'respond',
        status: 422,
        body: {
          detail: [{ loc: ['body', 'stream_options'], msg: 'extra fields not permitted', type: 'value_error.extra' }],
        },
      });
      const { events, error } = await stream();
      assert.equal(error, undefined);
      assert.equal(summarize(events).content, 'Hello from the test server.');
      assert.ok(!('stream_options' in (chatRequests()[1].json as object)));
    });

    it('case 9: an unrelated 400 is not retried', async () => {
      server.enqueue({
        kind: 'respond',
        status: 400,
        body: { error: { message: 'temperature must be <= 2', type: 'invalid_request_error' } },
      });
      const { error } = await stream();
      assert.equal(error?.kind, 'bad-request');
      assert.match(error?.message ?? '', /temperature must be <= 2/);
      assert.equal(chatRequests().length, 1);
    });
  });

  describe('stream-level faults over a real socket', () => {
    it('case 10: connection reset mid-stream → interrupted, text kept, afterOutput', async () => {
      server.enqueue({ kind: 'stream', steps: [role, hello, world], end: 'reset' });
      const { events, error } = await stream();
      assert.equal(summarize(events).content, 'Hello world');
      assert.equal(error?.kind, 'interrupted');
      assert.equal(error?.afterOutput, true);
      assert.match(error?.message ?? '', /lost mid-answer/);
    });

    it('case 11: a stall after headers → idle timeout; a stall mid-stream → timeout with the text kept', async () => {
      server.enqueue({ kind: 'stream', steps: [], end: 'stall' });
      const a = await stream({ idleTimeoutMs: 150 });
      assert.equal(a.error?.kind, 'timeout');
      assert.match(a.error?.message ?? '', /sent nothing for 150 ms/);
      assert.equal(await server.requests[0].outcome, 'aborted');

      server.enqueue({ kind: 'stream', steps: [role, hello], end: 'stall' });
      const b = await stream({ idleTimeoutMs: 150 });
      assert.equal(summarize(b.events).content, 'Hello');
      assert.equal(b.error?.kind, 'timeout');
      assert.equal(b.error?.afterOutput, true);
      assert.equal(await server.requests[1].outcome, 'aborted');
    });

    it('case 11: an idle timeout shorter than the connect timeout fires on time (one timer serves both)', async () => {
      server.enqueue({ kind: 'stream', steps: [role, hello], end: 'stall' });
      // A late timer would only fire after the 10 minutes allowed for headers: the test would time out.
      const { events, error } = await stream({ connectTimeoutMs: 600_000, idleTimeoutMs: 100 });
      assert.equal(summarize(events).content, 'Hello');
      assert.equal(error?.kind, 'timeout');
      assert.match(error?.message ?? '', /sent nothing for 100 ms/);
    });

    it('case 11: idleTimeoutMs 0 means no idle timeout, even after a connect timeout armed the timer', async () => {
      server.enqueue({ kind: 'stream', steps: [role, hello, { wait: 150 }, world, stop, sse.done()] });
      const { events, error } = await stream({ connectTimeoutMs: 50, idleTimeoutMs: 0 });
      assert.equal(error, undefined);
      assert.equal(summarize(events).content, 'Hello world');
    });

    it('case 11: no total-duration cap: a slow stream longer than the idle timeout completes', async () => {
      const steps = [role];
      for (let i = 0; i < 8; i++) steps.push(sse.data(chunk({ content: `${i}` })));
      steps.push(stop, sse.done());
      server.enqueue({ kind: 'stream', steps, chunkSize: 64, chunkDelayMs: 15 });
      const { events, error } = await stream({ idleTimeoutMs: 400 });
      assert.equal(error, undefined);
      assert.equal(summarize(events).content, '01234567');
    });

    it('case 11: a slow consumer is not an idle server: pauses between pulls never trip the idle timer', async () => {
      server.enqueue({ kind: 'stream', steps: [role, hello, { wait: 20 }, world, stop, sse.done()] });
      const texts: string[] = [];
      for await (const event of client.streamChat(endpoint, request, { ...fast, idleTimeoutMs: 150 })) {
        if (event.type !== 'content') continue;
        texts.push(event.text);
        // Simulates a consumer busy rendering for longer than the idle timeout (not a synchronisation wait).
        if (texts.length === 1) await new Promise((resolve) => setTimeout(resolve, 300));
      }
      assert.deepEqual(texts, ['Hello', ' world']);
    });

    it('case 12: keep-alive comments reset the idle timer', async () => {
      const steps: Array<string | { wait: number }> = [role];
      for (let i = 0; i < 12; i++) steps.push({ wait: 40 }, sse.comment());
      steps.push(hello, stop, sse.done());
      server.enqueue({ kind: 'stream', steps });
      const { events, error } = await stream({ idleTimeoutMs: 250 });
      assert.equal(error, undefined, 'comments every 40 ms keep a 250 ms idle timer from firing over ~480 ms');
      assert.equal(summarize(events).content, 'Hello');
    });

    for (const name of [
      'multi-byte UTF-8 (emoji, CJK, accents)',
      'lone CR line endings',
      'CRLF line endings',
      'think tags in content, split across chunks',
    ]) {
      it(`cases 13, 17-20: "${name}" dripped 1 byte per write over HTTP decodes like the fixture`, async () => {
        const fixture = fixtures.find((f) => f.name === name);
        assert.ok(fixture);
        server.enqueue({ kind: 'stream', steps: [fixture.body], chunkSize: 1 });
        const { events, error } = await stream({ splitThinkTags: false });
        assert.equal(error, undefined);
        assert.equal(summarize(events).content, fixture.expected.content);
        assert.ok(!summarize(events).content.includes('\uFFFD'));
      });
    }

    it('cases 18-20: a BOM, a 4-byte character and a CR LF pair each split across separate reads', async () => {
      const body = Buffer.from(
        `\uFEFF${role}${sse.data(chunk({ content: '🚀 ok' }))}${stop}${sse.done()}`.replace(/\n/g, '\r\n'),
        'utf8',
      );
      const rocket = body.indexOf(Buffer.from('🚀'));
      const crlf = body.indexOf('\r\n');
      const cuts = [1, 2, crlf + 1, rocket + 1, rocket + 3].sort((x, y) => x - y);
      const steps: Array<Uint8Array | { wait: number }> = [];
      let start = 0;
      for (const cut of cuts) steps.push(body.subarray(start, (start = cut)), { wait: 15 });
      steps.push(body.subarray(start));
      server.enqueue({ kind: 'stream', steps });
      const { events, error } = await stream();
      assert.equal(error, undefined);
      assert.deepEqual(
        events.filter((e) => e.type === 'content'),
        [{ type: 'content', text: '🚀 ok' }],
      );
    });

    it('case 14: a proxy that buffers everything until the end → parsed correctly', async () => {
      const fixture = fixtures.find((f) => f.name === 'keep-alive comments between events');
      assert.ok(fixture);
      server.enqueue({ kind: 'stream', steps: [{ wait: 50 }, fixture.body] });
      const { events, error } = await stream();
      assert.equal(error, undefined);
      assert.equal(summarize(events).content, fixture.expected.content);
    });

    it('case 15: abort mid-stream → the server sees the disconnect, stream ends with aborted, text kept', async () => {
      server.enqueue({ kind: 'stream', steps: [role, hello], end: 'stall' });
      const controller = new AbortController();
      const events: string[] = [];
      let caught: unknown;
      try {
        for await (const event of client.streamChat(endpoint, request, { ...fast, signal: controller.signal })) {
          if (event.type === 'content') {
            events.push(event.text);
            controller.abort();
          }
        }
      } catch (error) {
        caught = error;
      }
      assert.deepEqual(events, ['Hello']);
      assert.equal((caught as { kind?: string }).kind, 'aborted');
      assert.equal((caught as { afterOutput?: boolean }).afterOutput, true);
      assert.equal(await server.requests[0].outcome, 'aborted');
    });

    it('case 15: after abort no further events are handed out, even ones already received', async () => {
      server.enqueue(okStream);
      const controller = new AbortController();
      const texts: string[] = [];
      let caught: unknown;
      try {
        for await (const event of client.streamChat(endpoint, request, { ...fast, signal: controller.signal })) {
          if (event.type === 'content') texts.push(event.text);
          if (event.type === 'content') controller.abort();
        }
      } catch (error) {
        caught = error;
      }
      assert.deepEqual(texts, ['Hello']);
      assert.equal((caught as { kind?: string }).kind, 'aborted');
    });

    it('case 15: an abort awaiting headers and a consumer that stops iterating both close the request', async () => {
      server.enqueue({ kind: 'stall' });
      const controller = new AbortController();
      const pending = stream({ signal: controller.signal });
      await server.waitForRequests(1);
      controller.abort();
      const { error } = await pending;
      assert.equal(error?.kind, 'aborted');
      assert.equal(await server.requests[0].outcome, 'aborted');

      server.enqueue({ kind: 'stream', steps: [role, hello], end: 'stall' });
      for await (const event of client.streamChat(endpoint, request, fast)) if (event.type === 'content') break;
      assert.equal(await server.requests[1].outcome, 'aborted');
    });

    it('case 15: an already-aborted signal sends nothing', async () => {
      const { error } = await stream({ signal: AbortSignal.abort() });
      assert.equal(error?.kind, 'aborted');
      assert.equal(server.requests.length, 0);
    });

    it('case 22: a vLLM error payload followed by [DONE] over HTTP surfaces as stream-error', async () => {
      server.enqueue({
        kind: 'stream',
        steps: [
          role,
          hello,
          sse.data({
            error: { object: 'error', message: 'CUDA out of memory', type: 'InternalServerError', code: 500 },
          }),
          sse.done(),
        ],
      });
      const { events, error } = await stream();
      assert.equal(summarize(events).content, 'Hello');
      assert.equal(error?.kind, 'stream-error');
      assert.match(error?.message ?? '', /CUDA out of memory/);
      assert.equal(chatRequests().length, 1, 'never retried after output');
    });

    it('case 23: the body ends without [DONE] and finish_reason → incomplete, text kept', async () => {
      server.enqueue({ kind: 'stream', steps: [role, hello] });
      const { events, error } = await stream();
      assert.equal(summarize(events).content, 'Hello');
      assert.equal(error?.kind, 'incomplete');
    });

    it('after [DONE] the rest of the body is drained, not cut off (the connection stays reusable)', async () => {
      server.enqueue({ kind: 'stream', steps: [role, hello, stop, sse.done(), { wait: 100 }] });
      const { events, error } = await stream();
      assert.equal(error, undefined);
      assert.ok(summarize(events).done);
      assert.equal(await server.requests[0].outcome, 'finished');
    });

    it('case 24: after [DONE] the client is done even if the server keeps the connection open', async () => {
      server.enqueue({
        kind: 'stream',
        steps: [role, hello, stop, sse.done(), sse.data(chunk({ content: ' GHOST' }))],
        end: 'stall',
      });
      const { events, error } = await stream({ idleTimeoutMs: 10_000 });
      assert.equal(error, undefined);
      assert.equal(summarize(events).content, 'Hello');
      assert.equal(await server.requests[0].outcome, 'aborted', 'the leftover connection is closed');
    });

    it('case 30: one 10 MB line without newline → too-large, bounded buffer, the client stops reading', async () => {
      server.enqueue({
        kind: 'stream',
        steps: [role, hello, 'data: {"choices":"', Buffer.alloc(10 * 1024 * 1024, 0x61)],
        end: 'stall',
      });
      const { events, error } = await stream();
      assert.equal(summarize(events).content, 'Hello');
      assert.equal(error?.kind, 'too-large');
      assert.equal(error?.afterOutput, true);
      assert.equal(await server.requests[0].outcome, 'aborted');
    });
  });

  describe('case 41: redirects', () => {
    it('follows a same-origin redirect with the key and headers', async () => {
      server.enqueue({ kind: 'redirect', status: 307, location: '/moved/v1/chat/completions' });
      server.enqueueFor('POST', '/moved/v1/chat/completions', okStream);
      const { events, error } = await stream({}, request, { ...endpoint, headers: { 'X-Custom': 'yes' } });
      assert.equal(error, undefined);
      assert.equal(summarize(events).content, 'Hello world');
      const moved = server.requests[1];
      assert.equal(moved.path, '/moved/v1/chat/completions');
      assert.equal(moved.headers.authorization, `Bearer ${KEY}`);
      assert.equal(moved.headers['x-custom'], 'yes');
      assert.deepEqual(moved.json, server.requests[0].json);
    });

    it('to another origin: never forwards Authorization or the custom headers', async () => {
      const other = await startTestServer();
      try {
        server.enqueue({ kind: 'redirect', status: 308, location: `${other.baseUrl}/chat/completions` });
        const { events, error } = await stream({}, request, { ...endpoint, headers: { 'X-Custom': 'yes' } });
        assert.equal(error, undefined);
        assert.equal(summarize(events).content, 'Hello from the test server.');
        const [arrived] = other.requests;
        assert.equal(arrived.headers.authorization, undefined);
        assert.equal(arrived.headers['x-custom'], undefined);
        assert.equal(arrived.headers['content-type'], 'application/json');

        other.enqueue({ kind: 'respond', status: 401, body: { error: { message: 'no key' } } });
        server.enqueue({ kind: 'redirect', status: 301, location: `${other.baseUrl}/chat/completions` });
        const denied = await stream();
        assert.equal(denied.error?.kind, 'auth');
        assert.match(denied.error?.message ?? '', /key is never sent to another origin/);
        assertNoKey(denied.error);
      } finally {
        await other.close();
      }
    });

    it('listModels redirected to an origin answering 401: says the key never went there, not rejected', async () => {
      const other = await startTestServer();
      try {
        server.enqueueFor('GET', '/v1/models', { kind: 'redirect', status: 302, location: `${other.baseUrl}/models` });
        other.enqueueFor('GET', '/v1/models', { kind: 'respond', status: 401, body: { error: { message: 'no key' } } });
        const error = await client.listModels(endpoint).then(
          () => undefined,
          (e: unknown) => e as { kind?: string; message?: string },
        );
        assert.equal(error?.kind, 'auth');
        assert.equal(other.requests[0].headers.authorization, undefined);
        assert.equal(
          error?.message,
          `${other.origin} requires an API key (HTTP 401); none is set for it. ` +
            `${server.origin} redirected there, and the key is never sent to another origin: ` +
            `set the base URL to ${other.origin} if you trust it.`,
        );
      } finally {
        await other.close();
      }
    });

    it('stops after too many redirects', async () => {
      for (let i = 0; i < 7; i++) server.enqueue({ kind: 'redirect', status: 302, location: '/v1/chat/completions' });
      const { error } = await stream();
      assert.equal(error?.kind, 'network');
      assert.match(error?.message ?? '', /Too many redirects/);
    });
  });

  describe('listModels', () => {
    it('reads the OpenAI shape with the key', async () => {
      server.models = ['a', 'b'];
      const models = await client.listModels(endpoint);
      assert.deepEqual(models, [
        { id: 'a', ownedBy: 'test-server' },
        { id: 'b', ownedBy: 'test-server' },
      ]);
      assert.equal(server.requests[0].headers.authorization, `Bearer ${KEY}`);
    });

    it('tolerates the Ollama-ish {models:[{name}]} shape', async () => {
      server.enqueueFor('GET', '/v1/models', {
        kind: 'respond',
        status: 200,
        body: { models: [{ name: 'llama3:8b' }, { name: 'qwen3' }] },
      });
      assert.deepEqual(await client.listModels(endpoint), [{ id: 'llama3:8b' }, { id: 'qwen3' }]);
    });

    it('throws typed errors: auth, HTML instead of a list, timeout, abort', async () => {
      server.enqueueFor('GET', '/v1/models', { kind: 'respond', status: 401, body: { error: { message: 'bad key' } } });
      await assert.rejects(client.listModels(endpoint), (e: unknown) => (e as { kind?: string }).kind === 'auth');

      server.enqueueFor('GET', '/v1/models', {
        kind: 'respond',
        status: 200,
        body: '<html>login</html>',
        headers: { 'content-type': 'text/html' },
      });
      await assert.rejects(
        client.listModels(endpoint),
        (e: unknown) => (e as { kind?: string }).kind === 'not-event-stream',
      );

      server.enqueueFor('GET', '/v1/models', { kind: 'stall' });
      await assert.rejects(
        client.listModels(endpoint, { timeoutMs: 100 }),
        (e: unknown) => (e as { kind?: string }).kind === 'timeout',
      );

      server.enqueueFor('GET', '/v1/models', { kind: 'stall' });
      const controller = new AbortController();
      const pending = client.listModels(endpoint, { signal: controller.signal });
      await server.waitForRequests(4);
      controller.abort();
      await assert.rejects(pending, (e: unknown) => (e as { kind?: string }).kind === 'aborted');
      assert.equal(await server.requests[3].outcome, 'aborted');
    });
  });
});
