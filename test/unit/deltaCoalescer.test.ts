// The chat's delta coalescing (src/chat/deltaCoalescer.ts): an answer's text reaches the webview in
// few posts, complete and in order, one channel per message. The flush timer is the test's own, so
// no test waits on a clock.
import * as assert from 'node:assert/strict';
import { DeltaCoalescer, type DeltaMessage, type FlushScheduler } from '../../src/chat/deltaCoalescer';

/** A scheduler the test fires by hand, counting what is scheduled and cancelled. */
function manualTimer() {
  const timer = { scheduled: 0, cancelled: 0, due: undefined as (() => void) | undefined };
  const schedule: FlushScheduler = (flush) => {
    timer.scheduled++;
    timer.due = flush;
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

function coalescer() {
  const posted: DeltaMessage[] = [];
  const { timer, schedule, fire } = manualTimer();
  const deltas = new DeltaCoalescer((message) => posted.push(message), schedule);
  return { posted, timer, fire, deltas };
}

describe('delta coalescing (chat panel)', () => {
  it('300 deltas arriving within one interval go out as one post with the whole text', () => {
    const { posted, timer, fire, deltas } = coalescer();
    const pieces = Array.from({ length: 300 }, (_, index) => `w${index} `);
    for (const piece of pieces) deltas.add(7, 'content', piece);
    assert.equal(posted.length, 0, 'nothing is posted before the interval ends');
    assert.equal(timer.scheduled, 1, 'one flush is scheduled for the whole burst');
    fire();
    assert.deepEqual(posted, [{ type: 'delta', requestId: 7, channel: 'content', text: pieces.join('') }]);
  });

  it('a stream spread over many intervals posts once per interval, and the text adds up', () => {
    const { posted, fire, deltas } = coalescer();
    let sent = '';
    for (let interval = 0; interval < 30; interval++) {
      for (let piece = 0; piece < 10; piece++) {
        const text = `${interval}.${piece} `;
        sent += text;
        deltas.add(1, 'content', text);
      }
      fire();
    }
    assert.equal(posted.length, 30);
    assert.equal(posted.map((message) => message.text).join(''), sent);
  });

  it('reasoning and content of one interval are two messages, the Thinking section first', () => {
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

  it('by default a timer posts the deltas of the same tick together, later', async () => {
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
