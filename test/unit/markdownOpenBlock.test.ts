// A long table, list or code block as the open block (src/webview/openBlock.ts, openFence.ts, used
// by markdown.ts): every frame shows what a fresh render of the same text shows, the end is
// byte-identical to a one-shot render, and a frame at the end of the block parses about as much as
// one at its start (an open code block: nothing at all).
import * as assert from 'node:assert/strict';
import { md } from '../../src/webview/markdownRender';
import { growingBlock, windowShape } from '../../src/webview/openBlock';
import { seededRandom } from '../harness/random';
import { longList, longTable, randomChunks } from '../bench/renderFixture';
import { oneShot, Page } from './markdownPage';

/**
 * Streams `text` in random pieces, a frame after each; every `check`th frame the DOM must equal a
 * fresh render of the text so far. Returns the characters parsed by each frame.
 */
function streamChecked(text: string, seed: number, check: number, maxPiece = 12): number[] {
  return streamWatched(text, seed, check, maxPiece).parsed;
}

/** streamChecked, with the renderer's counters at the end and each table or list element ever shown. */
function streamWatched(text: string, seed: number, check: number, maxPiece = 12) {
  const page = new Page();
  const { root, markdown } = page.renderer();
  const random = seededRandom(seed);
  const parsed: number[] = [];
  const shown = new Set<Element>();
  let frames = 0;
  for (const chunk of randomChunks(text, random, 1, maxPiece)) {
    markdown.append(chunk);
    page.frame();
    parsed.push(markdown.stats.lastParsedChars);
    for (const element of root.querySelectorAll(':scope > * > table, :scope > * > ul, :scope > * > ol'))
      shown.add(element);
    if (++frames % check !== 0) continue;
    const fresh = page.renderer();
    fresh.markdown.reset(markdown.text);
    fresh.markdown.flush();
    assert.equal(root.innerHTML, fresh.root.innerHTML, `after ${markdown.text.length} characters`);
    fresh.root.remove();
  }
  markdown.finish();
  const final = [...root.querySelectorAll(':scope > * > table, :scope > * > ul, :scope > * > ol')];
  root.remove();
  assert.equal(root.innerHTML, oneShot(page, text));
  return { parsed, stats: markdown.stats, shown, final };
}

/** The most characters one frame parsed among the last `n` frames. */
const lastFrames = (parsed: number[], n: number) => Math.max(...parsed.slice(-n));

describe('StreamingMarkdown: a long open block', () => {
  it('a table: every frame as a fresh render; a frame at its end parses only the header and last rows', () => {
    const text = longTable(3_000);
    const parsed = streamChecked(text, 11, 9);
    assert.ok(lastFrames(parsed, 50) < 400, `a frame near the end parsed ${lastFrames(parsed, 50)} characters`);
  });

  it('a tight list, with nested items, continuation lines and a fence in an item', () => {
    const items = Array.from({ length: 80 }, (_, i) =>
      i % 17 === 3
        ? `- item ${i}\n  - nested a\n  - nested b`
        : i % 23 === 5
          ? `- item ${i} that goes on\n  over a second line`
          : i % 41 === 7
            ? `- item ${i}\n  \`\`\`ts\n  const x = ${i};\n  \`\`\``
            : `- item ${i} with *emphasis* and \`code\``,
    );
    const text = `Intro:\n\n${items.join('\n')}\n`;
    const parsed = streamChecked(text, 12, 7);
    assert.ok(lastFrames(parsed, 50) < 400, `a frame near the end parsed ${lastFrames(parsed, 50)} characters`);
  });

  it('an ordered list starting at 3, then another list marker, then a paragraph', () => {
    const items = Array.from({ length: 60 }, (_, i) => `${i + 3}. step ${i + 3}`).join('\n');
    const text = `${items}\n- other marker\n- again\n\nAfter the lists.\n`;
    streamChecked(text, 13, 3);
  });

  it('a list that turns loose after many items, and a table that ends with a paragraph', () => {
    const tight = Array.from({ length: 40 }, (_, i) => `* point ${i}`).join('\n');
    const text = `${tight}\n\n* now loose\n* and more\n\n${longTable(1_000)}Done.\n`;
    streamChecked(text, 14, 3);
  });

  it('a 500-item list: the last frames parse as little as the first ones', () => {
    const parsed = streamChecked(longList(500), 15, 1_000);
    const early = Math.max(...parsed.slice(100, 200));
    assert.ok(lastFrames(parsed, 100) <= 2 * early, `end ${lastFrames(parsed, 100)} vs start ${early} characters`);
  });

  describe('a long table or list that ends is frozen with the nodes it has', () => {
    it('a table that ends with a paragraph, a list that ends the answer: each one element all along', () => {
      const list = Array.from({ length: 40 }, (_, i) => `- step ${i} with \`code\` and *emphasis*`).join('\n');
      const { stats, shown, final } = streamWatched(`${longTable(1_500)}\nAfter the table.\n\n${list}\n`, 31, 5);
      assert.ok(stats.keptBlocks >= 2);
      assert.equal(final.length, 2);
      assert.equal(shown.size, 2, 'the table and the list were each built once, then kept');
      assert.ok(final.every((element) => shown.has(element)));
    });

    it('what follows right after, in the same frame as its end, renders too', () => {
      const table = longTable(800).slice(longTable(800).indexOf('|'));
      for (const seed of [32, 33, 34]) {
        const { stats } = streamWatched(`${table}\n# Next\n\n- a\n- b\n\nEnd.`, seed, 1, 40);
        assert.ok(stats.keptBlocks >= 1);
      }
    });

    it('a link label defined after the table: its cell is rendered again with the link', () => {
      const rows = Array.from({ length: 20 }, (_, i) => `| ${i} | see [the docs][docs] |`).join('\n');
      const text = `| # | Where |\n|---|---|\n${rows}\n\nMore text.\n\n[docs]: https://example.com/docs\n`;
      const { stats } = streamWatched(text, 35, 3);
      assert.ok(stats.keptBlocks >= 1);
      assert.ok(stats.rerenderedChunks >= 1);
    });

    it('one holding a code block (coloured in place) or defining a link label ends as a one-shot render', () => {
      const items = Array.from({ length: 12 }, (_, i) => `- item ${i}`).join('\n');
      streamWatched(`${items}\n- code:\n  \`\`\`ts\n  const x = 1;\n  \`\`\`\n- last\n\nDone.\n`, 36, 1, 6);
      streamWatched(`${items}\n- [x]: https://example.com\n- uses [x]\n\nDone [x].\n`, 37, 1, 6);
    });
  });

  describe('a code block grows by appending to its text', () => {
    const line = (i: number, language: string) => `\tvalue${i} := compute(${i}, "text") // ${language} \`tick\``;
    const code = (lines: number, language = 'go') =>
      Array.from({ length: lines }, (_, i) => line(i, language)).join('\n');

    it('a long fence: every frame as a fresh render, and its frames parse nothing', () => {
      const text = `Here it is:\n\n\`\`\`go\n${code(300)}\n\`\`\`\n\nAfter the code.\n`;
      const parsed = streamChecked(text, 21, 5);
      const inCode = parsed.slice(20, -20);
      assert.ok(
        inCode.filter((chars) => chars === 0).length > inCode.length * 0.9,
        `frames that parsed: ${inCode.filter((chars) => chars > 0).length} of ${inCode.length}`,
      );
    });

    it('lines that look like fences: only a real closing line ends it', () => {
      const inner = ['``', '```js', '~~~', '    ```', ' `` `', '```` x', 'text ```', '\t```'].join('\n');
      for (const [seed, fence] of [
        [22, '```'],
        [23, '````'],
        [24, '~~~'],
      ] as const) {
        const close = fence[0] === '~' ? '   ~~~~~' : `  ${fence}${fence[0]}  `;
        streamChecked(`${fence}\n${inner}\n${code(20)}\n${close}\nThen a paragraph.\n`, seed, 1, 6);
      }
    });

    it('where it does not grow (indented, in a list, after a paragraph, CRLF, empty) it still renders right', () => {
      streamChecked(`  \`\`\`ts\n${code(30, 'ts')}\n  \`\`\`\ndone\n`, 25, 1, 8);
      streamChecked(`- item\n  \`\`\`ts\n  const x = 1;\n  const y = 2;\n  \`\`\`\n- next\n`, 26, 1, 4);
      streamChecked(`A paragraph\n\`\`\`\n${code(30)}\n\`\`\``, 27, 1, 8);
      streamChecked(`\`\`\`py\r\nx = 1\r\ny = 2\r\n\`\`\`\r\n`, 28, 1, 3);
      streamChecked('```\n\n\n```\n\n```\n```\n', 29, 1, 2);
    });
  });

  describe('growingBlock and windowShape', () => {
    const grow = (text: string) => {
      const tokens = md.parse(text, {});
      const starts = [0, ...[...text.matchAll(/\n/g)].map((m) => m.index + 1)];
      return { tokens, block: growingBlock(tokens, 0, text, starts, 0) };
    };

    it('a table: the header kept, the window at its last row', () => {
      const text = '| a | b |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |\n| 5 |';
      const { block } = grow(text);
      assert.deepEqual(
        { head: block?.head, window: text.slice(block!.windowStart), settled: block?.settled },
        { head: '| a | b |\n|---|---|\n', window: '| 5 |', settled: 2 },
      );
    });

    it('not for a loose list, a paragraph, or a list of one item', () => {
      assert.equal(grow('- a\n\n- b\n- c\n').block, undefined);
      assert.equal(grow('some\ntext\n').block, undefined);
      assert.equal(grow('- a\n').block, undefined);
    });

    it('a window that is no longer one block of the same kind is refused', () => {
      const { block } = grow('- a\n- b\n- c\n');
      const shape = (source: string) => windowShape(md.parse(source, {}), block!);
      assert.deepEqual(shape('- c\n- d\n- e'), { parts: 3, lastLine: 2 });
      assert.equal(shape('- c\n+ d\n'), undefined, 'another marker starts another list');
      assert.equal(shape('- c\n\n- d\n'), undefined, 'loose');
      assert.equal(shape('- c\n\ntext\n'), undefined, 'the list ended');
      assert.equal(shape('1. c\n'), undefined, 'another kind of list');
    });
  });
});
