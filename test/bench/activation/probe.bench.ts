// Runs inside a fresh extension host (one window of bench:activation): activates the installed
// Stream Chat the way VS Code does on its first activation event and writes what it took to the
// file the launcher named. The installed copy has no activation events of its own, so nothing has
// activated it before this runs: the measure is the first, cold one.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { EMPTY_EXTENSION, PROBE_OUT_ENV, STARTUP_SIGNAL, type ActivationSample } from './sample';

const extensionId = 'stream-chat.stream-chat';

/**
 * Settles when the probe extension activates: it has `onStartupFinished`, the moment VS Code
 * activates such extensions, Stream Chat among them (the launcher writes its main, which calls
 * `signal.started()`; whichever of the two runs first creates the signal).
 */
function startupFinished(): Promise<void> {
  const shared = globalThis as { [STARTUP_SIGNAL]?: { finished: Promise<void>; started(): void } };
  if (!shared[STARTUP_SIGNAL]) {
    let started!: () => void;
    const finished = new Promise<void>((resolve) => (started = resolve));
    shared[STARTUP_SIGNAL] = { finished, started };
  }
  return shared[STARTUP_SIGNAL].finished;
}

/**
 * Waits for the other extensions that start with the window (`*`, `onStartupFinished`) to finish
 * activating, so the measure is Stream Chat's own and not its place in their queue.
 */
async function othersActivatedAtStartup(): Promise<void> {
  const startsWithWindow = (extension: vscode.Extension<unknown>) => {
    const events = (extension.packageJSON as { activationEvents?: string[] }).activationEvents ?? [];
    return events.includes('*') || events.includes('onStartupFinished');
  };
  const others = vscode.extensions.all.filter(
    (extension) => extension.id !== extensionId && startsWithWindow(extension),
  );
  await Promise.allSettled(others.map((extension) => extension.activate()));
}

/**
 * Settles once the extension host has been idle for half a second (its CPU under a tenth of each
 * 50 ms window, ten windows in a row; 20 s at most): otherwise the other extensions' startup work,
 * the workspace scan and the test runner's own loading land inside whichever activation they meet,
 * and the do-nothing extension read anywhere from 5 to 330 ms.
 */
async function hostQuiet(): Promise<number> {
  const started = performance.now();
  const windowMs = 50;
  let quietWindows = 0;
  while (quietWindows < 10 && performance.now() - started < 20_000) {
    const cpu = process.cpuUsage();
    const before = performance.now();
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    const { user, system } = process.cpuUsage(cpu);
    const busyMs = (user + system) / 1000;
    quietWindows = busyMs < (performance.now() - before) / 10 ? quietWindows + 1 : 0;
  }
  return performance.now() - started;
}

/**
 * The first activation of `id` in this host: ms from the call to its settling, and the extension
 * host's CPU time meanwhile (user + system; steadier than the wall time when the CPU is shared).
 */
async function timeActivation<T>(id: string): Promise<{ ms: number; cpuMs: number; quietAfterMs: number; exports: T }> {
  const quietAfterMs = await hostQuiet();
  const extension = vscode.extensions.getExtension<T>(id);
  assert.ok(extension, `${id} is not installed in this window`);
  assert.equal(extension.isActive, false, `${id} is already active: the measure would not be cold`);
  const cpu = process.cpuUsage();
  const started = performance.now();
  const exports = await extension.activate();
  const ms = performance.now() - started;
  const { user, system } = process.cpuUsage(cpu);
  return { ms, cpuMs: (user + system) / 1000, quietAfterMs, exports };
}

describe('activation (cold)', () => {
  it('activates the installed extension once and records the time', async () => {
    // As a user's window does: Stream Chat activates once the workbench has started (onStartupFinished).
    await startupFinished();
    await othersActivatedAtStartup();
    const emptyId = `${EMPTY_EXTENSION.publisher}.${EMPTY_EXTENSION.name}`;
    const out = process.env[PROBE_OUT_ENV];
    assert.ok(out, `${PROBE_OUT_ENV} is not set`);
    // Which goes first alternates from window to window (counted by the samples so far), so neither always pays for it.
    const earlier = fs.existsSync(out) ? fs.readFileSync(out, 'utf8').split('\n').filter(Boolean).length : 0;
    const emptyFirst = earlier % 2 === 1;
    const empty = emptyFirst ? await timeActivation(emptyId) : undefined;
    const ours = await timeActivation<{ activationMs: number; testing?: unknown }>(extensionId);
    const reference = empty ?? (await timeActivation(emptyId));
    const sample: ActivationSample = {
      activateMs: ours.ms,
      activateCpuMs: ours.cpuMs,
      emptyActivateMs: reference.ms,
      emptyActivateCpuMs: reference.cpuMs,
      insideMs: ours.exports.activationMs,
      testMode: ours.exports.testing !== undefined,
      quietAfterMs: ours.quietAfterMs,
    };
    fs.appendFileSync(out, `${JSON.stringify(sample)}\n`);
  });
});
