// Builders for OpenAI-style SSE bodies, and the well-formed fixtures every decoder must agree on.

let sequence = 0;

export const sse = {
  /** One event with one `data:` line. */
  data(payload: object | string): string {
    return `data: ${typeof payload === 'string' ? payload : JSON.stringify(payload)}\n\n`;
  },
  done(): string {
    return 'data: [DONE]\n\n';
  },
  comment(text = 'keep-alive'): string {
    return `: ${text}\n\n`;
  },
  event(name: string, payload: object | string): string {
    return `event: ${name}\n${sse.data(payload)}`;
  },
};

export interface ChunkExtra {
  finishReason?: string | null;
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
  /** Replaces the whole `choices` value (e.g. `[]`, `null`, or `undefined` to omit it). */
  choices?: unknown;
  model?: string;
  id?: string;
}

/** An OpenAI `chat.completion.chunk` object carrying `delta` in choice 0. */
export function chunk(delta: object | null, extra: ChunkExtra = {}): object {
  const base: Record<string, unknown> = {
    id: extra.id ?? `chatcmpl-fixture-${++sequence}`,
    object: 'chat.completion.chunk',
    created: 1_700_000_000,
    model: extra.model ?? 'test-model',
  };
  if ('choices' in extra) {
    if (extra.choices !== undefined) base.choices = extra.choices;
  } else {
    base.choices = [{ index: 0, delta: delta ?? {}, logprobs: null, finish_reason: extra.finishReason ?? null }];
  }
  if (extra.usage) base.usage = extra.usage;
  return base;
}

export interface Fixture {
  name: string;
  /** The whole response body as sent. */
  body: string;
  expected: {
    /** Concatenated `delta.content`, raw (think tags not split). */
    content: string;
    /** Concatenated `delta.reasoning` / `delta.reasoning_content`. */
    reasoning: string;
    finishReason: string | null;
    usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
    /** Number of `delta.tool_calls` fragments. */
    toolCallFragments?: number;
    /** The answer with think tags split out, when that differs from the raw content. */
    split?: { content: string; reasoning: string };
  };
}

const usage = { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19 };

function stream(deltas: object[], finishReason = 'stop', tail = sse.done()): string {
  return [
    sse.data(chunk({ role: 'assistant', content: '' })),
    ...deltas.map((d) => sse.data(chunk(d))),
    sse.data(chunk({}, { finishReason })),
    tail,
  ].join('');
}

const basic = stream([{ content: 'Hello' }, { content: ', ' }, { content: 'world!' }]);

export const fixtures: Fixture[] = [
  { name: 'basic', body: basic, expected: { content: 'Hello, world!', reasoning: '', finishReason: 'stop' } },
  {
    name: 'role-only first chunk, null and empty content',
    body: [
      sse.data(chunk({ role: 'assistant' })),
      sse.data(chunk({ content: null })),
      sse.data(chunk({ content: '' })),
      sse.data(chunk({})),
      sse.data(chunk({ content: 'Only this.' })),
      sse.data(chunk({}, { finishReason: 'stop' })),
      sse.done(),
    ].join(''),
    expected: { content: 'Only this.', reasoning: '', finishReason: 'stop' },
  },
  {
    name: 'usage chunk with choices: []',
    body: [
      sse.data(chunk({ role: 'assistant', content: '' })),
      sse.data(chunk({ content: 'Counted.' })),
      sse.data(chunk({}, { finishReason: 'stop' })),
      sse.data(chunk(null, { choices: [], usage })),
      sse.done(),
    ].join(''),
    expected: { content: 'Counted.', reasoning: '', finishReason: 'stop', usage },
  },
  {
    name: 'delta.reasoning (vLLM reasoning parser)',
    body: stream([{ reasoning: 'The user greets; ' }, { reasoning: 'reply politely.' }, { content: 'Hi there.' }]),
    expected: { content: 'Hi there.', reasoning: 'The user greets; reply politely.', finishReason: 'stop' },
  },
  {
    name: 'delta.reasoning_content (DeepSeek / older vLLM)',
    body: stream([{ reasoning_content: 'Think ' }, { reasoning_content: 'first.' }, { content: 'Answer.' }]),
    expected: { content: 'Answer.', reasoning: 'Think first.', finishReason: 'stop' },
  },
  {
    name: 'think tags in content, split across chunks',
    body: stream([
      { content: '<thi' },
      { content: 'nk>Plan the ' },
      { content: 'answer.</th' },
      { content: 'ink>\n\nThe answer is 42.' },
    ]),
    expected: {
      content: '<think>Plan the answer.</think>\n\nThe answer is 42.',
      reasoning: '',
      finishReason: 'stop',
      split: { content: 'The answer is 42.', reasoning: 'Plan the answer.' },
    },
  },
  {
    name: 'only a closing think tag (the template opened it in the prompt)',
    body: stream([{ content: 'hidden plan\n' }, { content: '</thi' }, { content: 'nk>\n\nVisible.' }]),
    expected: {
      content: 'hidden plan\n</think>\n\nVisible.',
      reasoning: '',
      finishReason: 'stop',
      split: { content: 'Visible.', reasoning: 'hidden plan\n' },
    },
  },
  {
    name: 'a closing think tag inside a code block is text',
    body: stream([
      { content: 'Strip it:\n```py\ns = s.replace("' },
      { content: '</think>' },
      { content: '", "")\n```\nA mid-line </think> stays.' },
    ]),
    expected: {
      content: 'Strip it:\n```py\ns = s.replace("</think>", "")\n```\nA mid-line </think> stays.',
      reasoning: '',
      finishReason: 'stop',
      split: {
        content: 'Strip it:\n```py\ns = s.replace("</think>", "")\n```\nA mid-line </think> stays.',
        reasoning: '',
      },
    },
  },
  {
    name: 'tool call fragments',
    body: stream(
      [
        {
          tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '' } }],
        },
        { tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] },
        { tool_calls: [{ index: 0, function: { arguments: '"Oslo"}' } }] },
      ],
      'tool_calls',
    ),
    expected: { content: '', reasoning: '', finishReason: 'tool_calls', toolCallFragments: 3 },
  },
  {
    name: 'CRLF line endings',
    body: basic.replace(/\n/g, '\r\n'),
    expected: { content: 'Hello, world!', reasoning: '', finishReason: 'stop' },
  },
  {
    name: 'lone CR line endings',
    body: basic.replace(/\n/g, '\r'),
    expected: { content: 'Hello, world!', reasoning: '', finishReason: 'stop' },
  },
  {
    // The first event carries content: a decoder that kept the BOM would read its field as "\uFEFFdata" and lose it.
    name: 'byte order mark',
    body: `\uFEFF${[
      sse.data(chunk({ role: 'assistant', content: 'Hello' })),
      sse.data(chunk({ content: ', world!' })),
      sse.data(chunk({}, { finishReason: 'stop' })),
      sse.done(),
    ].join('')}`,
    expected: { content: 'Hello, world!', reasoning: '', finishReason: 'stop' },
  },
  {
    name: 'keep-alive comments between events',
    body: [
      sse.comment(),
      sse.data(chunk({ role: 'assistant', content: '' })),
      sse.comment('ping'),
      sse.data(chunk({ content: 'Still here.' })),
      sse.comment(),
      sse.data(chunk({}, { finishReason: 'stop' })),
      sse.done(),
    ].join(''),
    expected: { content: 'Still here.', reasoning: '', finishReason: 'stop' },
  },
  {
    name: 'multi-byte UTF-8 (emoji, CJK, accents)',
    body: stream([{ content: 'Grüße 👋🏽 ' }, { content: '日本語のテキスト' }, { content: ' — 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ✓' }]),
    expected: { content: 'Grüße 👋🏽 日本語のテキスト — 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ✓', reasoning: '', finishReason: 'stop' },
  },
  {
    name: 'data: without a space',
    body: basic.replace(/^data: /gm, 'data:'),
    expected: { content: 'Hello, world!', reasoning: '', finishReason: 'stop' },
  },
  {
    name: 'event, id and retry fields, unknown fields',
    body: [
      'retry: 3000\n\n',
      `id: 1\nevent: message\n${sse.data(chunk({ role: 'assistant', content: '' }))}`,
      `id: 2\nx-unknown: ignored\n${sse.data(chunk({ content: 'Fields ' }))}`,
      `event: message\n${sse.data(chunk({ content: 'are fine.' }))}`,
      sse.data(chunk({}, { finishReason: 'stop' })),
      sse.done(),
    ].join(''),
    expected: { content: 'Fields are fine.', reasoning: '', finishReason: 'stop' },
  },
  {
    name: 'several data: lines in one event',
    body:
      sse.data(chunk({ role: 'assistant', content: '' })) +
      'data: {"id":"x","object":"chat.completion.chunk","created":1,"model":"m",\n' +
      'data: "choices":[{"index":0,"delta":{"content":"joined"},"finish_reason":null}]}\n\n' +
      sse.data(chunk({}, { finishReason: 'stop' })) +
      sse.done(),
    expected: { content: 'joined', reasoning: '', finishReason: 'stop' },
  },
  {
    name: 'data after [DONE] is ignored',
    body: `${basic}${sse.data(chunk({ content: ' GHOST' }))}`,
    expected: { content: 'Hello, world!', reasoning: '', finishReason: 'stop' },
  },
  {
    name: 'finish_reason length',
    body: stream([{ content: 'Cut off mid' }], 'length'),
    expected: { content: 'Cut off mid', reasoning: '', finishReason: 'length' },
  },
  {
    name: 'finish_reason content_filter',
    body: stream([{ content: 'Partly' }], 'content_filter'),
    expected: { content: 'Partly', reasoning: '', finishReason: 'content_filter' },
  },
  {
    name: 'code block markdown with escapes',
    body: stream([
      { content: '```ts\nconst s = "a\\tb";\n' },
      { content: 'console.log(`${s}`);\n```\n' },
      { content: 'Done \\ "quoted" </script>' },
    ]),
    expected: {
      content: '```ts\nconst s = "a\\tb";\nconsole.log(`${s}`);\n```\nDone \\ "quoted" </script>',
      reasoning: '',
      finishReason: 'stop',
    },
  },
];

/** A stream of `count` content events with realistic token sizes, for benchmarks. */
export function longStream(count: number, model = 'bench-model'): string {
  const words = [
    'The',
    ' quick',
    ' brown',
    ' fox',
    ' jumps',
    ' over',
    ' the',
    ' lazy',
    ' dog',
    '.',
    '\n',
    ' `code`',
    ' über',
    ' 🚀',
  ];
  const parts: string[] = [sse.data(chunk({ role: 'assistant', content: '' }, { model }))];
  for (let i = 0; i < count; i++)
    parts.push(sse.data(chunk({ content: words[i % words.length] }, { model, id: 'chatcmpl-bench' })));
  parts.push(sse.data(chunk({}, { model, finishReason: 'stop' })), sse.done());
  return parts.join('');
}
