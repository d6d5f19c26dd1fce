// The batch → event iterator behind streamChat: order, overlapping next() calls, early exit.
import * as assert from 'node:assert/strict';
import { EventIterator } from '../../src/api/events';
import type { StreamEvent } from '../../src/api';

const content = (text: string): StreamEvent => ({ type: 'content', text });

describe('EventIterator', () => {
  it('hands out each event of every batch in order, skipping empty batches; a reused batch array is safe', async () => {
    const reused: StreamEvent[] = [];
    async function* batches(): AsyncGenerator<readonly StreamEvent[], void, undefined> {
      reused.push(content('a'), content('b'));
      yield reused;
      reused.length = 0;
      yield [];
      reused.push(content('c'));
      yield reused;
      reused.length = 0;
    }
    const texts: string[] = [];
    for await (const event of new EventIterator(batches())) if (event.type === 'content') texts.push(event.text);
    assert.deepEqual(texts, ['a', 'b', 'c']);
  });

  it('answers overlapping next() calls in order, then done', async () => {
    async function* batches(): AsyncGenerator<readonly StreamEvent[], void, undefined> {
      yield [content('1')];
      yield [content('2'), content('3')];
    }
    const iterator = new EventIterator(batches());
    const results = await Promise.all([iterator.next(), iterator.next(), iterator.next(), iterator.next()]);
    assert.deepEqual(results, [
      { done: false, value: content('1') },
      { done: false, value: content('2') },
      { done: false, value: content('3') },
      { done: true, value: undefined },
    ]);
  });

  it('a next() made after an earlier one resolved, while another is still queued, waits its turn', async () => {
    async function* batches(): AsyncGenerator<readonly StreamEvent[], void, undefined> {
      yield [content('a'), content('b'), content('c')];
    }
    const iterator = new EventIterator(batches());
    const callA = iterator.next();
    const callB = iterator.next();
    const callC = callA.then(() => iterator.next());
    assert.deepEqual(await Promise.all([callA, callB, callC]), [
      { done: false, value: content('a') },
      { done: false, value: content('b') },
      { done: false, value: content('c') },
    ]);
  });

  it('yields the events before an error, then rejects with it; stopping early runs the producer cleanup', async () => {
    async function* failing(): AsyncGenerator<readonly StreamEvent[], void, undefined> {
      yield [content('kept')];
      throw new Error('boom');
    }
    const seen: string[] = [];
    await assert.rejects(
      (async () => {
        for await (const event of new EventIterator(failing())) if (event.type === 'content') seen.push(event.text);
      })(),
      /boom/,
    );
    assert.deepEqual(seen, ['kept']);

    let cleanedUp = false;
    async function* endless(): AsyncGenerator<readonly StreamEvent[], void, undefined> {
      try {
        for (;;) yield [content('x')];
      } finally {
        cleanedUp = true;
      }
    }
    for await (const event of new EventIterator(endless())) if (event.type === 'content') break;
    assert.equal(cleanedUp, true);
  });
});
