// Code that travels with a question: how it is fenced and labelled for the model, and its estimated size.
import * as assert from 'node:assert/strict';
import { estimateTokens, fenced, snippetLabel, userMessageContent } from '../../src/shared/snippets';
import { Conversation } from '../../src/core/conversation';

describe('code snippets', () => {
  it('a fence the code cannot close', () => {
    assert.equal(fenced('a ``` b', 'md'), '````md\na ``` b\n````');
    assert.equal(fenced('x\n', 'ts'), '```ts\nx\n```');
  });

  it('labels: a line, a range, a whole file', () => {
    assert.equal(snippetLabel('src/a.ts', { startLine: 7, endLine: 7 }), 'src/a.ts:7');
    assert.equal(snippetLabel('src/a.ts', { startLine: 10, endLine: 20 }), 'src/a.ts:10-20');
    assert.equal(snippetLabel('src/a.ts'), 'src/a.ts');
  });

  it('estimates about 4 ASCII characters per token, 1 per other character, rounded up', () => {
    assert.equal(estimateTokens(''), 0);
    assert.equal(estimateTokens('abcd'), 1);
    assert.equal(estimateTokens('abcde'), 2);
    assert.equal(estimateTokens('日本語'), 3);
  });

  it('the question goes after its snippets, each with path, lines and language', () => {
    const content = userMessageContent('Explain this.', [
      {
        path: 'src/a.ts',
        languageId: 'typescript',
        range: { startLine: 3, endLine: 4 },
        code: 'let a = 1;\nlet b = 2;',
        tokens: 6,
      },
      { path: 'README.md', languageId: 'markdown', code: '# Hi\n', tokens: 2 },
    ]);
    assert.equal(
      content,
      'Code from src/a.ts:3-4 (typescript):\n```typescript\nlet a = 1;\nlet b = 2;\n```\n\n' +
        'File: README.md (markdown):\n```markdown\n# Hi\n```\n\nExplain this.',
    );
    assert.equal(userMessageContent('Hi', []), 'Hi');
  });

  it('a conversation sends a question with its snippets', () => {
    const conversation = new Conversation();
    conversation.addQuestion('Why?', [
      { path: 'x.py', languageId: 'python', range: { startLine: 1, endLine: 1 }, code: 'pass', tokens: 1 },
    ]);
    assert.deepEqual(conversation.messages(), [
      { role: 'user', content: 'Code from x.py:1 (python):\n```python\npass\n```\n\nWhy?' },
    ]);
  });
});
