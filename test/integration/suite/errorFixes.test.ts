// One fix per kind of failure (src/host/errorFixes.ts): the notifications, the chat transcript and
// the chat panel's notice offer the same command for the same failure, and it exists. Also: what the
// webview sends and the host refuses reaches the real log, redacted.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ChatError } from '../../../src/api';
import { errorView, tooLongView } from '../../../src/chat/panelStatus';
import { readWebviewMessage } from '../../../src/chat/webviewMessages';
import { EndpointError } from '../../../src/host/endpointResolver';
import { fixCommand, fixFor, toUserFacingError } from '../../../src/host/errorFixes';
import { StreamChatLog } from '../../../src/host/log';
import { ERROR_KINDS, type ErrorKind, type ErrorView } from '../../../src/protocol';
import { streamChatApi } from './helpers';

// Never disposed: VS Code gives it the extension's own "Stream Chat" channel (same extension, same
// name), and disposing it would close that channel under the extension.
const log = new StreamChatLog();

/** A failure of `kind` as the code that reports it throws it. */
function failureOf(kind: ErrorKind): Error {
  if (kind === 'config' || kind === 'key-not-sent') return new EndpointError(kind, `endpoint: ${kind}`);
  if (kind === 'unexpected') return new TypeError('something else broke');
  return new ChatError({ kind, message: `client: ${kind}` });
}

describe('the fix offered for each kind of failure', () => {
  /** What the panel's fix button runs, next to what the notification's button runs. */
  function agree(view: ErrorView, kind: ErrorKind): void {
    const notification = fixFor(kind);
    assert.deepEqual(view.fix, { action: notification.action, title: notification.title }, kind);
    assert.equal(fixCommand(view.fix.action), notification.command, kind);
  }

  it('notifications, transcript and panel notice agree for every kind, and every fix command exists', async () => {
    await streamChatApi(); // activated: its commands are registered
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.ok(ERROR_KINDS.length >= 20, 'every kind is listed');
    for (const kind of ERROR_KINDS) {
      const failure = failureOf(kind);
      // The notification path (insert, Test Connection) and the panel path (transcript, notice).
      const reported = toUserFacingError(failure, (text) => log.redact(text));
      assert.equal(reported.kind, kind);
      agree(errorView(failure, { log }), kind);
      assert.ok(registered.has(fixFor(kind).command), `${kind}: ${fixFor(kind).command} is a command`);
    }
  });

  it("the panel's own findings offer the same fix: a question too long for the window", () => {
    const view = tooLongView({
      fitted: { messages: [], leftOutTurns: 0, promptTokens: 9000, fits: false },
      window: { tokens: 8192, source: 'setting' },
      reserve: 1024,
    });
    agree(view, 'context-length');
  });

  it('the most helpful fix per kind: the key for auth and quota, the model, the endpoint, else the log', () => {
    const expected: Partial<Record<ErrorKind, string>> = {
      auth: 'streamChat.setApiKey',
      quota: 'streamChat.setApiKey',
      'model-not-found': 'streamChat.selectModel',
      'context-length': 'streamChat.selectModel',
      network: 'streamChat.selectEndpoint',
      'not-found': 'streamChat.selectEndpoint',
      config: 'streamChat.selectEndpoint',
      'key-not-sent': 'streamChat.selectEndpoint',
      timeout: 'streamChat.testConnection',
      server: 'streamChat.showLog',
      unexpected: 'streamChat.showLog',
    };
    for (const [kind, command] of Object.entries(expected))
      assert.equal(fixFor(kind as ErrorKind).command, command, kind);
  });
});

describe('messages from the chat webview that the host refuses', () => {
  it('are logged through the log, with secrets redacted', () => {
    log.addSecret('sk-integration-secret-4242');
    assert.equal(readWebviewMessage({ type: 'sk-integration-secret-4242' }, log), undefined);
    assert.equal(readWebviewMessage({ type: 'fix', action: 'runAnything' }, log), undefined);
    const lines = log.recentLines().filter((line) => line.startsWith('Chat panel: ignored'));
    assert.equal(lines.length, 2, lines.join('\n'));
    assert.match(lines[0], /^Chat panel: ignored a message of unknown type \(/);
    assert.ok(!lines[0].includes('sk-integration-secret-4242'), lines[0]);
    assert.equal(lines[1], 'Chat panel: ignored a malformed "fix" message ("action": string)');
  });
});
