// Pure policy pieces: Retry-After parsing, backoff with jitter, error-body shapes, network error naming.
import * as assert from 'node:assert/strict';
import { errorInfoFromText, httpError } from '../../src/api/errors';
import { connectError, isTransientNetworkError } from '../../src/api/networkErrors';
import { redactSecrets, truncate } from '../../src/api/text';
import { modelsFromBody } from '../../src/api/models';
import { cancellableDelay, retryAfterMsOf, retryDelayMs } from '../../src/api/retry';

describe('retry policy', () => {
  it('case 4: reads retry-after-ms, Retry-After seconds and Retry-After HTTP dates', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    assert.equal(retryAfterMsOf(new Headers({ 'retry-after-ms': '250' }), now), 250);
    assert.equal(retryAfterMsOf(new Headers({ 'retry-after-ms': '250', 'retry-after': '9' }), now), 250);
    assert.equal(retryAfterMsOf(new Headers({ 'retry-after': '3' }), now), 3000);
    assert.equal(retryAfterMsOf(new Headers({ 'retry-after': '1.5' }), now), 1500);
    assert.equal(retryAfterMsOf(new Headers({ 'retry-after': 'Wed, 01 Jan 2025 00:00:10 GMT' }), now), 10_000);
    assert.equal(
      retryAfterMsOf(new Headers({ 'retry-after': 'Tue, 31 Dec 2024 23:59:00 GMT' }), now),
      0,
      'a past date means now',
    );
    assert.equal(retryAfterMsOf(new Headers({ 'retry-after': 'soon' }), now), undefined);
    assert.equal(retryAfterMsOf(new Headers(), now), undefined);
  });

  it('case 4/5: honours the server, capped; otherwise exponential backoff with jitter, capped', () => {
    assert.equal(retryDelayMs(1, 30_000, 2000), 2000);
    assert.equal(retryDelayMs(1, 1000, 60_000), 1000);
    assert.equal(
      retryDelayMs(1, 30_000, undefined, () => 0),
      250,
    );
    assert.equal(
      retryDelayMs(1, 30_000, undefined, () => 1),
      500,
    );
    assert.equal(
      retryDelayMs(3, 30_000, undefined, () => 1),
      2000,
    );
    assert.equal(
      retryDelayMs(20, 30_000, undefined, () => 1),
      30_000,
    );
    const spread = new Set(Array.from({ length: 20 }, (_, i) => retryDelayMs(2, 30_000, undefined, () => i / 20)));
    assert.ok(spread.size > 10, 'jitter spreads clients out');
  });

  it('case 4: a wait ends (false) as soon as the signal aborts; a finished wait is true', async () => {
    const controller = new AbortController();
    const wait = cancellableDelay(60_000, controller.signal);
    controller.abort('stop');
    assert.equal(await wait, false);
    assert.equal(await cancellableDelay(1, new AbortController().signal), true);
    assert.equal(await cancellableDelay(60_000, AbortSignal.abort()), false);
  });
});

describe('error mapping', () => {
  it('case 2: reads every error body shape', () => {
    assert.deepEqual(errorInfoFromText('{"error":{"message":"m","type":"t","code":"c"}}'), {
      message: 'm',
      code: 'c',
      type: 't',
    });
    assert.deepEqual(errorInfoFromText('{"object":"error","message":"m","type":"NotFoundError","code":404}'), {
      message: 'm',
      code: '404',
      type: 'NotFoundError',
    });
    assert.deepEqual(errorInfoFromText('{"error":"model \\"x\\" not found"}'), { message: 'model "x" not found' });
    assert.deepEqual(errorInfoFromText('{"detail":"Not Found"}'), { message: 'Not Found' });
    assert.deepEqual(errorInfoFromText('<html><title>502 Bad Gateway</title></html>'), { message: '502 Bad Gateway' });
    assert.deepEqual(errorInfoFromText('plain words'), { message: 'plain words' });
  });

  it('case 1: the key never appears in a mapped error, even when the server echoes it', () => {
    const key = 'sk-live-abcdef123456';
    const error = httpError({
      status: 401,
      statusText: 'Unauthorized',
      bodyText: `{"error":{"message":"bad key ${key}"}}`,
      origin: 'https://api.example',
      apiKey: key,
      hadApiKey: true,
    });
    assert.ok(!JSON.stringify({ ...error, message: error.message }).includes(key));
    assert.equal(redactSecrets(`a ${key} b ${key}`, [key]), 'a ••• b •••');
  });

  it('truncates on a code point boundary', () => {
    const cut = truncate('ab😀cd', 3);
    assert.ok(cut.startsWith('ab…') || cut.startsWith('ab😀…'));
    assert.ok(!cut.includes('\uD83D…'));
  });

  it('case 6: names the host for DNS, TLS and refused failures, including nested and aggregate causes', () => {
    const url = new URL('https://api.example.com:8443/v1/chat/completions');
    const fetchFailed = (cause: unknown) => Object.assign(new TypeError('fetch failed'), { cause });
    const dns = connectError(
      fetchFailed(Object.assign(new Error('getaddrinfo ENOTFOUND api.example.com'), { code: 'ENOTFOUND' })),
      url,
    );
    assert.equal(
      dns.message,
      'Could not resolve host api.example.com (DNS lookup failed). Check the base URL and your network.',
    );
    const tls = connectError(
      fetchFailed(Object.assign(new Error('certificate has expired'), { code: 'CERT_HAS_EXPIRED' })),
      url,
    );
    assert.equal(
      tls.message,
      'TLS connection to api.example.com:8443 failed (certificate has expired). ' +
        "The server's certificate is not trusted.",
    );
    const refused = connectError(
      fetchFailed(
        new AggregateError([Object.assign(new Error('connect ECONNREFUSED ::1:8443'), { code: 'ECONNREFUSED' })]),
      ),
      url,
    );
    assert.match(refused.message, /api\.example\.com:8443: connection refused/);
    assert.equal(isTransientNetworkError(refused), false);
    const reset = connectError(
      fetchFailed(Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' })),
      url,
    );
    assert.equal(isTransientNetworkError(reset), true);
  });

  it("case 11: Node fetch's own 300 s wait for headers is a timeout naming the host, not a generic failure", () => {
    const url = new URL('http://127.0.0.1:11434/v1/chat/completions');
    const error = connectError(
      Object.assign(new TypeError('fetch failed'), {
        cause: Object.assign(new Error('Headers Timeout Error'), { code: 'UND_ERR_HEADERS_TIMEOUT' }),
      }),
      url,
    );
    assert.equal(error.kind, 'timeout');
    assert.match(error.message, /^127\.0\.0\.1:11434 sent no response for 5 minutes/);
  });
});

describe('model lists', () => {
  it('reads OpenAI, Ollama-ish and bare-array shapes; rejects non-lists', () => {
    assert.deepEqual(modelsFromBody('{"object":"list","data":[{"id":"a","owned_by":"me"},{"id":"b"}]}'), [
      { id: 'a', ownedBy: 'me' },
      { id: 'b' },
    ]);
    assert.deepEqual(modelsFromBody('{"models":[{"name":"llama3:8b","model":"llama3:8b"}]}'), [{ id: 'llama3:8b' }]);
    assert.deepEqual(modelsFromBody('["x","y"]'), [{ id: 'x' }, { id: 'y' }]);
    assert.equal(modelsFromBody('<html></html>'), undefined);
    assert.equal(modelsFromBody('{"error":"nope"}'), undefined);
  });
});
