// Token estimates that learn each model's characters-per-token ratio from the server's usage: the
// calibrator alone (converges, stays in bounds, smoothed, cheap), the registry (per origin and
// model, saved and restored), and the whole path against the demo server: after one answer the
// estimate of the next prompt is within 15% of the server's count; the panel's draft estimate.
import * as assert from 'node:assert/strict';
import { JSDOM } from 'jsdom';
import { ChatClient, type ChatMessage } from '../../src/api';
import { estimateMessages } from '../../src/core/contextBudget';
import { RequestRunner } from '../../src/core/requestRunner';
import {
  MAX_CHARS_PER_TOKEN,
  MIN_CHARS_PER_TOKEN,
  MIN_SAMPLE_TOKENS,
  sampleOf,
  TokenCalibrations,
  TokenCalibrator,
  type Exchange,
} from '../../src/core/tokenCalibration';
import { DEFAULT_CHARS_PER_TOKEN, estimateTokens, tokenWeight } from '../../src/shared/snippets';
import { BudgetMeter } from '../../src/webview/contextMeter';
import { countPromptTokens, startTestServer, type TestServer } from '../server';
import { withGlobalDocument } from './helpers';

const ORIGIN = 'http://127.0.0.1:1234';

/** A calibrator taught `answers` samples of `tokens` tokens at `ratio` characters per token. */
function taught(ratio: number, answers: number, tokens = 1_000): TokenCalibrator {
  const calibrator = new TokenCalibrator();
  for (let i = 0; i < answers; i++) assert.ok(calibrator.learn(ratio * tokens, tokens));
  return calibrator;
}

function exchange(content: string, promptTokens?: number, completionTokens?: number): Exchange {
  return { content, reasoning: '', toolCalls: [], stopped: false, usage: { promptTokens, completionTokens } };
}

describe('token calibration: one model', () => {
  it('starts at the default ratio: the same estimate as before any usage', () => {
    const calibrator = new TokenCalibrator();
    assert.equal(calibrator.charsPerToken, DEFAULT_CHARS_PER_TOKEN);
    assert.equal(calibrator.learned, false);
    for (const text of ['', 'abcd', 'abcde', '日本語', 'const x = 1;\n'.repeat(30)])
      assert.equal(calibrator.estimate(text), estimateTokens(text), text);
  });

  it("converges on the server's ratio; the first answer already decides most of it", () => {
    const once = taught(3, 1, 200);
    assert.ok(Math.abs(once.charsPerToken - 3) / 3 < 0.05, `after one answer: ${once.charsPerToken}`);
    assert.equal(once.learned, true);
    const settled = taught(3, 20);
    assert.ok(Math.abs(settled.charsPerToken - 3) < 0.001, `after many: ${settled.charsPerToken}`);
    assert.equal(settled.estimate('x'.repeat(300)), 100);
  });

  it('one odd answer moves a settled ratio at most a fifth of the way; a run of them moves it all the way', () => {
    const calibrator = taught(3, 10);
    const settled = calibrator.charsPerToken;
    calibrator.learn(8 * 50_000, 50_000);
    const moved = (calibrator.charsPerToken - settled) / (8 - settled);
    assert.ok(moved > 0 && moved <= 0.2, `moved ${moved} of the way`);
    for (let i = 0; i < 30; i++) calibrator.learn(6 * 1_000, 1_000);
    assert.ok(Math.abs(calibrator.charsPerToken - 6) < 0.01, `it follows the model: ${calibrator.charsPerToken}`);
  });

  it('too few tokens, or a ratio outside 1.5–8 characters a token, teach nothing', () => {
    const calibrator = new TokenCalibrator();
    assert.equal(calibrator.learn(3 * (MIN_SAMPLE_TOKENS - 1), MIN_SAMPLE_TOKENS - 1), false);
    assert.equal(calibrator.learn(1.4 * 1_000, 1_000), false, 'reasoning counted but not sent');
    assert.equal(calibrator.learn(8.5 * 1_000, 1_000), false);
    assert.equal(calibrator.learn(100, 0), false);
    assert.equal(calibrator.learn(NaN, 100), false);
    assert.equal(calibrator.charsPerToken, DEFAULT_CHARS_PER_TOKEN);
    assert.ok(Math.abs(taught(MIN_CHARS_PER_TOKEN, 30).charsPerToken - MIN_CHARS_PER_TOKEN) < 0.001);
    assert.ok(Math.abs(taught(MAX_CHARS_PER_TOKEN, 30).charsPerToken - MAX_CHARS_PER_TOKEN) < 0.001);
  });

  it('an estimate is one pass over the text: it reads each character code once and builds nothing', () => {
    const calibrator = taught(3.5, 3);
    const text = `line 1: ${'x'.repeat(692)}`;
    let reads = 0;
    // Only `length` and `charCodeAt` may be touched: no slicing, splitting, regex or copies.
    const watched = new Proxy(new String(text), {
      get(_target, property) {
        if (property === 'length') return text.length;
        if (property === 'charCodeAt')
          return (index: number) => {
            reads++;
            return text.charCodeAt(index);
          };
        throw new Error(`the estimate touched ${String(property)}`);
      },
    }) as unknown as string;
    assert.equal(calibrator.estimate(watched), Math.ceil(700 / calibrator.charsPerToken));
    assert.equal(reads, 700);
    // A caller that sums weights itself estimates once.
    assert.equal(calibrator.estimateWeight(tokenWeight('x'.repeat(700))), 200);
  });
});

describe('token calibration: usage of an exchange', () => {
  const messages: ChatMessage[] = [
    { role: 'system', content: 's'.repeat(100) },
    { role: 'user', content: 'q'.repeat(200) },
  ];

  it("prompt text against prompt_tokens less the template's overhead, answer text against completion_tokens", () => {
    assert.deepEqual(sampleOf(messages, exchange('a'.repeat(90), 108, 30)), { weight: 390, tokens: 130 });
  });

  it('a part with an implausible ratio is left out; an answer that did not complete teaches only its prompt', () => {
    assert.deepEqual(sampleOf(messages, exchange('a'.repeat(30), 108, 500)), { weight: 300, tokens: 100 });
    assert.deepEqual(sampleOf(messages, { ...exchange('a'.repeat(90), 108, 30), stopped: true }), {
      weight: 300,
      tokens: 100,
    });
    assert.deepEqual(sampleOf(messages, exchange('a'.repeat(90))), { weight: 0, tokens: 0 });
  });
});

describe('token calibration: every model on its own, kept across restarts', () => {
  const messages: ChatMessage[] = [{ role: 'user', content: 'q'.repeat(600) }];

  it('separate per origin and model; the same calibrator each time', () => {
    const calibrations = new TokenCalibrations();
    assert.equal(calibrations.learnFromExchange(ORIGIN, 'small', messages, exchange('', 204)), true);
    assert.equal(calibrations.for(ORIGIN, 'small').charsPerToken < 3.1, true);
    assert.equal(calibrations.for(ORIGIN, 'small'), calibrations.for(ORIGIN, 'small'));
    assert.equal(calibrations.for(ORIGIN, 'large').charsPerToken, DEFAULT_CHARS_PER_TOKEN);
    assert.equal(calibrations.for('https://other.example', 'small').charsPerToken, DEFAULT_CHARS_PER_TOKEN);
    assert.equal(calibrations.learnFromExchange('', 'small', messages, exchange('', 204)), false, 'no origin');
  });

  it('saves what it learned (only that), tells listeners, and reads it back; malformed entries are skipped', () => {
    const calibrations = new TokenCalibrations();
    let told = 0;
    calibrations.onDidLearn(() => told++);
    calibrations.for(ORIGIN, 'never-answered');
    calibrations.learnFromExchange(ORIGIN, 'small', messages, exchange('', 204));
    calibrations.learnFromExchange(ORIGIN, 'small', messages, exchange('', 5)); // too few tokens: not told
    assert.equal(told, 1);
    const saved = JSON.parse(JSON.stringify(calibrations.saved())) as Record<string, unknown>;
    assert.deepEqual(Object.keys(saved), [`${ORIGIN} small`]);
    const restored = new TokenCalibrations({ ...saved, bad: 'x', worse: [99, 10], worst: [3, -1] });
    assert.equal(restored.for(ORIGIN, 'small').charsPerToken, calibrations.for(ORIGIN, 'small').charsPerToken);
    assert.deepEqual(Object.keys(restored.saved()), [`${ORIGIN} small`]);
    assert.equal(new TokenCalibrations('garbage').saved().constructor, Object);
  });
});

describe('token calibration against the demo server', () => {
  let server: TestServer;
  before(async () => (server = await startTestServer({ demo: { tokensPerSecond: 0, model: 'test-model' } })));
  after(() => server.close());

  it("after one answer, the next prompt's estimate is within 15% of the server's count", async () => {
    const calibrations = new TokenCalibrations();
    const runner = new RequestRunner(new ChatClient(), { warn() {}, request() {} }, calibrations);
    const code =
      '```ts\nfunction saveAll(items) {\n  for (let i = 0; i <= items.length; i++) {\n    save(items[i]);\n  }\n}\n```';
    const messages: ChatMessage[] = [{ role: 'user', content: `Find the bugs in this code:\n${code}` }];
    const first = await runner
      .start({ owner: 'chat', endpoint: { baseUrl: server.baseUrl }, request: { model: 'test-model', messages } })
      .collect();
    assert.ok(first.usage?.promptTokens !== undefined && first.content.length > 100);
    runner.dispose();

    const next: ChatMessage[] = [
      ...messages,
      { role: 'assistant', content: first.content },
      { role: 'user', content: `Is this one right?\n${code.replace('<=', '<')}` },
    ];
    const counted = countPromptTokens(next);
    const estimated = estimateMessages(next, calibrations.for(server.origin, 'test-model'));
    assert.ok(Math.abs(estimated - counted) / counted <= 0.15, `estimated ${estimated}, counted ${counted}`);
  });
});

describe('token calibration: the panel estimates the draft by the learned ratio', () => {
  withGlobalDocument(new JSDOM('<!doctype html><body></body>').window);

  it("the meter counts a draft with the ratio the host sends, on top of the server's count", () => {
    const meter = new BudgetMeter();
    const budget = { window: 8192, windowSource: 'server' as const, measured: true, reserve: 1024 };
    meter.setBudget({ ...budget, conversationTokens: 200, charsPerToken: 2.5 });
    meter.setDraft('x'.repeat(100));
    assert.equal(meter.element.textContent, '240 / 8k');
    meter.setBudget({ ...budget, conversationTokens: 200, charsPerToken: DEFAULT_CHARS_PER_TOKEN });
    assert.equal(meter.element.textContent, '225 / 8k');
  });
});
