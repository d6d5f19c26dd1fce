// The context budget: which turns a request leaves out to fit the window, the window servers report
// in `/models` (each shape), and the window a context-length error names.
import * as assert from 'node:assert/strict';
import type { ChatMessage } from '../../src/api';
import { httpError } from '../../src/api/errors';
import { contextWindowOf, modelsFromBody } from '../../src/api/models';
import {
  answerReserve,
  estimateMessages,
  fitToWindow,
  leftOutNote,
  MESSAGE_OVERHEAD_TOKENS,
  windowFromErrorMessage,
} from '../../src/core/contextBudget';
import { formatTokenCount, formatWindow } from '../../src/webview/contextMeter';

/** A message of exactly `tokens` estimated tokens (with its overhead). */
function message(role: ChatMessage['role'], tokens: number, tag = ''): ChatMessage {
  const text = `${tag}${'x'.repeat(Math.max(0, (tokens - MESSAGE_OVERHEAD_TOKENS) * 4 - tag.length))}`;
  return { role, content: text };
}

describe('context budget: leaving out older turns', () => {
  const system = message('system', 20, 'S');
  const conversation = [
    system,
    message('user', 100, 'q1'),
    message('assistant', 100, 'a1'),
    message('user', 100, 'q2'),
    message('assistant', 100, 'a2'),
    message('user', 50, 'q3'),
  ];

  it('everything fits: nothing is left out', () => {
    const fitted = fitToWindow(conversation, 1000, 100);
    assert.equal(fitted.leftOutTurns, 0);
    assert.equal(fitted.fits, true);
    assert.deepEqual(fitted.messages, conversation);
    assert.equal(fitted.promptTokens, 470);
    assert.equal(estimateMessages(conversation), 470);
  });

  it('leaves out the oldest turns (question and answer) until prompt and reserve fit; the system message stays', () => {
    const fitted = fitToWindow(conversation, 400, 100); // 300 for the prompt: 470 → 270 after one turn
    assert.equal(fitted.leftOutTurns, 1);
    assert.equal(fitted.fits, true);
    assert.deepEqual(
      fitted.messages.map((m) => m.content.slice(0, 2)),
      ['Sx', 'q2', 'a2', 'q3'],
    );
    const tighter = fitToWindow(conversation, 200, 100); // 100: only the system message and the last question (70)
    assert.equal(tighter.leftOutTurns, 2);
    assert.deepEqual(
      tighter.messages.map((m) => m.content.slice(0, 2)),
      ['Sx', 'q3'],
    );
    assert.equal(tighter.promptTokens, 70);
  });

  it('the last question alone too large: nothing more to leave out, does not fit', () => {
    const fitted = fitToWindow(conversation, 150, 100);
    assert.equal(fitted.fits, false);
    assert.equal(fitted.leftOutTurns, 2);
    assert.deepEqual(
      fitted.messages.map((m) => m.content.slice(0, 2)),
      ['Sx', 'q3'],
    );
  });

  it('leaveOutAtLeast leaves out turns the estimate kept (the server said too long), never the last question', () => {
    assert.equal(fitToWindow(conversation, 10_000, 100, 1).leftOutTurns, 1);
    assert.equal(fitToWindow(conversation, 10_000, 100, 9).leftOutTurns, 2);
    assert.equal(fitToWindow([message('user', 10)], 10_000, 100, 3).leftOutTurns, 0);
  });

  it('answers before the first question travel with it; the reserve is max tokens or a share of the window', () => {
    const fitted = fitToWindow(
      [message('assistant', 50, 'a0'), message('user', 50, 'q1'), message('user', 50, 'q2')],
      120,
      0,
    );
    assert.deepEqual(
      fitted.messages.map((m) => m.content.slice(0, 2)),
      ['q1', 'q2'],
    );
    assert.equal(answerReserve(8192, undefined), 1024);
    assert.equal(answerReserve(2000, undefined), 500);
    assert.equal(answerReserve(8192, 300), 300);
  });

  it('the note says how many turns and the window', () => {
    assert.equal(leftOutNote(2, 8192), "2 earlier turns left out to fit the model's 8,192-token window");
    assert.equal(leftOutNote(1, 512), "1 earlier turn left out to fit the model's 512-token window");
  });

  it('the meter formats counts short', () => {
    assert.equal(formatTokenCount(850), '850');
    assert.equal(formatTokenCount(3140), '3.1k');
    assert.equal(formatTokenCount(8192), '8.2k');
    assert.equal(formatTokenCount(32768), '33k');
    assert.equal(formatWindow(8192), '8k');
    assert.equal(formatWindow(131072), '128k');
    assert.equal(formatWindow(400), '400');
    assert.equal(formatWindow(8000), '8k');
  });
});

describe('context window from /models', () => {
  const window = (entry: object) =>
    modelsFromBody(JSON.stringify({ object: 'list', data: [{ id: 'm', ...entry }] }))?.[0]?.contextWindow;

  it('vLLM max_model_len', () =>
    assert.equal(window({ object: 'model', owned_by: 'vllm', max_model_len: 8192 }), 8192));
  it('OpenRouter context_length, or top_provider.context_length', () => {
    assert.equal(window({ context_length: 131072, top_provider: { context_length: 65536 } }), 131072);
    assert.equal(window({ top_provider: { context_length: 65536, max_completion_tokens: null } }), 65536);
  });
  it('llama.cpp n_ctx (top level or in meta) before meta.n_ctx_train', () => {
    assert.equal(window({ meta: { n_ctx_train: 131072, n_vocab: 128256 } }), 131072);
    assert.equal(window({ meta: { n_ctx: 4096, n_ctx_train: 131072 } }), 4096);
    assert.equal(window({ n_ctx: 2048, meta: { n_ctx_train: 131072 } }), 2048);
  });
  it('LM Studio loaded_context_length before max_context_length', () => {
    assert.equal(window({ max_context_length: 32768 }), 32768);
    assert.equal(window({ max_context_length: 32768, loaded_context_length: 4096 }), 4096);
  });
  it('Groq context_window; numeric strings count', () => {
    assert.equal(window({ context_window: 131072 }), 131072);
    assert.equal(window({ max_model_len: '4096' }), 4096);
  });
  it('Ollama and plain OpenAI lists report none; nonsense is ignored', () => {
    assert.equal(modelsFromBody(JSON.stringify({ models: [{ name: 'llama3' }] }))?.[0]?.contextWindow, undefined);
    assert.equal(window({ owned_by: 'openai' }), undefined);
    for (const bad of [0, -5, 1.5, 'lots', null, true, {}, 1e300])
      assert.equal(contextWindowOf({ id: 'm', max_model_len: bad }), undefined, JSON.stringify(bad));
    assert.equal(contextWindowOf('m'), undefined);
  });
  it('each model its own', () => {
    const models = modelsFromBody(
      JSON.stringify({
        data: [
          { id: 'a', max_model_len: 1000 },
          { id: 'b', max_model_len: 2000 },
        ],
      }),
    );
    assert.deepEqual(models, [
      { id: 'a', contextWindow: 1000 },
      { id: 'b', contextWindow: 2000 },
    ]);
  });
});

describe('models that read images, as servers list them', () => {
  const takes = (body: object) => modelsFromBody(JSON.stringify(body))?.map((model) => model.imageInput === true);

  it('OpenRouter input_modalities and its older modality string', () => {
    assert.deepEqual(
      takes({
        data: [
          { id: 'a', architecture: { input_modalities: ['text', 'image'] } },
          { id: 'b', architecture: { input_modalities: ['text'] } },
          { id: 'c', architecture: { modality: 'text+image->text' } },
          { id: 'd', architecture: { modality: 'text->image' } },
        ],
      }),
      [true, false, true, false],
    );
  });
  it('LM Studio type vlm, Ollama capabilities vision', () => {
    assert.deepEqual(
      takes({
        data: [
          { id: 'a', type: 'vlm' },
          { id: 'b', type: 'llm' },
        ],
      }),
      [true, false],
    );
    assert.deepEqual(takes({ models: [{ name: 'llava', capabilities: ['completion', 'vision'] }] }), [true]);
  });
  it('llama.cpp: the capabilities of the Ollama-style twin of each data entry', () => {
    const body = {
      models: [
        { name: 'gemma', model: 'gemma', capabilities: ['completion', 'multimodal'] },
        { name: 'qwen', model: 'qwen', capabilities: ['completion'] },
      ],
      object: 'list',
      data: [
        { id: 'gemma', meta: { n_ctx_train: 8192 } },
        { id: 'qwen', meta: {} },
      ],
    };
    assert.deepEqual(takes(body), [true, false]);
  });
  it('a server that says nothing (vLLM, OpenAI) lists text-only models', () => {
    assert.deepEqual(
      takes({
        data: [
          { id: 'm', max_model_len: 4096 },
          { id: 'gpt', owned_by: 'openai' },
        ],
      }),
      [false, false],
    );
  });
});

describe('context-length errors', () => {
  const classify = (status: number, body: object) =>
    httpError({
      status,
      statusText: 'Bad Request',
      bodyText: JSON.stringify(body),
      origin: 'http://h',
      model: 'm',
      hadApiKey: false,
    });

  it('vLLM 400 "maximum context length": kind context-length, the window read from the message', () => {
    const error = classify(400, {
      object: 'error',
      message:
        "This model's maximum context length is 8192 tokens. However, you requested 9000 tokens " +
        '(8000 in the messages, 1000 in the completion). Please reduce the length of the messages or completion.',
      type: 'BadRequestError',
      code: 400,
    });
    assert.equal(error.kind, 'context-length');
    assert.equal(windowFromErrorMessage(error.serverMessage), 8192);
  });

  it('OpenAI context_length_exceeded, llama.cpp exceed_context_size_error', () => {
    const openai = classify(400, {
      error: {
        message:
          "This model's maximum context length is 128,000 tokens. However, your messages resulted in 130,000 tokens.",
        type: 'invalid_request_error',
        code: 'context_length_exceeded',
      },
    });
    assert.equal(openai.kind, 'context-length');
    assert.equal(windowFromErrorMessage(openai.serverMessage), 128000);
    const llama = classify(400, {
      error: {
        code: 400,
        message: 'request (9000 tokens) exceeds the available context size (4096 tokens), try increasing it',
        type: 'exceed_context_size_error',
        n_prompt_tokens: 9000,
        n_ctx: 4096,
      },
    });
    assert.equal(llama.kind, 'context-length');
    assert.equal(windowFromErrorMessage(llama.serverMessage), 4096);
  });

  it('no number in the message: no window; other 400s are not context errors', () => {
    assert.equal(windowFromErrorMessage('prompt is too long'), undefined);
    assert.equal(windowFromErrorMessage(undefined), undefined);
    assert.equal(classify(400, { error: { message: 'temperature must be at most 2' } }).kind, 'bad-request');
  });
});
