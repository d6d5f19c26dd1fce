// A loopback OpenAI-compatible server for bench:insert that streams content deltas at a fixed rate
// and records when it wrote each one (performance.now(), in the process that runs it: the extension
// host, so its clock is the one the document watcher reads).
//
// Delta i is due at t0 + i / rate (t0 = when the response headers went out). A timer writes every
// delta that is due in one write (at 3,000/s a 1 ms timer tick carries about 3), and stamps each
// with the time of that write; a late tick only makes the stream a little slower, never the lag
// smaller. The server never waits for the reader: bytes a slow reader has not taken stay buffered,
// which is the reader's lag.
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { chunk, sse } from '../../server';

export interface PacedStream {
  readonly deltas: readonly string[];
  readonly rate: number;
  /** When the request arrived. */
  requestAt: number;
  /** When delta i was written (NaN: not written, the client left first). */
  readonly writtenAt: Float64Array;
  /** When the last byte of the response was written (the finish chunk and `[DONE]`, right after the last delta). */
  lastByteAt: number;
  /** Timer ticks that wrote deltas (= network writes). */
  writes: number;
  /** Resolves when the response ended: 'finished', or 'aborted' when the client went away first. */
  readonly done: Promise<'finished' | 'aborted'>;
}

export interface PacedServer {
  /** `http://127.0.0.1:PORT/v1` */
  readonly baseUrl: string;
  /** The next chat completion request streams `deltas` at `rate` per second. */
  expect(deltas: readonly string[], rate: number): PacedStream;
  close(): Promise<void>;
}

const MODEL = 'bench-model';

export async function startPacedServer(): Promise<PacedServer> {
  const queue: Array<{ stream: PacedStream; settle: (outcome: 'finished' | 'aborted') => void }> = [];
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const route = `${req.method ?? 'GET'} ${(req.url ?? '/').split('?')[0]}`;
      if (route === 'GET /v1/models') {
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(
            JSON.stringify({ object: 'list', data: [{ id: MODEL, object: 'model', created: 0, owned_by: 'bench' }] }),
          );
        return;
      }
      const next = route === 'POST /v1/chat/completions' ? queue.shift() : undefined;
      if (next === undefined) {
        res
          .writeHead(404, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: { message: `bench server: nothing expected for ${route}` } }));
        return;
      }
      play(next.stream, res, next.settle);
    });
  });
  server.on('connection', (socket) => {
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    expect(deltas, rate) {
      let settle!: (outcome: 'finished' | 'aborted') => void;
      const done = new Promise<'finished' | 'aborted'>((resolve) => (settle = resolve));
      const stream: PacedStream = {
        deltas,
        rate,
        requestAt: NaN,
        writtenAt: new Float64Array(deltas.length).fill(NaN),
        lastByteAt: NaN,
        writes: 0,
        done,
      };
      queue.push({ stream, settle });
      return stream;
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
    },
  };
}

function play(stream: PacedStream, res: http.ServerResponse, settle: (outcome: 'finished' | 'aborted') => void): void {
  stream.requestAt = performance.now();
  // Serialised up front, so a tick only concatenates and writes.
  const events = stream.deltas.map((text) => sse.data(chunk({ content: text }, { model: MODEL, id: 'bench' })));
  const tail = sse.data(chunk({}, { model: MODEL, id: 'bench', finishReason: 'stop' })) + sse.done();
  const interval = 1000 / stream.rate;
  let next = 0;
  let timer: NodeJS.Timeout | undefined;
  res.on('close', () => {
    clearTimeout(timer);
    settle(res.writableFinished ? 'finished' : 'aborted');
  });
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.write(sse.data(chunk({ role: 'assistant', content: '' }, { model: MODEL, id: 'bench' })));
  const t0 = performance.now();
  const tick = () => {
    if (res.destroyed) return;
    const due = Math.min(events.length, Math.floor((performance.now() - t0) / interval) + 1);
    if (due > next) {
      const first = next;
      let body = '';
      for (; next < due; next++) body += events[next];
      res.write(body);
      const at = performance.now();
      for (let i = first; i < due; i++) stream.writtenAt[i] = at;
      stream.writes++;
    }
    if (next === events.length) {
      res.end(tail);
      stream.lastByteAt = performance.now();
      return;
    }
    timer = setTimeout(tick, Math.max(0, t0 + next * interval - performance.now()));
  };
  tick();
}
