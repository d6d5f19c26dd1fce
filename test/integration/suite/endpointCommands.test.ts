// Choosing the endpoint and the model by command (with arguments, and the model quick pick filled
// from GET /models), and the warning before a key travels over plain http to another machine.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as vscode from 'vscode';
import { startTestServer, type TestServer } from '../../server';
import {
  authorizationOf,
  resetUserSettings,
  setUserSetting,
  streamChatApi,
  testConnection,
  useEndpoint,
  withTestServer,
} from './helpers';

function userValue<T>(key: string): T | undefined {
  return vscode.workspace.getConfiguration('streamChat').inspect<T>(key)?.globalValue;
}

describe('endpoint and model commands', () => {
  let server: TestServer;
  withTestServer((started) => (server = started));

  describe('streamChat.selectEndpoint', () => {
    afterEach(() => resetUserSettings());

    it('writes { baseUrl } to the user setting, normalised', async () => {
      const result = await vscode.commands.executeCommand('streamChat.selectEndpoint', {
        baseUrl: ' http://localhost:11434/v1/ ',
      });
      assert.deepEqual(result, { baseUrl: 'http://localhost:11434/v1' });
      assert.equal(userValue('baseUrl'), 'http://localhost:11434/v1');
    });

    it('accepts a preset id', async () => {
      await vscode.commands.executeCommand('streamChat.selectEndpoint', 'openrouter');
      assert.equal(userValue('baseUrl'), 'https://openrouter.ai/api/v1');
      await vscode.commands.executeCommand('streamChat.selectEndpoint', 'llamacpp');
      assert.equal(userValue('baseUrl'), 'http://localhost:8080/v1');
    });

    it('rejects a URL that is not http(s) and leaves the setting alone', async () => {
      await setUserSetting('baseUrl', server.baseUrl);
      await assert.rejects(
        Promise.resolve(
          vscode.commands.executeCommand('streamChat.selectEndpoint', { baseUrl: 'ftp://example.com/v1' }),
        ),
        /http:\/\/ or https:\/\//,
      );
      await assert.rejects(
        Promise.resolve(
          vscode.commands.executeCommand('streamChat.selectEndpoint', { baseUrl: 'https://user:pw@example.com/v1' }),
        ),
        /credentials/,
      );
      assert.equal(userValue('baseUrl'), server.baseUrl);
    });

    it('an invalid base URL makes test connection fail with the reason, sending nothing', async () => {
      await setUserSetting('baseUrl', 'localhost:8000/v1');
      const report = await testConnection();
      assert.equal(report.ok, false);
      assert.equal(report.error?.kind, 'config');
      assert.match(report.error?.message ?? '', /streamChat\.baseUrl/);
    });
  });

  describe('streamChat.selectModel', () => {
    beforeEach(() => useEndpoint(server.baseUrl));
    afterEach(() => resetUserSettings());

    it('writes { model } to the user setting and returns it', async () => {
      const result = await vscode.commands.executeCommand('streamChat.selectModel', { model: 'qwen3-coder' });
      assert.equal(result, 'qwen3-coder');
      assert.equal(userValue('model'), 'qwen3-coder');
      const report = await testConnection();
      assert.equal((server.requests.find((r) => r.method === 'POST')?.json as { model?: string }).model, 'qwen3-coder');
      assert.equal(report.model, 'qwen3-coder');
    });

    it('rejects an empty model id', async () => {
      await assert.rejects(
        Promise.resolve(vscode.commands.executeCommand('streamChat.selectModel', { model: '' })),
        /non-empty model id/,
      );
    });

    /** Resolves with the ids once the model quick pick has been filled. */
    async function nextModelPickFill(): Promise<{ ids: Promise<readonly string[]> }> {
      const api = await streamChatApi();
      // Wrapped: an async function returning a promise would wait for it.
      const ids = new Promise<readonly string[]>((resolve) => {
        const listener = api.testing.onDidFillModelPick((ids) => {
          listener.dispose();
          resolve(ids);
        });
      });
      return { ids };
    }

    it('highlights the current model when the server lists it', async () => {
      server.models = ['alpha-7b', 'beta-70b', 'gamma-1b'];
      await setUserSetting('model', 'beta-70b');
      const filled = await nextModelPickFill();
      const picked = vscode.commands.executeCommand<string | undefined>('streamChat.selectModel');
      assert.deepEqual(await filled.ids, ['alpha-7b', 'beta-70b', 'gamma-1b']);
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      assert.equal(await picked, 'beta-70b');
    });

    it('offers the models GET /models lists and saves the one accepted', async () => {
      server.models = ['alpha-7b', 'beta-70b'];
      const filled = await nextModelPickFill();
      const picked = vscode.commands.executeCommand<string | undefined>('streamChat.selectModel');
      assert.deepEqual(await filled.ids, ['alpha-7b', 'beta-70b']);
      assert.equal(server.requests[0]?.path, '/v1/models');
      // The first listed model is active; the current one (unlisted) comes after the list.
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      assert.equal(await picked, 'alpha-7b');
      assert.equal(userValue('model'), 'alpha-7b');
    });
  });
});

/** An IPv4 address of this machine that is not loopback, if it has one. */
function nonLoopbackAddress(): string | undefined {
  for (const entries of Object.values(os.networkInterfaces())) {
    for (const entry of entries ?? []) if (entry.family === 'IPv4' && !entry.internal) return entry.address;
  }
  return undefined;
}

describe('plain http to another machine', () => {
  const KEY = 'sk-test-plain-http-5d2e81c0';
  let recorded: http.IncomingHttpHeaders[] = [];
  let remote: http.Server;
  let remoteBaseUrl: string;
  let loopback: TestServer;

  before(async function () {
    const address = nonLoopbackAddress();
    if (!address) this.skip();
    // A minimal OpenAI-compatible endpoint reachable by a non-loopback address (the shared test
    // server listens on 127.0.0.1 only).
    remote = http.createServer((request, response) => {
      recorded.push(request.headers);
      request.resume();
      if (request.url === '/v1/models') {
        response
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ object: 'list', data: [{ id: 'test-model', object: 'model' }] }));
        return;
      }
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end(
        `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: 'Hi' }, finish_reason: 'stop' }] })}\n\n` +
          'data: [DONE]\n\n',
      );
    });
    await new Promise<void>((resolve) => remote.listen(0, address, resolve));
    remoteBaseUrl = `http://${address}:${(remote.address() as AddressInfo).port}/v1`;
    loopback = await startTestServer();
  });

  after(async () => {
    const api = await streamChatApi();
    api.testing.answerPlainHttpWarning(undefined);
    api.testing.forgetPlainHttpAnswers();
    for (const baseUrl of [remoteBaseUrl, loopback?.baseUrl]) {
      if (!baseUrl) continue;
      await useEndpoint(baseUrl);
      await vscode.commands.executeCommand('streamChat.clearApiKey');
    }
    await resetUserSettings();
    remote?.closeAllConnections();
    await new Promise<void>((resolve) => (remote ? remote.close(() => resolve()) : resolve()));
    await loopback?.close();
  });

  beforeEach(async () => {
    recorded = [];
    (await streamChatApi()).testing.forgetPlainHttpAnswers();
  });

  it('sends nothing when the user declines, and says why', async () => {
    const api = await streamChatApi();
    await useEndpoint(remoteBaseUrl, KEY);
    api.testing.answerPlainHttpWarning('decline');
    const report = await testConnection();
    assert.equal(report.ok, false);
    assert.equal(report.error?.kind, 'key-not-sent');
    assert.match(report.error?.message ?? '', /plain http/);
    assert.equal(recorded.length, 0, 'a request was sent although the user declined');
  });

  it('sends the key after "Send Anyway", and remembers the answer for the origin', async () => {
    const api = await streamChatApi();
    await useEndpoint(remoteBaseUrl, KEY);
    api.testing.answerPlainHttpWarning('send');
    const first = await testConnection();
    assert.equal(first.ok, true, JSON.stringify(first.error));
    api.testing.answerPlainHttpWarning('decline');
    const second = await testConnection();
    assert.equal(second.ok, true, 'the earlier "Send Anyway" was not remembered');
    assert.ok(recorded.length >= 4);
    for (const headers of recorded) assert.equal(headers.authorization, `Bearer ${KEY}`);
  });

  it('asks before credentials in streamChat.headers travel in clear, and sends nothing when declined', async () => {
    const api = await streamChatApi();
    await useEndpoint(remoteBaseUrl);
    await vscode.commands.executeCommand('streamChat.clearApiKey');
    await setUserSetting('headers', { 'X-Api-Key': 'header-secret-7c1e' });
    api.testing.answerPlainHttpWarning('decline');
    const report = await testConnection();
    await setUserSetting('headers', undefined);
    assert.equal(report.error?.kind, 'key-not-sent');
    assert.match(report.error?.message ?? '', /X-Api-Key/);
    assert.ok(!report.error?.message.includes('header-secret-7c1e'));
    assert.equal(recorded.length, 0, 'a request was sent although the user declined');
  });

  it('does not ask for loopback servers', async () => {
    const api = await streamChatApi();
    await useEndpoint(loopback.baseUrl, KEY);
    api.testing.answerPlainHttpWarning('decline');
    const report = await testConnection();
    assert.equal(report.ok, true, JSON.stringify(report.error));
    assert.equal(authorizationOf(loopback.requests[0]), `Bearer ${KEY}`);
  });

  it('does not ask when no key is stored', async () => {
    const api = await streamChatApi();
    await useEndpoint(remoteBaseUrl);
    await vscode.commands.executeCommand('streamChat.clearApiKey');
    api.testing.answerPlainHttpWarning('decline');
    const report = await testConnection();
    assert.equal(report.ok, true, JSON.stringify(report.error));
    assert.equal(report.authSent, false);
    for (const headers of recorded) assert.equal(headers.authorization, undefined);
  });
});
