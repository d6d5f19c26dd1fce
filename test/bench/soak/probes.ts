// bench:soak's measuring instruments, used inside the extension host: the heap after a forced
// collection, the host's active handles and timers, the subscriptions to VS Code's events that are
// still open, and live objects per constructor from a heap snapshot. Not a bench file itself (the
// runner loads only *.bench.js).
import * as asyncHooks from 'node:async_hooks';
import * as inspector from 'node:inspector';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import * as vscode from 'vscode';

let collector: (() => void) | undefined;

/** V8's `gc()`: the flag can be set at run time, and a new context then has the function. */
function forceGc(): void {
  if (collector === undefined) {
    v8.setFlagsFromString('--expose-gc');
    collector = vm.runInNewContext('gc') as () => void;
  }
  collector();
}

/** Lets pending callbacks (timer ends, socket closes, promise chains) run before a measurement. */
export async function settle(turns = 5): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** The heap in use after full collections (a few: objects freed by one become collectable by the next). */
export async function heapAfterGc(): Promise<number> {
  await settle();
  for (let i = 0; i < 3; i++) forceGc();
  return process.memoryUsage().heapUsed;
}

/** The host's active handles and requests by kind (`Timeout`, `TCPSocketWrap`, …). */
export function activeResources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}

/**
 * The timers and immediates the extension itself started (the bundle is on their creation stack)
 * that have not fired or been cleared yet. The extension host's own timers come and go beside them.
 */
export class ExtensionTimers implements vscode.Disposable {
  private readonly live = new Map<number, { name: string; timer: WeakRef<object> }>();
  private readonly hook: asyncHooks.AsyncHook;

  constructor(bundle: string) {
    this.hook = asyncHooks.createHook({
      init: (asyncId, type, _trigger, resource) => {
        if (type !== 'Timeout' && type !== 'Immediate') return;
        const stack = new Error().stack ?? '';
        if (!stack.includes(bundle)) return;
        // The bundle's innermost function that started it names it in the report.
        const frame = stack.split('\n').find((line) => line.includes(bundle)) ?? '';
        const name = `${type} ${frame.trim().replace(/^at /, '').split(' ')[0]}`;
        this.live.set(asyncId, { name, timer: new WeakRef(resource) });
      },
      destroy: (asyncId) => this.live.delete(asyncId),
    });
    this.hook.enable();
  }

  get count(): number {
    return this.names().length;
  }

  /** The pending ones, each named by the function that started it. */
  names(): string[] {
    // Destroy hooks arrive a little later than the clear or the run: a timer already marked done is not pending.
    for (const [asyncId, { timer }] of this.live) {
      const object = timer.deref() as { _destroyed?: boolean } | undefined;
      if (object === undefined || object._destroyed === true) this.live.delete(asyncId);
    }
    return [...this.live.values()].map(({ name }) => name);
  }

  dispose(): void {
    this.hook.disable();
  }
}

type EventFunction = (listener: unknown, thisArgs?: unknown, disposables?: vscode.Disposable[]) => vscode.Disposable;

/**
 * Counts subscriptions to the `onDid…`/`onWill…` events of `vscode.workspace`, `window` and
 * `languages` that are not disposed yet, per event. The extension and this bench share one API
 * object (their files are under the same extension folder), so wrapping its event functions sees the
 * extension's subscriptions made from now on.
 */
export class SubscriptionCounter implements vscode.Disposable {
  private readonly live = new Map<string, number>();
  private readonly restore: Array<() => void> = [];
  /** Events that could not be wrapped (read-only properties). */
  readonly unwrapped: string[] = [];

  constructor() {
    const namespaces = { workspace: vscode.workspace, window: vscode.window, languages: vscode.languages };
    for (const [namespace, target] of Object.entries(namespaces))
      for (const key of Object.keys(target))
        if (/^on(Did|Will)/.test(key)) this.wrap(`${namespace}.${key}`, target, key);
  }

  /** Subscriptions still open, per event (events with none left out). */
  counts(): Record<string, number> {
    return Object.fromEntries([...this.live].filter(([, count]) => count !== 0));
  }

  total(): number {
    let sum = 0;
    for (const count of this.live.values()) sum += count;
    return sum;
  }

  dispose(): void {
    for (const undo of this.restore) undo();
  }

  private wrap(name: string, target: object, key: string): void {
    const properties = target as Record<string, unknown>;
    let original: unknown;
    try {
      original = properties[key];
    } catch {
      return; // a proposed API this extension may not use
    }
    if (typeof original !== 'function') return;
    const event = original as EventFunction;
    const counted: EventFunction = (listener, thisArgs, disposables) => {
      const inner = event(listener, thisArgs);
      this.live.set(name, (this.live.get(name) ?? 0) + 1);
      let open = true;
      const subscription = new vscode.Disposable(() => {
        if (open) this.live.set(name, (this.live.get(name) ?? 0) - 1);
        open = false;
        inner.dispose();
      });
      disposables?.push(subscription);
      return subscription;
    };
    try {
      properties[key] = counted;
    } catch {
      this.unwrapped.push(name);
      return;
    }
    if (properties[key] !== counted) {
      this.unwrapped.push(name);
      return;
    }
    this.restore.push(() => (properties[key] = original));
  }
}

interface SnapshotJson {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
  nodes: number[];
  strings: string[];
}

/** Live objects and closures per constructor (or function) name, and bytes per node type, from a heap snapshot. */
export async function liveObjectCounts(): Promise<Map<string, number>> {
  const session = new inspector.Session();
  session.connect();
  const parts: string[] = [];
  session.on('HeapProfiler.addHeapSnapshotChunk', (message) => parts.push(message.params.chunk));
  try {
    await new Promise<void>((resolve, reject) =>
      session.post('HeapProfiler.takeHeapSnapshot', { reportProgress: false }, (error) =>
        error ? reject(error) : resolve(),
      ),
    );
  } finally {
    session.disconnect();
  }
  const snapshot = JSON.parse(parts.join('')) as SnapshotJson;
  parts.length = 0;
  const fields = snapshot.snapshot.meta.node_fields;
  const types = snapshot.snapshot.meta.node_types[0];
  const typeField = fields.indexOf('type');
  const nameField = fields.indexOf('name');
  const sizeField = fields.indexOf('self_size');
  const counted = new Set(['object', 'closure'].map((type) => types.indexOf(type)));
  const counts = new Map<string, number>();
  for (let i = 0; i < snapshot.nodes.length; i += fields.length) {
    const type = snapshot.nodes[i + typeField];
    const bytesKey = `bytes of ${types[type]}`;
    counts.set(bytesKey, (counts.get(bytesKey) ?? 0) + snapshot.nodes[i + sizeField]);
    if (!counted.has(type)) continue;
    const name = `${types[type] === 'closure' ? 'ƒ ' : ''}${snapshot.strings[snapshot.nodes[i + nameField]]}`;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return counts;
}

/** The names whose count grew the most from `before` to `after`. */
export function grownCounts(
  before: Map<string, number>,
  after: Map<string, number>,
  top: number,
): Array<{ name: string; before: number; after: number }> {
  return [...after]
    .map(([name, count]) => ({ name, before: before.get(name) ?? 0, after: count }))
    .filter((entry) => entry.after > entry.before)
    .sort((a, b) => b.after - b.before - (a.after - a.before))
    .slice(0, top);
}
