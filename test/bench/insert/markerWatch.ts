// bench:insert: when each code delta of an answer is first in the document. Loaded by host.bench.ts (not a suite).
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import * as vscode from 'vscode';

/**
 * Records when each delta's marker is first in the document; markers arrive in order, each scan
 * starts after the last one found. Deltas without a marker are passed over.
 */
export class MarkerWatch implements vscode.Disposable {
  readonly seenAt: Float64Array;
  /** The first delta whose marker is not in the document yet. */
  next = 0;
  /** The last delta with a marker (its arrival completes the document). */
  readonly lastMarked: number;
  /** When each document change (with content) arrived. */
  readonly changeTimes: number[] = [];
  private offset = 0;
  private readonly listener: vscode.Disposable;
  readonly loopDelay: IntervalHistogram = monitorEventLoopDelay({ resolution: 5 });
  private completed!: () => void;
  readonly complete = new Promise<void>((resolve) => (this.completed = resolve));

  constructor(
    private readonly document: vscode.TextDocument,
    private readonly markers: readonly (string | undefined)[],
  ) {
    this.seenAt = new Float64Array(markers.length).fill(NaN);
    let last = markers.length - 1;
    while (last >= 0 && markers[last] === undefined) last--;
    this.lastMarked = last;
    this.loopDelay.enable();
    this.listener = vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.document !== this.document || event.contentChanges.length === 0) return;
      const now = performance.now();
      this.changeTimes.push(now);
      this.scan(now);
    });
  }

  /** Whether delta `index` has a marker (is code). */
  marked(index: number): boolean {
    return this.markers[index] !== undefined;
  }

  private scan(now: number): void {
    const { document } = this;
    const text = document.getText(
      new vscode.Range(document.positionAt(this.offset), document.lineAt(document.lineCount - 1).range.end),
    );
    let from = 0;
    while (this.next <= this.lastMarked) {
      const marker = this.markers[this.next];
      if (marker === undefined) {
        this.next++;
        continue;
      }
      const at = text.indexOf(marker, from);
      if (at === -1) break;
      this.seenAt[this.next++] = now;
      from = at + marker.length;
    }
    this.offset += from;
    if (this.next > this.lastMarked) this.completed();
  }

  dispose(): void {
    this.loopDelay.disable();
    this.listener.dispose();
  }
}
