// The ask commands in the real extension host: what each sends (checked in the test server's record:
// the code fenced with its language, path and line range, then the instruction), prompts from the
// settings, the code picked without a selection (enclosing block, line, whole file), the limit, untitled
// files and notebook cells, and the result each command resolves with.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AskResult } from '../../../src/ask/askCommands';
import { ASK_ACTION_COMMANDS, ASK_ACTIONS, DEFAULT_PROMPTS } from '../../../src/ask/prompts';
import type { UserTurnView } from '../../../src/protocol';
import { chunk, sse, type Scenario, type TestServer } from '../../server';
import { streamChatApi, withTestEndpoint } from './helpers';

type ChatMessages = { role: string; content: string }[];

const SAMPLE = [
  'import { x } from "./x";',
  '',
  'export function greet(name: string): string {',
  '  const greeting = `Hello, ${name}!`;',
  '  return greeting;',
  '}',
  '',
].join('\n');

function answer(text: string): Scenario {
  return {
    kind: 'stream',
    steps: [
      sse.data(chunk({ role: 'assistant', content: text })),
      sse.data(chunk({}, { finishReason: 'stop' })),
      sse.done(),
    ],
  };
}

function chatRequests(server: TestServer) {
  return server.requests.filter((request) => request.path === '/v1/chat/completions');
}

function messagesOf(server: TestServer, index: number): ChatMessages {
  return (chatRequests(server)[index]?.json as { messages: ChatMessages }).messages;
}

function lastUserContent(server: TestServer, index = 0): string {
  return messagesOf(server, index).at(-1)?.content ?? '';
}

async function setStreamChat(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('streamChat').update(key, value, vscode.ConfigurationTarget.Global);
}

/** Writes `relative` in the workspace folder (unless it holds `content` already) and opens it. */
async function workspaceEditor(relative: string, content: string): Promise<vscode.TextEditor> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  assert.ok(folder, 'the integration run opens a folder');
  const file = vscode.Uri.joinPath(folder, relative);
  const existing = await Promise.resolve(vscode.workspace.fs.readFile(file)).catch(() => undefined);
  // Rewriting a file whose document is still loaded races with the document's reload.
  if (existing === undefined || new TextDecoder().decode(existing) !== content)
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(content));
  const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
  assert.equal(editor.document.getText(), content);
  return editor;
}

/** The TypeScript server answers document symbols once it has loaded: ask until it does. */
async function whenSymbolsReady(document: vscode.TextDocument): Promise<void> {
  for (let attempt = 0; attempt < 120; attempt++) {
    const symbols = await vscode.commands.executeCommand<unknown[] | undefined>(
      'vscode.executeDocumentSymbolProvider',
      document.uri,
    );
    if (symbols !== undefined && symbols.length > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 250)); // no event says the language server is ready
  }
  assert.fail('no document symbols from the TypeScript language features');
}

function run(command: string, arg?: object): Thenable<AskResult | undefined> {
  return vscode.commands.executeCommand<AskResult | undefined>(command, arg);
}

async function lastUserTurn(): Promise<UserTurnView> {
  const turns = (await streamChatApi()).testing.chat.turns();
  const turn = turns.filter((candidate) => candidate.role === 'user').at(-1);
  assert.ok(turn?.role === 'user', 'a question is in the chat');
  return turn;
}

describe('ask commands', () => {
  let server: TestServer;
  withTestEndpoint((started) => (server = started));

  afterEach(async () => {
    await setStreamChat('prompts', undefined);
    await setStreamChat('ask.maxSnippetTokens', undefined);
    await setStreamChat('ask.newConversation', undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('each action sends the selection fenced with language, path, lines, then its instruction; resolves', async () => {
    const editor = await workspaceEditor('src/sample.ts', SAMPLE);
    editor.selection = new vscode.Selection(3, 0, 5, 0); // lines 4-5, ending at the start of line 6
    for (const [index, action] of ASK_ACTIONS.entries()) {
      server.enqueue(answer(`Answer ${index}`));
      const result = await run(ASK_ACTION_COMMANDS[action].command);
      assert.deepEqual(result, { text: `Answer ${index}`, finishReason: 'stop', stopped: false }, action);
      assert.equal(
        lastUserContent(server, index),
        'Code from src/sample.ts:4-5 (typescript):\n```typescript\n' +
          '  const greeting = `Hello, ${name}!`;\n  return greeting;\n```\n\n' +
          DEFAULT_PROMPTS[action],
        action,
      );
      const turn = await lastUserTurn();
      assert.equal(turn.text, DEFAULT_PROMPTS[action]);
      assert.deepEqual(turn.snippets?.[0].range, { startLine: 4, endLine: 5 });
    }
    assert.equal(chatRequests(server).length, ASK_ACTIONS.length);
  });

  it('a follow-up in the chat keeps the code and the answer in the conversation', async () => {
    const editor = await workspaceEditor('src/sample.ts', SAMPLE);
    editor.selection = new vscode.Selection(2, 0, 6, 0);
    server.enqueue(answer('It greets.'), answer('Because.'));
    await run('streamChat.explainSelection');
    await (await streamChatApi()).testing.chat.send('Why a template string?');
    const messages = messagesOf(server, 1);
    assert.deepEqual(
      messages.map((message) => message.role),
      ['user', 'assistant', 'user'],
    );
    assert.match(
      messages[0].content,
      /^Code from src\/sample\.ts:3-6 \(typescript\):\n```typescript\nexport function greet/,
    );
    assert.equal(messages[1].content, 'It greets.');
    assert.equal(messages[2].content, 'Why a template string?');
  });

  it('an action is shown by its label (action · file:lines) and lands in the open conversation', async () => {
    const { chat } = (await streamChatApi()).testing;
    server.enqueue(answer('Hello.'), answer('No bugs.'));
    await chat.send('Hi');
    const conversation = chat.current.id;
    const editor = await workspaceEditor('src/sample.ts', SAMPLE);
    editor.selection = new vscode.Selection(2, 0, 6, 0);
    await run('streamChat.findBugs');
    const turn = await lastUserTurn();
    assert.equal(turn.label, 'Find Bugs · src/sample.ts:3-6');
    assert.equal(turn.text, DEFAULT_PROMPTS.findBugs, 'the instruction is kept, folded away by the panel');
    assert.equal(chat.current.id, conversation, 'the same conversation');
    assert.deepEqual(
      messagesOf(server, 1).map((message) => message.role),
      ['user', 'assistant', 'user'],
      'the ask follows the conversation before it',
    );
  });

  it('ask.newConversation: each ask starts its own conversation; the open one stays in the history', async () => {
    const { chat, history } = (await streamChatApi()).testing;
    await setStreamChat('ask.newConversation', true);
    server.enqueue(answer('Hello.'), answer('It greets.'), answer('Tests.'));
    await chat.send('Hi');
    const before = chat.current.id;
    const editor = await workspaceEditor('src/sample.ts', SAMPLE);
    editor.selection = new vscode.Selection(2, 0, 6, 0);
    await run('streamChat.explainSelection');
    const explained = chat.current.id;
    assert.notEqual(explained, before, 'a new conversation');
    assert.deepEqual(
      chat.current.all().map((turn) => turn.role),
      ['user', 'assistant'],
    );
    assert.deepEqual(
      messagesOf(server, 1).map((message) => message.role),
      ['user'],
      'nothing from the chat before it is sent',
    );
    await run('streamChat.writeTests');
    assert.notEqual(chat.current.id, explained, 'each ask on its own');
    await history.flush();
    const saved = (await history.list()).map((data) => data.id);
    assert.ok(saved.includes(before) && saved.includes(explained), 'the earlier conversations are in the history');
  });

  it('instructions from streamChat.prompts replace the defaults; actions left out keep theirs', async () => {
    await setStreamChat('prompts', { explain: 'Explain it like I am five.', findBugs: '   ' });
    const editor = await workspaceEditor('src/sample.ts', SAMPLE);
    editor.selection = new vscode.Selection(4, 0, 4, 18);
    server.enqueue(answer('ok'), answer('ok'), answer('ok'));
    await run('streamChat.explainSelection');
    await run('streamChat.findBugs');
    await run('streamChat.addDocs');
    assert.match(lastUserContent(server, 0), /\n```\n\nExplain it like I am five\.$/);
    assert.ok(
      lastUserContent(server, 1).endsWith(`\n\n${DEFAULT_PROMPTS.findBugs}`),
      'a blank instruction falls back to the default',
    );
    assert.ok(lastUserContent(server, 2).endsWith(`\n\n${DEFAULT_PROMPTS.addDocs}`));
  });

  it('no selection: the enclosing function (from the document symbols), labelled', async () => {
    const editor = await workspaceEditor('src/sample.ts', SAMPLE);
    await whenSymbolsReady(editor.document);
    editor.selection = new vscode.Selection(4, 4, 4, 4); // on `return greeting;`, inside a local const's function
    server.enqueue(answer('ok'));
    await run('streamChat.explainSelection');
    const expected =
      'Code from src/sample.ts:3-6 (typescript, enclosing function greet):\n```typescript\n' +
      SAMPLE.split('\n').slice(2, 6).join('\n') +
      '\n```\n\n';
    assert.equal(lastUserContent(server), expected + DEFAULT_PROMPTS.explain);
    const turn = await lastUserTurn();
    assert.equal(turn.snippets?.[0].description, 'enclosing function greet');
  });

  it('no selection and no enclosing block: the current line, labelled', async () => {
    const editor = await workspaceEditor('notes.txt', 'first\nsecond line\nthird\n');
    editor.selection = new vscode.Selection(1, 3, 1, 3);
    server.enqueue(answer('ok'));
    await run('streamChat.explainSelection');
    assert.equal(
      lastUserContent(server),
      'Code from notes.txt:2 (plaintext, line 2):\n```plaintext\nsecond line\n```\n\n' + DEFAULT_PROMPTS.explain,
    );
  });

  it('the whole file on request ({ scope: "file" }), for an action and for Ask…', async () => {
    const editor = await workspaceEditor('src/sample.ts', SAMPLE);
    editor.selection = new vscode.Selection(4, 0, 4, 5);
    server.enqueue(answer('ok'), answer('ok'));
    await run('streamChat.findBugs', { scope: 'file' });
    assert.equal(
      lastUserContent(server, 0),
      'File: src/sample.ts (typescript, whole file):\n```typescript\n' + SAMPLE + '```\n\n' + DEFAULT_PROMPTS.findBugs,
    );
    const result = await run('streamChat.ask', { prompt: 'What does this module export?', scope: 'file' });
    assert.deepEqual(result, { text: 'ok', finishReason: 'stop', stopped: false });
    assert.ok(lastUserContent(server, 1).startsWith('File: src/sample.ts (typescript, whole file):\n```typescript\n'));
    assert.ok(lastUserContent(server, 1).endsWith('```\n\nWhat does this module export?'));
  });

  it('over the limit: refused with the size and the limit, nothing sent, nothing added to the chat', async () => {
    await setStreamChat('ask.maxSnippetTokens', 10);
    const editor = await workspaceEditor('src/sample.ts', SAMPLE);
    editor.selection = new vscode.Selection(0, 0, 6, 0);
    const result = await run('streamChat.explainSelection');
    assert.equal(result?.stopped, false);
    assert.equal(result?.text, '');
    assert.match(
      result?.error ?? '',
      new RegExp(
        /^The selection \(src\/sample\.ts:1-6\) is too large to send: ~\d+ tokens \(\d+ characters\); /.source +
          /the limit is 10 tokens \(streamChat\.ask\.maxSnippetTokens\)\./.source,
      ),
    );
    const whole = await run('streamChat.ask', { prompt: 'Why?', scope: 'file' });
    assert.match(whole?.error ?? '', /^src\/sample\.ts \(whole file\) is too large to send/);
    assert.equal(chatRequests(server).length, 0, 'no request was sent');
    assert.equal((await streamChatApi()).testing.chat.turns().length, 0);
    assert.ok(
      (await streamChatApi()).logLines().some((line) => line.includes('is too large to send')),
      'the refusal is logged (and shown as a notification)',
    );
  });

  it('an untitled document works: its name is the path', async () => {
    const document = await vscode.workspace.openTextDocument({
      content: 'def add(a, b):\n    return a + b\n',
      language: 'python',
    });
    const editor = await vscode.window.showTextDocument(document);
    editor.selection = new vscode.Selection(0, 0, 1, 16);
    server.enqueue(answer('Adds.'));
    const result = await run('streamChat.ask', { prompt: 'What is this?' });
    assert.equal(result?.text, 'Adds.');
    assert.equal(
      lastUserContent(server),
      `Code from ${document.uri.path}:1-2 (python):\n` +
        '```python\ndef add(a, b):\n    return a + b\n```\n\nWhat is this?',
    );
    assert.match(document.uri.path, /^Untitled-\d+$/);
  });

  it('a notebook cell works: the notebook and the cell number are the path', async () => {
    const data = new vscode.NotebookData([
      new vscode.NotebookCellData(vscode.NotebookCellKind.Markup, '# Title', 'markdown'),
      new vscode.NotebookCellData(vscode.NotebookCellKind.Code, 'total = 1 + 2\nprint(total)', 'python'),
    ]);
    const notebook = await vscode.workspace.openNotebookDocument('jupyter-notebook', data);
    await vscode.window.showNotebookDocument(notebook);
    const cell = notebook.cellAt(1);
    const editor = await vscode.window.showTextDocument(cell.document);
    editor.selection = new vscode.Selection(1, 0, 1, 12);
    server.enqueue(answer('Prints 3.'));
    await run('streamChat.explainSelection');
    assert.equal(
      lastUserContent(server),
      `Code from ${notebook.uri.path}#cell2:2 (python):\n` +
        `\`\`\`python\nprint(total)\n\`\`\`\n\n${DEFAULT_PROMPTS.explain}`,
    );
  });

  it('Ask… without an editor sends the question alone', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    server.enqueue(answer('Hello.'));
    const result = await run('streamChat.ask', { prompt: 'Say hello' });
    assert.equal(result?.text, 'Hello.');
    assert.deepEqual(messagesOf(server, 0), [{ role: 'user', content: 'Say hello' }]);
  });

  it('stopped mid-answer: resolves stopped with what arrived; the request is the ask owner’s', async () => {
    const editor = await workspaceEditor('src/sample.ts', SAMPLE);
    editor.selection = new vscode.Selection(2, 0, 6, 0);
    server.enqueue({
      kind: 'stream',
      steps: [sse.data(chunk({ role: 'assistant', content: 'Partial' }))],
      end: 'stall',
    });
    const { chat } = (await streamChatApi()).testing;
    const running = run('streamChat.ask', { prompt: 'Explain slowly' });
    await server.waitForRequests(1);
    // Stands in for the panel: the first delta posted means the partial answer is in.
    await new Promise<void>((resolve) =>
      chat.attach((message) => {
        if (message.type === 'delta') resolve();
      }),
    );
    chat.detach();
    // While it streams, another ask with a prompt is refused (its caller gets an error); nothing more is sent.
    const second = await run('streamChat.ask', { prompt: 'Another question' });
    assert.match(second?.error ?? '', /still answering/);
    assert.equal(chat.turns().filter((turn) => turn.role === 'user').length, 1);
    assert.equal(await vscode.commands.executeCommand<number>('streamChat.stop', { owner: 'ask' }), 1);
    const result = await running;
    assert.equal(result?.stopped, true);
    assert.equal(result?.text, 'Partial');
    assert.equal(result?.error, undefined);
  });

  it('a failed answer resolves with a readable error', async () => {
    const editor = await workspaceEditor('src/sample.ts', SAMPLE);
    editor.selection = new vscode.Selection(2, 0, 6, 0);
    server.enqueue({ kind: 'respond', status: 401, body: { error: { message: 'Invalid key' } } });
    const result = await run('streamChat.ask', { prompt: 'Explain' });
    assert.equal(result?.stopped, false);
    assert.equal(result?.text, '');
    assert.match(result?.error ?? '', /requires an API key \(HTTP 401\)/);
  });

  it('a malformed argument is refused with what the command expects, before anything is sent', async () => {
    await workspaceEditor('src/sample.ts', SAMPLE);
    await assert.rejects(
      Promise.resolve(run('streamChat.explainSelection', { scope: 'everything' })),
      /scope must be "selection" or "file", not "everything"/,
    );
    await assert.rejects(
      Promise.resolve(run('streamChat.ask', { prompt: 42 })),
      /expect \{ prompt\?: string, scope\?: "selection" \| "file" \}/,
    );
    assert.equal(chatRequests(server).length, 0);
  });

  it('the keys of Explain (Ctrl+K X) and Ask (Ctrl+K A) are bound to nothing else in VS Code', async () => {
    const defaults = await vscode.workspace.openTextDocument(
      vscode.Uri.parse('vscode://defaultsettings/keybindings.json'),
    );
    const text = defaults.getText();
    for (const key of ['ctrl+k x', 'ctrl+k a']) {
      const bound = [...text.matchAll(new RegExp(`"key":\\s*"${key}",\\s*"command":\\s*"([^"]+)"`, 'g'))].map(
        (match) => match[1],
      );
      assert.ok(
        bound.every((command) => command.startsWith('streamChat.')),
        `${key} is also bound to ${bound.join(', ')}`,
      );
    }
  });
});
