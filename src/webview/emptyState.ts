// What an empty chat shows: a few example questions (a click puts one in the composer, to edit or
// send) and the keys of the panel and of the editor commands.
import { button, el } from './dom';
import { EDITOR_SHORTCUTS, keyLabels, PANEL_SHORTCUTS, type Shortcut } from './shortcuts';

export const EXAMPLE_PROMPTS: readonly string[] = [
  'Explain the difference between a process and a thread, with an example',
  'Write a TypeScript function that debounces another function',
  'How do I find the commit that introduced a bug with git bisect?',
];

/** The `data-action` of an example question's button; its `data-prompt` holds the question. */
export const USE_EXAMPLE_ACTION = 'use-example';

export function emptyState(mac: boolean): HTMLElement {
  const examples = EXAMPLE_PROMPTS.map((prompt) => {
    const example = button({ label: prompt, className: 'example-prompt', action: USE_EXAMPLE_ACTION });
    example.title = 'Put this question in the message box';
    example.dataset.prompt = prompt;
    return el('li', {}, example);
  });
  return el(
    'div',
    { class: 'empty' },
    el('p', { class: 'empty-lead' }, 'Ask anything. Answers stream in as they are generated.'),
    el(
      'section',
      { class: 'empty-section', 'aria-labelledby': 'examples-heading' },
      el('h2', { id: 'examples-heading' }, 'Try'),
      el('ul', { class: 'example-prompts' }, ...examples),
    ),
    el(
      'section',
      { class: 'empty-section', 'aria-labelledby': 'shortcuts-heading' },
      el('h2', { id: 'shortcuts-heading' }, 'Keys'),
      shortcutList('In the chat', PANEL_SHORTCUTS, mac),
      shortcutList('In the editor', EDITOR_SHORTCUTS, mac),
    ),
  );
}

function shortcutList(title: string, shortcuts: readonly Shortcut[], mac: boolean): HTMLElement {
  const rows = shortcuts.map((shortcut) => {
    const keys = keyLabels(shortcut, mac).flatMap((chord, index) => [
      ...(index > 0 ? [' '] : []),
      el('kbd', {}, chord),
    ]);
    return el('div', { class: 'shortcut' }, el('dt', {}, ...keys), el('dd', {}, shortcut.does));
  });
  return el('div', { class: 'shortcut-group' }, el('h3', {}, title), el('dl', { class: 'shortcuts' }, ...rows));
}

/** Whether the panel runs on macOS (the keys are then written the Mac way). */
export function onMac(): boolean {
  return /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
}
