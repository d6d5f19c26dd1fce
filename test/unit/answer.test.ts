// The answer collector: the one fold from events to what a surface shows.
import * as assert from 'node:assert/strict';
import { AnswerCollector, ChatError, collectAnswer, type StreamEvent } from '../../src/api';

function fold(events: StreamEvent[]): AnswerCollector {
  const collector = new AnswerCollector();
  for (const event of events) collector.add(event);
  return collector;
}

async function* from(events: StreamEvent[], end?: Error): AsyncGenerator<StreamEvent, void, undefined> {
  for (const event of events) yield event;
  if (end !== undefined) throw end;
}

describe('answer collector', () => {
  it('folds content, reasoning (with its source), usage, finish reason and the model that answered', () => {
    const { answer } = fold([
      { type: 'open', status: 200, attempt: 1 },
      { type: 'model', model: 'llama-3-70b' },
      { type: 'role', role: 'assistant' },
      { type: 'reasoning', text: 'Think ', source: 'reasoning_content' },
      { type: 'reasoning', text: 'hard.', source: 'reasoning' },
      { type: 'content', text: 'Hello' },
      { type: 'content', text: ' world' },
      { type: 'finish', reason: 'stop' },
      { type: 'usage', usage: { promptTokens: 3, completionTokens: 2, totalTokens: 5 } },
      { type: 'done' },
    ]);
    assert.deepEqual(answer, {
      content: 'Hello world',
      reasoning: 'Think hard.',
      reasoningSource: 'reasoning_content',
      toolCalls: [],
      usage: { promptTokens: 3, completionTokens: 2, totalTokens: 5 },
      finishReason: 'stop',
      respondedModel: 'llama-3-70b',
      stopped: false,
    });
  });

  it('content-was-reasoning moves the content so far into reasoning; later content is the answer', () => {
    const { answer } = fold([
      { type: 'content', text: 'I should ' },
      { type: 'content', text: 'greet.\n' },
      { type: 'content-was-reasoning', text: 'I should greet.\n' },
      { type: 'content', text: 'Hi!' },
    ]);
    assert.equal(answer.content, 'Hi!');
    assert.equal(answer.reasoning, 'I should greet.\n');
    assert.equal(answer.reasoningSource, 'think-tag');
  });

  it('a retry (open with attempt > 1) starts the answer afresh; a repeated role changes nothing', () => {
    const { answer } = fold([
      { type: 'open', status: 200, attempt: 1 },
      { type: 'model', model: 'first' },
      { type: 'role', role: 'assistant' },
      { type: 'usage', usage: { promptTokens: 9 } },
      { type: 'open', status: 200, attempt: 2 },
      { type: 'model', model: 'second' },
      { type: 'role', role: 'assistant' },
      { type: 'role', role: 'assistant' },
      { type: 'content', text: 'Once.' },
      { type: 'finish', reason: 'stop' },
    ]);
    assert.equal(answer.content, 'Once.');
    assert.equal(answer.respondedModel, 'second');
    assert.equal(answer.usage, undefined, 'the failed attempt’s usage is not this answer’s');
  });

  it('assembles tool calls by index from their fragments', () => {
    const { answer } = fold([
      { type: 'tool-call', index: 0, id: 'call_1', name: 'get_weather', argumentsDelta: '' },
      { type: 'tool-call', index: 1, id: 'call_2', name: 'get_time', argumentsDelta: '{}' },
      { type: 'tool-call', index: 0, argumentsDelta: '{"city":' },
      { type: 'tool-call', index: 0, argumentsDelta: '"Oslo"}' },
    ]);
    assert.deepEqual(answer.toolCalls, [
      { index: 0, id: 'call_1', name: 'get_weather', arguments: '{"city":"Oslo"}' },
      { index: 1, id: 'call_2', name: 'get_time', arguments: '{}' },
    ]);
    assert.equal(answer.content, '');
  });

  it('an error after output keeps the content and records the error; a stop is `stopped`, not an error', async () => {
    const lost = new ChatError({ kind: 'interrupted', message: 'lost', afterOutput: true });
    const failed = await collectAnswer(from([{ type: 'content', text: 'Partial' }], lost));
    assert.equal(failed.content, 'Partial');
    assert.equal(failed.error, lost);
    assert.equal(failed.stopped, false);

    const stopped = await collectAnswer(
      from([{ type: 'content', text: 'Par' }], new ChatError({ kind: 'aborted', message: 'Request cancelled.' })),
    );
    assert.equal(stopped.content, 'Par');
    assert.equal(stopped.error, undefined);
    assert.equal(stopped.stopped, true);
  });

  it('anything else thrown is reported as a ChatError, not rethrown', async () => {
    const answer = await collectAnswer(from([{ type: 'content', text: 'x' }], new TypeError('bug')));
    assert.ok(answer.error instanceof ChatError);
    assert.equal(answer.error.message, 'bug');
  });

  it('leaving after done is not a stop; leaving before it is', () => {
    const complete = fold([{ type: 'content', text: 'a' }, { type: 'done' }]);
    complete.markStopped();
    assert.equal(complete.answer.stopped, false);
    const partial = fold([{ type: 'content', text: 'a' }]);
    partial.markStopped();
    assert.equal(partial.answer.stopped, true);
  });

  it('collectAnswer folds each event before onEvent; a throwing onEvent closes the stream and propagates', async () => {
    const seen: string[] = [];
    await collectAnswer(
      from([
        { type: 'content', text: 'a' },
        { type: 'content', text: 'b' },
      ]),
      (_event, answer) => seen.push(answer.content),
    );
    assert.deepEqual(seen, ['a', 'ab']);

    let closed = false;
    async function* tracked(): AsyncGenerator<StreamEvent, void, undefined> {
      try {
        yield { type: 'content', text: 'a' };
        yield { type: 'content', text: 'b' };
      } finally {
        closed = true;
      }
    }
    await assert.rejects(
      collectAnswer(tracked(), () => {
        throw new Error('render failed');
      }),
      /render failed/,
    );
    assert.equal(closed, true);
  });
});
