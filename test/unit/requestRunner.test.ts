// Requests owned by the surface that starts them, against the real test server: registered at once,
// stopped one by one, closed at once when a consumer leaves, listeners always removed.
import * as assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { ChatClient, type ChatRequest, type Endpoint, type StreamEvent } from '../../src/api';
import { RequestRunner, type TrackedRequest } from '../../src/core/requestRunner';
import type { RequestLogEntry } from '../../src/core/requestStats';
import { chunk, sse, type TestServer } from '../server';
import { withTestServer } from './helpers';

const request: ChatRequest = { model: 'test-model', messages: [{ role: 'user', content: 'hi' }] };
const role = sse.data(chunk({ role: 'assistant', content: '' }));
const hello = sse.data(chunk({ content: 'Hello' }));
const world = sse.data(chunk({ content: ' world' }));
const stop = sse.data(chunk({}, { finishReason: 'stop' }));
/** Says hello, then holds the connection open: only a stop (or a leaving consumer) ends it. */
const helloThenStall = { kind: 'stream' as const, steps: [role, hello], end: 'stall' as const };
/** Long enough that "closed by the idle timeout" can never pass for "closed at once". */
const PATIENT = { idleTimeoutMs: 60_000, maxRetryDelayMs: 5 };

class LogSink {
  readonly warnings: string[] = [];
  readonly requests: RequestLogEntry[] = [];
  warn(message: string): void {
    this.warnings.push(message);
  }
  request(entry: RequestLogEntry): void {
    this.requests.push(entry);
  }
}

/** Reads a request until its first content delta. */
async function firstContent(tracked: TrackedRequest): Promise<void> {
  for (;;) {
    const read = await tracked.events.next();
    if (read.done === true || read.value.type === 'content') return;
  }
}

/** How long the server took to see the client go away, from now. */
async function msUntilClosed(outcome: Promise<'finished' | 'aborted'>): Promise<{ outcome: string; ms: number }> {
  const started = performance.now();
  const result = await outcome;
  return { outcome: result, ms: performance.now() - started };
}

describe('request ownership (RequestRunner against the test server)', () => {
  let server: TestServer;
  let endpoint: Endpoint;
  let runner: RequestRunner;
  let log: LogSink;

  withTestServer((started) => (server = started));
  beforeEach(() => {
    endpoint = { baseUrl: server.baseUrl };
    log = new LogSink();
    runner = new RequestRunner(new ChatClient(), log);
  });
  afterEach(() => runner.dispose());

  it('a request is registered at start with an id and owner; started, unread, it stops and sends nothing', async () => {
    const changes: number[] = [];
    runner.onDidChangeActivity(() => changes.push(runner.activeRequests().length));
    const unread = runner.start({ owner: 'chat', endpoint, request, options: PATIENT });
    assert.deepEqual(
      runner.activeRequests().map((r) => [r.id, r.owner]),
      [[unread.id, 'chat']],
    );
    assert.equal(runner.stopAll(), 1);
    assert.deepEqual(runner.activeRequests(), [], 'ended at once, not when (if ever) someone reads it');
    assert.equal(unread.answer.stopped, true);
    assert.deepEqual(changes, [1, 0]);
    const answer = await unread.collect();
    assert.equal(answer.stopped, true);
    assert.equal(server.requests.length, 0, 'nothing was sent');
    assert.equal(log.requests.length, 1, 'logged once');
    assert.match(log.requests[0].detail ?? '', /^chat #\d+/);
    assert.equal(log.requests[0].outcome, 'stopped');
  });

  it("stopping one surface's request leaves another's streaming (checked at the server)", async () => {
    server.enqueue(helloThenStall, { kind: 'stream', steps: [role, hello, { wait: 150 }, world, stop, sse.done()] });
    const insert = runner.start({ owner: 'insert', scope: 'file:///a.ts', endpoint, request, options: PATIENT });
    await firstContent(insert);
    const chat = runner.start({ owner: 'chat', endpoint, request, options: PATIENT });
    const chatAnswer = chat.collect();
    const [insertSeen, chatSeen] = await server.waitForRequests(2);

    assert.equal(runner.stop(insert.id), true);
    assert.equal(insert.ended, true, 'ended at once, though nobody is reading it right now');
    assert.deepEqual(
      runner.activeRequests().map((r) => r.owner),
      ['chat'],
    );
    assert.equal((await msUntilClosed(insertSeen.outcome)).outcome, 'aborted');
    const answer = await chatAnswer;
    assert.equal(answer.content, 'Hello world');
    assert.equal(answer.finishReason, 'stop');
    assert.equal(await chatSeen.outcome, 'finished', "the chat's request ran to its end");
    const insertAnswer = await insert.collect();
    assert.equal(insertAnswer.stopped, true);
    assert.equal(insertAnswer.content, 'Hello', 'what arrived is kept');
  });

  it('requestToStop: the focused chat panel’s request, the active document’s insertion, else the newest', () => {
    server.enqueue(helloThenStall, helloThenStall, helloThenStall, helloThenStall);
    const ask = runner.start({ owner: 'ask', endpoint, request });
    const insertA = runner.start({ owner: 'insert', scope: 'file:///a.ts', endpoint, request });
    const insertB = runner.start({ owner: 'insert', scope: 'file:///b.ts', endpoint, request });
    const probe = runner.start({ owner: 'test connection', endpoint, request });
    assert.equal(
      runner.requestToStop({ chatFocused: true, activeDocument: 'file:///a.ts' }),
      ask,
      'chat focus wins (ask answers stream in the chat)',
    );
    assert.equal(runner.requestToStop({ activeDocument: 'file:///a.ts' }), insertA);
    assert.equal(runner.requestToStop({ activeDocument: 'file:///b.ts' }), insertB);
    assert.equal(
      runner.requestToStop({ activeDocument: 'file:///c.ts' }),
      probe,
      'nothing in this editor: the most recent',
    );
    assert.equal(runner.requestToStop({}), probe);
    probe.stop();
    assert.equal(runner.requestToStop({}), insertB);
    ask.stop();
    assert.equal(runner.requestToStop({ chatFocused: true }), insertB, 'nothing in the chat: the most recent');
    assert.equal(runner.activeRequests().length, 2, 'each stop stopped exactly one');
  });

  describe('leaving a for await early aborts the HTTP request at once (server sees it within 200 ms)', () => {
    const ways: Array<[string, (events: AsyncGenerator<StreamEvent, void, undefined>) => Promise<void>]> = [
      [
        'break',
        async (events) => {
          for await (const event of events) if (event.type === 'content') break;
        },
      ],
      [
        'an exception in the loop body',
        async (events) => {
          await assert.rejects(async () => {
            for await (const event of events) if (event.type === 'content') throw new Error('consumer failed');
          }, /consumer failed/);
        },
      ],
      [
        'return() while a read is still pending',
        async (events) => {
          for (;;) {
            const read = await events.next();
            if (read.done === true || read.value.type === 'content') break;
          }
          const pending = events.next();
          // One turn of the event loop: the microtasks run and the read is in flight on the stalled socket.
          await new Promise((resolve) => setImmediate(resolve));
          await events.return();
          await pending.then(
            (read) => assert.equal(read.done, true),
            () => undefined, // or ends with aborted: either way, at once
          );
        },
      ],
    ];
    for (const [way, leave] of ways) {
      it(`${way}: the runner's events`, async () => {
        server.enqueue(helloThenStall);
        const tracked = runner.start({ owner: 'chat', endpoint, request, options: PATIENT });
        await leave(tracked.events);
        const { outcome, ms } = await msUntilClosed(server.requests[0].outcome);
        assert.equal(outcome, 'aborted');
        assert.ok(ms < 200, `the server saw the disconnect after ${Math.round(ms)} ms`);
        assert.equal(tracked.answer.stopped, true);
        assert.equal(tracked.answer.content, 'Hello');
        assert.deepEqual(runner.activeRequests(), []);
      });

      it(`${way}: the client's own stream`, async () => {
        server.enqueue(helloThenStall);
        await leave(new ChatClient().streamChat(endpoint, request, PATIENT));
        const { outcome, ms } = await msUntilClosed(server.requests[0].outcome);
        assert.equal(outcome, 'aborted');
        assert.ok(ms < 200, `the server saw the disconnect after ${Math.round(ms)} ms`);
      });
    }
  });

  it("a caller's signal stops the request, and its listener is removed in every path", async () => {
    const listeners = (signal: AbortSignal) => getEventListeners(signal, 'abort').length;
    const paths: Array<[string, (signal: AbortSignal, controller: AbortController) => Promise<void>]> = [
      [
        'completed',
        async (signal) =>
          void (await runner.start({ owner: 'chat', endpoint, request, options: { signal } }).collect()),
      ],
      [
        'failed',
        async (signal) => {
          server.enqueue({ kind: 'respond', status: 400, body: { error: { message: 'bad' } } });
          const answer = await runner.start({ owner: 'chat', endpoint, request, options: { signal } }).collect();
          assert.equal(answer.error?.kind, 'bad-request');
        },
      ],
      [
        'aborted by the caller mid-stream',
        async (signal, controller) => {
          server.enqueue(helloThenStall);
          const answer = await runner
            .start({ owner: 'chat', endpoint, request, options: { signal, ...PATIENT } })
            .collect(() => controller.abort());
          assert.equal(answer.stopped, true);
          assert.equal(await server.requests.at(-1)?.outcome, 'aborted');
        },
      ],
      [
        'stopped before reading',
        async (signal) => runner.start({ owner: 'chat', endpoint, request, options: { signal } }).stop(),
      ],
      [
        'left early',
        async (signal) => {
          server.enqueue(helloThenStall);
          for await (const event of runner.start({ owner: 'chat', endpoint, request, options: { signal, ...PATIENT } })
            .events)
            if (event.type === 'content') break;
        },
      ],
      [
        'the caller signal already aborted',
        async (signal, controller) => {
          controller.abort();
          const answer = await runner.start({ owner: 'chat', endpoint, request, options: { signal } }).collect();
          assert.equal(answer.stopped, true);
        },
      ],
    ];
    for (const [path, run] of paths) {
      const controller = new AbortController();
      await run(controller.signal, controller);
      assert.equal(listeners(controller.signal), 0, `${path}: a listener is left on the caller's signal`);
      assert.deepEqual(runner.activeRequests(), [], `${path}: still registered`);
    }
  });

  it('an invalid base URL is a ChatError from the stream, never a TypeError from start()', async () => {
    const tracked = runner.start({ owner: 'chat', endpoint: { baseUrl: 'not a url' }, request });
    assert.equal(tracked.origin, '');
    const answer = await tracked.collect();
    assert.equal(answer.error?.kind, 'network');
    assert.match(answer.error?.message ?? '', /Invalid base URL "not a url"/);
    assert.deepEqual(runner.activeRequests(), []);
  });

  it('the answer names the model that answered when the server fails over; the log says so', async () => {
    server.enqueue({
      kind: 'stream',
      steps: [
        sse.data(chunk({ role: 'assistant', content: 'Hi' }, { model: 'backup-model' })),
        sse.data(chunk({}, { finishReason: 'stop', model: 'backup-model' })),
        sse.done(),
      ],
    });
    const answer = await runner
      .start({ owner: 'ask', endpoint, request: { ...request, model: 'vllm-primary' } })
      .collect();
    assert.equal(answer.respondedModel, 'backup-model');
    assert.match(log.requests[0].detail ?? '', /model vllm-primary \(answered by backup-model\)/);
  });
});
