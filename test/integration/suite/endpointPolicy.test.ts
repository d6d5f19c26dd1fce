// The pure endpoint rules: which URLs are accepted, which hosts count as this machine, when a key
// would travel in clear, and what redaction removes.
import * as assert from 'node:assert/strict';
import {
  apiKeyProblem,
  apiKeySecretName,
  checkBaseUrl,
  displayUrl,
  headerProblem,
  isLoopbackHost,
  keyWouldTravelInClear,
  redactSecrets,
} from '../../../src/core/endpointPolicy';

describe('endpoint policy', () => {
  it('normalises base URLs and derives the origin the key is stored under', () => {
    assert.deepEqual(checkBaseUrl(' https://api.solidrust.ai/v1/ '), {
      ok: true,
      baseUrl: 'https://api.solidrust.ai/v1',
      origin: 'https://api.solidrust.ai',
    });
    assert.deepEqual(checkBaseUrl('https://API.solidrust.ai:443/v1'), {
      ok: true,
      baseUrl: 'https://api.solidrust.ai/v1',
      origin: 'https://api.solidrust.ai',
    });
    assert.deepEqual(checkBaseUrl('http://localhost:11434/v1'), {
      ok: true,
      baseUrl: 'http://localhost:11434/v1',
      origin: 'http://localhost:11434',
    });
    assert.equal(apiKeySecretName('https://api.solidrust.ai'), 'streamChat.apiKey:https://api.solidrust.ai');
    // One origin per server however it is spelled: default ports, case, IPv6 forms.
    for (const [raw, origin] of [
      ['https://x.example:443/v1', 'https://x.example'],
      ['http://x.example:80/v1', 'http://x.example'],
      ['https://x.example:8443/v1', 'https://x.example:8443'],
      ['HTTP://LOCALHOST:11434/v1', 'http://localhost:11434'],
      ['http://[0:0:0:0:0:0:0:1]:8000/v1', 'http://[::1]:8000'],
    ] as const) {
      const checked = checkBaseUrl(raw);
      assert.equal(checked.ok ? checked.origin : checked.problem, origin, raw);
    }
    // A trailing dot is a different origin: the key stored without it is not sent there (fails closed).
    assert.notEqual(
      (checkBaseUrl('https://api.solidrust.ai./v1') as { origin: string }).origin,
      'https://api.solidrust.ai',
    );
  });

  it('never shows credentials or a query of a configured URL', () => {
    assert.equal(displayUrl('https://user:hunter2@host.example/v1'), 'https://•••@host.example/v1');
    assert.equal(displayUrl('https://host.example/v1?api_key=abc123'), 'https://host.example/v1?•••');
    assert.equal(displayUrl('https://u:p@ho st/v1'), 'https://•••@ho st/v1');
    assert.equal(displayUrl(' http://localhost:8000/v1 '), 'http://localhost:8000/v1');
    const invalid = checkBaseUrl('https://u:hunter2@ho st/v1');
    assert.equal(invalid.ok, false);
    assert.ok(!JSON.stringify(invalid).includes('hunter2'), JSON.stringify(invalid));
    assert.ok(!JSON.stringify(checkBaseUrl('https://u:hunter2@host/v1')).includes('hunter2'));
  });

  it('refuses headers that would break or hijack every request', () => {
    assert.equal(headerProblem('HTTP-Referer', 'https://my.app'), undefined);
    assert.equal(headerProblem('X-Title', 'café'), undefined, 'Latin-1 values are valid');
    assert.match(headerProblem('X-Evil', 'a\r\nX-Injected: 1') ?? '', /line break/);
    assert.match(headerProblem('X-Evil', 'a\nb') ?? '', /line break/);
    assert.match(headerProblem('X-Euro', '€5') ?? '', /cannot be sent/);
    for (const name of ['Host', 'content-length', 'Transfer-Encoding', 'Connection', 'Content-Type'])
      assert.match(headerProblem(name, 'x') ?? '', /sets this header itself/, name);
    assert.match(headerProblem('Bad Name', 'x') ?? '', /not a valid header name/);
    assert.match(headerProblem('X-Number', 5) ?? '', /not a string/);
  });

  it('refuses API keys that cannot travel in a header', () => {
    assert.equal(apiKeyProblem('sk-abc123_DEF.456'), undefined);
    assert.match(apiKeyProblem('Bearer sk-abc123') ?? '', /without "Bearer "/);
    for (const bad of ['sk-abc\n123', 'sk abc', 'sk-abc\u00e9', '']) assert.ok(apiKeyProblem(bad), JSON.stringify(bad));
  });

  it('rejects what cannot be a base URL', () => {
    for (const bad of [
      '',
      'localhost:8000/v1',
      'ftp://host/v1',
      'file:///etc/passwd',
      'https://u:p@host/v1',
      'https://host/v1?key=x',
      'https://host/v1#x',
      'not a url',
    ]) {
      assert.equal(checkBaseUrl(bad).ok, false, bad);
    }
  });

  it('treats only this machine as loopback', () => {
    for (const host of ['localhost', 'LOCALHOST', 'api.localhost', '127.0.0.1', '127.1.2.3', '[::1]', '::1'])
      assert.equal(isLoopbackHost(host), true, host);
    for (const host of ['localhost.', 'LocalHost.', '[::ffff:7f00:1]']) assert.equal(isLoopbackHost(host), true, host);
    for (const host of [
      '192.168.1.10',
      '10.0.0.2',
      'example.com',
      'localhost.example.com',
      '0.0.0.0',
      '128.0.0.1',
      '[::2]',
      '127.0.0.1.nip.io',
      '127.0.0.1.example.com',
      'localhost.evil.com',
      'notlocalhost',
    ]) {
      assert.equal(isLoopbackHost(host), false, host);
    }
  });

  it('warns only for plain http to another machine', () => {
    assert.equal(keyWouldTravelInClear('http://192.168.1.10:8000'), true);
    assert.equal(keyWouldTravelInClear('http://gpu-box.lan:8000'), true);
    assert.equal(keyWouldTravelInClear('https://gpu-box.lan:8000'), false);
    assert.equal(keyWouldTravelInClear('http://localhost:8000'), false);
    assert.equal(keyWouldTravelInClear('http://127.0.0.1:8000'), false);
    assert.equal(keyWouldTravelInClear('http://[::1]:8000'), false);
    // Spellings the URL parser turns into loopback addresses, and a name that only looks like one.
    assert.equal(keyWouldTravelInClear(new URL('http://0x7f.1:8000').origin), false);
    assert.equal(keyWouldTravelInClear(new URL('http://[::ffff:127.0.0.1]:8000').origin), false);
    assert.equal(keyWouldTravelInClear('http://127.0.0.1.nip.io:8000'), true);
  });

  it('redacts known secrets, bearer tokens and provider-shaped keys', () => {
    const key = 'my-private-key-123456';
    assert.equal(redactSecrets(`sent ${key} twice ${key}`, [key]), 'sent ••• twice •••');
    assert.equal(redactSecrets('Authorization: Bearer abc.def.ghi'), 'Authorization: Bearer •••');
    assert.ok(!redactSecrets('Incorrect API key provided: sk-proj-abcdefghijklmnop').includes('abcdefghijklmnop'));
    assert.ok(!redactSecrets('{"api_key": "zzzzzzzzzzzz"}').includes('zzzzzzzzzzzz'));
    assert.equal(
      redactSecrets('GET http://127.0.0.1:8000/v1/models → 200'),
      'GET http://127.0.0.1:8000/v1/models → 200',
    );
  });
});
