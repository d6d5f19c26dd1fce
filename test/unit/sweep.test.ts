// Cases 13, 14, 17–21: every fixture decodes to the same events however the bytes are cut, through
// the client's production read loop (only the socket is replaced: each piece is one body read).
import * as assert from 'node:assert/strict';
import { AnswerCollector, type StreamEvent } from '../../src/api';
import { fixtures, type Fixture } from '../server/fixtures';
import {
  bytesOf,
  cutAt,
  decodeThroughClient,
  drain,
  randomChunking,
  source,
  summarize,
  type InMemoryOptions,
} from './helpers';

async function decode(pieces: Uint8Array[], options: InMemoryOptions): Promise<StreamEvent[]> {
  const { events, error } = await drain(decodeThroughClient(source(pieces), options));
  if (error) throw error;
  return events;
}

function describeCut(pieces: Uint8Array[]): string {
  return pieces.map((piece) => piece.length).join('+');
}

function checkAgainstFixture(events: StreamEvent[], fixture: Fixture): void {
  const summary = summarize(events);
  assert.equal(summary.content, fixture.expected.content);
  assert.equal(summary.reasoning, fixture.expected.reasoning);
  assert.deepEqual(
    summary.finishReasons,
    fixture.expected.finishReason === null ? [] : [fixture.expected.finishReason],
  );
  if (fixture.expected.usage) {
    assert.deepEqual(summary.usage, {
      promptTokens: fixture.expected.usage.prompt_tokens,
      completionTokens: fixture.expected.usage.completion_tokens,
      totalTokens: fixture.expected.usage.total_tokens,
    });
  }
  assert.equal(summary.toolCalls.length, fixture.expected.toolCallFragments ?? 0);
  assert.ok(summary.done, 'ends with done');
  assert.ok(!summary.content.includes('\uFFFD'), 'no replacement character');
  assert.ok(!summary.content.startsWith('\uFEFF'), 'no BOM in the text');
}

/** With think tags split, the answer a surface shows (content-was-reasoning applied by the collector). */
function checkSplitAnswer(events: StreamEvent[], fixture: Fixture): void {
  const collector = new AnswerCollector();
  for (const event of events) collector.add(event);
  const { content, reasoning } = collector.answer;
  const expected = fixture.expected.split ?? {
    content: fixture.expected.content,
    reasoning: fixture.expected.reasoning,
  };
  assert.deepEqual({ content, reasoning }, expected);
}

describe('split-point sweep (the client read loop over in-memory reads)', () => {
  for (const fixture of fixtures) {
    describe(fixture.name, () => {
      const bytes = bytesOf(fixture.body);

      for (const splitThinkTags of [false, true]) {
        const mode = splitThinkTags ? 'think tags split' : 'raw content';
        it(`cases 17-21: cut in two at every byte offset (${mode})`, async () => {
          const reference = await decode([bytes], { splitThinkTags });
          if (!splitThinkTags) checkAgainstFixture(reference, fixture);
          else checkSplitAnswer(reference, fixture);
          for (let offset = 1; offset < bytes.length; offset++) {
            const pieces = cutAt(bytes, offset);
            assert.deepEqual(await decode(pieces, { splitThinkTags }), reference, `cut ${describeCut(pieces)}`);
          }
        });
      }

      it('cases 13, 14: 1-byte drip, random chunkings and one buffered piece decode identically', async () => {
        const reference = await decode([bytes], { splitThinkTags: true });
        const drip = Array.from(bytes, (_, i) => bytes.subarray(i, i + 1));
        assert.deepEqual(await decode(drip, { splitThinkTags: true }), reference, '1-byte drip');
        for (let seed = 1; seed <= 8; seed++) {
          const pieces = randomChunking(bytes, seed, seed % 2 ? 7 : 97);
          assert.deepEqual(
            await decode(pieces, { splitThinkTags: true }),
            reference,
            `seed ${seed}: ${describeCut(pieces)}`,
          );
        }
        // Empty reads in between change nothing either.
        const withEmpties = cutAt(bytes, 3, 3, bytes.length >> 1, bytes.length >> 1);
        assert.deepEqual(await decode(withEmpties, { splitThinkTags: true }), reference);
      });
    });
  }
});
