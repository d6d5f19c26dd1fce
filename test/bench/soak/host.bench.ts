// bench:soak, the part that runs inside the real extension host (loaded by test/integration/index.ts
// from this directory; started by test/bench/soak.bench.ts).
//
// One long session against the local test server: SOAK_ANSWERS chat answers through the real chat
// session (a New Chat every SOAK_ANSWERS_PER_CHAT, the chat view open and receiving its deltas, the
// history saving and pruning), and one Insert at Cursor every ANSWERS / INSERTIONS answers, at the end
// of an untitled document (a new one every SOAK_INSERTIONS_PER_DOCUMENT, closed after them). Every
// SOAK_SAMPLE_EVERY answers: the heap after a forced GC, the host's active handles, the extension's
// pending timers, the open subscriptions to VS Code's events and the runner's requests. Then one answer
// and one insertion held open mid-stream, to count what a running request holds and that it is all
// released once it is stopped. Results go to STREAM_CHAT_BENCH_SOAK_OUT.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { InsertResult } from '../../../src/insert/insertCommands';
import { chunk, countTokens, sse, startTestServer, type StreamStep, type TestServer } from '../../server';
import { resetUserSettings, setUserSetting, streamChatApi, useEndpoint } from '../../integration/suite/helpers';
import { repoRoot } from '../../harness/paths';
import {
  activeResources,
  ExtensionTimers,
  grownCounts,
  heapAfterGc,
  liveObjectCounts,
  settle,
  SubscriptionCounter,
} from './probes';

const ANSWERS = Number(process.env.SOAK_ANSWERS ?? 1000);
const INSERTIONS = Number(process.env.SOAK_INSERTIONS ?? Math.round(ANSWERS / 5));
const ANSWERS_PER_CHAT = Number(process.env.SOAK_ANSWERS_PER_CHAT ?? 5);
const INSERTIONS_PER_DOCUMENT = Number(process.env.SOAK_INSERTIONS_PER_DOCUMENT ?? 10);
const SAMPLE_EVERY = Number(process.env.SOAK_SAMPLE_EVERY ?? 50);
/** Where growth is measured from: the session has warmed up (code loaded, caches filled) by then. */
const BASELINE_AT = Number(process.env.SOAK_BASELINE_AT ?? Math.min(100, ANSWERS / 10));
const SNAPSHOTS = process.env.SOAK_SNAPSHOTS !== '0';
const OUT = process.env.STREAM_CHAT_BENCH_SOAK_OUT;

/** One measurement, after `answers` answers and `insertions` insertions. */
export interface SoakSample {
  answers: number;
  insertions: number;
  heapUsedBytes: number;
  /** The host's active handles and requests by kind (process.getActiveResourcesInfo()). */
  resources: Record<string, number>;
  /** Timers and immediates the extension started that are still pending. */
  extensionTimers: number;
  /** Open subscriptions to VS Code's events (made after the bench started), in all. */
  subscriptions: number;
  runnerActive: number;
  elapsedMs: number;
}

/** What one request holds while it streams, beside what is held before it and after it ended. */
export interface RequestHold {
  kind: 'chat' | 'insert';
  before: { timers: number; subscriptions: number; requests: number };
  during: { timers: number; subscriptions: number; requests: number };
  after: { timers: number; subscriptions: number; requests: number };
  /** Subscriptions open during the request, per event. */
  duringSubscriptions: Record<string, number>;
  /** The extension's timers pending during the request and after it, named by what started them. */
  duringTimers: string[];
  afterTimers: string[];
}

export interface SoakReport {
  answers: number;
  insertions: number;
  answersPerChat: number;
  baselineAt: number;
  samples: SoakSample[];
  holds: RequestHold[];
  /** Subscriptions open at the end, per event (all made after the bench started). */
  subscriptionsAtEnd: Record<string, number>;
  /** Events whose subscriptions could not be counted. */
  uncountedEvents: string[];
  /** Constructors and closures whose live count grew most from the baseline to the end. */
  grownObjects?: Array<{ name: string; before: number; after: number }>;
  /** How long one answer and one insertion took (median and slowest), in ms. */
  answerMs: { p50: number; max: number };
  insertMs: { p50: number; max: number };
  durationMs: number;
}

/** An answer of markdown and a code block, in many small deltas, different every time. */
function answerDeltas(index: number): string[] {
  const words = `Answer ${index}: here is how it works, step by step, with an example below.`.split(' ');
  const code = ['```ts', `export function step${index}(value: number): number {`, '  return value * 2;', '}', '```'];
  const deltas = words.map((word, i) => (i === 0 ? word : ` ${word}`));
  deltas.push('\n\n');
  for (const line of code) deltas.push(...line.match(/.{1,6}/g)!, '\n');
  deltas.push('\nThat is all for ', `question ${index}.`);
  return deltas;
}

function streamOf(deltas: string[]): StreamStep[] {
  const steps: StreamStep[] = [sse.data(chunk({ role: 'assistant', content: '' }))];
  for (const text of deltas) steps.push(sse.data(chunk({ content: text })));
  steps.push(sse.data(chunk({}, { finishReason: 'stop' })));
  const completion = countTokens(deltas.join(''));
  const usage = { prompt_tokens: 40, completion_tokens: completion, total_tokens: 40 + completion };
  steps.push(sse.data(chunk(null, { choices: [], usage })), sse.done());
  return steps;
}

/** The code of insertion `index`, as a model streams it: fenced, a line or two of prose around it. */
function insertionDeltas(index: number): string[] {
  return [
    'Here it is:\n',
    '```ts\n',
    `const value${index} = `,
    `${index};\n`,
    'console.log(',
    `value${index});\n`,
    '```',
  ];
}

function spread(times: number[]): { p50: number; max: number } {
  const sorted = [...times].sort((a, b) => a - b);
  return { p50: Math.round(sorted[Math.floor(sorted.length / 2)] ?? NaN), max: Math.round(sorted.at(-1) ?? NaN) };
}

describe('bench:soak — a long session in one extension host', function () {
  let server: TestServer;
  let subscriptions: SubscriptionCounter;
  let timers: ExtensionTimers;
  const started = performance.now();

  before(async () => {
    server = await startTestServer();
    subscriptions = new SubscriptionCounter();
    timers = new ExtensionTimers(path.join(repoRoot, 'dist', 'extension.js'));
    await useEndpoint(server.baseUrl);
    await setUserSetting('model', 'test-model');
    await vscode.commands.executeCommand('streamChat.chatView.focus');
  });

  after(async () => {
    subscriptions?.dispose();
    timers?.dispose();
    await resetUserSettings();
    await server?.close();
  });

  const answerTimes: number[] = [];
  const insertTimes: number[] = [];

  async function answer(index: number): Promise<void> {
    const begun = performance.now();
    const { chat } = (await streamChatApi()).testing;
    if (index % ANSWERS_PER_CHAT === 0) chat.newChat();
    server.enqueue({ kind: 'stream', steps: streamOf(answerDeltas(index)) });
    const turn = await chat.send(`Question ${index}: how does step ${index} work?`);
    assert.equal(turn?.status, 'done', `answer ${index}: ${turn?.error?.message ?? turn?.status}`);
    answerTimes.push(performance.now() - begun);
  }

  /** The document insertions go into: a new one every INSERTIONS_PER_DOCUMENT, closed after them. */
  let target: { editor: vscode.TextEditor; expected: string; insertions: number } | undefined;

  async function insert(index: number): Promise<void> {
    const begun = performance.now();
    if (target === undefined) {
      const document = await vscode.workspace.openTextDocument({ content: '// file\n', language: 'typescript' });
      target = { editor: await vscode.window.showTextDocument(document), expected: '// file\n', insertions: 0 };
    }
    const { editor } = target;
    const end = editor.document.positionAt(editor.document.getText().length);
    editor.selection = new vscode.Selection(end, end);
    server.enqueue({ kind: 'stream', steps: streamOf(insertionDeltas(index)) });
    const result = await vscode.commands.executeCommand<InsertResult>('streamChat.insertAtCursor', { prompt: 'go' });
    assert.equal(result.error, undefined, `insertion ${index}: ${result.error}`);
    target.expected += `const value${index} = ${index};\nconsole.log(value${index});`;
    assert.equal(editor.document.getText(), target.expected);
    target.expected += '\n';
    assert.ok(await editor.edit((edit) => edit.insert(editor.document.positionAt(Infinity), '\n')));
    if (++target.insertions === INSERTIONS_PER_DOCUMENT) {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      target = undefined;
    }
    insertTimes.push(performance.now() - begun);
  }

  async function sample(answers: number, insertions: number): Promise<SoakSample> {
    const api = await streamChatApi();
    server.reset(); // the test server's own record of requests is not the extension's memory
    await api.testing.history.flush();
    const heapUsedBytes = await heapAfterGc();
    return {
      answers,
      insertions,
      heapUsedBytes,
      resources: activeResources(),
      extensionTimers: timers.count,
      subscriptions: subscriptions.total(),
      runnerActive: api.testing.runner.activeRequests().length,
      elapsedMs: Math.round(performance.now() - started),
    };
  }

  async function counts(): Promise<RequestHold['before']> {
    return {
      timers: timers.count,
      subscriptions: subscriptions.total(),
      requests: (await streamChatApi()).testing.runner.activeRequests().length,
    };
  }

  /**
   * One request held open mid-stream (the server sends a few deltas, then nothing): what it holds
   * once its text is arriving, and after it was stopped.
   */
  async function hold(kind: RequestHold['kind']): Promise<RequestHold> {
    const { chat, runner } = (await streamChatApi()).testing;
    server.reset();
    await settle();
    const before = await counts();
    const deltas = (kind === 'chat' ? answerDeltas(ANSWERS) : insertionDeltas(INSERTIONS)).slice(0, 4);
    server.enqueue({ kind: 'stream', steps: streamOf(deltas).slice(0, -3), end: 'stall' });
    let running: Thenable<unknown>;
    let streaming: Promise<void>;
    if (kind === 'chat') {
      streaming = new Promise((resolve) => {
        const listener = chat.onDidChangeConversation(({ streaming: grew }) => {
          if (!grew) return;
          listener.dispose();
          resolve();
        });
      });
      running = chat.send('A question held open');
    } else {
      const document = await vscode.workspace.openTextDocument({ content: '', language: 'typescript' });
      await vscode.window.showTextDocument(document);
      streaming = new Promise((resolve) => {
        const listener = vscode.workspace.onDidChangeTextDocument((event) => {
          if (event.document !== document || !document.getText().includes('value')) return;
          listener.dispose();
          resolve();
        });
      });
      running = vscode.commands.executeCommand('streamChat.insertAtCursor', { prompt: 'go' });
    }
    await streaming;
    const during = await counts();
    const duringSubscriptions = subscriptions.counts();
    const duringTimers = timers.names();
    runner.stopAll();
    await running;
    if (kind === 'insert') await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await streamChatApi().then((api) => api.testing.history.flush());
    await settle();
    const after = await counts();
    return { kind, before, during, after, duringSubscriptions, duringTimers, afterTimers: timers.names() };
  }

  it(`${ANSWERS} answers and ${INSERTIONS} insertions`, async function () {
    this.timeout(0);
    const samples: SoakSample[] = [];
    const insertEvery = INSERTIONS > 0 ? ANSWERS / INSERTIONS : Infinity;
    let insertions = 0;
    let baselineObjects: Map<string, number> | undefined;
    samples.push(await sample(0, 0));
    for (let index = 1; index <= ANSWERS; index++) {
      await answer(index);
      while (insertions < INSERTIONS && (insertions + 1) * insertEvery <= index) await insert(++insertions);
      if (index % SAMPLE_EVERY !== 0 && index !== BASELINE_AT && index !== ANSWERS) continue;
      samples.push(await sample(index, insertions));
      if (index === BASELINE_AT && SNAPSHOTS) baselineObjects = await liveObjectCounts();
    }
    const holds = [await hold('chat'), await hold('insert')];
    const grownObjects = baselineObjects && grownCounts(baselineObjects, await liveObjectCounts(), 25);
    const report: SoakReport = {
      answers: ANSWERS,
      insertions,
      answersPerChat: ANSWERS_PER_CHAT,
      baselineAt: BASELINE_AT,
      samples,
      holds,
      subscriptionsAtEnd: subscriptions.counts(),
      uncountedEvents: subscriptions.unwrapped,
      grownObjects,
      answerMs: spread(answerTimes),
      insertMs: spread(insertTimes),
      durationMs: Math.round(performance.now() - started),
    };
    if (OUT) fs.writeFileSync(OUT, `${JSON.stringify(report, null, 2)}\n`);
  });
});
