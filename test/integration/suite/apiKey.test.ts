// The API key: stored by command in SecretStorage per origin, sent as a bearer token only to that
// origin — not after the base URL moves, not across a redirect, not because a workspace says so —
// and never written to the log.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startTestServer, type TestServer } from '../../server';
import {
  authorizationOf,
  resetUserSettings,
  setUserSetting,
  streamChatApi,
  testConnection,
  useEndpoint,
  whenSettings,
} from './helpers';

const KEY_A = 'sk-test-A-4f1c9b2e7d0a66b1';
const KEY_B = 'sk-test-B-93e0d1aa5c7f2b48';

describe('API key (per origin, SecretStorage)', () => {
  let serverA: TestServer;
  let serverB: TestServer;

  before(async () => {
    [serverA, serverB] = await Promise.all([startTestServer(), startTestServer()]);
  });

  after(async () => {
    for (const server of [serverA, serverB]) {
      await useEndpoint(server.baseUrl);
      await vscode.commands.executeCommand('streamChat.clearApiKey');
    }
    await resetUserSettings();
    await Promise.all([serverA.close(), serverB.close()]);
  });

  beforeEach(async () => {
    serverA.reset();
    serverB.reset();
    await setUserSetting('headers', undefined);
  });

  it('sends the key set by command as "Authorization: Bearer …" to its origin', async () => {
    await useEndpoint(serverA.baseUrl, KEY_A);
    const report = await testConnection();
    assert.equal(report.ok, true, JSON.stringify(report.error));
    assert.equal(report.authSent, true);
    assert.ok(serverA.requests.length >= 2, 'expected GET /models and POST /chat/completions');
    for (const request of serverA.requests)
      assert.equal(authorizationOf(request), `Bearer ${KEY_A}`, `${request.method} ${request.path}`);
  });

  it('does not send the key after baseUrl moves to another origin', async () => {
    await useEndpoint(serverA.baseUrl, KEY_A);
    await setUserSetting('baseUrl', serverB.baseUrl);
    const report = await testConnection();
    assert.equal(report.ok, true, JSON.stringify(report.error));
    assert.equal(report.authSent, false);
    assert.equal(serverA.requests.length, 0);
    assert.ok(serverB.requests.length >= 2);
    for (const request of serverB.requests)
      assert.equal(authorizationOf(request), undefined, `${request.method} ${request.path} carried a key`);
  });

  it('keeps one key per origin', async () => {
    await useEndpoint(serverA.baseUrl, KEY_A);
    await useEndpoint(serverB.baseUrl, KEY_B);
    await testConnection();
    await setUserSetting('baseUrl', serverA.baseUrl);
    await testConnection();
    assert.ok(serverB.requests.every((request) => authorizationOf(request) === `Bearer ${KEY_B}`));
    assert.ok(serverA.requests.every((request) => authorizationOf(request) === `Bearer ${KEY_A}`));
    assert.ok(serverA.requests.length >= 2 && serverB.requests.length >= 2);
  });

  it('stops sending the key after streamChat.clearApiKey', async () => {
    await useEndpoint(serverB.baseUrl, KEY_B);
    await vscode.commands.executeCommand('streamChat.clearApiKey');
    const report = await testConnection();
    assert.equal(report.authSent, false);
    assert.ok(serverB.requests.length >= 2);
    for (const request of serverB.requests) assert.equal(authorizationOf(request), undefined);
  });

  it('rejects an empty key given as an argument and returns nothing secret', async () => {
    await useEndpoint(serverA.baseUrl);
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('streamChat.setApiKey', { key: '  ' })),
      /non-empty key/,
    );
    const result = await vscode.commands.executeCommand('streamChat.setApiKey', { key: KEY_A });
    assert.equal(result, undefined);
  });

  it('does not carry the key or the configured headers across a redirect to another origin', async () => {
    await useEndpoint(serverA.baseUrl, KEY_A);
    await setUserSetting('headers', { 'X-Endpoint-Only': 'for-a-only' });
    serverA.enqueueFor('GET', '/v1/models', { kind: 'redirect', status: 307, location: `${serverB.baseUrl}/models` });
    serverA.enqueue({ kind: 'redirect', status: 307, location: `${serverB.baseUrl}/chat/completions` });
    await testConnection();
    assert.ok(serverA.requests.length >= 2, 'server A was not asked');
    for (const request of serverA.requests) assert.equal(request.headers['x-endpoint-only'], 'for-a-only');
    for (const request of serverB.requests) {
      assert.equal(
        authorizationOf(request),
        undefined,
        `the key followed the redirect to ${request.method} ${request.path}`,
      );
      assert.equal(request.headers['x-endpoint-only'], undefined, 'the configured header followed the redirect');
    }
    const log = (await streamChatApi()).logLines().join('\n');
    assert.ok(!log.includes(KEY_A));
  });

  it('never writes the key to the log, even when the server echoes it back', async () => {
    const api = await streamChatApi();
    await useEndpoint(serverA.baseUrl, KEY_A);
    const echo = {
      error: {
        message: `Incorrect API key provided: ${KEY_A}.`,
        type: 'invalid_request_error',
        code: 'invalid_api_key',
      },
    };
    serverA.enqueueFor('GET', '/v1/models', { kind: 'respond', status: 401, body: echo });
    const report = await testConnection();
    assert.equal(report.ok, false);
    assert.equal(report.error?.kind, 'auth');
    assert.ok(!JSON.stringify(report).includes(KEY_A), 'the report shows the key');
    assert.equal(authorizationOf(serverA.requests[0]), `Bearer ${KEY_A}`, 'the key was not even sent');

    const lines = api.logLines();
    assert.ok(
      lines.some((line) => line.includes(`${serverA.baseUrl}/models`)),
      'the request was not logged',
    );
    assert.ok(!lines.join('\n').includes(KEY_A), 'the key reached the log');
    const files = logFilesUnder(api.testing.logDirectory);
    const contents = files.map((file) => fs.readFileSync(file, 'utf8'));
    assert.ok(
      contents.some((text) => text.includes('Activated in')),
      `the channel's log file is not among ${files.join(', ')}`,
    );
    files.forEach((file, i) => assert.ok(!contents[i].includes(KEY_A), `the key reached ${file}`));

    // A 400's message is shown and logged (a 401's is not): the echoed key must still not be.
    serverA.enqueueFor('GET', '/v1/models', {
      kind: 'respond',
      status: 400,
      body: { error: { message: `Unknown key ${KEY_A} for this route` } },
    });
    const second = await testConnection();
    assert.match(second.modelsError?.message ?? '', /for this route/);
    assert.ok(!JSON.stringify(second).includes(KEY_A), 'the report shows the echoed key');
    assert.ok(!api.logLines().join('\n').includes(KEY_A), 'the echoed key reached the log');
  });

  it('rejects a key that cannot travel in a header, without repeating it', async () => {
    await useEndpoint(serverA.baseUrl);
    await vscode.commands.executeCommand('streamChat.clearApiKey');
    for (const bad of [`${KEY_A}\nX-Injected: 1`, `Bearer ${KEY_A}`]) {
      await assert.rejects(
        Promise.resolve(vscode.commands.executeCommand('streamChat.setApiKey', { key: bad })),
        (error: Error) => {
          assert.match(error.message, /line breaks|without "Bearer "/);
          assert.ok(!error.message.includes(KEY_A), error.message);
          return true;
        },
      );
    }
    const report = await testConnection();
    assert.equal(report.authSent, false, 'a rejected key was stored');
  });

  it('sends the stored key, not an Authorization header from the settings', async () => {
    await useEndpoint(serverA.baseUrl, KEY_A);
    await setUserSetting('headers', { Authorization: 'Bearer from-settings' });
    const report = await testConnection();
    assert.equal(report.ok, true, JSON.stringify(report.error));
    assert.ok(serverA.requests.length >= 2);
    for (const request of serverA.requests) assert.equal(authorizationOf(request), `Bearer ${KEY_A}`);
    assert.ok(
      (await streamChatApi())
        .logLines()
        .some((line) => line.includes('"Authorization" (a key stored for the origin replaces it)')),
    );
  });

  it('leaves out headers that would break every request or inject lines, says so, and sends the rest', async () => {
    await useEndpoint(serverA.baseUrl);
    await setUserSetting('headers', {
      'X-Title': 'Stream Chat',
      'X-Evil': 'a\r\nX-Injected: 1',
      Host: 'elsewhere.example',
      'Content-Length': '3',
    });
    const report = await testConnection();
    assert.equal(report.ok, true, JSON.stringify(report.error));
    assert.deepEqual(report.ignoredHeaders?.map((header) => header.name).sort(), ['Content-Length', 'Host', 'X-Evil']);
    for (const request of serverA.requests) {
      assert.equal(request.headers['x-title'], 'Stream Chat');
      assert.equal(request.headers['x-evil'], undefined);
      assert.equal(request.headers['x-injected'], undefined);
      assert.equal(request.headers.host, new URL(serverA.baseUrl).host);
    }
    assert.ok(
      (await streamChatApi())
        .logLines()
        .some((line) => line.includes('"X-Evil" is not sent: the value contains a line break')),
    );
  });

  it('never writes a secret header value to the log, even when the server echoes it', async () => {
    const secret = 'azure-key-0c9f2b7e41d8';
    await useEndpoint(serverA.baseUrl);
    await setUserSetting('headers', { 'api-key': secret });
    // A 400 message is shown to the user (a 401's is not), so an echo would reach the report and the log.
    serverA.enqueueFor('GET', '/v1/models', {
      kind: 'respond',
      status: 400,
      body: { error: { message: `Header api-key ${secret} is not allowed here` } },
    });
    const report = await testConnection();
    assert.match(report.modelsError?.message ?? '', /is not allowed here/);
    assert.equal(serverA.requests[0].headers['api-key'], secret, 'the header was not even sent');
    assert.ok(!JSON.stringify(report).includes(secret), 'the report shows the header value');
    assert.ok(!(await streamChatApi()).logLines().join('\n').includes(secret), 'the header value reached the log');
  });

  it('never shows credentials written into the base URL (report, log)', async () => {
    const api = await streamChatApi();
    const before = api.logLines().length;
    await setUserSetting('baseUrl', `http://someone:hunter2-base-url@${new URL(serverA.baseUrl).host}/v1`);
    const report = await testConnection();
    assert.equal(report.ok, false);
    assert.equal(report.error?.kind, 'config');
    assert.match(report.error?.message ?? '', /must not contain credentials/);
    assert.equal(serverA.requests.length, 0);
    assert.ok(!JSON.stringify(report).includes('hunter2'), JSON.stringify(report));
    assert.ok(!api.logLines().slice(before).join('\n').includes('hunter2'), 'the password reached the log');
    assert.ok(!api.testing.statusBar().tooltip.includes('hunter2'));
  });

  describe('workspace settings', () => {
    let settingsFile: string;

    before(() => {
      const folder = vscode.workspace.workspaceFolders?.[0];
      assert.ok(folder, 'no workspace folder is open');
      settingsFile = path.join(folder.uri.fsPath, '.vscode', 'settings.json');
    });

    afterEach(async () => {
      fs.writeFileSync(settingsFile, '{}\n');
      await whenSettings((config) => config.inspect('systemPrompt')?.workspaceValue === undefined);
    });

    it('ignores a workspace streamChat.baseUrl and headers: the key goes only where the user pointed it', async () => {
      await useEndpoint(serverA.baseUrl, KEY_A);
      fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
      fs.writeFileSync(
        settingsFile,
        JSON.stringify(
          {
            'streamChat.baseUrl': serverB.baseUrl,
            'streamChat.headers': { 'X-From-Workspace': 'yes' },
            'streamChat.systemPrompt': 'marker',
          },
          null,
          2,
        ),
      );
      // The non-application setting in the same file shows when the file has been read.
      await whenSettings((config) => config.get('systemPrompt') === 'marker');

      const report = await testConnection();
      assert.equal(report.ok, true, JSON.stringify(report.error));
      assert.equal(report.baseUrl, serverA.baseUrl);
      assert.equal(serverB.requests.length, 0, 'a request went to the workspace-configured origin');
      assert.ok(serverA.requests.length >= 2);
      for (const request of serverA.requests) {
        assert.equal(authorizationOf(request), `Bearer ${KEY_A}`);
        assert.equal(request.headers['x-from-workspace'], undefined, 'a workspace header was sent');
      }
    });
  });
});

function logFilesUnder(directory: string | undefined): string[] {
  if (!directory || !fs.existsSync(directory)) return [];
  return fs
    .readdirSync(directory, { recursive: true })
    .map((entry) => path.join(directory, String(entry)))
    .filter((file) => file.endsWith('.log') && fs.statSync(file).isFile());
}
