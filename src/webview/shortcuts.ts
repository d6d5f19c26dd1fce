// The keys the empty chat panel lists, and how a key is written on each platform. The panel's own
// keys are handled in main.ts; the editor's are package.json's contributes.keybindings, which
// test/unit/emptyState.test.ts holds this list to. No DOM here: the unit tests read it in plain Node.

export interface Shortcut {
  /** As package.json writes it: `ctrl+k x` is Ctrl+K, then X. */
  key: string;
  /** The macOS key, when it differs. */
  mac?: string;
  /** What the key does, in a few words. */
  does: string;
  /** The command it runs (editor keys only). */
  command?: string;
}

export const PANEL_SHORTCUTS: readonly Shortcut[] = [
  { key: 'enter', does: 'Send' },
  { key: 'shift+enter', does: 'New line' },
  { key: 'escape', does: 'Stop the answer' },
];

export const EDITOR_SHORTCUTS: readonly Shortcut[] = [
  { key: 'ctrl+k x', mac: 'cmd+k x', does: 'Explain the selected code', command: 'streamChat.explainSelection' },
  { key: 'ctrl+k a', mac: 'cmd+k a', does: 'Ask about the selected code', command: 'streamChat.ask' },
  {
    key: 'ctrl+alt+enter',
    mac: 'cmd+alt+enter',
    does: 'Write code at the cursor (with a selection: rewrite it)',
    command: 'streamChat.insertAtCursor',
  },
];

const NAMES: Record<string, string> = { ctrl: 'Ctrl', alt: 'Alt', shift: 'Shift', cmd: 'Cmd', escape: 'Esc' };
/** macOS writes modifiers as symbols, in this order, without "+" (as VS Code's own menus do). */
const MAC_MODIFIERS: readonly (readonly [string, string])[] = [
  ['ctrl', '⌃'],
  ['shift', '⇧'],
  ['alt', '⌥'],
  ['cmd', '⌘'],
];

/** The chords of a shortcut as a person reads them: `["Ctrl+K", "X"]`, on macOS `["⌘K", "X"]`. */
export function keyLabels(shortcut: Shortcut, mac: boolean): string[] {
  const key = mac ? (shortcut.mac ?? shortcut.key) : shortcut.key;
  return key.split(' ').map((chord) => chordLabel(chord, mac));
}

function chordLabel(chord: string, mac: boolean): string {
  const parts = chord.split('+');
  const name = (part: string) => NAMES[part] ?? part.charAt(0).toUpperCase() + part.slice(1);
  if (!mac) return parts.map(name).join('+');
  const modifiers = MAC_MODIFIERS.filter(([modifier]) => parts.includes(modifier)).map(([, symbol]) => symbol);
  const rest = parts.filter((part) => !MAC_MODIFIERS.some(([modifier]) => modifier === part)).map(name);
  return [...modifiers, ...rest].join('');
}
