// Case 27: `<think>…</think>` in content becomes reasoning, wherever the deltas cut the tags.
import * as assert from 'node:assert/strict';
import { ThinkTagSplitter } from '../../src/api/think';
import type { StreamEvent } from '../../src/api';
import { seededRandom } from './helpers';

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
  for (let a = 0; a <= text.length; a++)
    for (let b = a; b <= text.length; b++)
      yield [text.slice(0, a), text.slice(a, b), text.slice(b)].filter((d) => d !== '');
}

function assertAllCuts(text: string, expected: Split): void {
  for (const deltas of threeWayCuts(text)) assert.deepEqual(split(deltas), expected, JSON.stringify(deltas));
}

/**
 * For long texts: every cut in two near markup (every 50th in plain prose), one delta per character,
 * random chunkings.
 */
function assertManyCuts(text: string, expected: Split): void {
  for (let a = 0; a <= text.length; a++) {
    if (a % 50 !== 0 && !/[<`~]/.test(text.slice(Math.max(0, a - 100), a + 100))) continue;
    const deltas = [text.slice(0, a), text.slice(a)].filter((d) => d !== '');
    assert.deepEqual(split(deltas), expected, `cut at ${a}`);
  }
  assert.deepEqual(split(Array.from(text)), expected, 'one delta per character');
  for (let seed = 1; seed <= 8; seed++) {
    const random = seededRandom(seed);
    const deltas: string[] = [];
    let start = 0;
    while (start < text.length) deltas.push(text.slice(start, (start += 1 + Math.floor(random() * 40))));
    assert.deepEqual(split(deltas), expected, `seed ${seed}`);
  }
}

/** About 4 KB of ordinary answer, lines of prose. */
const filler = 'The quick brown fox jumps over the lazy dog, and then it explains XML.\n'.repeat(58);

const asContent = (text: string): Split => ({ reasoning: '', content: text });

describe('case 27: think-tag splitter', () => {
  it('case 27: a leading <think> block is reasoning at every three-way cut; blank lines after it are dropped', () => {
    assertAllCuts('<think>Plan a < b.</think>\n\nAnswer <b>bold</b>', {
      reasoning: 'Plan a < b.',
      content: 'Answer <b>bold</b>',
    });
  });

  it('case 27: whitespace before the opening tag is allowed', () => {
    assertAllCuts('\n <think>x</think>y', { reasoning: 'x', content: 'y' });
  });

  it('case 27: a lone </think> at a line boundary makes the content so far reasoning (content-was-reasoning)', () => {
    assertAllCuts('hidden plan\n</think>\n\nVisible.', { reasoning: 'hidden plan\n', content: 'Visible.' });
    // Followed by a line break (spaces before it allowed), or starting a line (indent allowed).
    assertAllCuts('plan.</think>\nAnswer', { reasoning: 'plan.', content: 'Answer' });
    assertAllCuts('plan.</think> \t\r\nAnswer', { reasoning: 'plan.', content: 'Answer' });
    assertAllCuts('plan\n  </think>Answer', { reasoning: 'plan\n  ', content: 'Answer' });
    assertAllCuts('a<think>b\n</think>\nc', { reasoning: 'a<think>b\n', content: 'c' });
  });

  it('case 27: a <think> after the answer began is text, not a tag', () => {
    assertAllCuts('Use the <think> tag.', { reasoning: '', content: 'Use the <think> tag.' });
    assertAllCuts('a<think>b</think>c', { reasoning: '', content: 'a<think>b</think>c' });
  });

  it('case 27: a lone </think> mid-line is content, and a later one on its own line still ends reasoning', () => {
    assertAllCuts('a </think> b', asContent('a </think> b'));
    assertAllCuts('x</think>y</think>z', asContent('x</think>y</think>z'));
    assertAllCuts('Tags: </think>, </think>.\n</think>\nAnswer', {
      reasoning: 'Tags: </think>, </think>.\n',
      content: 'Answer',
    });
  });

  it('case 27: a lone </think> at the very end, not at a line start, is content (flush)', () => {
    assertAllCuts('Answer </think>', asContent('Answer </think>'));
    assertAllCuts('Answer</think>  ', asContent('Answer</think>  '));
    assertAllCuts('plan\n</think>', { reasoning: 'plan\n', content: '' });
  });

  it('case 27: a lone </think> in a fenced code block 4 KB into the answer is content', () => {
    const fences = [
      ['```xml\n', '```\n'],
      ['~~~\n', '~~~\n'],
      ['   ```\n', '   ```\n'],
      ['1. Close it:\n\n    ````html\n', '    ````\n'], // nested in a list: indented more than CommonMark's 3
    ];
    for (const [open, close] of fences) {
      const text = `${filler}${open}<think>\n</think>\n  </think>\n${close}Done.`;
      assertManyCuts(text, asContent(text));
    }
    // A shorter fence, or one of the other char, does not close the block; nor does one with text after it.
    for (const text of ['````\n```\n</think>\n````\n', '~~~\n```\n</think>\n~~~\n', '```\n``` x\n</think>\n```\n']) {
      assertAllCuts(text, asContent(text));
    }
    // The line that opens a fence is code already.
    assertAllCuts('~~~ </think>\n', asContent('~~~ </think>\n'));
  });

  it('case 27: a lone </think> in an inline code span is content, also one that spans lines', () => {
    assertAllCuts('Close with `</think>`.', asContent('Close with `</think>`.'));
    assertAllCuts('Type `a</think>\nb` here.', asContent('Type `a</think>\nb` here.'));
    assertAllCuts('Type `\n</think>\n` here.', asContent('Type `\n</think>\n` here.'));
    assertAllCuts('Type `a\r\n</think>\r\n` here.', asContent('Type `a\r\n</think>\r\n` here.'));
    assertAllCuts('``a ` b\n</think>\n``', asContent('``a ` b\n</think>\n``'));
    // An unclosed span is code too, up to the blank line that ends its paragraph.
    assertAllCuts('A stray ` here\n</think>\n', asContent('A stray ` here\n</think>\n'));
    assertAllCuts('A stray `\n\nplan\n</think>\nOK', { reasoning: 'A stray `\n\nplan\n', content: 'OK' });
  });

  it('case 27: after a fence or span closes, a lone </think> on its own line ends reasoning', () => {
    const plan = 'Plan:\n```js\nx = "</think>";\n</think>\n```\nThen `</think>` and\n';
    assertManyCuts(`${plan}</think>\n\nAnswer`, { reasoning: plan, content: 'Answer' });
    assertAllCuts('~~~\n</think>\n~~~~ \n</think>\nA', { reasoning: '~~~\n</think>\n~~~~ \n', content: 'A' });
    // A ``` with a backtick later on its line is two inline spans, not a fence.
    assertAllCuts('```x``` \n</think>\nA', { reasoning: '```x``` \n', content: 'A' });
    assertAllCuts('a\r\n```\r\n</think>\r\n```\r\n</think>\r\nA', {
      reasoning: 'a\r\n```\r\n</think>\r\n```\r\n',
      content: 'A',
    });
    const long = `${filler}\`\`\`\n</think>\n\`\`\`\n${filler}`;
    assertManyCuts(`${long}</think>\nAnswer`, { reasoning: long, content: 'Answer' });
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
    // Also after a lone </think> was judged to be text, and after one held back at the end of a delta.
    splitter.push(' a </think> b', events);
    splitter.push(' c', events);
    splitter.push(' d </think>', events);
    splitter.push(' e', events);
    splitter.push(' f', events);
    assert.deepEqual(events, [
      { type: 'content', text: 'Hello' },
      { type: 'content', text: ' world' },
      { type: 'content', text: ' a </think> b' },
      { type: 'content', text: ' c' },
      { type: 'content', text: ' d ' },
      { type: 'content', text: '</think> e' },
      { type: 'content', text: ' f' },
    ]);
  });
});
