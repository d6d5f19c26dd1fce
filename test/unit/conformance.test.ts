// Conformance: the official `openai` SDK as a reference peer against the same test server.
// 1. The server's fixtures are faithful: the SDK decodes each to the fixture's expected values.
// 2. Our client (think tags left in the content) decodes each to exactly the text the SDK decodes.
import * as assert from 'node:assert/strict';
import OpenAI from 'openai';
import { ChatClient } from '../../src/api';
import { fixtures, startTestServer, type TestServer } from '../server';
import { drain, summarize } from './helpers';

interface Decoded {
  content: string;
  reasoning: string;
  finishReason: string | null;
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
  toolCallFragments: number;
}

/** Reasoning fields are not in the SDK's types; servers add them to the delta. */
interface ReasoningDelta {
  reasoning?: string | null;
  reasoning_content?: string | null;
}

async function decodeWithSdk(baseURL: string): Promise<Decoded> {
  const sdk = new OpenAI({ baseURL, apiKey: 'x', maxRetries: 0 });
  const stream = await sdk.chat.completions.create({
    model: 'test-model',
    messages: [{ role: 'user', content: 'hi' }],
    stream: true,
  });
  const decoded: Decoded = { content: '', reasoning: '', finishReason: null, toolCallFragments: 0 };
  for await (const chunk of stream) {
    if (chunk.usage)
      decoded.usage = {
        prompt_tokens: chunk.usage.prompt_tokens,
        completion_tokens: chunk.usage.completion_tokens,
        total_tokens: chunk.usage.total_tokens,
      };
    const choice = chunk.choices?.[0];
    if (!choice) continue;
    const delta = choice.delta as typeof choice.delta & ReasoningDelta;
    decoded.content += delta.content ?? '';
    decoded.reasoning += delta.reasoning ?? delta.reasoning_content ?? '';
    decoded.toolCallFragments += delta.tool_calls?.length ?? 0;
    if (choice.finish_reason) decoded.finishReason = choice.finish_reason;
  }
  return decoded;
}

async function decodeWithOurs(baseUrl: string): Promise<Decoded> {
  const { events, error } = await drain(
    new ChatClient().streamChat(
      { baseUrl, apiKey: 'x' },
      { model: 'test-model', messages: [{ role: 'user', content: 'hi' }] },
      { splitThinkTags: false },
    ),
  );
  if (error) throw error;
  const summary = summarize(events);
  assert.ok(summary.done);
  const usage = summary.usage;
  return withoutUndefined({
    content: summary.content,
    reasoning: summary.reasoning,
    finishReason: summary.finishReasons.at(-1) ?? null,
    usage: usage
      ? {
          prompt_tokens: usage.promptTokens ?? NaN,
          completion_tokens: usage.completionTokens ?? NaN,
          total_tokens: usage.totalTokens ?? NaN,
        }
      : undefined,
    toolCallFragments: summary.toolCalls.length,
  });
}

/** Drops keys whose value is undefined, so "no usage" compares equal however it is spelled. */
function withoutUndefined(decoded: Decoded): Decoded {
  if (decoded.usage === undefined) delete decoded.usage;
  return decoded;
}

describe('conformance with the openai SDK (reference peer)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server.close();
  });
  beforeEach(() => server.reset());

  for (const fixture of fixtures) {
    it(`fixture "${fixture.name}": the SDK decodes it as expected; our client decodes it identically`, async () => {
      const expected: Decoded = withoutUndefined({
        content: fixture.expected.content,
        reasoning: fixture.expected.reasoning,
        finishReason: fixture.expected.finishReason,
        usage: fixture.expected.usage,
        toolCallFragments: fixture.expected.toolCallFragments ?? 0,
      });
      server.enqueue({ kind: 'stream', steps: [fixture.body] });
      const sdk = await decodeWithSdk(server.baseUrl);
      assert.deepEqual(sdk, expected, 'the server fixture is faithful (SDK view)');

      server.enqueue({ kind: 'stream', steps: [fixture.body] });
      const ours = await decodeWithOurs(server.baseUrl);
      assert.deepEqual(ours, sdk, 'our client agrees with the SDK');
    });
  }

  it('a fixture written in 7-byte pieces: SDK and ours agree', async () => {
    const fixture = fixtures.find((f) => f.name === 'multi-byte UTF-8 (emoji, CJK, accents)');
    assert.ok(fixture);
    server.enqueue({ kind: 'stream', steps: [fixture.body], chunkSize: 7 });
    const sdk = await decodeWithSdk(server.baseUrl);
    server.enqueue({ kind: 'stream', steps: [fixture.body], chunkSize: 7 });
    assert.deepEqual(await decodeWithOurs(server.baseUrl), sdk);
  });
});
