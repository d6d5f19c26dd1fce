// A realistic model answer in markdown, of a chosen length, for the renderer's unit tests and the
// render benchmark: headings (ATX and setext), prose with inline markup, lists (nested, ordered, one
// interrupting a paragraph), a blockquote, a table, rules, link reference definitions used before
// and after they appear, and six code blocks in different languages, the last one never closed.
// Deterministic: the same length gives the same text.
import { seededRandom } from '../harness/random';

/** Splits `text` into pieces of `min`..`max` characters (random lengths). */
export function randomChunks(text: string, random: () => number, min: number, max: number): string[] {
  const chunks: string[] = [];
  for (let at = 0; at < text.length;) {
    const size = min + Math.floor(random() * (max - min + 1));
    chunks.push(text.slice(at, at + size));
    at += size;
  }
  return chunks;
}

const WORDS = (
  'the stream renders each delta as it arrives while the parser keeps only the open block in view and the finished ' +
  'blocks stay frozen so a long answer costs about the same per frame as a short one because nothing behind the ' +
  'cursor is parsed again request response token latency buffer frame budget endpoint model server client socket ' +
  'chunk event handler queue retry timeout cache index schema module function value string number array object'
).split(' ');

function sentence(random: () => number): string {
  const length = 8 + Math.floor(random() * 14);
  const words: string[] = [];
  for (let i = 0; i < length; i++) {
    let word = WORDS[Math.floor(random() * WORDS.length)];
    const roll = random();
    if (roll < 0.04) word = `**${word}**`;
    else if (roll < 0.07) word = `_${word}_`;
    else if (roll < 0.1) word = `\`${word}()\``;
    words.push(word);
  }
  const text = words.join(' ');
  return `${text[0].toUpperCase()}${text.slice(1)}.`;
}

function paragraph(random: () => number): string {
  const sentences = 2 + Math.floor(random() * 4);
  return Array.from({ length: sentences }, () => sentence(random)).join(' ');
}

function codeLines(language: string, size: number): string {
  const lines: string[] = [];
  for (let i = 0; lines.join('\n').length < size; i++) {
    switch (language) {
      case 'ts':
        lines.push(
          `export function step${i}(input: readonly number[], scale = ${i}): number[] {`,
          `  return input.map((value) => value * scale + ${i}); // keep ${i}`,
          '}',
        );
        break;
      case 'python':
        lines.push(
          `def step_${i}(items, scale=${i}):`,
          `    """Scale every item by ${i}."""`,
          `    return [item * scale for item in items if item > ${i}]`,
          '',
        );
        break;
      case 'markdown':
        lines.push(`Step ${i}: run this`, '```js', `console.log("step ${i}", [${i}, ${i + 1}]);`, '```', '');
        break;
      case 'json':
        lines.push(
          `  "step${i}": { "enabled": ${i % 2 === 0}, "weight": ${i}.5, "tags": ["a${i}", "b${i}"], "note": null },`,
        );
        break;
      case 'rust':
        lines.push(
          `fn step_${i}(values: &[i64]) -> Vec<i64> {`,
          `    values.iter().map(|v| v * ${i} + 1).collect() // keep ${i}`,
          '}',
        );
        break;
      default:
        lines.push(
          `func step${i}(values []int) []int {`,
          `\tout := make([]int, 0, len(values)) // step ${i}`,
          '\tfor _, v := range values {',
          `\t\tout = append(out, v*${i})`,
          '\t}',
          '\treturn out',
          '}',
        );
    }
  }
  if (language === 'json') return `{\n${lines.join('\n')}\n  "end": true\n}`;
  return lines.join('\n');
}

const TABLE = [
  '| Server | Streams | Reasoning field | Notes |',
  '|:-------|:-------:|----------------:|-------|',
  '| vLLM | yes | `reasoning_content` | hosted and local |',
  '| Ollama | yes | `reasoning` | *OpenAI-compatible* `/v1` |',
  '| LM Studio | yes | — | [docs] |',
  '| llama.cpp | yes | `reasoning_content` | `--jinja` |',
  '| OpenRouter | yes | `reasoning` | keep-alive comments |',
].join('\n');

function section(index: number, fillers: number, random: () => number, codeSize: number): string[] {
  const parts: string[] = [];
  const filler = () => {
    for (let i = 0; i < fillers; i++) parts.push(paragraph(random));
  };
  switch (index) {
    case 0:
      parts.push(
        '# Streaming chat completions',
        'Here is how it works, with the [guide][docs] (defined further down), the [spec] ' +
          `and a plain https://example.com/autolink. ${sentence(random)}`,
        '## Overview',
      );
      filler();
      parts.push(
        'Things to check:\n- the endpoint answers `/v1/models`\n- the key is stored per origin\n' +
          `  - only sent to that origin\n  - never logged\n- the model streams\n\n${paragraph(random)}`,
      );
      parts.push('```ts\n' + codeLines('ts', codeSize) + '\n```');
      break;
    case 1:
      parts.push(
        '## Servers',
        `${paragraph(random)}\n1. start the server\n2. point the base URL at it\n3. pick a model`,
        TABLE,
      );
      filler();
      parts.push('***');
      break;
    case 2:
      parts.push(
        'Python client\n-------------',
        paragraph(random),
        '```python\n' + codeLines('python', codeSize) + '\n```',
      );
      filler();
      parts.push('[docs]: https://docs.example.com/guide "The guide"');
      break;
    case 3:
      parts.push(
        '### Writing it down',
        `As the [docs] say, and [again][docs]: ${paragraph(random)}`,
        '````markdown\n' + codeLines('markdown', codeSize) + '\n````',
      );
      filler();
      parts.push(`> ${sentence(random)}\n> ${sentence(random)}\n>\n> - quoted item [spec]`);
      break;
    case 4:
      parts.push('## Settings', paragraph(random), '```json\n' + codeLines('json', codeSize) + '\n```');
      filler();
      parts.push(`* loose item one\n\n* loose item two with \`arr[i]\` and [unknown label]\n\n  ${sentence(random)}`);
      break;
    case 5:
      parts.push('#### Rust', paragraph(random), '```rust\n' + codeLines('rust', codeSize) + '\n```');
      filler();
      parts.push('[spec]: https://spec.example.org/sse', '---');
      break;
    default:
      parts.push('# Wrapping up', paragraph(random));
      filler();
      parts.push('And a last example in Go:');
  }
  return parts;
}

/**
 * An answer of exactly `length` characters (at least about 4,000): the sections above, padded with
 * prose to fit, then the last code block (Go), unclosed, filled to the length.
 */
export function sampleAnswer(length: number): string {
  const codeSize = Math.max(150, Math.round(length / 28));
  const build = (fillers: number) => {
    const random = seededRandom(42);
    return Array.from({ length: 7 }, (_, index) => section(index, fillers, random, codeSize))
      .flat()
      .join('\n\n');
  };
  let fillers = 0;
  while (build(fillers + 1).length + codeSize <= length) fillers++;
  const head = `${build(fillers)}\n\n\`\`\`go\n`;
  const code = codeLines('go', length);
  if (head.length + codeSize / 2 > length) throw new Error(`sampleAnswer: ${length} characters is too short`);
  return (head + code).slice(0, length);
}

/**
 * `copies` of the answer of `length` characters, each with its last fence closed, one after the
 * other: a long answer with the same mix of blocks all the way.
 */
export function repeatedAnswer(length: number, copies: number): string {
  const closed = `${sampleAnswer(length)}\n\`\`\`\n\n`;
  return closed.repeat(copies).slice(0, length * copies);
}

/** One open block of about `length` characters: a table after a short sentence, rows to the end. */
export function longTable(length: number): string {
  const random = seededRandom(43);
  const rows = ['Every endpoint tried:', '', '| # | Server | Result | Check |', '|--:|:-------|:------:|-------|'];
  for (let i = 1; rows.join('\n').length < length; i++) {
    const words = Array.from({ length: 3 }, () => WORDS[Math.floor(random() * WORDS.length)]).join(' ');
    rows.push(`| ${i} | server-${i % 17} | **${words}** | \`check(${i})\` |`);
  }
  return `${rows.join('\n')}\n`;
}

/** One open block of `items` items: a tight bulleted list after a short sentence. */
export function longList(items: number): string {
  const random = seededRandom(44);
  const lines = ['Everything that changed:', ''];
  for (let i = 1; i <= items; i++) {
    const words = Array.from({ length: 6 }, () => WORDS[Math.floor(random() * WORDS.length)]).join(' ');
    lines.push(`- step ${i}: ${words} with \`value${i}\``);
  }
  return `${lines.join('\n')}\n`;
}

/** One open block of about `length` characters: a TypeScript code block after a short sentence, to its end. */
export function longCode(length: number): string {
  return `The whole file:\n\n\`\`\`ts\n${codeLines('ts', length)}\n\`\`\`\n`;
}
