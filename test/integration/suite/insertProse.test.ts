// Insert at Cursor never puts prose in the document, not even for a moment: answers shaped as coding models
// shape them (a sentence first, code then a lead-in to another fence, code then an explanation, a stop while a
// line is held back), with the document sampled at every change.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { InsertResult } from '../../../src/insert/insertCommands';
import { chunk, sse, type Scenario, type TestServer } from '../../server';
import { withTestEndpoint } from './helpers';
import { contentStream, documentChange, editorWith, insertAtCursor } from './insertHelpers';

/** Every text the document had, one per change, while `body` runs. */
async function sampled<T>(
  document: vscode.TextDocument,
  body: () => Thenable<T>,
): Promise<{ value: T; seen: string[] }> {
  const seen: string[] = [];
  const sampler = vscode.workspace.onDidChangeTextDocument((event) => {
    if (event.document === document) seen.push(document.getText());
  });
  try {
    return { value: await body(), seen };
  } finally {
    sampler.dispose();
  }
}

/** `deltas` with a pause after each: the insertion applies each one before the next arrives. */
function pacedStream(deltas: string[]): Scenario {
  const stream = contentStream(deltas) as Extract<Scenario, { kind: 'stream' }>;
  return { ...stream, steps: stream.steps.flatMap((step) => [step, { wait: 20 }]) };
}

describe('inline streamed insertion: never prose', () => {
  let server: TestServer;
  withTestEndpoint((started) => (server = started));

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  /** Streams `deltas` paced into 'before\n\nafter\n' at line 2, sampling the document at every change. */
  async function insertSampled(deltas: string[]): Promise<{ result: InsertResult; seen: string[]; final: string }> {
    const editor = await editorWith('before\n\nafter\n');
    editor.selection = new vscode.Selection(1, 0, 1, 0);
    server.enqueue(pacedStream(deltas));
    const { value, seen } = await sampled(editor.document, () => insertAtCursor());
    assert.ok(seen.length >= 1, 'the document changed');
    return { result: value, seen, final: editor.document.getText() };
  }

  it('an answer that opens with a sentence never puts it in the document, sampled at every change', async () => {
    const deltas = ['Sure', '! Here is', ' the function', ':\n\n', '```ts\n', 'const x', ' = 1;\n', '```\n', 'Done.'];
    const { result, seen, final } = await insertSampled(deltas);
    assert.equal(result.text, 'const x = 1;');
    assert.equal(final, 'before\nconst x = 1;\nafter\n');
    assert.deepEqual(
      seen.filter((text) => /Sure|Here is|function:|Done/.test(text)),
      [],
      'prose reached the document',
    );
  });

  it('code, then a lead-in to a fenced test: the lead-in and the test never reach the document', async () => {
    const deltas = [
      'const x',
      ' = 1;\n',
      '\n',
      'Here',
      ' is a',
      ' test',
      ':\n',
      '\n```',
      'ts\n',
      'assert(x);\n',
      '```',
    ];
    const { result, seen, final } = await insertSampled(deltas);
    assert.equal(result.text, 'const x = 1;\n');
    assert.equal(final, 'before\nconst x = 1;\n\nafter\n');
    assert.deepEqual(
      seen.filter((text) => /Here|test|assert/.test(text)),
      [],
      'prose or the extra block reached the document',
    );
    assert.ok(
      seen.every((text, i) => i === 0 || text.length >= seen[i - 1].length),
      'nothing was taken out again',
    );
  });

  it('code, then an explanation: the explanation never reaches the document', async () => {
    const deltas = ['let total', ' = 0;\n', 'This', ' starts the', ' total at zero.', '\n'];
    const { result, seen, final } = await insertSampled(deltas);
    assert.equal(result.text, 'let total = 0;\n');
    assert.equal(final, 'before\nlet total = 0;\n\nafter\n');
    assert.deepEqual(
      seen.filter((text) => /This|zero/.test(text)),
      [],
      'prose reached the document',
    );
  });

  it('a stop while a line is held back keeps the code and never writes the line', async () => {
    const editor = await editorWith('');
    server.enqueue({
      kind: 'stream',
      steps: [sse.data(chunk({ role: 'assistant', content: 'let x = 1;\nHere is' }))],
      end: 'stall',
    });
    const { value: result, seen } = await sampled(editor.document, async () => {
      const code = documentChange(editor.document, (text) => text === 'let x = 1;\n');
      const running = insertAtCursor();
      await code;
      assert.equal(await vscode.commands.executeCommand<number>('streamChat.stop'), 1);
      return running;
    });
    assert.equal(result.stopped, true);
    assert.equal(result.text, 'let x = 1;\n');
    assert.equal(editor.document.getText(), 'let x = 1;\n');
    assert.deepEqual(
      seen.filter((text) => text.includes('Here')),
      [],
      'the held line was written',
    );
  });
});
