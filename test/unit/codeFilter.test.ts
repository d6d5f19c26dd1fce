// Insert at Cursor: only the code of a streamed answer reaches the document, wherever the deltas cut the fences.
import * as assert from 'node:assert/strict';
import { CodeOnlyFilter, type CodeFilterOutput } from '../../src/insert/codeFilter';
import { seededRandom } from '../harness/random';

interface Expected {
  /** What the document ends up with. */
  code: string;
  /** Prose the filter may insert before a fence shows it was prose: then it must retract it. */
  prose?: string;
  markdownDocument?: boolean;
}

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Feeds the deltas, applies the outputs like the caller (code appends, retract clears) and checks every state the
 * document passes through: a prefix of the code, or before a retract a prefix of the prose. So no fence line, and
 * no prose but the retracted kind, is ever inserted; a newline emitted too early shows in the final text.
 */
function run(deltas: string[], expected: Expected): { text: string; retracts: number } {
  const filter = new CodeOnlyFilter({ markdownDocument: expected.markdownDocument ?? false });
  const out: CodeFilterOutput[] = [];
  let text = '';
  let retracts = 0;
  const apply = (): void => {
    for (const output of out) {
      if (output.type === 'code') {
        assert.notEqual(output.text, '', 'no empty code events');
        assert.doesNotMatch(output.text, loneSurrogate, 'surrogate pairs stay whole');
        text += output.text;
      } else {
        retracts++;
        text = '';
      }
      const asProse = retracts === 0 && expected.prose?.startsWith(text) === true;
      assert.ok(asProse || expected.code.startsWith(text), `inserted ${JSON.stringify(text)}`);
    }
    out.length = 0;
    assert.equal(filter.emitted, text, 'emitted matches what was inserted');
  };
  for (const delta of deltas) {
    filter.push(delta, out);
    apply();
  }
  filter.flush(out);
  apply();
  assert.ok(retracts <= 1, 'at most one retract');
  if (expected.prose === undefined) assert.equal(retracts, 0, 'no retract without prose');
  return { text, retracts };
}

function check(deltas: string[], expected: Expected, label: string): void {
  assert.equal(run(deltas, expected).text, expected.code, `${label}: ${JSON.stringify(deltas)}`);
}

/** Every way to cut `answer` into up to three deltas, never inside a surrogate pair. */
function assertAllCuts(answer: string, expected: Expected): void {
  const chars = Array.from(answer);
  const at = (a: number, b: number) => chars.slice(a, b).join('');
  for (let a = 0; a <= chars.length; a++)
    for (let b = a; b <= chars.length; b++) {
      const deltas = [at(0, a), at(a, b), at(b, chars.length)].filter((d) => d !== '');
      check(deltas, expected, 'cuts');
    }
  const drip = run(chars, expected);
  assert.equal(drip.text, expected.code, 'one delta per character');
  if (expected.prose !== undefined) assert.equal(drip.retracts, 1, 'the prose was shown, then retracted');
}

/**
 * For long answers: every cut in two near a line starting with ` or ~ (every 50th elsewhere), one
 * delta per character, random chunkings.
 */
function assertManyCuts(answer: string, expected: Expected): void {
  for (let a = 0; a <= answer.length; a++) {
    if (a % 50 !== 0 && !/(^|\n) *[`~]/.test(answer.slice(Math.max(0, a - 20), a + 20))) continue;
    check(
      [answer.slice(0, a), answer.slice(a)].filter((d) => d !== ''),
      expected,
      `cut at ${a}`,
    );
  }
  check(Array.from(answer), expected, 'one delta per character');
  for (let seed = 1; seed <= 8; seed++) {
    const random = seededRandom(seed);
    const deltas: string[] = [];
    for (let start = 0; start < answer.length;)
      deltas.push(answer.slice(start, (start += 1 + Math.floor(random() * 40))));
    check(deltas, expected, `seed ${seed}`);
  }
}

/** Pushes deltas one at a time and returns the outputs of each. */
function outputsPerDelta(deltas: string[], filter = new CodeOnlyFilter()): CodeFilterOutput[][] {
  return deltas.map((delta) => {
    const out: CodeFilterOutput[] = [];
    filter.push(delta, out);
    return out;
  });
}

const code = (text: string): CodeFilterOutput => ({ type: 'code', text });

/**
 * Stops the answer at every character (one delta up to there, and one delta per character): what was written
 * is a prefix of the code, so nothing held back that may be prose was written at the stop.
 */
function assertStopAnywhere(answer: string, finalCode: string): void {
  const chars = Array.from(answer);
  for (let cut = 0; cut <= chars.length; cut++)
    for (const deltas of [[chars.slice(0, cut).join('')], chars.slice(0, cut)]) {
      const filter = new CodeOnlyFilter();
      const out: CodeFilterOutput[] = [];
      for (const delta of deltas) filter.push(delta, out);
      filter.flush(out, { complete: false });
      assert.ok(!out.some((output) => output.type === 'retract'), `no retract, stopped at ${cut}`);
      assert.ok(finalCode.startsWith(filter.emitted), `stopped at ${cut}: ${JSON.stringify(filter.emitted)}`);
    }
}

/** About 4 KB of code with template literals and `~` but no fence. */
const longCode = 'const greeting = `Hello ${name}`; // ~4 KB of this\nif (~index) list.splice(index, 1);\n'.repeat(48);

describe('code filter (Insert at Cursor)', () => {
  it('code filter: a fenced answer is its code, with or without a language tag, with ``` or ~~~', () => {
    assertAllCuts('```ts\nconst a = 1;\nlog(a);\n```', { code: 'const a = 1;\nlog(a);' });
    assertAllCuts('```\nx = 1\n```\n', { code: 'x = 1' });
    assertAllCuts('~~~ py\nprint(1)\n```\n~~~\n', { code: 'print(1)\n```' });
    assertAllCuts('~~~ a`b\nx\n~~~', { code: 'x' }); // a tilde fence's info string may hold backticks
    assertAllCuts('  ```ts\n  x\n   ```', { code: '  x' }); // up to 3 spaces before either fence
  });

  it('code filter: a closing fence needs the same char, at least as many, and nothing but spaces after it', () => {
    assertAllCuts('````md\n# T\n```js\nx\n```\n````\n', { code: '# T\n```js\nx\n```' });
    assertAllCuts('````\na\n`````\nrest', { code: 'a' });
    assertAllCuts('```\na\n``` x\n~~~\n    ```\n``` \t\nb', { code: 'a\n``` x\n~~~\n    ```' });
  });

  it('code filter: the explanation after the closing fence is dropped, even if it has more fences', () => {
    assertAllCuts('```ts\nx\n```\nThis sets x:\n```\ny\n```', { code: 'x' });
    assertAllCuts('```ts\r\nconst a = 1;\r\nconst b = 2;\r\n```\r\nDone.', { code: 'const a = 1;\r\nconst b = 2;' });
  });

  it('code filter: leading blank lines are dropped; a raw first line keeps its indent', () => {
    assertAllCuts('\n\n \t\r\n```ts\nx\n```', { code: 'x' });
    assertAllCuts('\r\n\n  foo();\n', { code: '  foo();\n' });
  });

  it('code filter: an unclosed fence is the code so far, without a partial closing fence or the last newline', () => {
    assertAllCuts('```py\nprint(1)\nprint(2)\n', { code: 'print(1)\nprint(2)' });
    assertAllCuts('```py\nprint(1)\n``', { code: 'print(1)' });
    assertAllCuts('```py\nprint(1)\r\n  ``` ', { code: 'print(1)' });
    assertAllCuts('```py\nprint(1)', { code: 'print(1)' });
    assertAllCuts('```\n\nx\n\n```', { code: '\nx\n' }); // blank lines inside the code are code
  });

  it('code filter: an empty code block, or a fence line alone, inserts nothing', () => {
    for (const answer of ['```\n```\n', '```ts\n```', '~~~\n', '```ts', '``', '  \n\n'])
      assertAllCuts(answer, { code: '' });
  });

  it('code filter: a sentence before the code never reaches the document, not even for a moment', () => {
    // `run` checks every state the document passes through is a prefix of the code, and no retract.
    assertAllCuts('Here is the code:\n\n```ts\nlet x = 1;\n```\n\nThis declares x.', { code: 'let x = 1;' });
    assertAllCuts('Sure! Here is the function:\n\n```ts\nlet x = 1;\n```\nDone.', { code: 'let x = 1;' });
    assertAllCuts('Sure.\r\n~~~\r\na\r\n~~~\r\nOK', { code: 'a' });
    assertAllCuts('Sure:\n```', { code: '' });
    // Prose, then code without a fence: the code alone.
    assertAllCuts('Here is the code.\n\nlet x = 1;\n', { code: 'let x = 1;\n' });
    // An answer that is all prose inserts nothing.
    assertAllCuts('I cannot help with that.', { code: '' });
  });

  it('code filter: code that starts at once appears at once; a capitalised line waits only for its code chars', () => {
    assert.deepEqual(outputsPerDelta(['def add(a, b):', '\n    return a + b']), [
      [code('def add(a, b):')],
      [code('\n    return a + b')],
    ]);
    assert.deepEqual(outputsPerDelta(['Foo', ' = 1;']), [[], [code('Foo = 1;')]]);
    assert.deepEqual(outputsPerDelta(['Console', '.log(1);']), [[], [code('Console.log(1);')]]);
    assert.deepEqual(outputsPerDelta(['Here is', ' the code', ':\n\n```', 'ts\nx\n']), [[], [], [], [code('x')]]);
    for (const answer of ['SELECT a FROM t;\n', 'Console.log(1);\n', 'Foo = 1\nbar()\n', 'SELECT a\nFROM t'])
      assertAllCuts(answer, { code: answer });
    // A capitalised line that does not end like a sentence is code until a fence says otherwise (documented).
    assertAllCuts('Here is the code\n```\nx\n```', { code: 'x', prose: 'Here is the code\n' });
  });

  it('code filter: after raw code, a lead-in to a fence never reaches the document; the fence is left out', () => {
    const add = 'function add(a, b) {\n  return a + b;\n}\n';
    const test = '```ts\nassert.equal(add(1, 2), 3);\n```\n';
    // The blank line before the lead-in is held with it, so it is not left behind either.
    assertAllCuts(`${add}\nHere is a test:\n\n${test}That is all.`, { code: add });
    assertAllCuts(`${add}\r\nHere is a test for \`add()\`:\n${test}`, { code: add });
    assertAllCuts('let x = 1;\nHere is the test:\r\n```\nt\n```', { code: 'let x = 1;\n' });
    assertAllCuts('let x = 1;\nIt declares x.\n\nAnd a test:\n~~~\nt\n~~~', { code: 'let x = 1;\n' });
    // Prose that slipped through (nothing only code uses) then a lead-in: the fence holds the code (documented).
    assertAllCuts('sure, here it is\nThe code:\n```\nx\n```', { code: 'x', prose: 'sure, here it is\n' });
  });

  it('code filter: an explanation after raw code never reaches the document', () => {
    assertAllCuts('const x = 1;\n\nThis declares x.\nIt is a constant!\n\n', { code: 'const x = 1;\n' });
    // Blank lines in code go in with the code after them; at the end they are left out.
    assertAllCuts('a();\n\n\r\nb();\n\n', { code: 'a();\n\n\r\nb();\n' });
    // A fence right after code and a blank line: as right after code, what was written was prose (documented).
    assertAllCuts('a = 1\n\n```\nx\n```', { code: 'x', prose: 'a = 1\n' });
    assertAllCuts('Here is the code.\n\nlet x = 1;\nThat is all…', { code: 'let x = 1;\n' });
    assertAllCuts('x();\nDone.\n```', { code: 'x();\n' });
  });

  it('code filter: a sentence first, then fences: only the first code block', () => {
    assertAllCuts('Sure! I can help.\n\nHere is the function:\n\n```ts\nx\n```', { code: 'x' });
    assertAllCuts('Sure! Here it is:\n```ts\nA\n```\nAnd a test:\n```ts\nB\n```\n', { code: 'A' });
  });

  it('code filter: held lines that turn out to be code go in with the code that settles them', () => {
    for (const answer of [
      '"""\nAdds two numbers.\n"""\ndef add(a, b):\n    return a + b\n',
      'Version: "1"\nResources:\n  Bucket:\n    Type: AWS::S3::Bucket\n',
      'let a;\nSELECT a\nFROM t\nWHERE b\n',
      'let a;\nFROM t',
      'x = 1\nNote: ok.\n\n    y = 2\n',
    ])
      assertAllCuts(answer, { code: answer });
  });

  it('code filter: after raw code a capitalised line waits for its end or a code char; other code is not held', () => {
    assert.deepEqual(outputsPerDelta(['let x = 1;\n', 'Here', ' is a test', ':\n', '```', '\nt\n```']), [
      [code('let x = 1;\n')],
      [],
      [],
      [],
      [],
      [],
    ]);
    assert.deepEqual(outputsPerDelta(['x: 1\n', 'Resources', ':\n', '  a: 1\n']), [
      [code('x: 1\n')],
      [],
      [],
      [code('Resources:\n'), code('  a: 1\n')],
    ]);
    assert.deepEqual(outputsPerDelta(['a;\n', 'Foo', ' = 1;\n', 'bar']), [
      [code('a;\n')],
      [],
      [code('Foo = 1;\n')],
      [code('bar')],
    ]);
    assert.deepEqual(outputsPerDelta(['a;\nSELECT b\n', 'c']), [[code('a;\n'), code('SELECT b\n')], [code('c')]]);
    // A blank line waits for the next line's first char: it may come before a lead-in.
    assert.deepEqual(outputsPerDelta(['a;\n', '\n', 'b']), [[code('a;\n')], [], [code('\n'), code('b')]]);
  });

  it('code filter: a stop writes nothing held back that may be prose, at every cut', () => {
    assertStopAnywhere('Sure! Here is the function:\n\n```ts\nlet x = 1;\n```\nDone.', 'let x = 1;');
    assertStopAnywhere('let x = 1;\n\nHere is a test:\n```\nt\n```', 'let x = 1;\n');
    assertStopAnywhere('let x = 1;\nThis declares x.\n', 'let x = 1;\n');
    // At the end of a complete answer, a last line that is no sentence is code; after a stop it is dropped.
    const filter = new CodeOnlyFilter();
    const out: CodeFilterOutput[] = [];
    filter.push('let a;\nFROM t', out);
    filter.flush(out, { complete: false });
    assert.equal(filter.emitted, 'let a;\n');
  });

  it('code filter: raw code with backticks is code, also lines that start with one or two', () => {
    const answer = 'const s = `a${b}`;\nconst t =\n  `x` +\n``;\nf(`\n`);\n```js```;\nconst u = `\nline\n`';
    assertAllCuts(answer, { code: answer });
    assertManyCuts(longCode, { code: longCode });
  });

  it('code filter: raw code with a line opening a fence retracts (documented), unless the document is markdown', () => {
    const answer = 'const md = `\n```ts\nx\n```\n`;\n';
    assertAllCuts(answer, { code: 'x', prose: 'const md = `\n' });
    assertAllCuts(answer, { code: answer, markdownDocument: true });
    assertAllCuts('# Notes\n\n```ts\nx\n```\n', { code: '# Notes\n\n```ts\nx\n```\n', markdownDocument: true });
    // An answer that starts with a fence is stripped in a markdown document too.
    assertAllCuts('```markdown\n# T\n```\nok', { code: '# T', markdownDocument: true });
  });

  it('code filter: emoji and CJK pass whole, also split where the network split them', () => {
    assertAllCuts('```ts\nconst s = "😀 漢字";\n// 🎉\n```', { code: 'const s = "😀 漢字";\n// 🎉' });
    assertAllCuts('日本語 😀\n```\n🎉\n```', { code: '🎉', prose: '日本語 😀\n' });
    const pair = '😀';
    assert.deepEqual(outputsPerDelta(['```\n', pair[0], `${pair[1]}\n`, '```']), [
      [],
      [code(pair[0])],
      [code(pair[1])],
      [],
    ]);
  });

  it('code filter: long answers at many cut points', () => {
    assertManyCuts(`\`\`\`ts\n${longCode}\`\`\`\nThat is all.`, { code: longCode.slice(0, -1) });
    const prose = 'The code below greets everyone.\n\n';
    assertManyCuts(`${prose}~~~~\n${longCode}~~~~\n\nIt uses ~index.`, { code: longCode.slice(0, -1), prose });
    const test = '\nThat greets everyone. It uses `~index`.\n\nHere is a test:\n\n```ts\n';
    assertManyCuts(`${longCode}${test}${longCode}\`\`\`\nDone.`, { code: longCode });
  });

  it('code filter: once the first line is decided, a delta with no fence chars or newline is one event of it', () => {
    const plain = [' = 1;', ' // done', ' 漢字 😀'];
    assert.deepEqual(
      outputsPerDelta(['```ts\nconst a', ...plain]).slice(1),
      plain.map((text) => [code(text)]),
    );
    assert.deepEqual(outputsPerDelta(['let a', ...plain]), [[code('let a')], ...plain.map((text) => [code(text)])]);
    // Raw code streams its line breaks and indents at once; a fence holds the line break until code follows.
    assert.deepEqual(outputsPerDelta(['let a\n', '  ', 'b']), [[code('let a\n')], [code('  ')], [code('b')]]);
    assert.deepEqual(outputsPerDelta(['```\na\r', '\n', '  ', 'b']), [[code('a')], [], [], [code('\r\n  b')]]);
  });

  it('code filter: only what may still be a fence line is held back', () => {
    assert.deepEqual(outputsPerDelta(['\n', '`', '`', '`ty', 'pe', 'script\n', 'x']), [
      [],
      [],
      [],
      [],
      [],
      [],
      [code('x')],
    ]);
    assert.deepEqual(outputsPerDelta(['``', 'x']), [[], [code('``x')]]);
    assert.deepEqual(outputsPerDelta(['```a`', 'b']), [[code('```a`')], [code('b')]]);
    assert.deepEqual(outputsPerDelta(['a\n`', '${b}`']), [[code('a\n')], [code('`${b}`')]]);
    assert.deepEqual(outputsPerDelta(['```\na\n', '``', '`', '\n']), [[code('a')], [], [], []]);
    assert.deepEqual(outputsPerDelta(['```\na\n', '``', '`x']), [[code('a')], [], [code('\n```x')]]);
  });

  it('code filter: reset() starts over as if nothing had been pushed', () => {
    const filter = new CodeOnlyFilter();
    assert.deepEqual(outputsPerDelta(['let me = think;\n', '```'], filter), [[code('let me = think;\n')], []]);
    filter.reset();
    assert.equal(filter.emitted, '');
    // A fence at the start now is rule 1 (no retract), and the held "```" above is gone.
    assert.deepEqual(outputsPerDelta(['```ts\nx\n', '```\nmore'], filter), [[code('x')], []]);
    filter.reset();
    assert.deepEqual(outputsPerDelta(['y'], filter), [[code('y')]]);
    assert.equal(filter.emitted, 'y');
  });
});
