// The empty chat panel (src/webview/emptyState.ts) in a jsdom page: example questions to click and
// the keys, the editor's ones as package.json binds them, written the way each platform writes them.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { JSDOM } from 'jsdom';
import { withGlobalDocument } from './helpers';
import { repoRoot } from '../harness/paths';
import { EXAMPLE_PROMPTS, emptyState, USE_EXAMPLE_ACTION } from '../../src/webview/emptyState';
import { EDITOR_SHORTCUTS, keyLabels, PANEL_SHORTCUTS } from '../../src/webview/shortcuts';

interface Keybinding {
  command: string;
  key: string;
  mac?: string;
}

const keybindings = (
  JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
    contributes: { keybindings: Keybinding[] };
  }
).contributes.keybindings;

const squash = (text: string | null) => (text ?? '').replace(/\s+/g, ' ').trim();

describe('chat panel: the empty chat', () => {
  const { window } = new JSDOM('<!doctype html><html><body></body></html>');
  withGlobalDocument(window);

  it('lists each editor key as package.json binds it, for its command', () => {
    for (const shortcut of EDITOR_SHORTCUTS) {
      const bound = keybindings.filter((binding) => binding.command === shortcut.command);
      assert.ok(
        bound.some((binding) => binding.key === shortcut.key && binding.mac === shortcut.mac),
        `${shortcut.command}: listed ${shortcut.key} / ${shortcut.mac}, bound ${JSON.stringify(bound)}`,
      );
    }
  });

  it('writes keys as Windows and Linux do, and as macOS does', () => {
    const labels = (mac: boolean) =>
      [...PANEL_SHORTCUTS, ...EDITOR_SHORTCUTS].map((shortcut) => keyLabels(shortcut, mac).join(' '));
    assert.deepEqual(labels(false), ['Enter', 'Shift+Enter', 'Esc', 'Ctrl+K X', 'Ctrl+K A', 'Ctrl+Alt+Enter']);
    assert.deepEqual(labels(true), ['Enter', '⇧Enter', 'Esc', '⌘K X', '⌘K A', '⌥⌘Enter']);
  });

  it('shows the example questions as buttons that carry the question', () => {
    const page = emptyState(false);
    const buttons = [...page.querySelectorAll<HTMLButtonElement>(`button[data-action=${USE_EXAMPLE_ACTION}]`)];
    assert.deepEqual(
      buttons.map((button) => button.dataset.prompt),
      [...EXAMPLE_PROMPTS],
    );
    assert.ok(EXAMPLE_PROMPTS.length >= 3);
    for (const button of buttons) {
      assert.equal(squash(button.textContent), button.dataset.prompt, 'the button shows its question');
      assert.equal(button.getAttribute('aria-label'), button.dataset.prompt);
    }
  });

  it('shows every key with what it does, under "In the chat" and "In the editor"', () => {
    const page = emptyState(false);
    const groups = [...page.querySelectorAll('.shortcut-group')].map((group) => ({
      title: squash(group.querySelector('h3')?.textContent ?? ''),
      rows: [...group.querySelectorAll('.shortcut')].map((row) => {
        const [keys, does] = ['dt', 'dd'].map((part) => squash(row.querySelector(part)?.textContent ?? ''));
        return `${keys} = ${does}`;
      }),
    }));
    assert.deepEqual(groups, [
      { title: 'In the chat', rows: ['Enter = Send', 'Shift+Enter = New line', 'Esc = Stop the answer'] },
      {
        title: 'In the editor',
        rows: [
          'Ctrl+K X = Explain the selected code',
          'Ctrl+K A = Ask about the selected code',
          'Ctrl+Alt+Enter = Write code at the cursor (with a selection: rewrite it)',
        ],
      },
    ]);
    assert.equal(page.querySelectorAll('.shortcut dt kbd').length, 8, 'one <kbd> per chord');
  });
});
