// npm run bench:client — events/s decoded end to end over loopback for one 20,000-event stream:
//   ours    ChatClient.streamChat (typed events, think-tag split, idle timer, retries armed)
//   openai  the official SDK's stream (reference peer)
//   floor   node:http socket read + streaming UTF-8 decode + split lines + JSON.parse per data line
// Same server, same run, the three alternating round by round; medians reported, ratios printed,
// results written to test/bench/results/client.json.
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import OpenAI from 'openai';
import { ChatClient } from '../../src/api';
import { longStream } from '../server/fixtures';
import { startTestServer } from '../server';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 20_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const request = { model: 'bench-model', messages: [{ role: 'user' as const, content: 'go' }] };

type Runner = (baseUrl: string) => Promise<number>; // returns the number of content events seen

const runners: Record<'ours' | 'openai' | 'floor', Runner> = {
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
          const decoder = new TextDecoder();
          let rest = '';
          let events = 0;
          const onLine = (line: string) => {
            if (!line.startsWith('data: ') || line === 'data: [DONE]') return;
            const parsed = JSON.parse(line.slice(6)) as { choices?: Array<{ delta?: { content?: string } }> };
            if (parsed.choices?.[0]?.delta?.content) events++;
          };
          res.on('data', (bytes: Buffer) => {
            const lines = (rest + decoder.decode(bytes, { stream: true })).split('\n');
            rest = lines.pop() ?? '';
            for (const line of lines) onLine(line);
          });
          res.on('end', () => {
            onLine(rest + decoder.decode());
            resolve(events);
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify({ ...request, stream: true }));
    });
  },
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function main(): Promise<void> {
  const server = await startTestServer();
  const body = Buffer.from(longStream(EVENTS), 'utf8');
  const names = Object.keys(runners) as Array<keyof typeof runners>;
  const samples: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  try {
    for (let round = -1; round < ROUNDS; round++) {
      // Rotate the order each round so no runner always goes first (warm caches, GC debt).
      const order = names.map((_, i) => names[(i + Math.max(round, 0)) % names.length]);
      for (const name of order) {
        server.enqueue({ kind: 'stream', steps: [body] });
        const start = process.hrtime.bigint();
        const seen = await runners[name](server.baseUrl);
        const seconds = Number(process.hrtime.bigint() - start) / 1e9;
        if (seen !== EVENTS) throw new Error(`${name} decoded ${seen} content events, expected ${EVENTS}`);
        if (round >= 0) samples[name].push(EVENTS / seconds); // round -1 is warm-up
      }
    }
  } finally {
    await server.close();
  }
  const result = { ours: median(samples.ours), openai: median(samples.openai), floor: median(samples.floor) };
  const row = (name: string, value: number) =>
    `${name.padEnd(8)} ${Math.round(value).toLocaleString('en-US').padStart(12)} events/s`;
  console.log(
    `client throughput: ${EVENTS.toLocaleString('en-US')} events over loopback, median of ${ROUNDS} alternating rounds`,
  );
  console.log(row('ours', result.ours));
  console.log(row('openai', result.openai));
  console.log(row('floor', result.floor));
  console.log(`ours / openai = ${(result.ours / result.openai).toFixed(2)}x   (target >= 2.00x)`);
  console.log(`ours / floor  = ${((result.ours / result.floor) * 100).toFixed(1)}%   (target >= 70%)`);
  const out = path.join(__dirname, '..', '..', '..', 'test', 'bench', 'results', 'client.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`wrote ${path.relative(process.cwd(), out)}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
