// The jsdom page the streaming markdown renderer's tests draw on (markdown*.test.ts): animation
// frames and idle periods run only when the test says so.
import { JSDOM } from 'jsdom';
import { StreamingMarkdown, type StreamingMarkdownOptions } from '../../src/webview/markdown';

/** A jsdom page whose animation frames run only when the test says so. */
export class Page {
  readonly window = new JSDOM('<!doctype html><html><body></body></html>').window;
  private readonly callbacks = new Map<number, FrameRequestCallback>();
  private readonly idleCallbacks = new Map<number, IdleRequestCallback>();
  private nextId = 1;

  constructor() {
    this.window.requestAnimationFrame = (callback) => {
      this.callbacks.set(this.nextId, callback);
      return this.nextId++;
    };
    this.window.cancelAnimationFrame = (id) => void this.callbacks.delete(id);
    this.window.requestIdleCallback = (callback) => {
      this.idleCallbacks.set(this.nextId, callback);
      return this.nextId++;
    };
    this.window.cancelIdleCallback = (id) => void this.idleCallbacks.delete(id);
  }

  /** Runs one idle period of `ms`: the idle callbacks requested so far. */
  idle(ms = 50): void {
    const due = [...this.idleCallbacks.values()];
    this.idleCallbacks.clear();
    const ends = this.window.performance.now() + ms;
    const deadline = { didTimeout: false, timeRemaining: () => Math.max(0, ends - this.window.performance.now()) };
    for (const callback of due) callback(deadline);
  }

  get idleRequested(): number {
    return this.idleCallbacks.size;
  }

  renderer(options?: StreamingMarkdownOptions): { root: HTMLElement; markdown: StreamingMarkdown } {
    const root = this.window.document.createElement('div');
    this.window.document.body.append(root);
    return { root, markdown: new StreamingMarkdown(root, options) };
  }

  /** Runs one animation frame: the callbacks requested so far. */
  frame(): void {
    const due = [...this.callbacks.values()];
    this.callbacks.clear();
    for (const callback of due) callback(this.window.performance.now());
  }

  get framesRequested(): number {
    return this.callbacks.size;
  }
}

export function oneShot(page: Page, text: string): string {
  const { root, markdown } = page.renderer();
  markdown.reset(text);
  markdown.finish();
  root.remove();
  return root.innerHTML;
}
