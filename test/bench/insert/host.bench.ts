// bench:insert, the part that runs inside the real extension host (loaded by
// test/integration/index.ts from this directory; started by test/bench/insert.bench.ts).
//
// For each rate (events/s), the variants one after the other, each into a fresh untitled
// document, the same paced stream of DELTAS content deltas from a loopback server in this process:
//   ours   the extension's `streamChat.insertAtCursor` command (runner, code filter, StreamingInsertion)
//   prose  ours, with the same code as a chatty model sends it: a sentence first (held back and dropped by
//          the code filter), the code in a fence, an explanation after (benchAnswer.ts)
//   naive  ChatClient's events, one awaited `editor.edit(insert at the end)` per content delta, default undo stops
// Per code delta: lag = when its marker is first in the document (onDidChangeTextDocument) − when the
// server wrote it. Then: document complete − the server's last byte, and undo steps back to empty.
// Results go to the JSON file named by STREAM_CHAT_BENCH_INSERT_OUT after every run.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as inspector from 'node:inspector';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ChatClient } from '../../../src/api';
import type { InsertResult } from '../../../src/insert/insertCommands';
import { proseFirstAnswer, pureCodeAnswer, type BenchAnswer } from './benchAnswer';
import { MarkerWatch } from './markerWatch';
import { startPacedServer, type PacedServer, type PacedStream } from './pacedServer';

export type Variant = 'ours' | 'prose' | 'naive';

export interface InsertBenchRun {
  rate: number;
  variant: Variant;
  lagP50Ms: number;
  lagP95Ms: number;
  completeAfterLastByteMs: number;
  undoSteps: number;
  /** Undo counting stopped at its cap before the document was empty: undoSteps is a lower bound. */
  undoCapped: boolean;
  lagMaxMs: number;
  deltas: number;
  /** Deltas seen in the document (all of them unless the deadline was hit). */
  deltasSeen: number;
  /** Document changes while streaming (= edits that landed). */
  documentChanges: number;
  /** Time between consecutive document changes while streaming (≈ one edit's round trip when edits queue up). */
  changeIntervalP50Ms: number;
  changeIntervalP95Ms: number;
  changeIntervalMaxMs: number;
  /**
   * The extension host's event loop delay while streaming (monitorEventLoopDelay): its own stalls,
   * as opposed to the window's.
   */
  hostLoopDelayP99Ms: number;
  hostLoopDelayMaxMs: number;
  /** The server's first delta to its last byte, and the rate that achieved. */
  streamMs: number;
  achievedRate: number;
  /** Network writes the server made (timer ticks carrying deltas). */
  serverWrites: number;
  /** From the command / the first read to the document complete. */
  totalMs: number;
  /**
   * The run was cut off at its deadline: deltas not in the document by then count with the lag
   * they had (a lower bound).
   */
  deadlineHit: boolean;
  undoCountMs: number;
}

/** What the extension host hands back to the launcher (the JSON file STREAM_CHAT_BENCH_INSERT_OUT). */
export interface InsertBenchReport {
  runs: InsertBenchRun[];
  /** One awaited `editor.edit` (a one-character insert) in an idle window, before the runs. */
  editRoundTrip?: { count: number; p50Ms: number; p95Ms: number };
  language: string;
}

const DELTAS = Number(process.env.BENCH_DELTAS ?? 4000);
const RATES = (process.env.BENCH_RATES ?? '200,1000,3000')
  .split(',')
  .map((rate) => Number(rate.trim()))
  .filter((rate) => rate > 0);
/** Per run: how long after the stream's nominal end the document may take to be complete. */
const DEADLINE_MS = Number(process.env.BENCH_DEADLINE_S ?? 300) * 1000;
const UNDO_CAP = Number(process.env.BENCH_UNDO_CAP ?? 5000);
const UNDO_LIMIT_MS = Number(process.env.BENCH_UNDO_LIMIT_S ?? 120) * 1000;
const VARIANTS = (process.env.BENCH_VARIANTS ?? 'ours,prose,naive')
  .split(',')
  .filter((variant): variant is Variant => variant === 'ours' || variant === 'prose' || variant === 'naive');
const OUT = process.env.STREAM_CHAT_BENCH_INSERT_OUT;
const LANGUAGE = process.env.BENCH_LANGUAGE ?? 'typescript';
/** A folder: each measured run's extension host CPU profile is written there (`<variant>-<rate>.cpuprofile`). */
const PROFILE_DIR = process.env.BENCH_PROFILE;

/** Runs `body` under the extension host's CPU profiler when BENCH_PROFILE is set. */
async function profiled<T>(name: string, body: () => Promise<T>): Promise<T> {
  if (!PROFILE_DIR) return body();
  const session = new inspector.Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) =>
      session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result))),
    );
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 200 });
  await post('Profiler.start');
  try {
    return await body();
  } finally {
    const { profile } = (await post('Profiler.stop')) as { profile: object };
    fs.mkdirSync(PROFILE_DIR, { recursive: true });
    fs.writeFileSync(path.join(PROFILE_DIR, `${name}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  }
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

async function freshEditor(): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument({ content: '', language: LANGUAGE });
  return vscode.window.showTextDocument(document);
}

async function closeEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/**
 * Undo on this editor until its document is empty; counts the undo changes that took. Undos are
 * sent in growing batches without waiting for each (one command round trip each would take
 * minutes for thousands); extra ones once the document is empty have nothing left to undo.
 */
async function countUndoSteps(editor: vscode.TextEditor): Promise<{ steps: number; capped: boolean; ms: number }> {
  const started = performance.now();
  const { document } = editor;
  await vscode.window.showTextDocument(document, editor.viewColumn);
  if (document.getText() === '') return { steps: 0, capped: false, ms: 0 };
  let steps = 0;
  let empty = false;
  const listener = vscode.workspace.onDidChangeTextDocument((event) => {
    if (event.document !== document || event.reason !== vscode.TextDocumentChangeReason.Undo || empty) return;
    steps++;
    if (document.getText() === '') empty = true;
  });
  try {
    let batch = 1;
    let sent = 0;
    while (!empty && sent < UNDO_CAP && performance.now() - started < UNDO_LIMIT_MS) {
      const count = Math.min(batch, UNDO_CAP - sent);
      await Promise.all(Array.from({ length: count }, () => vscode.commands.executeCommand('undo')));
      sent += count;
      batch = Math.min(batch * 4, 200);
    }
  } finally {
    listener.dispose();
  }
  return { steps, capped: !empty, ms: performance.now() - started };
}

async function runOurs(
  server: PacedServer,
  rate: number,
  variant: 'ours' | 'prose',
  { deltas, markers, document }: BenchAnswer,
): Promise<InsertBenchRun> {
  const editor = await freshEditor();
  const stream = server.expect(deltas, rate);
  const watch = new MarkerWatch(editor.document, markers);
  const started = performance.now();
  const deadline = started + (deltas.length / rate) * 1000 + DEADLINE_MS;
  try {
    const command = vscode.commands.executeCommand<InsertResult>('streamChat.insertAtCursor', { prompt: 'bench' });
    let deadlineHit = !(await settlesBy(command, deadline));
    if (deadlineHit) await vscode.commands.executeCommand('streamChat.stop');
    const result = await command;
    assert.equal(result.error, undefined, `the insertion failed: ${result.error}`);
    if (!deadlineHit) deadlineHit = !(await settlesBy(watch.complete, deadline));
    if (!deadlineHit) assert.equal(editor.document.getText(), document, 'the document holds exactly the code');
    return await finishRun(variant, rate, stream, watch, editor, started, deadlineHit);
  } finally {
    watch.dispose();
  }
}

async function runNaive(server: PacedServer, rate: number, { deltas, markers }: BenchAnswer): Promise<InsertBenchRun> {
  const editor = await freshEditor();
  const { document } = editor;
  const stream = server.expect(deltas, rate);
  const watch = new MarkerWatch(document, markers);
  const started = performance.now();
  const deadline = started + (deltas.length / rate) * 1000 + DEADLINE_MS;
  let deadlineHit = false;
  try {
    const client = new ChatClient();
    const request = {
      model: 'bench-model',
      messages: [{ role: 'user' as const, content: 'bench' }],
      includeUsage: false,
    };
    for await (const event of client.streamChat({ baseUrl: server.baseUrl }, request, { idleTimeoutMs: 300_000 })) {
      if (event.type !== 'content') continue;
      const end = document.lineAt(document.lineCount - 1).range.end;
      await editor.edit((edit) => edit.insert(end, event.text));
      if (performance.now() > deadline) {
        deadlineHit = true;
        break; // closes the request
      }
    }
    if (!deadlineHit) assert.equal(document.getText(), deltas.join(''), 'the document holds exactly the streamed text');
    return await finishRun('naive', rate, stream, watch, editor, started, deadlineHit);
  } finally {
    watch.dispose();
  }
}

async function finishRun(
  variant: Variant,
  rate: number,
  stream: PacedStream,
  watch: MarkerWatch,
  editor: vscode.TextEditor,
  started: number,
  deadlineHit: boolean,
): Promise<InsertBenchRun> {
  await settlesBy(stream.done, performance.now() + 5000);
  const cutoff = performance.now();
  const seen = watch.next;
  // A code delta not in the document by the deadline counts with the lag it had then (a lower bound); prose and
  // fence lines never reach it and have no lag.
  const lags = Float64Array.from(stream.writtenAt, (writtenAt, i) =>
    watch.marked(i) ? (i < seen ? watch.seenAt[i] : cutoff) - writtenAt : NaN,
  ).filter((lag) => !Number.isNaN(lag));
  lags.sort();
  const completeAt = seen > watch.lastMarked ? watch.seenAt[watch.lastMarked] : NaN;
  const changes = watch.changeTimes.length;
  const intervals = new Float64Array(Math.max(0, changes - 1));
  for (let i = 1; i < changes; i++) intervals[i - 1] = watch.changeTimes[i] - watch.changeTimes[i - 1];
  intervals.sort();
  watch.dispose();
  const undo = await countUndoSteps(editor);
  const firstWrite = stream.writtenAt[0];
  const streamMs = stream.lastByteAt - firstWrite;
  return {
    rate,
    variant,
    lagP50Ms: round(percentile(lags, 50)),
    lagP95Ms: round(percentile(lags, 95)),
    completeAfterLastByteMs: round(completeAt - stream.lastByteAt),
    undoSteps: undo.steps,
    undoCapped: undo.capped,
    lagMaxMs: round(lags.length > 0 ? lags[lags.length - 1] : NaN),
    deltas: stream.deltas.length,
    deltasSeen: seen,
    documentChanges: changes,
    changeIntervalP50Ms: round(percentile(intervals, 50)),
    changeIntervalP95Ms: round(percentile(intervals, 95)),
    changeIntervalMaxMs: round(intervals.length > 0 ? intervals[intervals.length - 1] : NaN),
    hostLoopDelayP99Ms: round(watch.loopDelay.percentile(99) / 1e6),
    hostLoopDelayMaxMs: round(watch.loopDelay.max / 1e6),
    streamMs: round(streamMs),
    achievedRate: Math.round(
      ((stream.deltas.length - 1) / (stream.writtenAt[stream.deltas.length - 1] - firstWrite)) * 1000,
    ),
    serverWrites: stream.writes,
    totalMs: round((Number.isNaN(completeAt) ? performance.now() : completeAt) - started),
    deadlineHit,
    undoCountMs: Math.round(undo.ms),
  };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

/** Whether `promise` settles before `deadline` (a performance.now() time). */
async function settlesBy(promise: Thenable<unknown>, deadline: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>(
    (resolve) => (timer = setTimeout(() => resolve(false), Math.max(0, deadline - performance.now()))),
  );
  try {
    return await Promise.race([Promise.resolve(promise).then(() => true as const), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Busy and total CPU time of the whole machine so far (Linux /proc/stat), or undefined elsewhere. */
function cpuTimes(): { busy: number; total: number } | undefined {
  try {
    const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const total = fields.reduce((sum, value) => sum + value, 0);
    const idle = fields[3] + (fields[4] ?? 0); // idle + iowait
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}

/**
 * Closes the run's editor and waits until the machine is quiet again (under 20% CPU over half a
 * second; at most 30 s): a naive run leaves the window, the language server and the garbage
 * collector busy for a while, which must not be counted against the run after it.
 */
async function settle(): Promise<void> {
  await closeEditors();
  await delay(1000);
  const until = performance.now() + 30_000;
  while (performance.now() < until) {
    const before = cpuTimes();
    await delay(500);
    const after = cpuTimes();
    if (before === undefined || after === undefined) break;
    if ((after.busy - before.busy) / Math.max(1, after.total - before.total) < 0.2) break;
  }
}

describe('bench:insert — streaming into the editor in the extension host', function () {
  const report: InsertBenchReport = { runs: [], language: LANGUAGE };
  const save = () => {
    if (OUT) fs.writeFileSync(OUT, `${JSON.stringify(report, null, 2)}\n`);
  };
  let server: PacedServer;
  const config = vscode.workspace.getConfiguration('streamChat');

  before(async function () {
    this.timeout(60_000);
    server = await startPacedServer();
    await config.update('baseUrl', server.baseUrl, vscode.ConfigurationTarget.Global);
    await config.update('model', 'bench-model', vscode.ConfigurationTarget.Global);
    save();
  });

  after(async () => {
    await closeEditors();
    await config.update('baseUrl', undefined, vscode.ConfigurationTarget.Global);
    await config.update('model', undefined, vscode.ConfigurationTarget.Global);
    await server?.close();
  });

  // The first streams in a fresh window pay for starting things (the language's extension and
  // server, JIT): ours streams a whole run, naive a short one.
  it(`warm-up: ours ${DELTAS} deltas, naive 200, at 1,000/s (not recorded)`, async function () {
    this.timeout(2 * DEADLINE_MS + 2 * UNDO_LIMIT_MS + 60_000);
    if (VARIANTS.includes('ours')) await runOurs(server, 1000, 'ours', pureCodeAnswer(DELTAS));
    await settle();
    if (VARIANTS.includes('naive')) await runNaive(server, 1000, pureCodeAnswer(200));
    await settle();
  });

  it('calibration: one awaited editor.edit round trip, 200 times', async function () {
    this.timeout(120_000);
    const editor = await freshEditor();
    const times = new Float64Array(200);
    for (let i = 0; i < times.length; i++) {
      const started = performance.now();
      const end = editor.document.lineAt(editor.document.lineCount - 1).range.end;
      assert.ok(await editor.edit((edit) => edit.insert(end, 'x')));
      times[i] = performance.now() - started;
    }
    times.sort();
    report.editRoundTrip = {
      count: times.length,
      p50Ms: round(percentile(times, 50)),
      p95Ms: round(percentile(times, 95)),
    };
    save();
    await settle();
  });

  for (const rate of RATES) {
    for (const variant of VARIANTS) {
      it(`${variant} at ${rate} events/s, ${DELTAS} deltas`, async function () {
        this.timeout((DELTAS / rate) * 1000 + DEADLINE_MS + UNDO_LIMIT_MS + 60_000);
        const answer = variant === 'prose' ? proseFirstAnswer(DELTAS) : pureCodeAnswer(DELTAS);
        const run = await profiled(`${variant}-${rate}`, () =>
          variant === 'naive' ? runNaive(server, rate, answer) : runOurs(server, rate, variant, answer),
        );
        report.runs.push(run);
        save();
        console.log(`[bench:insert] ${JSON.stringify(run)}`);
        await settle();
      });
    }
  }
});
