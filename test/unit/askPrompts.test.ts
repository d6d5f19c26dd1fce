// The ask commands' instructions (defaults, the override from settings, what package.json shows in
// the settings UI) and the size rules that refuse code over the limit instead of cutting it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  askLabel,
  ASK_ACTION_COMMANDS,
  ASK_ACTIONS,
  DEFAULT_MAX_SNIPPET_TOKENS,
  DEFAULT_PROMPTS,
  instructionFor,
  lineCount,
  maxSnippetTokens,
  overLimitMessage,
  sizeLabel,
} from '../../src/ask/prompts';
import { userMessageContent } from '../../src/shared/snippets';
import { repoRoot } from '../harness/paths';

interface Contributes {
  commands: { command: string; category?: string }[];
  keybindings: { command: string; key: string; when?: string }[];
  menus: Record<string, { command?: string; submenu?: string; when?: string }[]>;
  configuration: {
    properties: Record<
      string,
      { default?: unknown; properties?: Record<string, { default?: unknown; markdownDescription?: string }> }
    >;
  };
}

const contributes = (
  JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { contributes: Contributes }
).contributes;

describe('ask prompts', () => {
  it("an action's question is shown by a short label: the action and where the code is", () => {
    const snippet = (range?: { startLine: number; endLine: number }) => ({
      path: 'src/inventory.ts',
      languageId: 'typescript',
      code: 'x',
      tokens: 1,
      ...(range !== undefined ? { range } : {}),
    });
    assert.equal(askLabel('Find Bugs', [snippet({ startLine: 8, endLine: 14 })]), 'Find Bugs · src/inventory.ts:8-14');
    assert.equal(askLabel('Explain', [snippet({ startLine: 3, endLine: 3 })]), 'Explain · src/inventory.ts:3');
    assert.equal(askLabel('Add Docs', [snippet()]), 'Add Docs · src/inventory.ts', 'a whole file: its path');
    const two = [snippet({ startLine: 1, endLine: 2 }), snippet({ startLine: 9, endLine: 9 })];
    assert.equal(askLabel('Refactor', two), 'Refactor · 2 selections in src/inventory.ts');
  });

  it('a configured instruction overrides the default; missing, blank or wrong types fall back', () => {
    assert.equal(instructionFor('explain', { explain: '  Explain like I am five.  ' }), 'Explain like I am five.');
    assert.equal(instructionFor('findBugs', { explain: 'x' }), DEFAULT_PROMPTS.findBugs);
    assert.equal(instructionFor('refactor', { refactor: '   ' }), DEFAULT_PROMPTS.refactor);
    assert.equal(instructionFor('addDocs', { addDocs: 42 }), DEFAULT_PROMPTS.addDocs);
    assert.equal(instructionFor('writeTests', undefined), DEFAULT_PROMPTS.writeTests);
    assert.equal(instructionFor('writeTests', 'not an object'), DEFAULT_PROMPTS.writeTests);
  });

  it('package.json shows the same defaults in the settings UI, one described property per action', () => {
    const prompts = contributes.configuration.properties['streamChat.prompts'];
    assert.deepEqual(prompts.default, DEFAULT_PROMPTS);
    assert.deepEqual(Object.keys(prompts.properties ?? {}), [...ASK_ACTIONS]);
    for (const action of ASK_ACTIONS) {
      assert.equal(prompts.properties?.[action].default, DEFAULT_PROMPTS[action]);
      assert.ok(prompts.properties?.[action].markdownDescription, `${action} has a description`);
    }
    assert.equal(
      contributes.configuration.properties['streamChat.ask.maxSnippetTokens'].default,
      DEFAULT_MAX_SNIPPET_TOKENS,
    );
  });

  it('every ask command is in the palette (category Stream Chat) and editor submenu; explain and ask have keys', () => {
    const ids = [...ASK_ACTIONS.map((action) => ASK_ACTION_COMMANDS[action].command), 'streamChat.ask'];
    for (const id of ids) {
      assert.equal(contributes.commands.find((command) => command.command === id)?.category, 'Stream Chat', id);
      assert.ok(
        contributes.menus['streamChat.editorContext'].some((item) => item.command === id),
        `${id} in the submenu`,
      );
    }
    assert.ok(contributes.menus['editor/context'].some((item) => item.submenu === 'streamChat.editorContext'));
    for (const id of ['streamChat.explainSelection', 'streamChat.ask']) {
      assert.equal(contributes.keybindings.find((binding) => binding.command === id)?.when, 'editorTextFocus', id);
    }
  });

  it('the limit: a positive integer setting, else the default', () => {
    assert.equal(maxSnippetTokens(100), 100);
    assert.equal(maxSnippetTokens(0), DEFAULT_MAX_SNIPPET_TOKENS);
    assert.equal(maxSnippetTokens(1.5), DEFAULT_MAX_SNIPPET_TOKENS);
    assert.equal(maxSnippetTokens('9'), DEFAULT_MAX_SNIPPET_TOKENS);
  });

  it('over the limit: a message with the size and the limit; at the limit: none', () => {
    assert.equal(overLimitMessage('The selection (a.ts:1-9)', 4000, 16000, 4000), undefined);
    assert.equal(
      overLimitMessage('The selection (a.ts:1-900)', 5230, 20920, 4000),
      'The selection (a.ts:1-900) is too large to send: ~5,230 tokens (20,920 characters); ' +
        'the limit is 4,000 tokens (streamChat.ask.maxSnippetTokens). ' +
        'Select less code, or raise the limit. Nothing was sent.',
    );
  });

  it('sizes: lines as an editor counts them, tokens estimated', () => {
    assert.equal(lineCount('a'), 1);
    assert.equal(lineCount('a\nb\n'), 2);
    assert.equal(lineCount('a\r\nb'), 2);
    assert.equal(lineCount(''), 1);
    assert.equal(sizeLabel(1, 3), '1 line, ~3 tokens');
    assert.equal(sizeLabel(1200, 34000), '1,200 lines, ~34,000 tokens');
  });

  it('the model is told what part of the file a snippet is', () => {
    const content = userMessageContent('Explain.', [
      {
        path: 'a.ts',
        languageId: 'typescript',
        range: { startLine: 1, endLine: 3 },
        code: 'function f() {\n  return 1;\n}',
        tokens: 8,
        description: 'enclosing function f',
      },
    ]);
    assert.equal(
      content,
      'Code from a.ts:1-3 (typescript, enclosing function f):\n' +
        '```typescript\nfunction f() {\n  return 1;\n}\n```\n\nExplain.',
    );
  });
});
