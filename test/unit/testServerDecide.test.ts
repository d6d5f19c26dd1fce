// The test server's `decide` scenario: the answer is chosen from the request once it is there (e.g.
// the tools a client offers), may wait for the test, and a failing choice answers 500 with its reason.
import * as assert from 'node:assert/strict';
import { chunk, sse, type RecordedRequest, type TestServer } from '../server';
import { withTestServer } from './helpers';

function post(server: TestServer, body: object): Promise<Response> {
  return fetch(`${server.baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('test server: decide scenarios', () => {
  let server: TestServer;
  withTestServer((started) => (server = started));

  it('plays what decide returns for the request it reads', async () => {
    let seen: RecordedRequest | undefined;
    server.enqueue({
      kind: 'decide',
      decide: (request) => {
        seen = request;
        const { tools } = request.json as { tools: { function: { name: string } }[] };
        const names = tools.map((tool) => tool.function.name).join(',');
        return { kind: 'stream', steps: [sse.data(chunk({ content: `tools: ${names}` })), sse.done()] };
      },
    });
    const response = await post(server, { tools: [{ type: 'function', function: { name: 'read_file' } }] });
    assert.equal(response.status, 200);
    assert.match(await response.text(), /tools: read_file/);
    assert.equal(seen, server.requests[0], 'decide gets the recorded request');
  });

  it('holds the request until a promised scenario is there', async () => {
    let release!: (scenario: { kind: 'respond'; status: number; body: object }) => void;
    server.enqueue({ kind: 'decide', decide: () => new Promise((resolve) => (release = resolve)) });
    let answered = false;
    const response = post(server, {}).then((result) => {
      answered = true;
      return result;
    });
    await server.waitForRequests(1);
    // A second request round-trip: had the first been answered, its response would be in by now.
    await fetch(`${server.baseUrl}/models`);
    assert.equal(answered, false, 'no answer before decide resolves');
    release({ kind: 'respond', status: 201, body: { ok: true } });
    assert.equal((await response).status, 201);
  });

  it('answers 500 with the reason when decide throws', async () => {
    server.enqueue({
      kind: 'decide',
      decide: () => {
        throw new Error('no file tool offered');
      },
    });
    const response = await post(server, {});
    assert.equal(response.status, 500);
    const body = (await response.json()) as { error: { message: string } };
    assert.match(body.error.message, /decide failed: no file tool offered/);
  });
});
