// Canned markdown answers for the demo model: realistic enough to show streaming, code blocks and lists.
// An Insert at Cursor / Rewrite Selection prompt gets code instead, shaped as coding models shape it (demoInsert.ts).
import { demoInsertAnswer, insertionLanguage } from './demoInsert';

const ANSWERS: Array<{ match: RegExp; text: string }> = [
  {
    match: /\b(test|tests|spec)\b/i,
    text: [
      'Here are focused unit tests for the selected code. They cover the normal path, the edge cases and one failure:',
      '',
      '```ts',
      "import { strict as assert } from 'node:assert';",
      "import { parseDuration } from './duration';",
      '',
      "describe('parseDuration', () => {",
      "  it('reads minutes and seconds', () => {",
      "    assert.equal(parseDuration('2m30s'), 150_000);",
      '  });',
      '',
      "  it('treats a bare number as seconds', () => {",
      "    assert.equal(parseDuration('45'), 45_000);",
      '  });',
      '',
      "  it('rejects garbage with a clear message', () => {",
      "    assert.throws(() => parseDuration('soon'), /not a duration/);",
      '  });',
      '});',
      '```',
      '',
      '- **Normal path**: mixed units add up.',
      '- **Edge case**: a bare number is read as seconds, as the docs promise.',
      '- **Failure**: invalid input throws instead of returning `NaN`.',
    ].join('\n'),
  },
  {
    match: /\b(bug|bugs|wrong|fix)\b/i,
    text: [
      'I found **two problems** in this code:',
      '',
      '1. **Off-by-one in the loop bound.** `i <= items.length` reads one element past the end, ' +
        'so the last iteration sees `undefined`.',
      '2. **The promise is not awaited.** `save(item)` returns a promise; without `await`, ' +
        'errors are lost and the function returns before the writes finish.',
      '',
      'A corrected version:',
      '',
      '```ts',
      'async function saveAll(items: Item[]): Promise<void> {',
      '  for (let i = 0; i < items.length; i++) {',
      '    await save(items[i]);',
      '  }',
      '}',
      '```',
      '',
      '> If order does not matter, `await Promise.all(items.map(save))` is faster.',
    ].join('\n'),
  },
  {
    match: /./,
    text: [
      'This is the **demo model** of Stream Chat, served by a local test server, ' +
        'so you can see streaming without an API key. Every word you see arrived as its own server-sent event.',
      '',
      '### What the code does',
      '',
      'The function reads a configuration file, merges it with the defaults and validates the result:',
      '',
      '```ts',
      'export function loadConfig(path: string): Config {',
      "  const raw = JSON.parse(readFileSync(path, 'utf8'));",
      '  const merged = { ...DEFAULTS, ...raw };',
      "  if (!merged.baseUrl.startsWith('http')) {",
      '    throw new Error(`baseUrl must be an http(s) URL, got ${merged.baseUrl}`);',
      '  }',
      '  return merged;',
      '}',
      '```',
      '',
      '| Step | Cost | Can fail? |',
      '| --- | --- | --- |',
      '| read | I/O | yes, missing file |',
      '| merge | cheap | no |',
      '| validate | cheap | yes, bad URL |',
      '',
      'To talk to a real model, run **Stream Chat: Select Endpoint** and **Stream Chat: Set API Key**.',
    ].join('\n'),
  },
];

/** The demo answer for `question`, cut into tokens of roughly four characters, as a tokenizer would. */
export function demoAnswer(question: string): string[] {
  const answer =
    insertionLanguage(question) !== undefined
      ? demoInsertAnswer(question)
      : (ANSWERS.find((a) => a.match.test(question)) ?? ANSWERS[ANSWERS.length - 1]).text;
  return answer.match(/\s*[^\s]{1,6}|\s+/g) ?? [answer];
}
