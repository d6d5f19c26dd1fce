// A finished answer of a reopened conversation (src/webview/turns.ts) in a jsdom page: deferred, it
// renders nothing until it is materialized, yet its text is there to copy; materialized, it is the
// same as an answer rendered at once. Released far off screen, it gives its DOM up, keeps its height,
// and comes back the same.
import * as assert from 'node:assert/strict';
import { JSDOM } from 'jsdom';
import { withGlobalDocument } from './helpers';
import type { AssistantTurnView } from '../../src/protocol';
import { AssistantTurn } from '../../src/webview/turns';

describe('chat panel: a deferred answer', () => {
  const { window } = new JSDOM('<!doctype html><html><body></body></html>', { pretendToBeVisual: true });
  withGlobalDocument(window);

  const view: AssistantTurnView = {
    role: 'assistant',
    id: 't2',
    requestId: 7,
    content: '# Title\n\nSome **bold** text.\n\n```ts\nconst a = 1;\n```\n',
    reasoning: 'thinking it over',
    status: 'done',
    footer: { model: 'm', finishReason: 'stop' },
  };

  it('renders nothing until materialized, then exactly what an answer rendered at once shows', () => {
    const deferred = new AssistantTurn(view, {}, true);
    assert.equal(deferred.isDeferred, true);
    assert.ok(deferred.element.classList.contains('deferred'));
    assert.match(deferred.element.style.getPropertyValue('--held-height'), /^\d+px$/);
    assert.equal(deferred.element.querySelector('.answer')?.childElementCount, 0, 'no markdown rendered yet');
    assert.equal(deferred.answerText, view.content, 'its text can be copied before it is rendered');

    deferred.materialize(true);
    const eager = new AssistantTurn(view, {}, false);
    eager.setLast(true);
    assert.equal(deferred.isDeferred, false);
    assert.equal(deferred.element.classList.contains('deferred'), false);
    assert.equal(deferred.element.innerHTML, eager.element.innerHTML);
    assert.ok(deferred.element.querySelector('.answer h1'));
  });

  it('released, it holds no markdown nor buttons but keeps its height, its text and its Thinking state', () => {
    const answer = new AssistantTurn(view, {}, false);
    answer.setLast(false);
    const rendered = answer.element.innerHTML;
    const thinking = answer.element.querySelector<HTMLDetailsElement>('details.thinking')!;
    thinking.open = true;

    answer.release(1234.5);
    assert.equal(answer.isRendered, false);
    assert.ok(answer.element.classList.contains('released'));
    assert.equal(answer.element.classList.contains('deferred'), false, 'it was rendered once: not deferred');
    assert.equal(answer.element.style.getPropertyValue('--held-height'), '1234.5px');
    assert.equal(answer.element.querySelector('.answer')?.childElementCount, 0);
    assert.equal(answer.element.querySelector('.thinking-body')?.childElementCount, 0);
    assert.equal(answer.element.querySelector('.turn-after')?.childElementCount, 0, 'no footer, no buttons');
    assert.equal(answer.answerText, view.content, 'Copy answer still has its text');
    assert.equal(thinking.open, true);

    answer.materialize(false);
    assert.equal(answer.isRendered, true);
    assert.equal(answer.element.classList.contains('released'), false);
    assert.equal(answer.element.style.getPropertyValue('--held-height'), '');
    thinking.open = false;
    assert.equal(answer.element.innerHTML, rendered, 'back exactly as it was');
  });

  it('a streaming answer is never released', () => {
    const streaming = new AssistantTurn({ ...view, status: 'streaming' }, {}, false);
    streaming.release(100);
    assert.equal(streaming.isRendered, true);
  });

  it('a streaming answer is never deferred', () => {
    const streaming = new AssistantTurn({ ...view, status: 'streaming' }, {}, true);
    assert.equal(streaming.isDeferred, false);
  });
});
