// Stream-level faults (cases 16, 22–30) through the client's read loop over in-memory reads: bytes → typed events.
import * as assert from 'node:assert/strict';
import type { StreamEvent } from '../../src/api';
import { chunk, sse } from '../server/fixtures';
import {
  bytesOf,
  decodeThroughClient,
  drain,
  source,
  summarize,
  type InMemoryOptions,
  type StreamResult,
} from './helpers';

function decode(body: string | Uint8Array[], options: InMemoryOptions = {}): Promise<StreamResult> {
  const pieces = typeof body === 'string' ? [bytesOf(body)] : body;
  return drain(decodeThroughClient(source(pieces), options));
}

const role = sse.data(chunk({ role: 'assistant', content: '' }));
const hello = sse.data(chunk({ content: 'Hello' }));
const stop = sse.data(chunk({}, { finishReason: 'stop' }));

describe('decoder (in-memory): stream-level faults', () => {
  it('case 16: a malformed data line → `malformed`, text before it kept, line truncated in the excerpt', async () => {
    const bad = `{"choices":[{"delta":{"content":"oops"${'x'.repeat(5000)}`;
    const { events, error } = await decode(
      role + hello + `data: ${bad}\n\n` + sse.data(chunk({ content: ' never' })) + stop + sse.done(),
    );
    assert.equal(summarize(events).content, 'Hello');
    assert.equal(error?.kind, 'malformed');
    assert.equal(error?.afterOutput, true);
    assert.ok(error?.excerpt?.startsWith('{"choices":[{"delta":{"content":"oops"'));
    assert.ok((error?.excerpt?.length ?? Infinity) < 400, 'excerpt truncated');
    assert.match(error?.message ?? '', /http:\/\/model\.test/);
  });

  it('case 16: an empty `data:` line is not malformed', async () => {
    const { events, error } = await decode(role + 'data:\n\n' + hello + stop + sse.done());
    assert.equal(error, undefined);
    assert.equal(summarize(events).content, 'Hello');
  });

  describe('case 22: error payloads mid-stream', () => {
    const shapes: Array<[string, string, string]> = [
      [
        'OpenAI `data: {"error":{...}}`',
        sse.data({ error: { message: 'The server had an error', type: 'server_error', code: null } }),
        'The server had an error',
      ],
      [
        'vLLM error object followed by [DONE]',
        sse.data({ error: { object: 'error', message: 'Out of KV cache', type: 'InternalServerError', code: 500 } }) +
          sse.done(),
        'Out of KV cache',
      ],
      [
        '`event: error`',
        sse.event('error', { error: { message: 'overloaded', type: 'overloaded_error' } }),
        'overloaded',
      ],
      ['`event: error` with plain text data', 'event: error\ndata: upstream went away\n\n', 'upstream went away'],
      [
        'Ollama raw JSON line without `data:`',
        '{"error":"model runner has unexpectedly stopped"}\n',
        'model runner has unexpectedly stopped',
      ],
      [
        'llama.cpp `error:` field (then its [DONE])',
        'error: {"code":500,"message":"failed to decode the batch","type":"server_error"}\n\n',
        'failed to decode the batch',
      ],
    ];
    for (const [name, payload, message] of shapes) {
      it(`case 22: ${name} → stream-error after the text so far`, async () => {
        const { events, error } = await decode(role + hello + payload + sse.done());
        const summary = summarize(events);
        assert.equal(summary.content, 'Hello');
        assert.equal(summary.done, false, 'a following [DONE] must not hide the error');
        assert.equal(error?.kind, 'stream-error');
        assert.equal(error?.serverMessage, message);
        assert.ok(error?.message.includes(message));
        assert.equal(error?.afterOutput, true);
      });
    }

    it('case 22: an Ollama raw JSON error line as the very last bytes (no newline) still surfaces', async () => {
      const { events, error } = await decode(role + hello + '{"error":"unexpected EOF"}');
      assert.equal(summarize(events).content, 'Hello');
      assert.equal(error?.kind, 'stream-error');
      assert.equal(error?.serverMessage, 'unexpected EOF');
    });

    it("case 22: llama.cpp's `error:` keeps its code; its context-size wording is a context-length error", async () => {
      const a = await decode(
        role + hello + 'error: {"code":503,"message":"Loading model","type":"unavailable_error"}\n\n' + sse.done(),
      );
      assert.equal(a.error?.kind, 'stream-error');
      assert.equal(a.error?.code, '503');
      const b = await decode(
        role +
          'error: {"code":400,"message":"the request exceeds the available context size, try increasing it",' +
          '"type":"exceed_context_size_error"}\n\n' +
          sse.done(),
      );
      assert.equal(b.error?.kind, 'context-length');
      const c = await decode(role + hello + 'error: plain words\n\n' + sse.done());
      assert.equal(c.error?.serverMessage, 'plain words');
    });

    it('case 1/22: a key echoed in a mid-stream error never reaches message, serverMessage or excerpt', async () => {
      const apiKey = 'sk-live-SECRET-987654321';
      for (const payload of [
        sse.data({ error: { message: `Key ${apiKey} is over its budget`, type: 'server_error' } }),
        `error: {"code":401,"message":"invalid key ${apiKey}"}\n\n`,
        `{"error":"bad key ${apiKey}"}\n`,
        `event: error\ndata: bad key ${apiKey}\n\n`,
      ]) {
        const { error } = await decode(role + hello + payload + sse.done(), { apiKey });
        assert.equal(error?.kind, 'stream-error', payload);
        const seen = JSON.stringify({
          message: error?.message,
          serverMessage: error?.serverMessage,
          excerpt: error?.excerpt,
          code: error?.code,
        });
        assert.ok(!seen.includes(apiKey), `key leaked: ${seen}`);
        assert.match(error?.serverMessage ?? '', /•••/);
      }
    });

    it('case 22: a context-length error mid-stream is reported as such', async () => {
      const { error } = await decode(
        role +
          sse.data({ object: 'error', message: "This model's maximum context length is 4096 tokens.", code: 400 }) +
          sse.done(),
      );
      assert.equal(error?.kind, 'context-length');
      assert.equal(error?.afterOutput, false);
    });

    it('case 22: other unknown fields stay ignored (per the SSE standard)', async () => {
      const { events, error } = await decode(role + 'x-trace: {"abc"}\nfoo\n\n' + hello + stop + sse.done());
      assert.equal(error, undefined);
      assert.equal(summarize(events).content, 'Hello');
    });
  });

  describe("real servers' shapes", () => {
    it('n > 1: only choice 0 counts (content, role, finish), whatever order the choices come in', async () => {
      const choice = (index: number, delta: object, finish: string | null = null) => ({
        index,
        delta,
        finish_reason: finish,
      });
      const body =
        sse.data(
          chunk(null, {
            choices: [choice(0, { role: 'assistant', content: '' }), choice(1, { role: 'assistant', content: '' })],
          }),
        ) +
        sse.data(chunk(null, { choices: [choice(1, { content: 'other' })] })) +
        sse.data(chunk(null, { choices: [choice(1, { content: ' answer' }), choice(0, { content: 'Hello' })] })) +
        sse.data(
          chunk(null, {
            choices: [
              choice(1, { reasoning: 'x', tool_calls: [{ index: 0, function: { arguments: '{}' } }] }, 'length'),
            ],
          }),
        ) +
        sse.data(chunk(null, { choices: [choice(0, {}, 'stop'), choice(1, {}, 'stop')] })) +
        sse.done();
      const { events, error } = await decode(body);
      assert.equal(error, undefined);
      assert.deepEqual(
        events.map((e) => (e.type === 'content' ? e.text : e.type === 'finish' ? `finish:${e.reason}` : e.type)),
        ['model', 'role', 'Hello', 'finish:stop', 'done'],
      );
    });

    it('Ollama, llama.cpp: content, finish_reason, usage in a last chunk; role repeated; timings ignored', async () => {
      const last = {
        ...chunk(
          { role: 'assistant', content: ' end.' },
          { finishReason: 'stop', usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } },
        ),
        timings: { prompt_n: 1, predicted_ms: 9.5 },
      };
      const { events, error } = await decode(
        sse.data(chunk({ role: 'assistant', content: 'The' })) + sse.data(last) + sse.done(),
      );
      assert.equal(error, undefined);
      assert.deepEqual(events, [
        { type: 'model', model: 'test-model' },
        { type: 'role', role: 'assistant' },
        { type: 'content', text: 'The' },
        { type: 'content', text: ' end.' },
        { type: 'finish', reason: 'stop' },
        { type: 'usage', usage: { promptTokens: 1, completionTokens: 2, totalTokens: 3 } },
        { type: 'done' },
      ]);
    });

    it('OpenRouter: `: OPENROUTER PROCESSING` is not text; error + finish_reason "error" → stream-error', async () => {
      const body =
        ': OPENROUTER PROCESSING\n\n' +
        role +
        hello +
        ': OPENROUTER PROCESSING\n\n' +
        sse.data({
          id: 'gen-1',
          object: 'chat.completion.chunk',
          error: { code: 502, message: 'Provider returned error' },
          choices: [{ index: 0, delta: { content: '' }, finish_reason: 'error' }],
        }) +
        sse.done();
      const { events, error } = await decode(body);
      assert.equal(summarize(events).content, 'Hello');
      assert.deepEqual(summarize(events).finishReasons, []);
      assert.equal(error?.kind, 'stream-error');
      assert.equal(error?.code, '502');
      assert.equal(error?.serverMessage, 'Provider returned error');
    });
  });

  it('case 7: an HTML page served as text/event-stream → not-event-stream with the first line as excerpt', async () => {
    const { events, error } = await decode(
      '<!DOCTYPE html>\n<html><body>Login required: please sign in</body></html>\n',
    );
    assert.equal(events.length, 0);
    assert.equal(error?.kind, 'not-event-stream');
    assert.match(error?.message ?? '', /does it end in \/v1\?/);
    assert.equal(error?.excerpt, '<!DOCTYPE html>');
  });

  it('case 23: ending without [DONE] and without finish_reason → incomplete, text kept', async () => {
    const { events, error } = await decode(role + hello);
    assert.equal(summarize(events).content, 'Hello');
    assert.equal(error?.kind, 'incomplete');
    assert.equal(error?.afterOutput, true);
  });

  it('case 23: ending mid-event → incomplete (not malformed)', async () => {
    const { error } = await decode(role + hello + 'data: {"choices":[{"del');
    assert.equal(error?.kind, 'incomplete');
  });

  it('case 23: after finish_reason, no [DONE] is a clean end; so is a last event without its blank line', async () => {
    const a = await decode(role + hello + stop);
    assert.equal(a.error, undefined);
    assert.ok(summarize(a.events).done);
    const b = await decode(role + hello + stop + 'data: [DONE]');
    assert.equal(b.error, undefined);
    assert.ok(summarize(b.events).done);
  });

  it('case 24: data after [DONE] is ignored (the rest of the body is only drained, for connection reuse)', async () => {
    let pulled = 0;
    async function* pieces(): AsyncGenerator<Uint8Array> {
      pulled++;
      yield bytesOf(role + hello + stop + sse.done());
      pulled++;
      yield bytesOf(sse.data(chunk({ content: ' GHOST' })));
    }
    const events: StreamEvent[] = [];
    let pulledAtDone = 0;
    for await (const event of decodeThroughClient(pieces())) {
      events.push(event);
      if (event.type === 'done') pulledAtDone = pulled;
    }
    assert.equal(summarize(events).content, 'Hello');
    assert.equal(events.at(-1)?.type, 'done', 'the stream ends at [DONE]');
    assert.equal(pulledAtDone, 1, 'done is handed out before anything after it is read');
  });

  it('case 25: choices [] / null / missing with usage → usage recorded, no crash', async () => {
    const usage = { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 };
    for (const choices of [[], null, undefined]) {
      const { events, error } = await decode(
        role + hello + stop + sse.data(chunk(null, { choices, usage })) + sse.done(),
      );
      assert.equal(error, undefined, `choices ${JSON.stringify(choices)}`);
      assert.deepEqual(summarize(events).usage, { promptTokens: 3, completionTokens: 4, totalTokens: 7 });
      assert.equal(summarize(events).content, 'Hello');
    }
  });

  it('case 26: content null / "" / missing and a role-only first chunk yield no content events', async () => {
    const body = [
      sse.data(chunk({ role: 'assistant' })),
      sse.data(chunk({ content: null })),
      sse.data(chunk({ content: '' })),
      sse.data(chunk({})),
      stop,
      sse.done(),
    ].join('');
    const { events, error } = await decode(body);
    assert.equal(error, undefined);
    assert.deepEqual(
      events.map((e) => e.type),
      ['model', 'role', 'finish', 'done'],
    );
  });

  it('case 27: reasoning, reasoning_content deltas → reasoning events with their source; duplicates once', async () => {
    const body =
      role +
      sse.data(chunk({ reasoning: 'a' })) +
      sse.data(chunk({ reasoning_content: 'b' })) +
      sse.data(chunk({ reasoning: 'c', reasoning_content: 'c' })) +
      sse.data(chunk({ content: '<think>d</think>e' })) +
      stop +
      sse.done();
    const { events } = await decode(body);
    assert.deepEqual(
      events.filter((e) => e.type === 'reasoning'),
      [
        { type: 'reasoning', text: 'a', source: 'reasoning' },
        { type: 'reasoning', text: 'b', source: 'reasoning_content' },
        { type: 'reasoning', text: 'c', source: 'reasoning' },
        { type: 'reasoning', text: 'd', source: 'think-tag' },
      ],
    );
    assert.equal(summarize(events).content, 'e');
    const raw = await decode(body, { splitThinkTags: false });
    assert.equal(summarize(raw.events).content, '<think>d</think>e');
  });

  it('case 28: tool_calls fragments are tool-call events, never text', async () => {
    const body =
      role +
      sse.data(
        chunk({
          tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '' } }],
        }),
      ) +
      sse.data(chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":"Oslo"}' } }] })) +
      sse.data(chunk({}, { finishReason: 'tool_calls' })) +
      sse.done();
    const { events, error } = await decode(body);
    assert.equal(error, undefined);
    const summary = summarize(events);
    assert.equal(summary.content, '');
    assert.deepEqual(summary.toolCalls, [
      { type: 'tool-call', index: 0, id: 'call_1', name: 'get_weather', argumentsDelta: '' },
      { type: 'tool-call', index: 0, argumentsDelta: '{"city":"Oslo"}' },
    ]);
    assert.deepEqual(summary.finishReasons, ['tool_calls']);
  });

  it('case 29: finish_reason length / content_filter / unknown pass through as finish events', async () => {
    for (const reason of ['length', 'content_filter', 'eos_token_reached']) {
      const { events } = await decode(role + hello + sse.data(chunk({}, { finishReason: reason })) + sse.done());
      assert.deepEqual(summarize(events).finishReasons, [reason]);
    }
  });

  it('case 30: a huge line without newline fails with too-large and stops reading (bounded buffer)', async () => {
    const piece = new Uint8Array(64 * 1024).fill(0x61); // 'a'
    let pulled = 0;
    async function* tenMegabytes(): AsyncGenerator<Uint8Array> {
      yield bytesOf(role + hello + 'data: {"choices":"');
      for (let i = 0; i < 160; i++) {
        pulled++;
        yield piece;
      }
    }
    const { events, error } = await drain(decodeThroughClient(tenMegabytes(), { maxEventBytes: 1024 * 1024 }));
    assert.equal(summarize(events).content, 'Hello');
    assert.equal(error?.kind, 'too-large');
    assert.equal(error?.afterOutput, true);
    assert.ok(pulled <= 17, `stopped after about 1 MiB (read ${pulled} pieces of 64 KiB)`);
  });
});
