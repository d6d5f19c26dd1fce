// Export Chat as Markdown: the exact document a conversation becomes.
import * as assert from 'node:assert/strict';
import MarkdownIt from 'markdown-it';
import { conversationMarkdown } from '../../src/history/markdownExport';

/** How a CommonMark renderer reads `markdown`: its code blocks and its headings, in order. */
function rendered(markdown: string): { codeBlocks: { info: string; code: string }[]; headings: string[] } {
  const tokens = new MarkdownIt().parse(markdown, {});
  return {
    codeBlocks: tokens
      .filter((token) => token.type === 'fence')
      .map((token) => ({ info: token.info, code: token.content })),
    headings: tokens.flatMap((token, index) => (token.type === 'heading_open' ? [tokens[index + 1].content] : [])),
  };
}

describe('export chat as markdown', () => {
  it('headed turns, labelled snippets, thinking in <details>, code fences kept, stopped/interrupted notes', () => {
    const markdown = conversationMarkdown({
      turns: [
        {
          role: 'user',
          id: 't1',
          text: 'Why does this fail?\nIt throws.',
          snippets: [
            {
              path: 'src/a.ts',
              languageId: 'typescript',
              range: { startLine: 3, endLine: 4 },
              code: 'const a = `x`;\nthrow a;',
              tokens: 8,
            },
          ],
        },
        {
          role: 'assistant',
          id: 't2',
          requestId: 1,
          content: 'It throws a string:\n\n```ts\nthrow new Error(a);\n```\n',
          reasoning: 'The user throws.\n',
          status: 'done',
          footer: { model: 'm1', respondedModel: 'm2' },
        },
        { role: 'user', id: 't3', text: 'And then?' },
        {
          role: 'assistant',
          id: 't4',
          requestId: 2,
          content: 'Then:\n\n```py\nprint(1)',
          reasoning: '',
          status: 'stopped',
          interrupted: true,
        },
        { role: 'user', id: 't5', text: 'Hm' },
        {
          role: 'assistant',
          id: 't6',
          requestId: 3,
          content: '',
          reasoning: '',
          status: 'error',
          error: { kind: 'auth', message: 'Invalid key', retryable: false },
        },
      ],
    });
    assert.equal(
      markdown,
      [
        '# Why does this fail?',
        '',
        '## You',
        '',
        '`src/a.ts:3-4`',
        '',
        '```typescript',
        'const a = `x`;',
        'throw a;',
        '```',
        '',
        'Why does this fail?',
        'It throws.',
        '',
        '## Assistant (m2)',
        '',
        '<details>',
        '<summary>Thinking</summary>',
        '',
        'The user throws.',
        '',
        '</details>',
        '',
        'It throws a string:',
        '',
        '```ts',
        'throw new Error(a);',
        '```',
        '',
        '## You',
        '',
        'And then?',
        '',
        '## Assistant',
        '',
        'Then:',
        '',
        '```py',
        'print(1)',
        '```',
        '',
        '*Interrupted: the window closed while this answer was streaming; the text above is what had arrived.*',
        '',
        '## You',
        '',
        'Hm',
        '',
        '## Assistant',
        '',
        '*Error: Invalid key*',
        '',
      ].join('\n'),
    );
  });

  it('code holding a fence of its own stays one code block: the export fences it with a longer one', () => {
    const snippetCode = 'Usage:\n```ts\nrun();\n```\n````\nnot a close either';
    // An answer stopped inside a four-backtick block that shows a three-backtick one: closed with four.
    const answerCode = '# Setup\n\n```sh\nnpm install\n```\n\nThen';
    const markdown = conversationMarkdown({
      turns: [
        {
          role: 'user',
          id: 't1',
          text: 'Explain this',
          snippets: [{ path: 'README.md', languageId: 'markdown', code: snippetCode, tokens: 10 }],
        },
        {
          role: 'assistant',
          id: 't2',
          requestId: 1,
          content: `Like this:\n\n\`\`\`\`md\n${answerCode}`,
          reasoning: '',
          status: 'stopped',
        },
        { role: 'user', id: 't3', text: 'Thanks' },
      ],
    });
    assert.deepEqual(rendered(markdown), {
      codeBlocks: [
        { info: 'markdown', code: `${snippetCode}\n` },
        { info: 'md', code: `${answerCode}\n` },
      ],
      headings: ['Explain this', 'You', 'Assistant', 'You'],
    });
  });

  it("an ask's question is headed by its label: the action as text, the location as code", () => {
    const markdown = conversationMarkdown({
      turns: [{ role: 'user', id: 't1', text: 'Find bugs in this code.', label: 'Find *Bugs* · src/my_file.ts:8-14' }],
    });
    assert.equal(
      markdown,
      '# Find *Bugs* · src/my_file.ts:8-14\n\n' +
        '## You · Find \\*Bugs\\* · `src/my_file.ts:8-14`\n\nFind bugs in this code.\n',
    );
  });

  it('a renamed conversation keeps its name; omitted turns are noted', () => {
    const markdown = conversationMarkdown({
      title: 'My chat',
      omittedTurns: 4,
      turns: [{ role: 'user', id: 't9', text: 'Q' }],
    });
    assert.equal(
      markdown,
      '# My chat\n\n> The 4 oldest turns of this conversation were not kept (history size limit).\n\n## You\n\nQ\n',
    );
  });
});
