// Test Connection's whole report as Markdown (src/endpoint/connectionReport.ts): every check with its
// figures, passed or failed, and the fix for a failure, so nothing is cut off as in a notification.
import * as assert from 'node:assert/strict';
import { reportMarkdown, type ConnectionReport } from '../../src/endpoint/connectionReport';

const working: ConnectionReport = {
  ok: true,
  baseUrl: 'http://127.0.0.1:8000/v1',
  origin: 'http://127.0.0.1:8000',
  model: 'qwen',
  demo: false,
  modelsListed: 3,
  modelListed: true,
  authSent: true,
  timeToFirstTokenMs: 120,
  tokensPerSecond: 48.5,
  usageChunk: true,
  reasoningField: 'reasoning_content',
  finishReason: 'stop',
  ignoredHeaders: [{ name: 'Host', problem: 'the HTTP client sets it' }],
};

describe('Test Connection report', () => {
  it('a working endpoint: each check passed, with its figures', () => {
    const lines = reportMarkdown(working).split('\n');
    assert.equal(lines[0], '# Stream Chat: Test Connection — connected');
    for (const expected of [
      '- Base URL: `http://127.0.0.1:8000/v1`',
      '- Model: `qwen`',
      '- ✓ GET /models: 3 models; `qwen` is among them',
      '- ✓ API key sent, to http://127.0.0.1:8000 only',
      '- ✓ Streamed reply: first token 120 ms · 48.5 tok/s · finish: stop',
      "- ✓ Token usage reported (the context meter shows the server's count)",
      '- – Reasoning arrives in `reasoning_content`',
      '- ✗ Header `Host` not sent: the HTTP client sets it',
    ]) {
      assert.ok(lines.includes(expected), `missing: ${expected}\n${lines.join('\n')}`);
    }
    assert.equal(lines.includes('## What went wrong'), false);
  });

  it('a key refused by /models: the failed check, the reply not tried, the whole message and the fix', () => {
    const message = `API key rejected by http://127.0.0.1:8000 (HTTP 401): ${'a long server explanation '.repeat(8)}`;
    const refused: ConnectionReport = {
      ok: false,
      baseUrl: working.baseUrl,
      origin: working.origin,
      model: 'qwen',
      demo: false,
      authSent: true,
      usageChunk: false,
      error: { kind: 'auth', message },
    };
    const text = reportMarkdown(refused, { title: 'Set API Key', command: 'streamChat.setApiKey' });
    assert.match(text, /^# Stream Chat: Test Connection — failed$/m);
    assert.ok(text.includes(`- ✗ GET /models: ${message}\n`), text);
    assert.ok(text.includes('- – Streamed reply: not tried\n'), text);
    assert.ok(
      text.includes(`## What went wrong\n\n${message}\n\nFix: **Set API Key** (command \`streamChat.setApiKey\`).`),
    );
  });

  it('a server without /models whose reply fails: the list is a note, the reply the failure', () => {
    const report: ConnectionReport = {
      ...working,
      ok: false,
      modelsListed: undefined,
      modelListed: undefined,
      modelsError: { kind: 'not-found', message: 'GET /models: 404' },
      ignoredHeaders: undefined,
      error: { kind: 'server', message: 'Server error (HTTP 502)' },
    };
    const text = reportMarkdown(report);
    assert.ok(text.includes('- – GET /models failed (some servers do not offer it): GET /models: 404\n'), text);
    assert.ok(text.includes('- ✗ Streamed reply: Server error (HTTP 502)\n'), text);
  });
});
