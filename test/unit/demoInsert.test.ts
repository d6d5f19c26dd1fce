// The demo model (npm start) answers Insert at Cursor the way coding models do, in each shape in turn, and
// the code filter leaves exactly its code in the document, never a moment of prose.
import * as assert from 'node:assert/strict';
import { CodeOnlyFilter, type CodeFilterOutput } from '../../src/insert/codeFilter';
import { insertMessages, type InsertContext, type InsertMode } from '../../src/insert/insertPrompt';
import { demoAnswer } from '../server/demo';
import { INSERT_ANSWER_SHAPES, demoInsertCode, insertAnswerShape, insertionLanguage } from '../server/demoInsert';

function prompt(instruction: string, mode: InsertMode = 'insert', languageId = 'typescript'): string {
  const context: InsertContext = {
    mode,
    instruction,
    languageId,
    path: languageId === 'python' ? 'src/duration.py' : 'src/duration.ts',
    before: '// above\n',
    selection: mode === 'rewrite' ? 'old()' : '',
    after: '// below\n',
  };
  return insertMessages(context)[0].content;
}

/** Streams the demo's tokens through the filter; every state of the document is a prefix of the code. */
function inserted(tokens: string[], code: string): string {
  const filter = new CodeOnlyFilter();
  const out: CodeFilterOutput[] = [];
  let text = '';
  const apply = () => {
    for (const output of out.splice(0)) {
      assert.equal(output.type, 'code', 'nothing is taken back');
      if (output.type === 'code') text += output.text;
      assert.ok(code.startsWith(text.replace(/\n$/, '')), `the document shows ${JSON.stringify(text)}`);
    }
  };
  for (const token of tokens) {
    filter.push(token, out);
    apply();
  }
  filter.flush(out);
  apply();
  return text;
}

describe('demo model: Insert at Cursor', () => {
  it('demo: insertion and rewrite prompts are recognised, with their language; chat questions are not', () => {
    assert.equal(insertionLanguage(prompt('a parser')), 'typescript');
    assert.equal(insertionLanguage(prompt('a parser', 'rewrite', 'python')), 'python');
    assert.equal(insertionLanguage('Write the code to insert at the cursor. Instruction: x'), undefined);
    assert.equal(insertionLanguage('File: a.ts (typescript)\n\nExplain this.'), undefined);
    assert.match(demoAnswer('What does this code do?').join(''), /demo model/);
  });

  it('demo: prompts rotate through every shape; the same prompt always gets the same answer', () => {
    const instructions = Array.from({ length: 40 }, (_, i) => `a duration parser, take ${i}`);
    const shapes = new Set(instructions.map((instruction) => insertAnswerShape(prompt(instruction))));
    assert.deepEqual([...shapes].sort(), [...INSERT_ANSWER_SHAPES].sort());
    assert.deepEqual(demoAnswer(prompt('same')), demoAnswer(prompt('same')));
  });

  it('demo: whatever the shape, the document gets exactly the code and never a moment of prose', () => {
    for (const languageId of ['typescript', 'python'])
      for (const shape of INSERT_ANSWER_SHAPES) {
        const question = Array.from({ length: 100 }, (_, i) => prompt(`take ${i}`, 'insert', languageId)).find(
          (candidate) => insertAnswerShape(candidate) === shape,
        );
        assert.ok(question !== undefined, `no prompt gets ${shape}`);
        const tokens = demoAnswer(question);
        const code = demoInsertCode(languageId);
        assert.ok(tokens.length > 20, 'streamed in many tokens');
        if (shape !== 'raw' && shape !== 'fenced') assert.match(tokens.join(''), /\n(Sure|Here)|^(Sure|Here)/);
        const text = inserted(tokens, code);
        assert.equal(text.replace(/\n$/, ''), code, `${languageId}, ${shape}`);
      }
  });
});
