// npm run bench:client — events/s decoded end to end over loopback for one 20,000-event stream:
//   ours    ChatClient.streamChat (typed events, think-tag split, idle timer, retries armed)
//   openai  the official SDK's stream (reference peer)
//   floor   node:http socket read + streaming UTF-8 decode + split lines + JSON.parse per data line
//   fetchFloor  the same, read through fetch (undici's web stream), as ours and the SDK read a response
//   decoder the fetch floor's reading with our ChatStreamDecoder in place of split + JSON.parse: ours
//           without the client around it (retries, watchdog, the event iterator)
// Same server, same run. Each round runs all of them, the order rotated round by round and reversed
// every other cycle (each runner as often in each place); warm-up rounds are discarded; with
// --expose-gc a full GC runs before each measurement so no runner pays another's garbage. Reported:
// the median of each, the spread (min, quartiles, max), and the ratios both as ratio of medians and
// as the median of each round's own ratio (the two runs of a pair share the machine's load of that
// moment); the medians per second of this process's CPU are reported too, steadier than wall time
// when other work shares the cores.
// BENCH_ONLY=ours runs one runner alone (for `node --cpu-prof`); BENCH_ROUNDS / BENCH_WARMUP / BENCH_EVENTS.
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import OpenAI from 'openai';
import { ChatClient } from '../../src/api';
import { ChatStreamDecoder } from '../../src/api/decoder';
import { longStream } from '../server/fixtures';
import { startTestServer, type TestServer } from '../server';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 20_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 24);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 3);
const ONLY = process.env.BENCH_ONLY;
const TARGET_VS_OPENAI = 5;
const TARGET_VS_FLOOR = 0.9;
const request = { model: 'bench-model', messages: [{ role: 'user' as const, content: 'go' }] };

type Name = 'ours' | 'openai' | 'floor' | 'fetchFloor' | 'decoder';
type Runner = (baseUrl: string) => Promise<number>; // returns the number of content events seen

/** The floors' reading: streaming UTF-8 decode, split lines, JSON.parse per data line, count content. */
class FloorCounter {
  private readonly decoder = new TextDecoder();
  private rest = '';
  private events = 0;

  push(bytes: Uint8Array): void {
    const lines = (this.rest + this.decoder.decode(bytes, { stream: true })).split('\n');
    this.rest = lines.pop() ?? '';
    for (const line of lines) this.onLine(line);
  }

  end(): number {
    this.onLine(this.rest + this.decoder.decode());
    return this.events;
  }

  private onLine(line: string): void {
    if (!line.startsWith('data: ') || line === 'data: [DONE]') return;
    const parsed = JSON.parse(line.slice(6)) as { choices?: Array<{ delta?: { content?: string } }> };
    if (parsed.choices?.[0]?.delta?.content) this.events++;
  }
}

/** The test server's stream, read through fetch. */
async function fetchStream(baseUrl: string): Promise<ReadableStreamDefaultReader<Uint8Array>> {
  const response = await fetch(`${baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...request, stream: true }),
  });
  return response.body!.getReader();
}

const runners: Record<Name, Runner> = {
  async ours(baseUrl) {
    const client = new ChatClient();
    let events = 0;
    for await (const event of client.streamChat({ baseUrl }, { ...request, includeUsage: false })) {
      if (event.type === 'content') events++;
    }
    return events;
  },
  async openai(baseUrl) {
    const sdk = new OpenAI({ baseURL: baseUrl, apiKey: 'bench', maxRetries: 0 });
    const stream = await sdk.chat.completions.create({ ...request, stream: true });
    let events = 0;
    for await (const chunk of stream) if (chunk.choices[0]?.delta?.content) events++;
    return events;
  },
  floor(baseUrl) {
    return new Promise((resolve, reject) => {
      const req = http.request(
        `${baseUrl}/chat/completions`,
        { method: 'POST', headers: { 'content-type': 'application/json' } },
        (res) => {
          const counter = new FloorCounter();
          res.on('data', (bytes: Buffer) => counter.push(bytes));
          res.on('end', () => resolve(counter.end()));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify({ ...request, stream: true }));
    });
  },
  async fetchFloor(baseUrl) {
    const counter = new FloorCounter();
    const reader = await fetchStream(baseUrl);
    for (let read = await reader.read(); !read.done; read = await reader.read()) counter.push(read.value);
    return counter.end();
  },
  async decoder(baseUrl) {
    const decoder = new ChatStreamDecoder();
    const count = () => {
      let content = 0;
      for (const event of decoder.events) if (event.type === 'content') content++;
      decoder.events.length = 0;
      return content;
    };
    const reader = await fetchStream(baseUrl);
    let events = 0;
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      decoder.push(read.value);
      events += count();
    }
    decoder.end();
    return events + count();
  },
};

/** The order of round `round`: `names` rotated by it, backwards every other cycle of rotations. */
function orderOf<T>(names: T[], round: number): T[] {
  const shift = round % names.length;
  const rotated = [...names.slice(shift), ...names.slice(0, shift)];
  return Math.floor(round / names.length) % 2 === 1 ? rotated.reverse() : rotated;
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  return sorted[low] + (sorted[Math.min(low + 1, sorted.length - 1)] - sorted[low]) * (at - low);
}

interface Spread {
  median: number;
  min: number;
  p25: number;
  p75: number;
  max: number;
}

function spreadOf(values: number[]): Spread {
  return {
    median: quantile(values, 0.5),
    min: Math.min(...values),
    p25: quantile(values, 0.25),
    p75: quantile(values, 0.75),
    max: Math.max(...values),
  };
}

const gc = (globalThis as { gc?: () => void }).gc;

/** Events per wall-clock second, and per second of this process's CPU (steadier on a shared machine). */
interface Rate {
  wall: number;
  cpu: number;
}

async function measureOnce(name: Name, server: TestServer, body: Buffer): Promise<Rate> {
  gc?.();
  server.enqueue({ kind: 'stream', steps: [body] });
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  const seen = await runners[name](server.baseUrl);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpuStart);
  if (seen !== EVENTS) throw new Error(`${name} decoded ${seen} content events, expected ${EVENTS}`);
  return { wall: EVENTS / seconds, cpu: EVENTS / ((cpu.user + cpu.system) / 1e6) };
}

/**
 * One measurement. On a loaded machine an idle keep-alive connection can be closed by the server just
 * as the next request reuses it (any of the three may draw it): that measurement is taken again, once.
 */
async function measure(name: Name, server: TestServer, body: Buffer): Promise<Rate> {
  try {
    return await measureOnce(name, server, body);
  } catch (error) {
    if (String(error).includes('content events')) throw error;
    server.reset();
    console.log(`${name}: ${String(error)}; measured again`);
    return measureOnce(name, server, body);
  }
}

/** Events/s per runner, one sample per measured round. */
async function runRounds(names: Name[]): Promise<{ wall: Record<Name, number[]>; cpu: Record<Name, number[]> }> {
  const server = await startTestServer();
  const body = Buffer.from(longStream(EVENTS), 'utf8');
  const samples = { ours: [], openai: [], floor: [], fetchFloor: [], decoder: [] } as Record<Name, number[]>;
  const cpuSamples = { ours: [], openai: [], floor: [], fetchFloor: [], decoder: [] } as Record<Name, number[]>;
  try {
    for (let round = -WARMUP; round < ROUNDS; round++) {
      for (const name of orderOf(names, round + WARMUP)) {
        const rate = await measure(name, server, body);
        if (round < 0) continue;
        samples[name].push(rate.wall);
        cpuSamples[name].push(rate.cpu);
      }
    }
  } finally {
    await server.close();
  }
  return { wall: samples, cpu: cpuSamples };
}

const fmt = (value: number) => Math.round(value).toLocaleString('en-US').padStart(10);

function report(samples: Record<Name, number[]>, cpuSamples: Record<Name, number[]>): void {
  const spreads = {
    ours: spreadOf(samples.ours),
    openai: spreadOf(samples.openai),
    floor: spreadOf(samples.floor),
    fetchFloor: spreadOf(samples.fetchFloor),
    decoder: spreadOf(samples.decoder),
  };
  const perRound = (other: Name) => samples.ours.map((value, i) => value / samples[other][i]);
  const vsOpenai = spreadOf(perRound('openai'));
  const vsFloor = spreadOf(perRound('floor'));
  const vsFetchFloor = spreadOf(perRound('fetchFloor'));
  const ofMedians = {
    openai: spreads.ours.median / spreads.openai.median,
    floor: spreads.ours.median / spreads.floor.median,
    fetchFloor: spreads.ours.median / spreads.fetchFloor.median,
    decoder: spreads.ours.median / spreads.decoder.median,
  };
  console.log(
    `client throughput: ${EVENTS.toLocaleString('en-US')} events over loopback, ${ROUNDS} rounds ` +
      `(+${WARMUP} warm-up), orders cycled, ${gc ? 'GC before each' : 'no forced GC (run with --expose-gc)'}`,
  );
  console.log(
    `${''.padEnd(8)} ${'median'.padStart(10)} ${'min'.padStart(10)} ${'p25'.padStart(10)} ` +
      `${'p75'.padStart(10)} ${'max'.padStart(10)}  events/s`,
  );
  for (const name of ['ours', 'openai', 'floor', 'fetchFloor', 'decoder'] as const) {
    const s = spreads[name];
    console.log(`${name.padEnd(8)} ${fmt(s.median)} ${fmt(s.min)} ${fmt(s.p25)} ${fmt(s.p75)} ${fmt(s.max)}`);
  }
  const pass = (ok: boolean) => (ok ? 'ok' : 'BELOW TARGET');
  console.log(
    `ours / openai = ${ofMedians.openai.toFixed(2)}x of medians; per round median ${vsOpenai.median.toFixed(2)}x ` +
      `(p25 ${vsOpenai.p25.toFixed(2)}, p75 ${vsOpenai.p75.toFixed(2)})   target >= ${TARGET_VS_OPENAI}x ` +
      pass(ofMedians.openai >= TARGET_VS_OPENAI),
  );
  const pct = (value: number) => `${(value * 100).toFixed(1)}%`;
  console.log(
    `ours / floor  = ${pct(ofMedians.floor)} of medians; per round median ${pct(vsFloor.median)} ` +
      `(p25 ${pct(vsFloor.p25)}, p75 ${pct(vsFloor.p75)})   target >= ${pct(TARGET_VS_FLOOR)} ` +
      pass(ofMedians.floor >= TARGET_VS_FLOOR),
  );
  // What holds ours back from the floor: the part fetch costs any client that reads through it.
  console.log(
    `ours / fetch floor = ${pct(ofMedians.fetchFloor)} of medians; per round median ${pct(vsFetchFloor.median)}; ` +
      `fetch floor / floor = ${pct(spreads.fetchFloor.median / spreads.floor.median)}`,
  );
  // …and the part the decoder costs (typed events, think tags), against what the client adds around it.
  console.log(
    `decoder / fetch floor = ${pct(spreads.decoder.median / spreads.fetchFloor.median)}; ` +
      `ours / decoder = ${pct(ofMedians.decoder)} of medians`,
  );
  const cpuMedian = (name: Name) => quantile(cpuSamples[name], 0.5);
  const perCpuSecond = {
    ours: cpuMedian('ours'),
    openai: cpuMedian('openai'),
    floor: cpuMedian('floor'),
    fetchFloor: cpuMedian('fetchFloor'),
    oursOverOpenai: cpuMedian('ours') / cpuMedian('openai'),
    oursOverFloor: cpuMedian('ours') / cpuMedian('floor'),
  };
  console.log(
    `per CPU second (medians): ours / openai = ${perCpuSecond.oursOverOpenai.toFixed(2)}x, ` +
      `ours / floor = ${pct(perCpuSecond.oursOverFloor)}`,
  );
  const result = {
    ours: spreads.ours.median,
    openai: spreads.openai.median,
    floor: spreads.floor.median,
    fetchFloor: spreads.fetchFloor.median,
    decoder: spreads.decoder.median,
    events: EVENTS,
    rounds: ROUNDS,
    warmupRounds: WARMUP,
    forcedGc: gc !== undefined,
    spread: spreads,
    oursOverOpenai: { ofMedians: ofMedians.openai, perRound: vsOpenai },
    oursOverFloor: { ofMedians: ofMedians.floor, perRound: vsFloor },
    oursOverFetchFloor: { ofMedians: ofMedians.fetchFloor, perRound: vsFetchFloor },
    decoderOverFetchFloor: spreads.decoder.median / spreads.fetchFloor.median,
    oursOverDecoder: ofMedians.decoder,
    perCpuSecond,
  };
  writeResult(result);
}

function writeResult(result: object): void {
  const out = path.join(__dirname, '..', '..', '..', 'test', 'bench', 'results', 'client.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`wrote ${path.relative(process.cwd(), out)}`);
}

async function main(): Promise<void> {
  if (ONLY !== undefined) {
    if (!(ONLY in runners)) throw new Error(`BENCH_ONLY must be one of ${Object.keys(runners).join(', ')}`);
    const { wall } = await runRounds([ONLY as Name]);
    const s = spreadOf(wall[ONLY as Name]);
    console.log(`${ONLY} alone: median ${fmt(s.median)} events/s (min ${fmt(s.min)}, max ${fmt(s.max)})`);
    return;
  }
  const { wall, cpu } = await runRounds(['ours', 'openai', 'floor', 'fetchFloor', 'decoder']);
  report(wall, cpu);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
