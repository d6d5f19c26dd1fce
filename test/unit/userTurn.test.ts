// The chat panel's user turn (src/webview/turns.ts) in a jsdom page: the question, and each snippet
// sent with it as one compact line (file:lines, what it is, its size) whose code folds out as text.
import * as assert from 'node:assert/strict';
import { JSDOM } from 'jsdom';
import { withGlobalDocument } from './helpers';
import type { UserTurnView } from '../../src/protocol';
import { questionText, withEditButton } from '../../src/webview/questionEdit';
import { userTurnElement } from '../../src/webview/userTurn';

describe('chat panel: user turn with code', () => {
  const { window } = new JSDOM('<!doctype html><html><body></body></html>');
  withGlobalDocument(window);

  it('shows each snippet as a collapsed label with its size, the code as text (never HTML), then the question', () => {
    const code = '<img src=x onerror="alert(1)">\nconst a = 1;\n';
    const turn: UserTurnView = {
      role: 'user',
      id: 't1',
      text: 'Explain this.',
      snippets: [
        {
          path: 'src/a.ts',
          languageId: 'typescript',
          range: { startLine: 3, endLine: 4 },
          code,
          tokens: 12,
          description: 'enclosing function f',
        },
      ],
    };
    const element = userTurnElement(turn);
    const details = element.querySelectorAll('details.snippet');
    assert.equal(details.length, 1);
    const snippet = details[0] as HTMLDetailsElement;
    assert.equal(snippet.open, false, 'collapsed by default');
    assert.equal(snippet.querySelector('.snippet-label')?.textContent, 'src/a.ts:3-4');
    assert.equal(snippet.querySelector('.snippet-meta')?.textContent, 'enclosing function f · 2 lines · ~12 tokens');
    assert.equal(snippet.querySelector('pre code')?.textContent, code);
    assert.equal(element.querySelector('img'), null, 'the code is text, not markup');
    assert.equal(element.querySelector('.user-question')?.textContent, 'Explain this.');
  });

  it("an ask's question shows its label; the instruction folds away like the code, and Edit takes it back", () => {
    const turn: UserTurnView = {
      role: 'user',
      id: 't4',
      text: 'Find bugs in this code. For each one: where it is.',
      label: 'Find Bugs · src/inventory.ts:8-14',
      snippets: [
        {
          path: 'src/inventory.ts',
          languageId: 'typescript',
          code: 'a\n',
          tokens: 1,
          range: { startLine: 8, endLine: 14 },
        },
      ],
    };
    const element = userTurnElement(turn);
    assert.equal(element.querySelector('.user-label')?.textContent, 'Find Bugs · src/inventory.ts:8-14');
    const folded = [...element.querySelectorAll('details')] as HTMLDetailsElement[];
    assert.equal(folded.length, 2, 'the code and the instruction');
    assert.ok(
      folded.every((details) => !details.open),
      'both folded away',
    );
    assert.equal(folded[1].querySelector('.user-question')?.textContent, turn.text);
    assert.equal(element.firstElementChild?.firstElementChild?.className, 'user-label', 'the label comes first');
    assert.equal(questionText(withEditButton(userTurnElement(turn))), turn.text);
  });

  it('a question without code is plain text, as before', () => {
    const element = userTurnElement({ role: 'user', id: 't2', text: 'Hi <b>there</b>' });
    assert.equal(element.querySelector('.user-text')?.textContent, 'Hi <b>there</b>');
    assert.equal(element.querySelector('details'), null);
    assert.equal(element.querySelector('b'), null);
  });

  it('Edit takes back exactly the typed question: not the label, size or code of its files', () => {
    const withFile: UserTurnView = {
      role: 'user',
      id: 't2',
      text: 'What does the inventory do?',
      snippets: [{ path: 'src/inventory.ts', languageId: 'typescript', code: 'export interface Item {}\n', tokens: 9 }],
    };
    assert.equal(questionText(withEditButton(userTurnElement(withFile))), 'What does the inventory do?');
    const plain: UserTurnView = { role: 'user', id: 't3', text: 'Hello?' };
    assert.equal(questionText(withEditButton(userTurnElement(plain))), 'Hello?');
  });
});
