// What a finished answer says about itself (src/webview/turns.ts), in a jsdom page: token counts a
// person can read ("11 in · 186 out"), and a Stopped notice whose icon is not a checkbox-like square.
import * as assert from 'node:assert/strict';
import { JSDOM } from 'jsdom';
import { withGlobalDocument } from './helpers';
import type { AssistantTurnView } from '../../src/protocol';
import { AssistantTurn } from '../../src/webview/turns';

describe('chat panel: answer indicators', () => {
  const { window } = new JSDOM('<!doctype html><html><body></body></html>', { pretendToBeVisual: true });
  withGlobalDocument(window);

  const done: AssistantTurnView = {
    role: 'assistant',
    id: 't1',
    requestId: 1,
    content: 'Hello.',
    reasoning: '',
    status: 'done',
    footer: { model: 'm', promptTokens: 11, completionTokens: 186, finishReason: 'stop' },
  };

  function footerText(view: AssistantTurnView): string {
    const turn = new AssistantTurn(view, {}, false);
    turn.setLast(true);
    return turn.element.querySelector('.turn-footer')?.textContent ?? '';
  }

  it('the footer counts tokens as "11 in · 186 out"', () => {
    assert.match(footerText(done), /(^| · )11 in · 186 out( · |$)/);
  });

  it('a count the server did not send is left out, not shown as "?"', () => {
    const text = footerText({ ...done, footer: { model: 'm', completionTokens: 40, finishReason: 'stop' } });
    assert.match(text, /(^| · )40 out( · |$)/);
    assert.doesNotMatch(text, /\?| in\b/);
  });

  it('the Stopped notice shows the stop-circle icon, not a bare square', () => {
    const turn = new AssistantTurn({ ...done, status: 'stopped' }, {}, false);
    turn.setLast(true);
    const notice = turn.element.querySelector('.notice.stopped');
    assert.ok(notice, 'no Stopped notice');
    assert.ok(notice.querySelector('.codicon-stop-circle'), notice.innerHTML);
    assert.equal(notice.querySelector('.codicon-debug-stop'), null);
  });
});
