// Settings become a request in one place: what each setting puts on the wire.
import * as assert from 'node:assert/strict';
import { prepareRequest, type RequestSettings } from '../../src/core/requestPreparation';

const defaults: RequestSettings = { model: 'vllm-primary', systemPrompt: '', idleTimeoutMs: 120_000 };
const question = [{ role: 'user' as const, content: 'Why?' }];

describe('settings → request (prepareRequest)', () => {
  it('defaults send only the model and the messages; the idle timeout always applies', () => {
    assert.deepEqual(prepareRequest(defaults, question), {
      request: { model: 'vllm-primary', messages: question },
      options: { idleTimeoutMs: 120_000 },
    });
  });

  it('system prompt, temperature and max tokens are sent when set (temperature 0 included)', () => {
    const { request, options } = prepareRequest(
      { ...defaults, systemPrompt: '  Be terse.  ', temperature: 0, maxTokens: 512, idleTimeoutMs: 30_000 },
      question,
    );
    assert.deepEqual(request, {
      model: 'vllm-primary',
      messages: [{ role: 'system', content: 'Be terse.' }, ...question],
      temperature: 0,
      maxTokens: 512,
    });
    assert.deepEqual(options, { idleTimeoutMs: 30_000 });
  });

  it("one system message: the user's prompt, then the surface's instructions; its cap never raises the user's", () => {
    const both = prepareRequest({ ...defaults, systemPrompt: 'Be terse.', maxTokens: 20 }, question, {
      instructions: 'Answer with code only.',
      maxTokens: 48,
      maxRetries: 0,
    });
    assert.deepEqual(both.request.messages[0], { role: 'system', content: 'Be terse.\n\nAnswer with code only.' });
    assert.equal(both.request.maxTokens, 20);
    assert.equal(both.options.maxRetries, 0);
    const onlyInstructions = prepareRequest(defaults, question, {
      instructions: 'Code only.',
      maxTokens: 48,
      model: 'other',
    });
    assert.deepEqual(onlyInstructions.request.messages[0], { role: 'system', content: 'Code only.' });
    assert.equal(onlyInstructions.request.maxTokens, 48);
    assert.equal(onlyInstructions.request.model, 'other');
  });

  it('does not modify the conversation it is given', () => {
    const conversation = [...question];
    prepareRequest({ ...defaults, systemPrompt: 'S' }, conversation);
    assert.deepEqual(conversation, question);
  });
});
