// The context meter learns the model's tokens, in the real extension host against the demo server
// (which counts tokens as a tokenizer would): after the first answer the meter's estimate for the
// next question agrees with the server's count within 15%, and the panel gets the learned ratio.
import * as assert from 'node:assert/strict';
import type { BudgetView, HostToWebview } from '../../../src/protocol';
import { DEFAULT_CHARS_PER_TOKEN } from '../../../src/shared/snippets';
import { startTestServer, type TestServer } from '../../server';
import { resetUserSettings, setUserSetting, streamChatApi, useEndpoint } from './helpers';

const CODE = [
  '```ts',
  'function saveAll(items) {',
  '  for (let i = 0; i <= items.length; i++) {',
  '    save(items[i]);',
  '  }',
  '}',
  '```',
].join('\n');

describe('the context meter learns the tokens of the model (chat)', () => {
  let demo: TestServer;
  before(async () => {
    // Slow enough that the answer is still streaming when its first estimate is posted.
    demo = await startTestServer({ demo: { tokensPerSecond: 100, model: 'calibrated-model' } });
  });
  after(async () => {
    (await streamChatApi()).testing.chat.detach();
    await resetUserSettings();
    await demo.close();
  });

  it("after the first answer, the estimate for the next question is within 15% of the server's count", async () => {
    await useEndpoint(demo.baseUrl);
    await setUserSetting('model', 'calibrated-model');
    const { chat } = (await streamChatApi()).testing;
    chat.newChat();
    let waiter: { predicate: (budget: BudgetView) => boolean; resolve: (budget: BudgetView) => void } | undefined;
    chat.attach((message: HostToWebview) => {
      if (message.type === 'budget' && waiter?.predicate(message.budget)) waiter.resolve(message.budget);
    });
    const budgetWhere = (predicate: (budget: BudgetView) => boolean) =>
      new Promise<BudgetView>((resolve) => (waiter = { predicate, resolve }));

    const counted = budgetWhere((budget) => budget.measured);
    const first = await chat.send(`Find the bugs in this code:\n${CODE}`);
    assert.equal(first?.status, 'done');
    const learned = (await counted).charsPerToken;
    assert.notEqual(learned, DEFAULT_CHARS_PER_TOKEN, 'the panel gets the learned ratio for the draft');

    const estimated = budgetWhere((budget) => !budget.measured);
    const answered = chat.send(`Is this one right?\n${CODE.replace('<=', '<')}`);
    const estimate = (await estimated).conversationTokens;
    const second = await answered;
    const promptTokens = second?.footer?.promptTokens;
    assert.ok(promptTokens !== undefined, 'the demo server counts the prompt');
    assert.ok(
      Math.abs(estimate - promptTokens) / promptTokens <= 0.15,
      `estimated ${estimate} before the answer, the server counted ${promptTokens}`,
    );
  });
});
