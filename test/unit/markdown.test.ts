// The streaming markdown renderer (src/webview/markdown.ts) against a jsdom window, frames driven by
// the test: random chunkings end byte-identical to a one-shot render, finished blocks are rendered
// once, open fences stay plain until they close, markers on the line being typed do not flash.
import * as assert from 'node:assert/strict';
import { JSDOM } from 'jsdom';
import type { StreamingMarkdownOptions } from '../../src/webview/markdown';
import { GROUP_NODES } from '../../src/webview/frozenGroups';
import { md } from '../../src/webview/markdownRender';
import { seededRandom } from '../harness/random';
import { randomChunks, sampleAnswer } from '../bench/renderFixture';
import { oneShot, Page } from './markdownPage';

/** Streams `chunks`, running a frame after a chunk with probability `frameChance`, then finishes. */
function streamed(
  page: Page,
  chunks: string[],
  random: () => number,
  frameChance: number,
  options?: StreamingMarkdownOptions,
  idleChance = 0,
): HTMLElement {
  const { root, markdown } = page.renderer(options);
  for (const chunk of chunks) {
    markdown.append(chunk);
    if (random() < frameChance) page.frame();
    if (random() < idleChance) page.idle();
  }
  markdown.finish();
  assert.equal(page.framesRequested, 0, 'finish() cancels the pending frame');
  const text = chunks.join('');
  assert.equal(markdown.text, text);
  assert.ok(markdown.hasText(text), 'hasText() agrees with text');
  const other = text.slice(0, text.length >> 1) + '\u0000' + text.slice((text.length >> 1) + 1);
  assert.ok(!markdown.hasText(other) && !markdown.hasText(`${text} `), 'hasText() tells another text apart');
  root.remove(); // jsdom's DOM operations slow down as the document grows
  return root;
}

/** The frozen part of the DOM: every node of the groups before the live element. */
function frozenNodes(root: HTMLElement): ChildNode[] {
  const nodes: ChildNode[] = [];
  for (const node of root.childNodes) {
    if ((node as Element).classList?.contains('md-live')) break;
    assert.ok((node as Element).classList?.contains('md-group'), 'finished blocks sit in groups');
    nodes.push(...node.childNodes);
  }
  return nodes;
}

/** The longest top-level block of `text` (with the blank lines after it), in characters. */
function longestBlock(text: string): number {
  const lines = text.split('\n').map((line) => line.length + 1);
  const starts = md
    .parse(text, {})
    .filter((token) => token.level === 0 && token.nesting !== -1 && token.map !== null)
    .map((token) => token.map![0]);
  starts.push(lines.length);
  let longest = 0;
  for (let i = 0; i + 1 < starts.length; i++)
    longest = Math.max(
      longest,
      lines.slice(starts[i], starts[i + 1]).reduce((a, b) => a + b, 0),
    );
  return longest;
}

describe('StreamingMarkdown', () => {
  // 12 KB keeps a jsdom frame count that runs in seconds; the benchmark streams 48 KB in Chromium.
  const answer = sampleAnswer(12_000);

  it('the sample answer has what the chunking tests need', () => {
    assert.equal(answer.length, 12_000);
    for (const needle of [
      '```ts',
      '```python',
      '````markdown',
      '```json',
      '```rust',
      '```go',
      '| Server |',
      '  - only sent',
      '[docs]: https://',
      '[spec]: https://',
      '***',
      '\n# ',
      '\n-------------',
    ]) {
      assert.ok(answer.includes(needle), needle);
    }
    assert.ok(!answer.trimEnd().endsWith('```'), 'the last fence is never closed');
  });

  describe('random chunkings end byte-identical to a one-shot render', () => {
    const page = new Page();
    const expected = oneShot(page, answer);

    it('the one-shot render has every construct', () => {
      const { window } = new JSDOM(`<div>${expected}</div>`);
      const doc = window.document;
      assert.equal(doc.querySelectorAll('div.code-block').length, 6);
      assert.equal(doc.querySelectorAll('code.hljs span[class^="hljs-"]').length > 100, true);
      assert.equal(doc.querySelectorAll('table tbody tr').length, 5);
      assert.equal(doc.querySelectorAll('ul ul li').length, 2);
      assert.ok(
        doc.querySelector('a[href="https://docs.example.com/guide"][title="The guide"]'),
        'a reference used before its definition resolves',
      );
      assert.ok(doc.querySelector('a[href="https://spec.example.org/sse"]'));
      assert.ok(doc.querySelector('hr') && doc.querySelector('h1') && doc.querySelector('h2'));
    });

    for (const [name, min, max, frameChance] of [
      ['small pieces (1–12), seed 1', 1, 12, 0.35],
      ['small pieces (1–12), seed 2', 1, 12, 0.2],
      ['a 1-character drip (seed 3)', 1, 1, 0.08],
      ['medium pieces (20–200), seed 4', 20, 200, 0.7],
      ['big pieces (1,000–8,000), seed 5', 1000, 8000, 1],
    ] as const) {
      it(name, () => {
        const random = seededRandom(Number(name.slice(-2, -1)));
        const root = streamed(page, randomChunks(answer, random, min, max), random, frameChance);
        assert.equal(root.innerHTML, expected);
      });
    }

    it('with idle periods between frames (code blocks coloured in place, in the tail and frozen)', () => {
      for (const seed of [8, 9]) {
        const random = seededRandom(seed);
        const root = streamed(page, randomChunks(answer, random, 1, 40), random, 0.5, undefined, 0.3);
        assert.equal(root.innerHTML, expected);
      }
    });

    it('the whole-message baseline ends the same', () => {
      const random = seededRandom(6);
      const root = streamed(page, randomChunks(answer.slice(0, 5_000), random, 20, 400), random, 1, {
        baseline: 'whole',
      });
      assert.equal(root.innerHTML, oneShot(page, answer.slice(0, 5_000)));
    });

    it('CRLF line breaks split between deltas', () => {
      const text = answer.slice(0, 6_000).replace(/\n/g, '\r\n');
      const random = seededRandom(7);
      const root = streamed(page, randomChunks(text, random, 1, 7), random, 0.3);
      assert.equal(root.innerHTML, oneShot(page, text));
    });
  });

  it('renders finished blocks once: frozen nodes are kept, each frame parses only the open tail', () => {
    const page = new Page();
    const { root, markdown } = page.renderer();
    const text = sampleAnswer(6_000);
    const tailBound = 2 * longestBlock(text) + 200;
    let frozen: ChildNode[] = [];
    let rerendered = 0;
    let wholeMessageCost = 0;
    for (const chunk of randomChunks(text, seededRandom(8), 4, 4)) {
      wholeMessageCost += markdown.text.length + chunk.length;
      const tailBefore = markdown.text.length - markdown.stats.frozenChars;
      markdown.append(chunk);
      const reRenderedCharsBefore = markdown.stats.rerenderedChars;
      page.frame();
      const { stats } = markdown;
      // This frame parsed the tail (and the blocks it froze, once; and, when the tail was a growing
      // table or list that just ended, its window first): never the frozen text again.
      assert.ok(
        stats.lastParsedChars - (stats.rerenderedChars - reRenderedCharsBefore) <= 3 * (tailBefore + chunk.length),
        `frame parsed ${stats.lastParsedChars} characters`,
      );
      assert.ok(
        markdown.text.length - stats.frozenChars <= tailBound,
        `tail of ${markdown.text.length - stats.frozenChars} characters (bound ${tailBound})`,
      );
      const now = frozenNodes(root);
      if (stats.rerenderedChunks === rerendered) {
        assert.ok(
          frozen.every((node, i) => now[i] === node),
          'frozen nodes are the same objects, in the same place',
        );
      }
      rerendered = stats.rerenderedChunks;
      frozen = now;
    }
    assert.ok(markdown.stats.frozenChunks > 20, `${markdown.stats.frozenChunks} chunks frozen`);
    // Only the chunks that used [docs] or [spec] before its definition: intro (twice), table, quote.
    assert.ok(rerendered >= 3 && rerendered <= 5, `${rerendered} chunks rendered again`);
    // Re-parsing the whole message every frame would parse wholeMessageCost characters (quadratic).
    assert.ok(
      markdown.stats.parsedChars < 0.1 * wholeMessageCost,
      `parsed ${markdown.stats.parsedChars} characters in all, whole-message ${wholeMessageCost}`,
    );
  });

  it('finish() highlights the code blocks still waiting for an idle period, at once', () => {
    const page = new Page();
    const { root, markdown } = page.renderer();
    for (const chunk of randomChunks(sampleAnswer(24_000), seededRandom(4), 1, 40)) {
      markdown.append(chunk);
      page.frame();
    }
    assert.ok(root.querySelector('.code-highlight-pending'), 'code blocks wait while the answer streams');
    assert.ok(page.idleRequested > 0);
    markdown.finish();
    assert.equal(root.querySelector('.code-highlight-pending'), null);
    assert.ok(root.querySelectorAll('code.hljs span[class^="hljs-"]').length > 50, 'highlighted');
    assert.equal(page.idleRequested, 0, 'no idle work left behind');
    assert.equal(root.innerHTML, oneShot(page, markdown.text));
  });

  it('finished blocks sit in groups of GROUP_NODES nodes, every one full but the last, as in a one-shot render', () => {
    const page = new Page();
    const chunks = randomChunks(sampleAnswer(24_000), seededRandom(3), 1, 40);
    const root = streamed(page, chunks, () => 0, 1); // a frame after every chunk
    const groups = [...root.children];
    assert.ok(groups.length >= 3, `${groups.length} groups`);
    assert.equal(root.childNodes.length, groups.length, 'nothing but groups at the top level');
    groups.forEach((group, i) => {
      assert.equal(group.className, 'md-group');
      if (i < groups.length - 1) assert.equal(group.childNodes.length, GROUP_NODES, `group ${i} is full`);
    });
    assert.equal(root.innerHTML, oneShot(page, chunks.join('')));
  });

  it('between frames the DOM is what a fresh render of the same text shows (live blocks patched in place)', () => {
    const page = new Page();
    const { root, markdown } = page.renderer();
    const random = seededRandom(9);
    let frames = 0;
    for (const chunk of randomChunks(sampleAnswer(6_000), random, 1, 20)) {
      markdown.append(chunk);
      page.frame();
      if (++frames % 7 !== 0) continue;
      const fresh = page.renderer();
      fresh.markdown.reset(markdown.text);
      fresh.markdown.flush();
      assert.equal(root.innerHTML, fresh.root.innerHTML, `after ${markdown.text.length} characters`);
      fresh.root.remove();
    }
  });

  it('text typed at the end of an open block is appended to its last text node; every frame as a fresh render', () => {
    const text = [
      '## A heading that grows word by word',
      'A paragraph with *emphasis*, `inline code`, a [link](https://example.com/a) and https://example.com/auto ' +
        'then plain words again, a < b && c > d, "quoted" and \'single\', a\ttab.',
      '- an item that grows\n- another *item* with `code`\n  - nested and growing',
      '> a quote that grows\n> over two lines',
      '| a | b |\n|---|---|\n| cell text | more text |',
      'Last paragraph ending with **bold** then words.',
    ].join('\n\n');
    // The blocks, whether frozen or live: a block before a table whose delimiter row is being typed
    // may already be frozen here and not yet in a fresh render (both right).
    const blocks = (root: HTMLElement) => [...root.children].map((wrapper) => wrapper.innerHTML).join('');
    const page = new Page();
    const { root, markdown } = page.renderer();
    let frames = 0;
    for (const chunk of randomChunks(text, seededRandom(31), 1, 6)) {
      markdown.append(chunk);
      page.frame();
      frames++;
      const fresh = page.renderer();
      fresh.markdown.reset(markdown.text);
      fresh.markdown.flush();
      assert.equal(blocks(root), blocks(fresh.root), `after ${markdown.text.length} characters`);
      fresh.root.remove();
    }
    const { grownTexts } = markdown.stats;
    assert.ok(grownTexts > frames / 3, `${grownTexts} of ${frames} frames appended their text`);
  });

  it('renders at most once per animation frame and says so with one bubbling event', () => {
    const page = new Page();
    const { root, markdown } = page.renderer();
    const events: number[] = [];
    page.window.document.body.addEventListener('markdown-rendered', (event) =>
      events.push((event as CustomEvent<{ length: number }>).detail.length),
    );
    for (let i = 0; i < 50; i++) markdown.append(`word${i} `);
    assert.equal(page.framesRequested, 1);
    assert.equal(root.innerHTML, '', 'nothing before the frame');
    page.frame();
    assert.equal(markdown.stats.renders, 1);
    assert.deepEqual(events, [markdown.text.length]);
    page.frame();
    assert.equal(markdown.stats.renders, 1, 'no text, no render');
    markdown.append('\n\n# Done');
    markdown.flush();
    assert.equal(page.framesRequested, 0, 'flush() takes the pending frame');
    markdown.finish();
    assert.deepEqual(events.slice(1), [markdown.text.length, markdown.text.length]);
  });

  it('an open fence shows plain text; closed, it is highlighted in the next idle period, then frozen as it is', () => {
    const page = new Page();
    const { root, markdown } = page.renderer();
    markdown.append('Intro.\n\n```ts\nconst a = 1;\nif (a < 2) {}\n');
    page.frame();
    const code = () => root.querySelector('div.code-block pre > code')!;
    assert.equal(code().className, 'language-ts');
    assert.equal(code().children.length, 0, 'no highlighting while open');
    assert.equal(code().textContent, 'const a = 1;\nif (a < 2) {}\n');
    assert.ok(code().innerHTML.includes('a &lt; 2'));
    assert.ok(root.querySelector('.code-block')!.classList.contains('code-block-open'));
    markdown.append('```');
    page.frame();
    assert.equal(code().children.length, 0, 'a closing line still being typed may become ``` x (not a closer)');
    markdown.append('\n');
    page.frame();
    const pending = () => root.querySelector('.code-block')!.classList.contains('code-highlight-pending');
    assert.ok(pending() && code().children.length === 0, 'closed: not highlighted in the frame it closes in');
    assert.equal(page.idleRequested, 1, 'highlighting waits for an idle period');
    markdown.append('\nThe paragraph after it, still being wri');
    page.frame();
    assert.ok(pending(), 'not in this frame either');
    page.idle();
    const block = root.querySelector('.md-live > div.code-block')!;
    assert.ok(block, 'still in the open tail: the paragraph after it has not ended');
    assert.ok(!pending());
    assert.equal(code().className, 'hljs language-ts');
    assert.ok(code().querySelector('span.hljs-keyword'), 'highlighted');
    assert.equal(code().textContent, 'const a = 1;\nif (a < 2) {}\n', 'the text is unchanged');
    markdown.append('tten.\n\nAfter.\n');
    page.frame();
    assert.equal(root.querySelector('div.code-block'), block, 'frozen as it is: the same element');
    assert.ok(block.parentElement!.classList.contains('md-group'));
    assert.ok(!pending() && code().querySelector('span.hljs-keyword'), 'still coloured: no flash of plain text');
    markdown.finish();
    assert.equal(root.innerHTML, oneShot(page, markdown.text), 'as a one-shot render makes it');

    const done = root.querySelector<HTMLElement>('div.code-block')!;
    assert.equal(done.dataset.language, 'ts');
    assert.equal(done.firstElementChild!.className, 'code-toolbar');
    assert.equal(done.querySelector('.code-language')!.textContent, 'ts');
    const buttons = [...done.querySelectorAll<HTMLButtonElement>('.code-toolbar button.code-action')].map((b) => [
      b.dataset.action,
      b.title,
      b.getAttribute('aria-label'),
      b.querySelector('i')!.className,
    ]);
    assert.deepEqual(buttons, [
      ['wrap-code', 'Wrap Lines', 'Wrap long lines in code blocks', 'codicon codicon-word-wrap'],
      ['copy', 'Copy', 'Copy code', 'codicon codicon-copy'],
      ['insert', 'Insert at Cursor', 'Insert code at cursor', 'codicon codicon-insert'],
      ['open', 'Open in New Editor', 'Open code in a new editor', 'codicon codicon-go-to-file'],
    ]);
  });

  it('a block frozen as the open tail had it: a code block inside it is coloured too', () => {
    const page = new Page();
    const { root, markdown } = page.renderer();
    markdown.append('- the code:\n  ```ts\n  const x = 1;\n  ```\n');
    page.frame();
    const list = root.querySelector('.md-live > ul');
    markdown.append('\nAfter.\n');
    page.frame();
    assert.equal(root.querySelector('.md-group > ul'), list, 'frozen as it is');
    assert.equal(markdown.stats.keptBlocks, 1);
    page.idle();
    assert.ok(list!.querySelector('code.hljs span.hljs-keyword'), 'coloured in the next idle period');
    markdown.finish();
    assert.equal(root.innerHTML, oneShot(page, markdown.text));
  });

  it('finish(): the event comes once every block is coloured; with nothing new, no render at all', () => {
    const page = new Page();
    const { root, markdown } = page.renderer();
    const atEvent: boolean[] = [];
    root.addEventListener('markdown-rendered', () =>
      atEvent.push(root.querySelector('.code-highlight-pending, .code-block-open') === null),
    );
    markdown.append('```ts\nconst a = 1;\n```\n\nText.\n\n```ts\nlet b = 2;\n');
    page.frame();
    assert.deepEqual(atEvent, [false], 'while streaming: one block waits for idle, one is open');
    markdown.finish();
    assert.deepEqual(atEvent, [false, true], 'the final render says so only after colouring both');
    assert.equal(root.querySelectorAll('code span.hljs-keyword').length, 2);

    const unused = page.renderer();
    const events: Event[] = [];
    unused.root.addEventListener('markdown-rendered', (event) => events.push(event));
    unused.markdown.finish();
    assert.equal(unused.markdown.stats.renders, 0);
    assert.equal(events.length, 0, 'an empty Thinking section that ends makes nobody lay the panel out');
  });

  it('highlights registered languages and aliases; unknown or absent ones stay plain (no guessing)', () => {
    const page = new Page();
    const { root, markdown } = page.renderer();
    markdown.reset(
      [
        '```py',
        'def f(): pass',
        '```',
        '```',
        'def f(): pass',
        '```',
        '```brainfuck',
        '+[-]',
        '```',
        '```text',
        'def f(): pass',
        '```',
      ].join('\n'),
    );
    markdown.finish();
    const blocks = [...root.querySelectorAll<HTMLElement>('div.code-block')];
    assert.deepEqual(
      blocks.map((block) => [
        block.dataset.language,
        block.querySelector('.code-language')!.textContent,
        block.querySelector('code')!.className,
        block.querySelectorAll('code span').length > 0,
      ]),
      [
        ['py', 'py', 'hljs language-py', true],
        [undefined, '', 'hljs', false],
        ['brainfuck', 'brainfuck', 'hljs language-brainfuck', false],
        ['text', 'text', 'hljs language-text', false],
      ],
    );
  });

  it('a longer fence is not closed by a shorter one inside it', () => {
    const page = new Page();
    const { root, markdown } = page.renderer();
    markdown.append('````markdown\n```js\nx()\n```\n');
    page.frame();
    assert.equal(root.querySelectorAll('div.code-block').length, 1);
    assert.ok(root.querySelector('div.code-block-open'), 'still open');
    markdown.append('````\n');
    page.frame();
    assert.equal(root.querySelector('div.code-block-open'), null);
  });

  it('markers on the line being typed are not a block yet: no flash of a heading, rule or setext heading', () => {
    const page = new Page();
    const { root, markdown } = page.renderer();
    const step = (text: string) => {
      markdown.append(text);
      page.frame();
    };
    step('First paragraph.\n\n#');
    assert.equal(root.querySelector('h1'), null);
    assert.equal(frozenNodes(root).length, 0, 'the paragraph is not finished while the next line is partial');
    step(' Heading');
    assert.equal(root.querySelector('h1')?.textContent, 'Heading');
    step('\nBody line\n***');
    assert.equal(root.querySelector('hr'), null);
    step('bold***');
    assert.equal(root.querySelector('hr'), null);
    assert.equal(root.querySelector('strong, em')?.textContent, 'bold');
    step('\n-');
    assert.equal(root.querySelector('h2'), null, 'a lone - under a paragraph is not a setext underline yet');
    step('\n\nNext.\n');
    assert.equal(root.querySelector('h2')?.textContent, 'Body line\nbold', 'now it is');
    assert.equal((frozenNodes(root)[0] as Element).outerHTML, '<p>First paragraph.</p>');
  });

  it('a paragraph line, then a delimiter row being typed: not a table yet (a table can interrupt a paragraph)', () => {
    const page = new Page();
    for (const text of ['Intro line\na | b\n|---|--x\n\nEnd.\n', 'Intro line\na | b\n|---|---|\n| 1 | 2 |\n\nEnd.\n']) {
      const root = streamed(page, [...text], () => 0, 1);
      assert.equal(root.innerHTML, oneShot(page, text), JSON.stringify(text));
    }
  });

  it('a table renders while its rows stream; earlier blocks stay put', () => {
    const page = new Page();
    const { root, markdown } = page.renderer();
    markdown.append('Intro.\n\n| a | b |\n|---|---|\n');
    page.frame();
    const intro = frozenNodes(root)[0];
    for (const piece of ['| 1 ', '| 2 |\n| 3', ' | 4 |\n']) {
      markdown.append(piece);
      page.frame();
      assert.equal(root.querySelectorAll('table').length, 1);
      assert.equal(frozenNodes(root)[0], intro);
    }
    assert.equal(root.querySelectorAll('tbody tr').length, 2);
  });

  it('reset() replaces the text and renders from scratch at the next frame; dispose() cancels it', () => {
    const page = new Page();
    const { root, markdown } = page.renderer();
    markdown.append('# Old\n\nold text\n');
    markdown.finish();
    markdown.reset('New *text*');
    assert.ok(root.innerHTML.includes('Old'), 'the old DOM stays until the new one is ready');
    page.frame();
    assert.equal(root.innerHTML, '<div class="md-live"><p>New <em>text</em></p>\n</div>');
    markdown.append(' more');
    markdown.dispose();
    assert.equal(page.framesRequested, 0);
    markdown.append(' and more');
    page.frame();
    assert.ok(!root.innerHTML.includes('more'));
  });
});
