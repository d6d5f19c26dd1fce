// provideTokenCount's cost (src/lm/tokenCounter.ts): VS Code's agent counts every tool schema and
// message of a turn, ~2,400 calls, so a count must be arithmetic. Measured per call on a 4 KB string
// (p50/p99), and for one agent turn's worth of counts, against a pass over every character (what a
// per-character estimate costs) in the same run. Results in test/bench/results/tokens.json.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TokenCalibrations } from '../../src/core/tokenCalibration';
import { tokenWeight } from '../../src/shared/snippets';
import { TokenCounter } from '../../src/lm/tokenCounter';
import { repoRoot } from '../harness/paths';

const ORIGIN = 'http://127.0.0.1:8000';
const MODEL = 'qwen3';
const CALLS_PER_TURN = 2400;
const TURNS = 50;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Strings like the agent's: tool schemas (JSON) and messages, 200 B – 4 KB. */
function turnTexts(): string[] {
  const texts: string[] = [];
  for (let i = 0; i < CALLS_PER_TURN; i++) {
    const size = 200 + ((i * 997) % 3900);
    texts.push(JSON.stringify({ name: `tool_${i}`, description: 'd'.repeat(size) }));
  }
  return texts;
}

function main(): void {
  const calibrations = new TokenCalibrations();
  calibrations.for(ORIGIN, MODEL).learn(4000, 1100);
  const counter = new TokenCounter(calibrations);
  const fourKb = 'const x = 1; // a line of code\n'.repeat(128).slice(0, 4096);
  let sink = 0;
  for (let i = 0; i < 10_000; i++) sink += counter.count(ORIGIN, MODEL, fourKb); // warm-up
  const perCall: number[] = [];
  for (let i = 0; i < 20_000; i++) {
    const start = process.hrtime.bigint();
    sink += counter.count(ORIGIN, MODEL, fourKb);
    perCall.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  perCall.sort((a, b) => a - b);

  const texts = turnTexts();
  const ours: number[] = [];
  const perCharacter: number[] = [];
  for (let turn = 0; turn < TURNS; turn++) {
    let start = performance.now();
    for (const text of texts) sink += counter.count(ORIGIN, MODEL, text);
    ours.push(performance.now() - start);
    start = performance.now();
    for (const text of texts) sink += Math.ceil(tokenWeight(text) / 4);
    perCharacter.push(performance.now() - start);
  }
  ours.sort((a, b) => a - b);
  perCharacter.sort((a, b) => a - b);
  const result = {
    date: new Date().toISOString(),
    node: process.version,
    perCall4KbMs: { p50: percentile(perCall, 50), p99: percentile(perCall, 99) },
    turn: {
      counts: CALLS_PER_TURN,
      characters: texts.reduce((sum, text) => sum + text.length, 0),
      oursMs: { p50: percentile(ours, 50), p95: percentile(ours, 95) },
      perCharacterPassMs: { p50: percentile(perCharacter, 50), p95: percentile(perCharacter, 95) },
      targetMs: 20,
    },
    checksum: sink,
  };
  const file = path.join(repoRoot, 'test', 'bench', 'results', 'tokens.json');
  fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result, null, 2));
}

main();
