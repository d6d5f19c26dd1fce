// Streamed answers for the end-to-end tests (test/e2e/chat.test.ts and others): slow answers that
// can be watched, stopped and hidden mid-way, reasoning, code with a table, hostile markup, tool calls.
import { chunk, sse } from './fixtures';
import type { Scenario, StreamStep } from './types';

export interface AnswerStreamOptions {
  /** Pause before each piece of content (ms). Default 0. */
  waitMs?: number;
  /** Reasoning pieces sent first (as `delta.reasoning_content`), each after `reasoningWaitMs`. */
  reasoning?: string[];
  reasoningWaitMs?: number;
  /** A usage chunk before `[DONE]` (default true). */
  usage?: boolean;
  /** Model reported in the chunks. Default `test-model`. */
  model?: string;
  /** How the stream ends (default 'close' after `[DONE]`; 'reset' / 'stall' leave out finish_reason and `[DONE]`). */
  end?: 'close' | 'reset' | 'stall';
}

/** Steps of an OpenAI-style stream whose content arrives in `pieces`, one SSE event each. */
export function answerSteps(pieces: string[], options: AnswerStreamOptions = {}): StreamStep[] {
  const model = options.model ?? 'test-model';
  const steps: StreamStep[] = [sse.data(chunk({ role: 'assistant', content: '' }, { model }))];
  for (const piece of options.reasoning ?? []) {
    if (options.reasoningWaitMs) steps.push({ wait: options.reasoningWaitMs });
    steps.push(sse.data(chunk({ reasoning_content: piece }, { model })));
  }
  for (const piece of pieces) {
    if (options.waitMs) steps.push({ wait: options.waitMs });
    steps.push(sse.data(chunk({ content: piece }, { model })));
  }
  if ((options.end ?? 'close') !== 'close') return steps;
  steps.push(sse.data(chunk({}, { model, finishReason: 'stop' })));
  if (options.usage ?? true) {
    const completion = pieces.length + (options.reasoning?.length ?? 0);
    steps.push(
      sse.data(
        chunk(null, {
          model,
          choices: [],
          usage: { prompt_tokens: 12, completion_tokens: completion, total_tokens: 12 + completion },
        }),
      ),
    );
  }
  steps.push(sse.done());
  return steps;
}

/** Part of an answer that arrives at its own pace, after a pause. */
export interface AnswerSegment {
  pieces: string[];
  /** Pause before the segment's first piece (ms). */
  pauseBeforeMs?: number;
  /** Pause before each of its other pieces (ms). */
  waitMs?: number;
}

/** A well-formed stream whose content arrives in segments (e.g. a burst, a long pause, a slow tail). */
export function segmentedAnswerStream(segments: AnswerSegment[], model = 'test-model'): Scenario {
  const steps: StreamStep[] = [sse.data(chunk({ role: 'assistant', content: '' }, { model }))];
  let count = 0;
  for (const segment of segments) {
    segment.pieces.forEach((piece, index) => {
      const wait = index === 0 ? segment.pauseBeforeMs : segment.waitMs;
      if (wait) steps.push({ wait });
      steps.push(sse.data(chunk({ content: piece }, { model })));
      count++;
    });
  }
  steps.push(sse.data(chunk({}, { model, finishReason: 'stop' })));
  steps.push(
    sse.data(
      chunk(null, {
        model,
        choices: [],
        usage: { prompt_tokens: 12, completion_tokens: count, total_tokens: 12 + count },
      }),
    ),
  );
  steps.push(sse.done());
  return { kind: 'stream', steps };
}

/** A stream scenario for `answerSteps`. */
export function answerStream(pieces: string[], options: AnswerStreamOptions = {}): Scenario {
  return { kind: 'stream', steps: answerSteps(pieces, options), end: options.end };
}

/** `text` cut into pieces of about `size` characters at word boundaries (what a tokenizer streams). */
export function pieces(text: string, size = 6): string[] {
  return text.match(new RegExp(`\\s*\\S{1,${size}}|\\s+`, 'g')) ?? [text];
}

/** Numbered plain sentences: easy to find in the panel, and every prefix is unambiguous. */
export function longAnswerText(sentences: number): string {
  const parts: string[] = [];
  for (let i = 1; i <= sentences; i++) parts.push(`Sentence number ${i} of the long answer arrives word by word.`);
  return parts.join(' ');
}

export const codeAnswer = {
  code: ['export function add(a: number, b: number): number {', '  return a + b;', '}'].join('\n'),
  get text(): string {
    return [
      'Here is a small **TypeScript** function:',
      '',
      '```ts',
      this.code,
      '```',
      '',
      '| Input | Output |',
      '| --- | ---: |',
      '| `add(1, 2)` | 3 |',
      '| `add(-1, 1)` | 0 |',
      '',
      'Call it with two numbers.',
    ].join('\n');
  },
};

export const reasoningAnswer = {
  reasoning: ['The user asks ', 'for the capital ', 'of France. ', 'That is Paris, ', 'a well-known fact.'],
  content: ['The capital ', 'of France ', 'is **Paris**.'],
};

/** Case 31 of bad-inputs.md: markup that would reach the network if the panel rendered it. */
export function hostileAnswerText(origin: string): string {
  return [
    'Hostile output follows.',
    '',
    `<script>fetch('${origin}/pwned')</script>`,
    '',
    `<img src=x onerror="fetch('${origin}/img-onerror')">`,
    '',
    `![remote](${origin}/remote.png)`,
    '',
    `[click](javascript:fetch('${origin}/js-link'))`,
    '',
    `<iframe src="${origin}/iframe"></iframe>`,
    '',
    'End of hostile output.',
  ].join('\n');
}

/** The paths `hostileAnswerText` tries to reach. */
export const hostilePaths = ['/pwned', '/img-onerror', '/remote.png', '/js-link', '/iframe'];

/**
 * An answer that is only a call of `tool` with `args` (JSON), its arguments split over two
 * fragments as servers stream them, ending with `finish_reason: "tool_calls"`.
 */
export function toolCallStream(tool: string, args: object, model = 'test-model'): Scenario {
  const json = JSON.stringify(args);
  const half = Math.ceil(json.length / 2);
  const call = (fragment: object) => sse.data(chunk({ tool_calls: [{ index: 0, ...fragment }] }, { model }));
  return {
    kind: 'stream',
    steps: [
      sse.data(chunk({ role: 'assistant', content: '' }, { model })),
      call({ id: 'call_fixture_1', type: 'function', function: { name: tool, arguments: json.slice(0, half) } }),
      call({ function: { arguments: json.slice(half) } }),
      sse.data(chunk({}, { model, finishReason: 'tool_calls' })),
      sse.done(),
    ],
  };
}
