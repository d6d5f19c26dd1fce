// The host's check of what the chat webview posts (src/chat/webviewMessages.ts): every message type
// of the protocol passes with its fields, nothing else does, and a refusal says what was wrong
// without quoting the message's texts.
import * as assert from 'node:assert/strict';
import { checkWebviewMessage, readWebviewMessage } from '../../src/chat/webviewMessages';
import type { WebviewToHost } from '../../src/protocol';

/** One valid message of every type (a record: the compiler makes this list complete). */
const VALID: { [T in WebviewToHost['type']]: Extract<WebviewToHost, { type: T }> } = {
  ready: { type: 'ready' },
  send: { type: 'send', text: 'Hi' },
  'start-edit': { type: 'start-edit', turnId: 't1' },
  'cancel-edit': { type: 'cancel-edit' },
  'edit-question': { type: 'edit-question', turnId: 't1', text: 'Hi again' },
  stop: { type: 'stop' },
  regenerate: { type: 'regenerate' },
  'regenerate-with': { type: 'regenerate-with' },
  continue: { type: 'continue' },
  retry: { type: 'retry' },
  'new-chat': { type: 'new-chat' },
  fix: { type: 'fix', action: 'setApiKey' },
  recheck: { type: 'recheck' },
  'select-model': { type: 'select-model' },
  'open-link': { type: 'open-link', href: 'https://example.com/' },
  'copy-code': { type: 'copy-code', code: 'x' },
  'insert-code': { type: 'insert-code', code: 'x' },
  'open-code': { type: 'open-code', code: 'x', language: 'ts' },
  focus: { type: 'focus', focused: true },
  attach: { type: 'attach', what: 'selection' },
  'remove-attachment': { type: 'remove-attachment', id: 'a1' },
  'retry-leaving-out': { type: 'retry-leaving-out' },
  'wrap-code': { type: 'wrap-code', wrap: true },
};

function problemOf(raw: unknown): string {
  const checked = checkWebviewMessage(raw);
  assert.ok(!checked.ok, `refused: ${JSON.stringify(raw)}`);
  return checked.problem;
}

describe('messages from the chat webview', () => {
  it('accepts every message type of the protocol, as sent', () => {
    for (const message of Object.values(VALID)) {
      assert.deepEqual(checkWebviewMessage(message), { ok: true, message }, message.type);
    }
  });

  it('keeps only the fields a type has (extra fields from the page go no further)', () => {
    assert.deepEqual(checkWebviewMessage({ type: 'stop', command: 'workbench.action.files.delete' }), {
      ok: true,
      message: { type: 'stop' },
    });
    assert.deepEqual(checkWebviewMessage({ type: 'open-code', code: 'x', language: 7 }), {
      ok: true,
      message: { type: 'open-code', code: 'x', language: undefined },
    });
  });

  it('refuses every type with a field missing or of the wrong kind, naming the type and the fields', () => {
    const malformed: unknown[] = [
      { type: 'send' },
      { type: 'send', text: 42 },
      { type: 'edit-question', text: 'x' },
      { type: 'edit-question', turnId: 't1' },
      { type: 'fix', action: 'runAnyCommand' },
      { type: 'fix', action: 'toString' },
      { type: 'attach', what: 'everything' },
      { type: 'remove-attachment', id: 1 },
      { type: 'open-link' },
      { type: 'copy-code', code: null },
      { type: 'insert-code' },
      { type: 'open-code', language: 'ts' },
      { type: 'focus', focused: 'yes' },
      { type: 'wrap-code', wrap: 'on' },
    ];
    for (const raw of malformed) {
      const type = (raw as { type: string }).type;
      assert.match(problemOf(raw), new RegExp(`^a malformed "${type}" message \\(`), JSON.stringify(raw));
    }
    assert.equal(problemOf({ type: 'send', text: 42 }), 'a malformed "send" message ("text": number)');
    assert.equal(problemOf({ type: 'insert-code' }), 'a malformed "insert-code" message (no other fields)');
  });

  it('refuses unknown types and what is not a message, quoting at most the start of the type', () => {
    assert.equal(problemOf({ type: 'delete-everything' }), 'a message of unknown type ("delete-everything")');
    assert.equal(problemOf({ type: '__proto__' }), 'a message of unknown type ("__proto__")');
    assert.equal(problemOf({ text: 'no type' }), 'a message of unknown type (undefined)');
    assert.equal(problemOf({ type: 3 }), 'a message of unknown type (number)');
    assert.equal(problemOf(null), 'a message that is not an object (null)');
    assert.equal(problemOf(['send']), 'a message that is not an object (array)');
    assert.equal(problemOf('send'), 'a message that is not an object ("send")');
    const long = problemOf({ type: 'x'.repeat(500) });
    assert.ok(long.length < 100, long);
  });

  it('never quotes the texts of a malformed message (they may hold code or a pasted key)', () => {
    const problem = problemOf({ type: 'edit-question', text: 'sk-secret-in-a-question' });
    assert.doesNotMatch(problem, /sk-secret/);
    assert.equal(problem, 'a malformed "edit-question" message ("text": string)');
  });

  it('a refused message is logged, not dropped silently; an accepted one is not logged', () => {
    const lines: string[] = [];
    const log = { warn: (line: string) => lines.push(line) };
    assert.equal(readWebviewMessage({ type: 'bogus' }, log), undefined);
    assert.equal(readWebviewMessage({ type: 'send' }, log), undefined);
    assert.equal(readWebviewMessage(undefined, log), undefined);
    assert.deepEqual(lines, [
      'Chat panel: ignored a message of unknown type ("bogus")',
      'Chat panel: ignored a malformed "send" message (no other fields)',
      'Chat panel: ignored a message that is not an object (undefined)',
    ]);
    assert.deepEqual(readWebviewMessage({ type: 'send', text: 'Hi' }, log), { type: 'send', text: 'Hi' });
    assert.equal(lines.length, 3);
  });
});
