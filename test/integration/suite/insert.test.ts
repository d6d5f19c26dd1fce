// Inline streamed insertion in the real extension host: what lands in the document (and only that),
// when it lands, one undo, the user's edits during streaming, stop, and the faults of cases 33–39.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { InsertResult } from '../../../src/insert/insertCommands';
import { chunk, sse, type StreamStep, type TestServer } from '../../server';
import { withTestEndpoint } from './helpers';
import { contentStream, documentChange, editorWith, insertAtCursor } from './insertHelpers';

describe('inline streamed insertion', () => {
  let server: TestServer;
  withTestEndpoint((started) => (server = started));

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('a fenced answer split at every position inserts exactly the code, at the cursor', async () => {
    const answer = '```ts\nconst x = 1;\n```\nThat is all.';
    const editor = await editorWith('');
    for (let cut = 1; cut < answer.length; cut++) {
      const whole = new vscode.Range(0, 0, editor.document.lineCount, 0);
      assert.ok(await editor.edit((edit) => edit.replace(whole, 'before\n\nafter\n')));
      editor.selection = new vscode.Selection(1, 0, 1, 0);
      server.enqueue(contentStream([answer.slice(0, cut), answer.slice(cut)]));
      const result = await insertAtCursor();
      assert.equal(editor.document.getText(), 'before\nconst x = 1;\nafter\n', `cut at ${cut}`);
      assert.equal(result.text, 'const x = 1;');
    }
  });

  it('multi-byte characters dripped one byte at a time arrive intact', async () => {
    const editor = await editorWith('');
    const characters = 'héllo wörld 🚀 日本語';
    const [before, after] = sse.data(chunk({ content: `const greeting = "${characters}";` })).split(characters);
    // A pause after every byte of the characters: the client reads their bytes apart, not in one read.
    const steps = [sse.data(chunk({ role: 'assistant', content: '' })), before, { drip: characters }, after];
    steps.push(sse.data(chunk({}, { finishReason: 'stop' })), sse.done());
    server.enqueue({ kind: 'stream', steps });
    const result = await insertAtCursor();
    const [request] = server.requests.filter((recorded) => recorded.path === '/v1/chat/completions');
    const dripped = Buffer.byteLength(characters);
    assert.equal(request?.bodyWrites, steps.length - 1 + dripped, 'the characters were not written byte by byte');
    assert.equal(editor.document.getText(), `const greeting = "${characters}";`);
    assert.deepEqual(result, { text: `const greeting = "${characters}";`, finishReason: 'stop', stopped: false });
  });

  it('partial code is in the document before the server finishes; one undo restores the original', async () => {
    const editor = await editorWith('// top\n');
    editor.selection = new vscode.Selection(1, 0, 1, 0);
    server.enqueue({
      kind: 'stream',
      steps: [
        sse.data(chunk({ role: 'assistant', content: 'line one\n' })),
        { wait: 400 },
        sse.data(chunk({ content: 'line two' }, { finishReason: 'stop' })),
        sse.done(),
      ],
    });
    const firstLine = documentChange(editor.document, (text) => text.includes('line one'));
    const running = insertAtCursor();
    await firstLine;
    const [request] = await server.waitForRequests(1);
    assert.equal(await Promise.race([request.outcome, Promise.resolve('still streaming')]), 'still streaming');
    await running;
    assert.equal(editor.document.getText(), '// top\nline one\nline two');
    await vscode.commands.executeCommand('undo');
    assert.equal(editor.document.getText(), '// top\n', 'one undo removes the whole insertion');
  });

  /** Streams 15 lines, 120 ms apart, into `fileName` (a file on disk in the workspace), then undoes once. */
  /** A file on disk, with the cursor on its second line, written by `pauses + 1` paced deltas. */
  async function pacedInsertion(
    fileName: string,
    pauses: number,
    pauseMs: number,
  ): Promise<{ editor: vscode.TextEditor; saves: number }> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(folder);
    const file = vscode.Uri.joinPath(folder, fileName);
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode('// top\n'));
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
    editor.selection = new vscode.Selection(1, 0, 1, 0);
    const steps: StreamStep[] = [sse.data(chunk({ role: 'assistant', content: '' }))];
    for (let i = 0; i <= pauses; i++)
      steps.push(sse.data(chunk({ content: `line ${i}\n` })), ...(i < pauses ? [{ wait: pauseMs }] : []));
    steps.push(sse.data(chunk({}, { finishReason: 'stop' })), sse.done());
    server.enqueue({ kind: 'stream', steps });
    let saves = 0;
    const counting = vscode.workspace.onDidSaveTextDocument((saved) => saved === editor.document && saves++);
    try {
      await insertAtCursor();
    } finally {
      counting.dispose();
    }
    assert.match(editor.document.getText(), new RegExp(`line ${pauses}\n$`));
    return { editor, saves };
  }

  it('one undo removes an insertion of many paced edits into a file on disk', async () => {
    const { editor } = await pacedInsertion('paced.txt', 14, 120);
    await vscode.commands.executeCommand('undo');
    assert.equal(editor.document.getText(), '// top\n', 'one undo removes the whole insertion');
  });

  it('a notebook cell gets the code like any editor', async function () {
    const cellData = new vscode.NotebookCellData(vscode.NotebookCellKind.Code, 'x = 1\n', 'python');
    let notebook: vscode.NotebookDocument;
    try {
      notebook = await vscode.workspace.openNotebookDocument('jupyter-notebook', new vscode.NotebookData([cellData]));
    } catch {
      this.skip(); // no Jupyter notebook support in this editor build
    }
    await vscode.window.showNotebookDocument(notebook);
    const cell = notebook.cellAt(0).document;
    // The cell's own editor inside the notebook (showTextDocument(cell) would open a second, detached one).
    await vscode.commands.executeCommand('notebook.cell.edit');
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor);
    editor.selection = new vscode.Selection(1, 0, 1, 0);
    server.enqueue(contentStream(['```python\n', 'y = 2\n', '```\n']));
    assert.equal(vscode.window.activeTextEditor?.document, cell, 'the cell editor is the active editor');
    const result = await insertAtCursor();
    assert.equal(result.error, undefined);
    assert.deepEqual(result, { text: 'y = 2', stopped: false, finishReason: 'stop' });
    assert.equal(cell.getText(), 'x = 1\ny = 2');
    assert.equal(cell.uri.scheme, 'vscode-notebook-cell');
    await vscode.commands.executeCommand('undo');
    assert.equal(cell.getText(), 'x = 1\n');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  describe('with auto save after a short delay (each save splits the undo step)', () => {
    before(async () => {
      await vscode.workspace.getConfiguration('files').update('autoSaveDelay', 50, vscode.ConfigurationTarget.Global);
      await vscode.workspace
        .getConfiguration('files')
        .update('autoSave', 'afterDelay', vscode.ConfigurationTarget.Global);
    });
    after(async () => {
      await vscode.workspace
        .getConfiguration('files')
        .update('autoSaveDelay', undefined, vscode.ConfigurationTarget.Global);
      await vscode.workspace.getConfiguration('files').update('autoSave', undefined, vscode.ConfigurationTarget.Global);
    });

    it('one undo still removes the whole insertion, one redo brings it all back', async () => {
      const { editor, saves } = await pacedInsertion('autosaved.ts', 4, 400);
      assert.ok(saves >= 2, `the document was saved ${saves} times while the model wrote`);
      const written = editor.document.getText();
      const restored = documentChange(editor.document, (text) => text === '// top\n');
      await vscode.commands.executeCommand('undo');
      await restored;
      assert.equal(editor.document.getText(), '// top\n');
      const redone = documentChange(editor.document, (text) => text === written);
      await vscode.commands.executeCommand('redo');
      await redone;
      assert.equal(editor.document.getText(), written);
    });

    it('an undo during streaming takes back everything written so far', async () => {
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      assert.ok(folder);
      const file = vscode.Uri.joinPath(folder, 'undo-mid-stream.txt');
      await vscode.workspace.fs.writeFile(file, new TextEncoder().encode('keep\n'));
      const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
      editor.selection = new vscode.Selection(1, 0, 1, 0);
      const steps: StreamStep[] = [sse.data(chunk({ role: 'assistant', content: '' }))];
      for (let i = 0; i < 3; i++) steps.push(sse.data(chunk({ content: `part ${i}\n` })), { wait: 400 });
      server.enqueue({ kind: 'stream', steps, end: 'stall' });
      const saved = new Promise<void>((resolve) => {
        const listener = vscode.workspace.onDidSaveTextDocument((document) => {
          if (document !== editor.document || !document.getText().includes('part 2')) return;
          listener.dispose();
          resolve();
        });
      });
      const running = insertAtCursor();
      await saved; // three parts in, split by saves
      const restored = documentChange(editor.document, (text) => text === 'keep\n');
      await vscode.commands.executeCommand('undo');
      await restored;
      const result = await running;
      assert.equal(result.stopped, true);
      assert.equal(result.text, '');
      assert.equal(editor.document.getText(), 'keep\n');
      assert.equal(await server.requests[0].outcome, 'aborted');
    });
  });

  it('an edit elsewhere during streaming survives, and the code lands at the tracked point', async () => {
    const editor = await editorWith('a\nb\nc\n');
    editor.selection = new vscode.Selection(2, 0, 2, 0);
    server.enqueue({
      kind: 'stream',
      steps: [
        sse.data(chunk({ role: 'assistant', content: 'X' })),
        { wait: 300 },
        sse.data(chunk({ content: 'Y\n' }, { finishReason: 'stop' })),
        sse.done(),
      ],
    });
    const started = documentChange(editor.document, (text) => text.includes('X'));
    const running = insertAtCursor();
    await started;
    // An edit from the API is refused when the document changed under it (the insertion's own edit
    // landed first); a person's keystroke is not, so try again as a keystroke would land.
    let applied = false;
    for (let attempt = 0; attempt < 20 && !applied; attempt++)
      applied = await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), 'NEW FIRST LINE\n'));
    assert.equal(applied, true);
    const result = await running;
    assert.equal(editor.document.getText(), 'NEW FIRST LINE\na\nb\nXY\nc\n');
    assert.equal(result.stopped, false);
  });

  it('stop mid-stream aborts the request at the server, keeps what arrived, and no edit lands after it', async () => {
    const editor = await editorWith('');
    server.enqueue({
      kind: 'stream',
      steps: [sse.data(chunk({ role: 'assistant', content: 'partial' }))],
      end: 'stall',
    });
    const started = documentChange(editor.document, (text) => text === 'partial');
    const running = insertAtCursor();
    await started;
    assert.equal(await vscode.commands.executeCommand<number>('streamChat.stop'), 1);
    const result = await running;
    assert.equal(result.stopped, true);
    assert.equal(result.text, 'partial');
    assert.equal(await server.requests[0].outcome, 'aborted');
    assert.equal(editor.document.getText(), 'partial');
  });

  it('typing at the insertion point stops the request and keeps both', async () => {
    const editor = await editorWith('');
    server.enqueue({ kind: 'stream', steps: [sse.data(chunk({ role: 'assistant', content: 'auto' }))], end: 'stall' });
    const started = documentChange(editor.document, (text) => text === 'auto');
    const running = insertAtCursor();
    await started;
    await editor.edit((edit) => edit.insert(editor.document.positionAt(4), '!'));
    const result = await running;
    assert.equal(result.stopped, true);
    assert.equal(editor.document.getText(), 'auto!');
    assert.equal(await server.requests[0].outcome, 'aborted');
  });

  it('a document closed mid-stream stops cleanly and offers the code that arrived', async () => {
    const editor = await editorWith('');
    server.enqueue({
      kind: 'stream',
      steps: [sse.data(chunk({ role: 'assistant', content: 'kept code' }))],
      end: 'stall',
    });
    const started = documentChange(editor.document, (text) => text === 'kept code');
    const running = insertAtCursor();
    await started;
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    const result = await running;
    assert.equal(result.stopped, true);
    assert.equal(result.leftover, 'kept code');
    assert.equal(await server.requests[0].outcome, 'aborted');
  });

  it('rewrite replaces the selection as it streams; one undo brings the original back', async () => {
    const editor = await editorWith('keep\nold code\nkeep\n');
    editor.selection = new vscode.Selection(1, 0, 1, 8);
    server.enqueue(contentStream(['```\nnew ', 'code\n```']));
    const result = await vscode.commands.executeCommand<InsertResult>('streamChat.rewriteSelection', {
      prompt: 'modernise',
    });
    assert.equal(result.text, 'new code');
    assert.equal(editor.document.getText(), 'keep\nnew code\nkeep\n');
    const sent = (server.requests[0].json as { messages: { content: string }[] }).messages.at(-1)?.content ?? '';
    assert.match(sent, /Selected code, to be replaced by your reply:\n```typescript\nold code\n```/);
    assert.match(sent, /Instruction: modernise/);
    await vscode.commands.executeCommand('undo');
    assert.equal(editor.document.getText(), 'keep\nold code\nkeep\n');
  });

  it('a CRLF document gets CRLF; multiple cursors: the code goes to the primary one', async () => {
    const editor = await editorWith('one\r\ntwo\r\n');
    editor.selections = [new vscode.Selection(1, 0, 1, 0), new vscode.Selection(0, 0, 0, 0)];
    server.enqueue(contentStream(['x = 1\n', 'y = 2\n']));
    await insertAtCursor();
    assert.equal(editor.document.getText(), 'one\r\nx = 1\r\ny = 2\r\ntwo\r\n');
  });

  it('reasoning is never inserted; content that turns out to be reasoning is taken out again', async () => {
    const editor = await editorWith('');
    server.enqueue({
      kind: 'stream',
      steps: [
        sse.data(chunk({ role: 'assistant', reasoning_content: 'thinking hard' })),
        sse.data(chunk({ content: 'plan: do it\n' })),
        sse.data(chunk({ content: '</think>\n\nreal()' }, { finishReason: 'stop' })),
        sse.done(),
      ],
    });
    const result = await insertAtCursor();
    assert.equal(editor.document.getText(), 'real()');
    assert.equal(result.text, 'real()');
  });

  it('a server error keeps the partial code and says what happened', async () => {
    const editor = await editorWith('');
    server.enqueue({ kind: 'stream', steps: [sse.data(chunk({ role: 'assistant', content: 'half' }))], end: 'reset' });
    const result = await insertAtCursor();
    assert.equal(editor.document.getText(), 'half');
    assert.equal(result.text, 'half');
    assert.match(result.error ?? '', /lost mid-answer/);
  });

  it('a read-only document is refused before any request', async () => {
    const registration = vscode.workspace.registerFileSystemProvider('streamchat-readonly', new ReadOnlyFiles(), {
      isReadonly: true,
    });
    try {
      const document = await vscode.workspace.openTextDocument(vscode.Uri.parse('streamchat-readonly:/fixed.ts'));
      await vscode.window.showTextDocument(document);
      const result = await insertAtCursor();
      assert.match(result.error ?? '', /fixed\.ts is read-only: nothing was sent/);
      assert.equal(server.requests.length, 0);
    } finally {
      registration.dispose();
    }
  });
});

/** A one-file read-only file system, as a source-control or virtual provider would register it. */
class ReadOnlyFiles implements vscode.FileSystemProvider {
  private readonly content = new TextEncoder().encode('export const fixed = true;\n');
  readonly onDidChangeFile = new vscode.EventEmitter<vscode.FileChangeEvent[]>().event;
  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }
  stat(): vscode.FileStat {
    return { type: vscode.FileType.File, ctime: 0, mtime: 0, size: this.content.byteLength };
  }
  readDirectory(): [string, vscode.FileType][] {
    return [];
  }
  readFile(): Uint8Array {
    return this.content;
  }
  createDirectory(): void {
    throw vscode.FileSystemError.NoPermissions();
  }
  writeFile(): void {
    throw vscode.FileSystemError.NoPermissions();
  }
  delete(): void {
    throw vscode.FileSystemError.NoPermissions();
  }
  rename(): void {
    throw vscode.FileSystemError.NoPermissions();
  }
}
