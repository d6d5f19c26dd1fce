// "Stream Chat: Test Connection" against the local test server: the report it resolves with, the
// request it sends, and clear failures for a closed port, a silent server and a user who stops it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { chunk, sse, type TestServer } from '../../server';
import { closedPort, setUserSetting, streamChatApi, testConnection, useEndpoint, withTestServer } from './helpers';

describe('streamChat.testConnection', () => {
  let server: TestServer;
  withTestServer((started) => (server = started));

  beforeEach(async () => {
    await useEndpoint(server.baseUrl);
    await setUserSetting('model', 'test-model');
  });

  it('reports a working endpoint: models listed, usage chunk, timings, no key', async () => {
    const report = await testConnection();
    assert.equal(report.ok, true, JSON.stringify(report.error));
    assert.equal(report.baseUrl, server.baseUrl);
    assert.equal(report.origin, server.origin);
    assert.equal(report.model, 'test-model');
    assert.equal(report.demo, false);
    assert.equal(report.modelsListed, 1);
    assert.equal(report.modelListed, true);
    assert.equal(report.authSent, false);
    assert.equal(report.usageChunk, true);
    assert.equal(report.reasoningField, undefined);
    assert.equal(report.finishReason, 'stop');
    assert.equal(typeof report.timeToFirstTokenMs, 'number');
    assert.equal(report.error, undefined);

    const [list, completion] = server.requests;
    assert.equal(`${list.method} ${list.path}`, 'GET /v1/models');
    assert.equal(`${completion.method} ${completion.path}`, 'POST /v1/chat/completions');
    const body = completion.json as {
      model: string;
      stream: boolean;
      stream_options?: { include_usage?: boolean };
      temperature?: number;
    };
    assert.equal(body.model, 'test-model');
    assert.equal(body.stream, true);
    assert.equal(body.stream_options?.include_usage, true);
    assert.equal('temperature' in body, false, 'temperature is sent although it is not set');
  });

  it('says when the configured model is not in the server list', async () => {
    await setUserSetting('model', 'someone-elses-model');
    const report = await testConnection();
    assert.equal(report.modelsListed, 1);
    assert.equal(report.modelListed, false);
  });

  for (const field of ['reasoning_content', 'reasoning'] as const) {
    it(`detects reasoning sent in delta.${field}`, async () => {
      server.enqueue({
        kind: 'stream',
        steps: [
          sse.data(chunk({ role: 'assistant', content: '' })),
          sse.data(chunk({ [field]: 'Thinking about it.' })),
          sse.data(chunk({ content: 'Yes.' })),
          sse.data(chunk({}, { finishReason: 'stop' })),
          sse.done(),
        ],
      });
      const report = await testConnection();
      assert.equal(report.ok, true, JSON.stringify(report.error));
      assert.equal(report.reasoningField, field);
      assert.equal(report.usageChunk, false);
    });
  }

  it('detects <think> tags in content', async () => {
    server.enqueue({
      kind: 'stream',
      steps: [
        sse.data(chunk({ content: '<think>Hmm.' })),
        sse.data(chunk({ content: '</think>Here.' })),
        sse.data(chunk({}, { finishReason: 'stop' })),
        sse.done(),
      ],
    });
    const report = await testConnection();
    assert.equal(report.ok, true, JSON.stringify(report.error));
    assert.equal(report.reasoningField, 'think-tag');
  });

  it('still tests streaming when the server has no /models route', async () => {
    server.enqueueFor('GET', '/v1/models', { kind: 'respond', status: 404, body: { error: { message: 'Not Found' } } });
    const report = await testConnection();
    assert.equal(report.ok, true, JSON.stringify(report.error));
    assert.equal(report.modelsListed, undefined);
    assert.ok(report.modelsError, 'the /models failure is not reported');
  });

  it('names the rejected key', async () => {
    server.enqueueFor('GET', '/v1/models', {
      kind: 'respond',
      status: 401,
      body: { error: { message: 'Invalid API key', code: 'invalid_api_key' } },
    });
    const report = await testConnection();
    assert.equal(report.ok, false);
    assert.equal(report.error?.kind, 'auth');
    assert.ok(
      report.error?.message.includes(server.origin) || report.error?.message.includes('127.0.0.1'),
      report.error?.message,
    );
  });

  it('stops at a rejected key from /models: no completion is sent to a server that said no', async () => {
    server.enqueueFor('GET', '/v1/models', {
      kind: 'respond',
      status: 401,
      body: { error: { message: 'Invalid API key', code: 'invalid_api_key' } },
    });
    const report = await testConnection();
    assert.equal(report.error?.kind, 'auth');
    assert.deepEqual(
      server.requests.map((request) => `${request.method} ${request.path}`),
      ['GET /v1/models'],
    );
  });

  it('fails clearly, naming the host, against a closed port', async function () {
    const port = await closedPort();
    await setUserSetting('idleTimeoutSeconds', 5);
    // The configured time bounds the whole test (mocha fails it if the command takes longer).
    this.timeout(5000 + 3000);
    await setUserSetting('baseUrl', `http://127.0.0.1:${port}/v1`);
    const report = await testConnection();
    assert.equal(report.ok, false);
    assert.equal(report.error?.kind, 'network');
    assert.match(report.error?.message ?? '', new RegExp(`127\\.0\\.0\\.1:${port}`));
    assert.equal(report.origin, `http://127.0.0.1:${port}`);
  });

  it('gives up on a server that never answers after the configured idle time', async function () {
    await setUserSetting('idleTimeoutSeconds', 1);
    this.timeout(1000 + 5000);
    server.enqueueFor('GET', '/v1/models', { kind: 'stall' });
    const report = await testConnection();
    assert.equal(report.ok, false);
    assert.equal(report.error?.kind, 'timeout');
  });

  it('reports a stream that stalls mid-answer as a timeout', async function () {
    await setUserSetting('idleTimeoutSeconds', 1);
    this.timeout(1000 + 5000);
    server.enqueue({ kind: 'stream', steps: [sse.data(chunk({ content: 'Hel' }))], end: 'stall' });
    const report = await testConnection();
    assert.equal(report.ok, false);
    assert.equal(report.error?.kind, 'timeout');
    assert.equal(typeof report.timeToFirstTokenMs, 'number');
  });

  it('streamChat.stop aborts the running request; the server sees the disconnect', async () => {
    server.enqueue({ kind: 'stream', steps: [sse.data(chunk({ content: 'Hel' }))], end: 'stall' });
    const running = testConnection();
    const [, completion] = await server.waitForRequests(2);
    const stopped = await vscode.commands.executeCommand<number>('streamChat.stop');
    assert.equal(stopped, 1);
    const report = await running;
    assert.equal(report.ok, false);
    assert.equal(report.error?.kind, 'aborted');
    assert.equal(await completion.outcome, 'aborted');
  });

  it('the status bar offers stop while a request streams, then shows the model and endpoint again', async () => {
    const api = await streamChatApi();
    server.enqueue({ kind: 'stream', steps: [sse.data(chunk({ content: 'Hel' }))], end: 'stall' });
    const running = testConnection();
    await server.waitForRequests(2);
    const busy = api.testing.statusBar();
    assert.equal(busy.command, 'streamChat.stop');
    assert.match(busy.text, /tok\/s|waiting/);
    assert.match(busy.tooltip, /click to stop/);
    await vscode.commands.executeCommand('streamChat.stop');
    await running;
    const idle = api.testing.statusBar();
    assert.equal(idle.text, '$(hubot) test-model');
    assert.notEqual(idle.command, 'streamChat.stop');
    assert.ok(idle.tooltip.includes(server.baseUrl), idle.tooltip);
  });

  it('logs one line per request with method, URL and status', async () => {
    const api = await streamChatApi();
    const before = api.logLines().length;
    await testConnection();
    const lines = api.logLines().slice(before);
    assert.ok(
      lines.some((line) => line.startsWith(`GET ${server.baseUrl}/models → 200`)),
      lines.join('\n'),
    );
    const post = lines.find((line) => line.startsWith(`POST ${server.baseUrl}/chat/completions → 200`));
    assert.ok(post, lines.join('\n'));
    assert.match(post, /TTFT \d+ ms/);
    assert.match(post, /\d+ tokens/);
    assert.ok(
      lines.some((line) => line.startsWith('Test connection report: {')),
      'the report is not logged',
    );
  });
});
