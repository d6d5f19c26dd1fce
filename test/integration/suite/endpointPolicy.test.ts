// The pure endpoint rules: which URLs are accepted, which hosts count as this machine, when a key
// would travel in clear, and what redaction removes.
import * as assert from 'node:assert/strict';
import { apiKeySecretName, checkBaseUrl, isLoopbackHost, keyWouldTravelInClear, redactSecrets } from '../../../src/endpointPolicy';

describe('endpoint policy', () => {
  it('normalises base URLs and derives the origin the key is stored under', () => {
    assert.deepEqual(checkBaseUrl(' https://api.solidrust.ai/v1/ '), { ok: true, baseUrl: 'https://api.solidrust.ai/v1', origin: 'https://api.solidrust.ai' });
    assert.deepEqual(checkBaseUrl('https://API.solidrust.ai:443/v1'), { ok: true, baseUrl: 'https://api.solidrust.ai/v1', origin: 'https://api.solidrust.ai' });
    assert.deepEqual(checkBaseUrl('http://localhost:11434/v1'), { ok: true, baseUrl: 'http://localhost:11434/v1', origin: 'http://localhost:11434' });
    assert.equal(apiKeySecretName('https://api.solidrust.ai'), 'streamChat.apiKey:https://api.solidrust.ai');
  });

  it('rejects what cannot be a base URL', () => {
    for (const bad of ['', 'localhost:8000/v1', 'ftp://host/v1', 'file:///etc/passwd', 'https://u:p@host/v1', 'https://host/v1?key=x', 'https://host/v1#x', 'not a url']) {
      assert.equal(checkBaseUrl(bad).ok, false, bad);
    }
  });

  it('treats only this machine as loopback', () => {
    for (const host of ['localhost', 'LOCALHOST', 'api.localhost', '127.0.0.1', '127.1.2.3', '[::1]', '::1']) assert.equal(isLoopbackHost(host), true, host);
    for (const host of ['192.168.1.10', '10.0.0.2', 'example.com', 'localhost.example.com', '0.0.0.0', '128.0.0.1', '[::2]']) assert.equal(isLoopbackHost(host), false, host);
  });

  it('warns only for plain http to another machine', () => {
    assert.equal(keyWouldTravelInClear('http://192.168.1.10:8000'), true);
    assert.equal(keyWouldTravelInClear('http://gpu-box.lan:8000'), true);
    assert.equal(keyWouldTravelInClear('https://gpu-box.lan:8000'), false);
    assert.equal(keyWouldTravelInClear('http://localhost:8000'), false);
    assert.equal(keyWouldTravelInClear('http://127.0.0.1:8000'), false);
    assert.equal(keyWouldTravelInClear('http://[::1]:8000'), false);
  });

  it('redacts known secrets, bearer tokens and provider-shaped keys', () => {
    const key = 'my-private-key-123456';
    assert.equal(redactSecrets(`sent ${key} twice ${key}`, [key]), 'sent ••• twice •••');
    assert.equal(redactSecrets('Authorization: Bearer abc.def.ghi'), 'Authorization: Bearer •••');
    assert.ok(!redactSecrets('Incorrect API key provided: sk-proj-abcdefghijklmnop').includes('abcdefghijklmnop'));
    assert.ok(!redactSecrets('{"api_key": "zzzzzzzzzzzz"}').includes('zzzzzzzzzzzz'));
    assert.equal(redactSecrets('GET http://127.0.0.1:8000/v1/models → 200'), 'GET http://127.0.0.1:8000/v1/models → 200');
  });
});
