// The ask commands' standing instructions and how each command is named. No 'vscode' import: the
// defaults, the override from `streamChat.prompts` and the size rules are unit-tested in plain Node
// (a unit test also checks that package.json shows the same defaults in the settings UI).
import type { CodeSnippet } from '../protocol';
import { snippetLabel } from '../shared/snippets';

/** The actions that send code with a fixed instruction (Ask… takes the user's question instead). */
export const ASK_ACTIONS = ['explain', 'refactor', 'findBugs', 'writeTests', 'addDocs'] as const;
export type AskAction = (typeof ASK_ACTIONS)[number];

/** The command of each action, and what it is called in menus and messages. */
export const ASK_ACTION_COMMANDS: Record<AskAction, { command: string; title: string; verb: string }> = {
  explain: { command: 'streamChat.explainSelection', title: 'Explain', verb: 'explain' },
  refactor: { command: 'streamChat.refactorSelection', title: 'Refactor', verb: 'refactor' },
  findBugs: { command: 'streamChat.findBugs', title: 'Find Bugs', verb: 'check for bugs' },
  writeTests: { command: 'streamChat.writeTests', title: 'Write Tests', verb: 'write tests for' },
  addDocs: { command: 'streamChat.addDocs', title: 'Add Docs', verb: 'document' },
};

export const ASK_COMMAND = 'streamChat.ask';

/** Used when `streamChat.prompts` leaves an action out (or empty). Mirrored in package.json. */
export const DEFAULT_PROMPTS: Readonly<Record<AskAction, string>> = {
  explain:
    'Explain what this code does: its purpose, how it works step by step, its inputs and outputs, ' +
    'and anything surprising.',
  refactor:
    'Refactor this code to make it clearer and simpler without changing its behaviour. ' +
    'Show the complete refactored code in one code block, then list the changes briefly.',
  findBugs:
    'Find bugs in this code. For each one: where it is, what goes wrong and when, and a fix. ' +
    'If you find none, say so; do not invent problems.',
  writeTests:
    'Write unit tests for this code, in the test framework the project most likely uses. ' +
    'Cover the usual cases, edge cases and errors. Show the tests in one code block.',
  addDocs:
    "Add documentation comments to this code in the language's usual style (JSDoc, docstrings, …). " +
    'Show the complete code with the comments in one code block, otherwise unchanged.',
};

/** The instruction for `action`: the user's from `streamChat.prompts` when set (non-blank), else the default. */
export function instructionFor(action: AskAction, configured: unknown): string {
  if (typeof configured === 'object' && configured !== null) {
    const value = (configured as Record<string, unknown>)[action];
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
  }
  return DEFAULT_PROMPTS[action];
}

/**
 * Default of `streamChat.ask.maxSnippetTokens`: half of an 8,192-token window, leaving room for the
 * answer and follow-ups.
 */
export const DEFAULT_MAX_SNIPPET_TOKENS = 4000;

export function maxSnippetTokens(configured: unknown): number {
  return typeof configured === 'number' && Number.isInteger(configured) && configured >= 1
    ? configured
    : DEFAULT_MAX_SNIPPET_TOKENS;
}

/** `12 lines, ~340 tokens` (a count of 1 reads `1 line`). */
export function sizeLabel(lines: number, tokens: number): string {
  const lineWord = lines === 1 ? 'line' : 'lines';
  return `${lines.toLocaleString('en-US')} ${lineWord}, ~${tokens.toLocaleString('en-US')} tokens`;
}

/** Lines of `code` as an editor counts them (a final line break starts no line of its own). */
export function lineCount(code: string): number {
  if (code === '') return 1;
  const breaks = code.match(/\r\n|\r|\n/g)?.length ?? 0;
  return /(\r\n|\r|\n)$/.test(code) ? breaks : breaks + 1;
}

/**
 * Why `what` cannot be sent, or undefined when it fits: its size and the limit, and what to do —
 * never cut silently (the model would answer about code it did not see whole).
 */
export function overLimitMessage(what: string, tokens: number, characters: number, limit: number): string | undefined {
  if (tokens <= limit) return undefined;
  const size = `~${tokens.toLocaleString('en-US')} tokens (${characters.toLocaleString('en-US')} characters)`;
  return (
    `${what} is too large to send: ${size}; the limit is ${limit.toLocaleString('en-US')} tokens ` +
    '(streamChat.ask.maxSnippetTokens). Select less code, or raise the limit. Nothing was sent.'
  );
}

/**
 * The short name an action's question is shown by: `Find Bugs · src/inventory.ts:8-14`, with the
 * path alone for a whole file and a count for several selections.
 */
export function askLabel(title: string, snippets: readonly CodeSnippet[]): string {
  const first = snippets[0];
  if (first === undefined) return title;
  const where =
    snippets.length === 1 ? snippetLabel(first.path, first.range) : `${snippets.length} selections in ${first.path}`;
  return `${title} · ${where}`;
}
