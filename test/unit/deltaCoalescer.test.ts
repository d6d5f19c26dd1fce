// The chat's delta coalescing (src/chat/deltaCoalescer.ts): an answer's text reaches the webview in
// few posts, complete and in order, one channel per message, as soon as nothing is in flight. The
// flush timer and the posts' landing are the test's own, so no test waits on a clock.
import * as assert from 'node:assert/strict';
import { DeltaCoalescer, type DeltaMessage, type FlushScheduler } from '../../src/chat/deltaCoalescer';
import { DELTA_POST_INTERVAL_MS } from '../../src/protocol';

/** A scheduler the test fires by hand, counting what is scheduled and cancelled, with the delay asked. */
function manualTimer() {
  const timer = { scheduled: 0, cancelled: 0, due: undefined as (() => void) | undefined, delayMs: -1 };
  const schedule: FlushScheduler = (flush, delayMs) => {
    timer.scheduled++;
    timer.due = flush;
    timer.delayMs = delayMs;
    return () => {
      timer.cancelled++;
      if (timer.due === flush) timer.due = undefined;
    };
  };
  const fire = () => {
    const due = timer.due;
    assert.ok(due, 'a flush is scheduled');
    timer.due = undefined;
    due();
  };
  return { timer, schedule, fire };
}

/** A coalescer whose posts land when the test says (`land()`), or at once with `landing: 'at once'`. */
function coalescer(landing: 'by hand' | 'at once' = 'at once') {
  const posted: DeltaMessage[] = [];
  const landings: (() => void)[] = [];
  const { timer, schedule, fire } = manualTimer();
  const deltas = new DeltaCoalescer((message) => {
    posted.push(message);
    if (landing === 'at once') return undefined;
    return new Promise<void>((resolve) => landings.push(resolve));
  }, schedule);
  /** The oldest post reaches the view; resolves after the coalescer has seen it. */
  const land = async () => {
    landings.shift()!();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { posted, timer, fire, deltas, land };
}

describe('delta coalescing (chat panel)', () => {
  it('300 deltas of one tick go out as one post with the whole text, once the tick is done', () => {
    const { posted, timer, fire, deltas } = coalescer();
    const pieces = Array.from({ length: 300 }, (_, index) => `w${index} `);
    for (const piece of pieces) deltas.add(7, 'content', piece);
    assert.equal(posted.length, 0, 'nothing is posted before the tick is done');
    assert.equal(timer.scheduled, 1, 'one flush is scheduled for the whole burst');
    assert.equal(timer.delayMs, 0, 'nothing is in flight: no waiting');
    fire();
    assert.deepEqual(posted, [{ type: 'delta', requestId: 7, channel: 'content', text: pieces.join('') }]);
  });

  it('while a post is in flight the text gathers, and goes out as soon as it lands', async () => {
    const { posted, timer, fire, deltas, land } = coalescer('by hand');
    deltas.add(1, 'content', 'first ');
    fire();
    deltas.add(1, 'content', 'second ');
    deltas.add(1, 'content', 'third');
    assert.equal(timer.delayMs, DELTA_POST_INTERVAL_MS, 'in flight: at the latest after the interval');
    assert.equal(posted.length, 1);
    const cancelled = timer.cancelled;
    await land();
    assert.equal(timer.delayMs, 0, 'landed: at once');
    assert.equal(timer.cancelled, cancelled + 1, 'the interval flush is cancelled');
    fire();
    assert.deepEqual(
      posted.map((message) => message.text),
      ['first ', 'second third'],
    );
  });

  it('a post that never lands does not hold the text back past the interval', () => {
    const { posted, timer, fire, deltas } = coalescer('by hand');
    let sent = '';
    for (let interval = 0; interval < 30; interval++) {
      for (let piece = 0; piece < 10; piece++) {
        const text = `${interval}.${piece} `;
        sent += text;
        deltas.add(1, 'content', text);
      }
      assert.equal(timer.delayMs, interval === 0 ? 0 : DELTA_POST_INTERVAL_MS);
      fire();
    }
    assert.equal(posted.length, 30);
    assert.equal(posted.map((message) => message.text).join(''), sent);
  });

  it('reasoning and content of one flush are two messages, the Thinking section first', () => {
    const { posted, fire, deltas } = coalescer();
    deltas.add(2, 'reasoning', 'Let me ');
    deltas.add(2, 'reasoning', 'think.');
    deltas.add(2, 'content', 'Answer');
    fire();
    assert.deepEqual(posted, [
      { type: 'delta', requestId: 2, channel: 'reasoning', text: 'Let me think.' },
      { type: 'delta', requestId: 2, channel: 'content', text: 'Answer' },
    ]);
  });

  it("another request's text first posts what is pending, at once", () => {
    const { posted, timer, deltas } = coalescer();
    deltas.add(1, 'content', 'old');
    deltas.add(2, 'content', 'new');
    assert.deepEqual(posted, [{ type: 'delta', requestId: 1, channel: 'content', text: 'old' }]);
    assert.equal(timer.cancelled, 1, "the old request's flush is cancelled");
    assert.equal(timer.scheduled, 2, 'and one is scheduled for the new one');
  });

  it('flush posts at once and cancels the scheduled flush; drop forgets the text', () => {
    const { posted, timer, deltas } = coalescer();
    deltas.add(3, 'content', 'kept');
    deltas.flush();
    assert.deepEqual(posted, [{ type: 'delta', requestId: 3, channel: 'content', text: 'kept' }]);
    assert.equal(timer.due, undefined);
    deltas.add(3, 'content', 'lost');
    deltas.drop();
    deltas.flush();
    assert.equal(posted.length, 1);
    assert.equal(timer.due, undefined);
  });

  it('by default a timer posts the deltas of the same tick together, after the tick', async () => {
    const posted: DeltaMessage[] = [];
    const arrived = new Promise<void>((resolve) => {
      const deltas = new DeltaCoalescer((message) => {
        posted.push(message);
        resolve();
      });
      deltas.add(4, 'content', 'a');
      deltas.add(4, 'content', 'b');
      assert.equal(posted.length, 0, 'not posted synchronously');
    });
    await arrived;
    assert.deepEqual(posted, [{ type: 'delta', requestId: 4, channel: 'content', text: 'ab' }]);
  });
});
