// Case 27: `<think>…</think>` in content becomes reasoning, wherever the deltas cut the tags.
import * as assert from 'node:assert/strict';
import { ThinkTagSplitter } from '../../src/api/think';
import type { StreamEvent } from '../../src/api';

interface Split {
  reasoning: string;
  content: string;
}

/** Feeds the deltas like the decoder does and applies `content-was-reasoning` like a consumer must. */
function split(deltas: string[]): Split {
  const splitter = new ThinkTagSplitter();
  const events: StreamEvent[] = [];
  for (const delta of deltas) splitter.push(delta, events);
  splitter.flush(events);
  let reasoning = '';
  let content = '';
  for (const event of events) {
    if (event.type === 'content') content += event.text;
    else if (event.type === 'reasoning') reasoning += event.text;
    else if (event.type === 'content-was-reasoning') {
      assert.equal(event.text, content, 'carries exactly the content yielded so far');
      reasoning = event.text + reasoning;
      content = '';
    }
    if (event.type === 'content' || event.type === 'reasoning') assert.notEqual(event.text, '', 'no empty events');
  }
  return { reasoning, content };
}

/** Every way to cut `text` into three deltas (two cut points). */
function* threeWayCuts(text: string): Generator<string[]> {
  for (let a = 0; a <= text.length; a++) for (let b = a; b <= text.length; b++) yield [text.slice(0, a), text.slice(a, b), text.slice(b)].filter((d) => d !== '');
}

function assertAllCuts(text: string, expected: Split): void {
  for (const deltas of threeWayCuts(text)) assert.deepEqual(split(deltas), expected, JSON.stringify(deltas));
}

describe('case 27: think-tag splitter', () => {
  it('case 27: a leading <think> block is reasoning at every pair of cut points; blank lines after it are dropped', () => {
    assertAllCuts('<think>Plan a < b.</think>\n\nAnswer <b>bold</b>', { reasoning: 'Plan a < b.', content: 'Answer <b>bold</b>' });
  });

  it('case 27: whitespace before the opening tag is allowed', () => {
    assertAllCuts('\n <think>x</think>y', { reasoning: 'x', content: 'y' });
  });

  it('case 27: a lone </think> turns the content so far into reasoning (content-was-reasoning)', () => {
    assertAllCuts('hidden plan</think>Visible.', { reasoning: 'hidden plan', content: 'Visible.' });
  });

  it('case 27: a <think> after the answer began is text, not a tag', () => {
    assertAllCuts('Use the <think> tag.', { reasoning: '', content: 'Use the <think> tag.' });
    assertAllCuts('a<think>b</think>c', { reasoning: 'a<think>b', content: 'c' });
  });

  it('case 27: tags after the block are text', () => {
    assertAllCuts('<think>r</think>x</think><think>y', { reasoning: 'r', content: 'x</think><think>y' });
  });

  it('case 27: an unclosed block is all reasoning; a cut-off tag at the end is kept', () => {
    assertAllCuts('<think>still thinking', { reasoning: 'still thinking', content: '' });
    assert.deepEqual(split(['Answer ', '</thi']), { reasoning: '', content: 'Answer </thi' });
    assert.deepEqual(split(['<thi']), { reasoning: '', content: '<thi' });
    assert.deepEqual(split(['a <', ' b']), { reasoning: '', content: 'a < b' });
  });

  it('case 27: content without "<" passes straight through, one event per delta', () => {
    const splitter = new ThinkTagSplitter();
    const events: StreamEvent[] = [];
    splitter.push('Hello', events);
    splitter.push(' world', events);
    assert.deepEqual(events, [
      { type: 'content', text: 'Hello' },
      { type: 'content', text: ' world' },
    ]);
  });
});
