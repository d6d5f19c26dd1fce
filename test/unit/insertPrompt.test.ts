// What Insert at Cursor / Rewrite Selection send: the code around the cursor, the selection, the
// file's language and path, the instruction; fences that the code itself cannot close.
import * as assert from 'node:assert/strict';
import { insertMessages } from '../../src/insert/insertPrompt';

describe('insert prompt', () => {
  it('insert: path, language, code before and after the cursor, the instruction', () => {
    const [message] = insertMessages({
      mode: 'insert',
      instruction: '  add a sum function ',
      languageId: 'python',
      path: 'src/maths.py',
      before: 'import os\n',
      selection: '',
      after: '\nprint(1)\n',
    });
    assert.equal(message.role, 'user');
    assert.equal(
      message.content,
      'File: src/maths.py (python)\n\nCode before the cursor:\n```python\nimport os\n```\n\n' +
        'Code after the cursor:\n```python\n\nprint(1)\n```\n\n' +
        'Write the code to insert at the cursor. Instruction: add a sum function',
    );
  });

  it('rewrite: the selection is marked as what the reply replaces', () => {
    const [message] = insertMessages({
      mode: 'rewrite',
      instruction: 'rename x',
      languageId: 'typescript',
      path: 'a.ts',
      before: '',
      selection: 'let x = 1;',
      after: '',
    });
    assert.equal(
      message.content,
      'File: a.ts (typescript)\n\nSelected code, to be replaced by your reply:\n```typescript\nlet x = 1;\n```\n\n' +
        'Rewrite the selected code. Instruction: rename x',
    );
  });

  it('code containing backtick fences gets a longer fence, so it cannot close the block', () => {
    const [message] = insertMessages({
      mode: 'insert',
      instruction: 'go',
      languageId: 'markdown',
      path: 'README.md',
      before: 'Text\n```js\nx\n```\n',
      selection: '',
      after: '',
    });
    assert.match(message.content, /````markdown\nText\n```js\nx\n```\n````/);
  });
});
