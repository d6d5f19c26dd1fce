// The Stream Chat panel as a person uses it in the e2e window: open it from the command palette,
// type into its composer, watch answers stream, press its buttons. The panel's document lives in
// a webview's inner iframe; a hidden panel loses that frame, so every lookup finds it afresh.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame, Locator, Page } from 'playwright-core';
import {
  dismissQuickInput,
  pickQuickItem,
  runCommand,
  submitQuickInput,
  waitForQuickInput,
  waitForWebviewFrame,
  webviewFrames,
} from '../harness/browser';
import { screenshotsDir } from '../harness/paths';
import type { RecordedRequest, TestServer } from '../server';

/** Something only the chat panel's document has. */
export const CHAT_PANEL_SELECTOR = 'main.scroller .transcript';

export type AnswerStatus = 'streaming' | 'done' | 'stopped' | 'error';

/** Polls `check` until it returns a value other than undefined/false, or throws with `what` after `timeoutMs`. */
export async function waitUntil<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  timeoutMs = 30_000,
  intervalMs = 100,
): Promise<T> {
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

/**
 * The text a person sees in `locator`, once it is drawn. A turn above the last one is skipped while
 * off screen (content-visibility: auto), and Chromium gives skipped content no innerText; a turn
 * that has just stopped being the last is skipped until the next frame places it on screen.
 */
export async function shownText(locator: Locator, timeoutMs = 10_000): Promise<string> {
  return waitUntil('the text to be drawn', async () => squash(await locator.innerText()) || undefined, timeoutMs, 20);
}

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
    await waitUntil(
      'an empty transcript after New Chat',
      async () => (await panel.frame.locator('article.turn').count()) === 0,
    );
    return panel;
  }

  /** The panel that is on screen now (no command run). */
  static async find(page: Page, timeoutMs = 60_000): Promise<ChatPanel> {
    const frame = await waitForWebviewFrame(page, CHAT_PANEL_SELECTOR, timeoutMs);
    const panel = new ChatPanel(page, frame);
    // The header says "Model" until the host's snapshot (status) arrives.
    await waitUntil(
      'the panel to receive its snapshot',
      async () => (await panel.frame.locator('.panel-header .model-button .label').innerText()).trim() !== 'Model',
      timeoutMs,
    );
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
    await waitUntil(
      `an answer with status ${status}`,
      async () => (await answer.getAttribute('data-status')) === status,
      timeoutMs,
    );
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
      await waitUntil(
        'the answer text',
        async () => (shown = await this.answerText(answer)) === squash(expected),
        timeoutMs,
        50,
      );
    } catch {
      throw new Error(
        `the answer shows\n  ${JSON.stringify(shown)}\ninstead of\n  ${JSON.stringify(squash(expected))}`,
      );
    }
  }

  /** `document.body.dataset.cspViolations` of the panel's document. */
  async cspViolations(): Promise<string | undefined> {
    return (await this.frame.locator('body').getAttribute('data-csp-violations')) ?? undefined;
  }
}

/** The chat completion requests the test server received, in order. */
export function chatRequests(server: TestServer): RecordedRequest[] {
  return server.requests.filter(
    (request) => request.method === 'POST' && request.path.split('?')[0] === '/v1/chat/completions',
  );
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

/**
 * After "Stream Chat: Select Endpoint" (or the panel's Select Endpoint button): Custom URL… →
 * `baseUrl` → keep the model (Escape).
 */
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
  return locator
    .first()
    .evaluate(
      (element: StyledElement, name: string) =>
        element.ownerDocument.defaultView?.getComputedStyle(element).getPropertyValue(name) ?? '',
      property,
    );
}

/** What these helpers read of a DOM element (this package compiles without the DOM lib). */
interface StyledElement {
  parentElement: StyledElement | null;
  ownerDocument: {
    defaultView: {
      getComputedStyle(element: StyledElement): {
        color: string;
        backgroundColor: string;
        getPropertyValue(name: string): string;
      };
    } | null;
  };
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

/**
 * WCAG contrast ratio (1 to 21) of text colour `color` (its alpha blended in) on an opaque
 * `background`, both `rgb(…)`/`rgba(…)`.
 */
export function contrastRatio(color: string, background: string): number {
  const [r, g, b, alpha] = channels(color);
  const under = channels(background);
  const blended = [r, g, b].map((channel, i) => channel * alpha + under[i] * (1 - alpha));
  const [light, dark] = [luminance(blended), luminance(under)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

/** A button of the panel as assistive technology and the eye meet it. */
export interface PanelButton {
  /** `data-action`, or the class when it has none. */
  action: string;
  /** aria-label, else aria-labelledby's text, else its text, else its title (whitespace collapsed). */
  name: string;
  /** Hidden on purpose: it or an ancestor has the `hidden` attribute (e.g. Stop while nothing streams). */
  hiddenByAttribute: boolean;
  /** Text it shows beside its icon (`.label`), if any. */
  visibleLabel: string;
}

/** Every `button` of the panel's document, in document order. */
export async function panelButtons(panel: ChatPanel): Promise<PanelButton[]> {
  return panel.locator('button').evaluateAll((buttons: NamedElement[]) =>
    buttons.map((button) => {
      const squashed = (text: string | null | undefined) => (text ?? '').replace(/[\s\u00a0]+/g, ' ').trim();
      const labelledBy = squashed(button.getAttribute('aria-labelledby'))
        .split(' ')
        .filter((id) => id !== '')
        .map((id) => squashed(button.ownerDocument.getElementById(id)?.textContent))
        .join(' ');
      const name =
        squashed(button.getAttribute('aria-label')) ||
        squashed(labelledBy) ||
        squashed(button.textContent) ||
        squashed(button.getAttribute('title'));
      return {
        action: button.getAttribute('data-action') ?? button.getAttribute('class') ?? '',
        name,
        hiddenByAttribute: button.closest('[hidden]') !== null,
        visibleLabel: squashed(button.querySelector('.label')?.textContent),
      };
    }),
  );
}

/** What panelButtons reads of a DOM element (this package compiles without the DOM lib). */
interface NamedElement {
  textContent: string | null;
  getAttribute(name: string): string | null;
  closest(selector: string): NamedElement | null;
  querySelector(selector: string): NamedElement | null;
  ownerDocument: { getElementById(id: string): NamedElement | null };
}

/**
 * The accessible name Playwright computes for a button (its aria snapshot's `- button "name"`), ''
 * when it has none.
 */
export async function accessibleName(button: Locator): Promise<string> {
  const snapshot = await button.ariaSnapshot({ timeout: 5_000 });
  const quoted = /^- button "((?:[^"\\]|\\.)*)"/.exec(snapshot.trim());
  return quoted ? squash(JSON.parse(`"${quoted[1]}"`) as string) : '';
}

/**
 * The element that has the keyboard focus in the panel's document, described
 * (`button[data-action=send]`, `textarea.input`, …), and whether that document has the focus at all.
 */
export async function focusedInPanel(panel: ChatPanel): Promise<{ element: string; documentFocused: boolean }> {
  return panel.frame.evaluate<{ element: string; documentFocused: boolean }>(`(() => {
    const element = document.activeElement;
    let description = element ? element.localName : 'none';
    if (element && element.getAttribute('data-action'))
      description += '[data-action=' + element.getAttribute('data-action') + ']';
    else if (element && element.classList.length > 0) description += '.' + [...element.classList].join('.');
    return { element: description, documentFocused: document.hasFocus() };
  })()`);
}

/**
 * Presses Tab (or `key`, e.g. Shift+Tab) until the focused element of the panel's document is
 * `target` (as focusedInPanel describes it), at most `maxPresses` times; returns the elements
 * focused on the way, `target` last.
 */
export async function tabTo(
  panel: ChatPanel,
  target: string,
  maxPresses = 12,
  key: 'Tab' | 'Shift+Tab' = 'Tab',
): Promise<string[]> {
  const visited: string[] = [];
  for (let i = 0; i < maxPresses; i++) {
    await panel.page.keyboard.press(key);
    const { element, documentFocused } = await focusedInPanel(panel);
    visited.push(documentFocused ? element : `(outside the panel: ${element})`);
    if (documentFocused && element === target) return visited;
  }
  throw new Error(`${maxPresses} ${key} presses never reached ${target}; focus went ${visited.join(' → ')}`);
}

/** A window zoomed by zoomWindow. */
export interface ZoomedWindow {
  /**
   * Saves a screenshot of the zoomed window (device pixels) under test/e2e/screenshots/ and returns
   * its path. Playwright's page.screenshot clips to the viewport it set itself, twice the zoomed
   * one, and that capture lays the page out unzoomed again.
   */
  screenshot(name: string): Promise<string>;
  /** Back to 100%. */
  restore(): Promise<void>;
}

/**
 * Zooms the window to `factor` as the browser's own zoom does (Ctrl+= in a desktop browser; the web
 * workbench has no View: Zoom In and ignores `window.zoomLevel`): the page lays out in 1/factor of
 * its CSS pixels, at `devicePixelRatio` = factor, so everything is drawn factor times larger.
 */
export async function zoomWindow(page: Page, factor: number): Promise<ZoomedWindow> {
  const viewport = page.viewportSize() ?? { width: 1280, height: 800 };
  const session = await page.context().newCDPSession(page);
  await session.send('Emulation.setDeviceMetricsOverride', {
    width: Math.round(viewport.width / factor),
    height: Math.round(viewport.height / factor),
    deviceScaleFactor: factor,
    mobile: false,
  });
  return {
    async screenshot(name) {
      fs.mkdirSync(screenshotsDir, { recursive: true });
      const file = path.join(screenshotsDir, `${name.replace(/[^\w.-]+/g, '-')}.png`);
      const { data } = await session.send('Page.captureScreenshot', { format: 'png' });
      fs.writeFileSync(file, Buffer.from(data, 'base64'));
      return file;
    },
    async restore() {
      await session.send('Emulation.clearDeviceMetricsOverride');
      await session.detach();
      await page.setViewportSize(viewport); // Playwright's own viewport emulation, as before
    },
  };
}

/** An element that sticks out sideways. */
export interface Overflow {
  element: string;
  scrollWidth: number;
  clientWidth: number;
}

/**
 * Elements of the panel's document that scroll or stick out sideways: the page itself, the
 * `.scroller`, and anything whose right edge passes its scroller's or the window's, except inside
 * code blocks (`pre` scrolls sideways on purpose).
 */
export async function horizontalOverflow(panel: ChatPanel): Promise<Overflow[]> {
  return panel.frame.evaluate<Overflow[]>(`(() => {
    const found = [];
    const describe = (element) =>
      element.localName + (element.classList.length > 0 ? '.' + [...element.classList].join('.') : '');
    for (const element of [document.documentElement, document.body, document.querySelector('.scroller')]) {
      if (element && element.scrollWidth > element.clientWidth)
        found.push({ element: describe(element), scrollWidth: element.scrollWidth, clientWidth: element.clientWidth });
    }
    const windowRight = document.documentElement.clientWidth;
    const scroller = document.querySelector('.scroller');
    const scrollerRight = scroller ? scroller.getBoundingClientRect().right : windowRight;
    for (const element of document.querySelectorAll('#app *')) {
      if (element.closest('pre, .sr-only, [hidden]')) continue;
      const box = element.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue;
      const right = scroller && scroller.contains(element) ? scrollerRight : windowRight;
      if (box.right > right + 0.5)
        found.push({ element: describe(element), scrollWidth: Math.round(box.right), clientWidth: Math.round(right) });
    }
    return found;
  })()`);
}

/** The window's layout size in CSS pixels and its devicePixelRatio, in the panel's document. */
export async function panelWindow(
  panel: ChatPanel,
): Promise<{ width: number; height: number; devicePixelRatio: number }> {
  return panel.frame.evaluate<{ width: number; height: number; devicePixelRatio: number }>(
    `({
      width: document.documentElement.clientWidth,
      height: document.documentElement.clientHeight,
      devicePixelRatio: window.devicePixelRatio,
    })`,
  );
}

/**
 * The border colour of an element's top edge and the colour behind the element (its parent's
 * background, composited).
 */
export async function borderColorsOf(locator: Locator): Promise<{ color: string; background: string }> {
  const color = await cssOf(locator, 'border-top-color');
  const { background } = await colorsOf(locator.locator('xpath=..'));
  return { color, background };
}

/** An element's box in its own document's CSS pixels (getBoundingClientRect). */
export async function boxInPanel(
  locator: Locator,
): Promise<{ left: number; top: number; right: number; bottom: number }> {
  return locator
    .first()
    .evaluate((element: { getBoundingClientRect(): { left: number; top: number; right: number; bottom: number } }) => {
      const { left, top, right, bottom } = element.getBoundingClientRect();
      return { left, top, right, bottom };
    });
}

/** Where the conversation (`.scroller`) is scrolled to, in CSS pixels. */
export async function scrollPosition(
  panel: ChatPanel,
): Promise<{ scrollTop: number; clientHeight: number; scrollHeight: number }> {
  return panel
    .locator('main.scroller')
    .evaluate((scroller: { scrollTop: number; clientHeight: number; scrollHeight: number }) => ({
      scrollTop: scroller.scrollTop,
      clientHeight: scroller.clientHeight,
      scrollHeight: scroller.scrollHeight,
    }));
}
