// The Stream Chat panel as a person uses it in the e2e window: open it from the command palette,
// type into its composer, watch answers stream, press its buttons. The panel's document lives in
// a webview's inner iframe; a hidden panel loses that frame, so every lookup finds it afresh.
import type { Frame, Locator, Page } from 'playwright-core';
import { dismissQuickInput, pickQuickItem, runCommand, submitQuickInput, waitForQuickInput, waitForWebviewFrame, webviewFrames } from '../harness/browser';
import type { RecordedRequest, TestServer } from '../server';

/** Something only the chat panel's document has. */
export const CHAT_PANEL_SELECTOR = 'main.scroller .transcript';

export type AnswerStatus = 'streaming' | 'done' | 'stopped' | 'error';

/** Polls `check` until it returns a value other than undefined/false, or throws with `what` after `timeoutMs`. */
export async function waitUntil<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 30_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error; // e.g. the frame navigated away mid-check
    }
    if (Date.now() > deadline) {
      const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Whitespace collapsed, non-breaking spaces included. */
export const squash = (text: string): string => text.replace(/[\s\u00a0]+/g, ' ').trim();

export class ChatPanel {
  private constructor(
    readonly page: Page,
    readonly frame: Frame,
  ) {}

  /** "Stream Chat: Open Chat", then the panel once the host's snapshot has reached it. */
  static async open(page: Page): Promise<ChatPanel> {
    await runCommand(page, 'Stream Chat: Open Chat');
    return ChatPanel.find(page);
  }

  /** "Stream Chat: New Chat": an empty transcript, the panel on screen. */
  static async newChat(page: Page): Promise<ChatPanel> {
    await runCommand(page, 'Stream Chat: New Chat');
    const panel = await ChatPanel.find(page);
    await waitUntil('an empty transcript after New Chat', async () => (await panel.frame.locator('article.turn').count()) === 0);
    return panel;
  }

  /** The panel that is on screen now (no command run). */
  static async find(page: Page, timeoutMs = 60_000): Promise<ChatPanel> {
    const frame = await waitForWebviewFrame(page, CHAT_PANEL_SELECTOR, timeoutMs);
    const panel = new ChatPanel(page, frame);
    // The header says "Model" until the host's snapshot (status) arrives.
    await waitUntil('the panel to receive its snapshot', async () => (await panel.frame.locator('.panel-header .model-button .label').innerText()).trim() !== 'Model', timeoutMs);
    return panel;
  }

  locator(selector: string): Locator {
    return this.frame.locator(selector);
  }

  get input(): Locator {
    return this.frame.locator('textarea.input');
  }

  get stopButton(): Locator {
    return this.frame.locator('button[data-action=stop]');
  }

  get sendButton(): Locator {
    return this.frame.locator('button[data-action=send]');
  }

  get notice(): Locator {
    return this.frame.locator('.panel-notice');
  }

  answers(): Locator {
    return this.frame.locator('article.turn.assistant');
  }

  lastAnswer(): Locator {
    return this.answers().last();
  }

  userTurns(): Locator {
    return this.frame.locator('article.turn.user');
  }

  /**
   * Clicks the composer, puts the question in, presses Enter. (Filled rather than typed key by key:
   * typing into the webview's nested frame right after it took focus once lost a keystroke.)
   */
  async ask(question: string): Promise<void> {
    await this.input.click();
    await this.input.fill(question);
    await this.input.press('Enter');
    await this.userTurns().filter({ hasText: question }).last().waitFor({ state: 'visible', timeout: 30_000 });
  }

  /** The visible text of an answer's markdown, whitespace collapsed. */
  async answerText(answer: Locator = this.lastAnswer()): Promise<string> {
    return squash(await answer.locator('.answer.markdown').innerText());
  }

  async status(answer: Locator = this.lastAnswer()): Promise<string | null> {
    return answer.getAttribute('data-status');
  }

  async waitForStatus(status: AnswerStatus, answer: Locator = this.lastAnswer(), timeoutMs = 60_000): Promise<void> {
    await waitUntil(`an answer with status ${status}`, async () => (await answer.getAttribute('data-status')) === status, timeoutMs);
  }

  /** Waits until the answer's visible text contains `text`; returns the whole visible text then. */
  async waitForAnswerText(text: string, answer: Locator = this.lastAnswer(), timeoutMs = 60_000): Promise<string> {
    return waitUntil(
      `the answer to show "${text}"`,
      async () => {
        const shown = await this.answerText(answer);
        return shown.includes(text) ? shown : undefined;
      },
      timeoutMs,
      50,
    );
  }

  /**
   * Waits until the answer shows exactly `expected` (whitespace collapsed). Finished blocks have
   * `content-visibility: auto`, so for the frame right after an answer ends the browser may not have
   * laid them out yet and innerText reads empty; a person sees the text a frame later.
   */
  async expectAnswerText(expected: string, answer: Locator = this.lastAnswer(), timeoutMs = 5_000): Promise<void> {
    let shown = '';
    try {
      await waitUntil('the answer text', async () => (shown = await this.answerText(answer)) === squash(expected), timeoutMs, 50);
    } catch {
      throw new Error(`the answer shows\n  ${JSON.stringify(shown)}\ninstead of\n  ${JSON.stringify(squash(expected))}`);
    }
  }

  /** `document.body.dataset.cspViolations` of the panel's document. */
  async cspViolations(): Promise<string | undefined> {
    return (await this.frame.locator('body').getAttribute('data-csp-violations')) ?? undefined;
  }
}

/** The chat completion requests the test server received, in order. */
export function chatRequests(server: TestServer): RecordedRequest[] {
  return server.requests.filter((request) => request.method === 'POST' && request.path.split('?')[0] === '/v1/chat/completions');
}

/** Waits for the `n`-th (1-based) chat completion request. */
export function nthChatRequest(server: TestServer, n: number, timeoutMs = 30_000): Promise<RecordedRequest> {
  return waitUntil(`chat completion request #${n}`, async () => chatRequests(server)[n - 1], timeoutMs, 20);
}

/** The outcome of a request as it stands (undefined while the exchange is still going). */
export function trackOutcome(request: RecordedRequest): { readonly value: 'finished' | 'aborted' | undefined } {
  const state: { value: 'finished' | 'aborted' | undefined } = { value: undefined };
  void request.outcome.then((outcome) => (state.value = outcome));
  return state;
}

/** The `messages` a chat completion request carried. */
export function messagesOf(request: RecordedRequest): unknown {
  return (request.json as { messages?: unknown } | undefined)?.messages;
}

/** Whether no chat panel document is loaded (a hidden webview view loses its page). */
export async function panelGone(page: Page): Promise<boolean> {
  return (await webviewFrames(page, CHAT_PANEL_SELECTOR)).length === 0;
}

/** After "Stream Chat: Select Endpoint" (or the panel's Select Endpoint button): Custom URL… → `baseUrl` → keep the model (Escape). */
export async function completeCustomEndpoint(page: Page, baseUrl: string): Promise<void> {
  await waitForQuickInput(page, 'Select Endpoint');
  await pickQuickItem(page, 'Custom URL');
  await waitForQuickInput(page, 'Custom endpoint');
  await submitQuickInput(page, baseUrl);
  await waitForQuickInput(page, 'Model on');
  await dismissQuickInput(page);
}

/** "Stream Chat: Select Endpoint" → Custom URL… → `baseUrl`, as a person chooses an endpoint. */
export async function chooseCustomEndpoint(page: Page, baseUrl: string): Promise<void> {
  await runCommand(page, 'Stream Chat: Select Endpoint');
  await completeCustomEndpoint(page, baseUrl);
}

/** One computed style property of an element. */
export async function cssOf(locator: Locator, property: string): Promise<string> {
  return locator.first().evaluate((element: StyledElement, name: string) => element.ownerDocument.defaultView?.getComputedStyle(element).getPropertyValue(name) ?? '', property);
}

/** What these helpers read of a DOM element (this package compiles without the DOM lib). */
interface StyledElement {
  parentElement: StyledElement | null;
  ownerDocument: { defaultView: { getComputedStyle(element: StyledElement): { color: string; backgroundColor: string; getPropertyValue(name: string): string } } | null };
}

/**
 * The text colour of an element and the colour behind it: its own and its ancestors' backgrounds
 * composited (translucent ones over what is under them), as `rgb(…)` / `rgba(…)` strings.
 */
export async function colorsOf(locator: Locator): Promise<{ color: string; background: string }> {
  const { color, backgrounds } = await locator.first().evaluate((element: StyledElement) => {
    const view = element.ownerDocument.defaultView;
    if (view === null) throw new Error('the element is not in a window');
    const layers: string[] = [];
    for (let node: StyledElement | null = element; node !== null; node = node.parentElement) {
      const background = view.getComputedStyle(node).backgroundColor;
      layers.push(background);
      if (/^rgb\(/.test(background)) break; // opaque: nothing below shows through
    }
    return { color: view.getComputedStyle(element).color, backgrounds: layers };
  });
  // From the bottom layer up (white under everything, as a page with no background).
  let under = [255, 255, 255];
  for (const layer of backgrounds.reverse()) {
    const [r, g, b, alpha] = channels(layer);
    under = [r, g, b].map((channel, i) => channel * alpha + under[i] * (1 - alpha));
  }
  return { color, background: `rgb(${under.map((channel) => Math.round(channel)).join(', ')})` };
}

function channels(rgb: string): number[] {
  const [r = 0, g = 0, b = 0, a = 1] = (rgb.match(/[\d.]+/g) ?? []).map(Number);
  return [r, g, b, a];
}

function luminance([r, g, b]: number[]): number {
  const [lr, lg, lb] = [r, g, b].map((channel) => {
    const value = channel / 255;
    return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * lr + 0.7152 * lg + 0.0722 * lb;
}

/** WCAG contrast ratio (1 to 21) of text colour `color` (its alpha blended in) on an opaque `background`, both `rgb(…)`/`rgba(…)`. */
export function contrastRatio(color: string, background: string): number {
  const [r, g, b, alpha] = channels(color);
  const under = channels(background);
  const blended = [r, g, b].map((channel, i) => channel * alpha + under[i] * (1 - alpha));
  const [light, dark] = [luminance(blended), luminance(under)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}
