// A question in the transcript: what the user typed, and the code sent with it (ask commands show a
// short label and fold their standing instruction away). All of it as text, never HTML.
import { snippetLabel } from '../shared/snippets';
import type { CodeSnippet, UserTurnView } from '../protocol';
import { el, icon } from './dom';

export function userTurnElement(turn: UserTurnView): HTMLElement {
  const snippets = turn.snippets ?? [];
  const body =
    snippets.length === 0 && turn.label === undefined
      ? [turn.text]
      : [
          ...(turn.label !== undefined ? [el('div', { class: 'user-label' }, turn.label)] : []),
          el('div', { class: 'user-snippets' }, ...snippets.map(snippetElement)),
          turn.label !== undefined ? instructionElement(turn.text) : el('div', { class: 'user-question' }, turn.text),
        ];
  return el(
    'article',
    { class: 'turn user', 'data-turn-id': turn.id, 'aria-label': 'You' },
    el('div', { class: 'user-text' }, ...body),
  );
}

/** An ask command's standing instruction, folded away under its label (as text, never HTML). */
function instructionElement(text: string): HTMLElement {
  return el(
    'details',
    { class: 'snippet instruction' },
    el(
      'summary',
      { title: 'Show or hide the instruction sent with the code' },
      el('i', { class: 'codicon codicon-chevron-right snippet-chevron', 'aria-hidden': 'true' }),
      icon('comment'),
      el('span', { class: 'snippet-label' }, 'Instruction'),
    ),
    el('div', { class: 'user-question instruction-text' }, text),
  );
}

/**
 * Code sent with a question, compact: `file:lines`, what it is and its size; the code folds out (as
 * text, never HTML).
 */
function snippetElement(snippet: CodeSnippet): HTMLElement {
  const lines = snippet.code === '' ? 1 : snippet.code.replace(/(\r\n|\r|\n)$/, '').split(/\r\n|\r|\n/).length;
  const size = `${lines} ${lines === 1 ? 'line' : 'lines'} · ~${snippet.tokens.toLocaleString('en-US')} tokens`;
  const meta = snippet.description !== undefined ? `${snippet.description} · ${size}` : size;
  const label = snippetLabel(snippet.path, snippet.range);
  return el(
    'details',
    { class: 'snippet' },
    el(
      'summary',
      { title: `${label}: show or hide the code sent` },
      el('i', { class: 'codicon codicon-chevron-right snippet-chevron', 'aria-hidden': 'true' }),
      icon('file-code'),
      el('span', { class: 'snippet-label' }, label),
      el('span', { class: 'snippet-meta' }, meta),
    ),
    el('pre', { class: 'snippet-code' }, el('code', {}, snippet.code)),
  );
}
