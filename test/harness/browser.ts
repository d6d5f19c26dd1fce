// Headless Debian chromium driven by playwright-core, and the workbench actions a person performs.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type Frame, type Locator, type Page } from 'playwright-core';
import { chromiumPath, screenshotsDir } from './paths';

export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
}

export interface OpenWorkbenchOptions {
  /** Called when the workbench's extension host asks the automation to exit (after tests `run()`). */
  onAutomationExit?: (code: number) => void;
  /** Receives the page's console lines (the extension host's test output is forwarded there). */
  onConsole?: (line: string) => void;
  /** Default 120 s: the first load compiles and caches a lot on a 2-core machine. */
  timeoutMs?: number;
}

/** Opens `url` in a fresh browser context and waits until the workbench is on screen. */
export async function openWorkbench(browser: Browser, url: string, options: OpenWorkbenchOptions = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  // The web workbench calls these when it runs extension tests (vscode's own browser test runner does the same).
  await page.exposeFunction('codeAutomationExit', (code: number) => options.onAutomationExit?.(code));
  await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) =>
    options.onConsole?.(
      `[${type}] ${args.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' ')}`,
    ),
  );
  if (options.onConsole)
    page.on('console', (message) => options.onConsole?.(`[browser ${message.type()}] ${message.text()}`));
  const timeout = options.timeoutMs ?? 120_000;
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout });
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout });
  return page;
}

/** Closes the page's browser context (its window), leaving the browser for the next window. */
export async function closeWorkbench(page: Page): Promise<void> {
  await page.context().close();
}

/**
 * Runs a command as a person does: F1, type its title, Enter. Waits for the title to be the
 * highlighted palette entry first, so Enter never runs a different command. The palette lists
 * what is registered when it opens, and an extension's commands appear only once the extension
 * host has scanned it, so a palette without the entry is closed and opened again (bounded).
 */
export async function runCommand(page: Page, title: string, timeoutMs = 60_000): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  const entry = page.locator('.quick-input-list .monaco-list-row.focused').filter({ hasText: title }).first();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible', timeout: Math.max(1000, deadline - Date.now()) });
    // The palette can close again at once (focus taken by a notification or the panel): then F1 again.
    const filled = await input.fill(`>${title}`, { timeout: 5000 }).then(
      () => true,
      () => false,
    );
    const found =
      filled &&
      (await entry.waitFor({ state: 'visible', timeout: Math.min(5000, Math.max(1000, deadline - Date.now())) }).then(
        () => true,
        () => false,
      ));
    if (found) break;
    if (Date.now() > deadline) {
      const rows = await page.locator('.quick-input-list .monaco-list-row').allInnerTexts();
      throw new Error(
        `"${title}" is not in the command palette after ${timeoutMs / 1000} s; it lists: ${rows.join(' | ')}`,
      );
    }
    await page.keyboard.press('Escape');
    await input.waitFor({ state: 'hidden', timeout: 5000 }).catch(() => undefined);
  }
  await page.keyboard.press('Enter');
  // The palette closes, or the command replaces it with its own quick pick / input box.
  // (A string expression: this package compiles without the DOM lib.)
  await page.waitForFunction(
    `(() => { const box = document.querySelector('.quick-input-widget input');
      return !box || box.offsetParent === null || box.value !== ${JSON.stringify(`>${title}`)}; })()`,
    undefined,
    { timeout: 10_000 },
  );
}

const quickInput = (page: Page) => page.locator('.quick-input-widget');

/** Waits for an open quick pick / input box whose title contains `title`. */
export async function waitForQuickInput(page: Page, title: string | RegExp, timeoutMs = 30_000): Promise<void> {
  await quickInput(page)
    .locator('.quick-input-title')
    .filter({ hasText: title })
    .waitFor({ state: 'visible', timeout: timeoutMs });
}

/**
 * In the open quick pick: types `filter` and accepts the highlighted entry once it contains `label`
 * (default `filter`).
 */
export async function pickQuickItem(
  page: Page,
  filter: string,
  label: string | RegExp = filter,
  timeoutMs = 30_000,
): Promise<void> {
  await quickInput(page).locator('input').fill(filter);
  await quickInput(page)
    .locator('.quick-input-list .monaco-list-row.focused')
    .filter({ hasText: label })
    .first()
    .waitFor({ state: 'visible', timeout: timeoutMs });
  await page.keyboard.press('Enter');
}

/** In the open input box: replaces the value with `text` and presses Enter. */
export async function submitQuickInput(page: Page, text: string): Promise<void> {
  await quickInput(page).locator('input').fill(text);
  await page.keyboard.press('Enter');
}

/** Closes any open quick input (Escape until none is visible). */
export async function dismissQuickInput(page: Page): Promise<void> {
  for (let i = 0; i < 5 && (await quickInput(page).isVisible()); i++) {
    await page.keyboard.press('Escape');
  }
}

/**
 * The notification whose text matches, once it is visible: its toast, or, when toasts are off
 * (a window with the smoke-test driver never shows toasts), its entry in the notifications
 * center, which this opens as a person would with the bell.
 */
export async function waitForNotification(page: Page, text: string | RegExp, timeoutMs = 30_000): Promise<Locator> {
  const toast = page.locator('.notification-toast').filter({ hasText: text }).first();
  const listed = page.locator('.notifications-center .notification-list-item').filter({ hasText: text }).first();
  if (!(await toastsShown(page))) {
    if (!(await page.locator('.notifications-center').isVisible()))
      await runCommand(page, 'Notifications: Show Notifications');
    await listed.waitFor({ state: 'visible', timeout: timeoutMs });
    return listed;
  }
  await toast.waitFor({ state: 'visible', timeout: timeoutMs });
  // Settled: the fade-in transition has ended (screenshots show it opaque).
  await page
    .locator('.notification-toast.notification-fade-in-done')
    .filter({ hasText: text })
    .first()
    .waitFor({ state: 'visible', timeout: 5000 })
    .catch(() => undefined);
  return toast;
}

/** Whether this window shows notification toasts: not when the smoke-test driver (`window.driver`) is on. */
async function toastsShown(page: Page): Promise<boolean> {
  return page.evaluate(() => !('driver' in globalThis));
}

/** The text of a notification (message plus source), whitespace collapsed. */
export async function notificationText(toast: Locator): Promise<string> {
  return ((await toast.innerText()) ?? '').replace(/\s+/g, ' ').trim();
}

/** Clears every notification (toasts and the center), so later waits see only new ones. */
export async function clearNotifications(page: Page): Promise<void> {
  await runCommand(page, 'Notifications: Clear All Notifications');
}

/**
 * Frames that hold webview content. A webview is an outer iframe (`index.html` host) with the
 * extension's document in an inner `fake.html`/`active-frame` iframe; this returns the inner ones,
 * optionally only those whose document contains `selector`.
 */
export async function webviewFrames(page: Page, selector?: string): Promise<Frame[]> {
  const inner = page.frames().filter((frame) => frame !== page.mainFrame() && frame.parentFrame() !== page.mainFrame());
  if (!selector) return inner;
  const matches: Frame[] = [];
  for (const frame of inner) {
    if (
      (await frame
        .locator(selector)
        .count()
        .catch(() => 0)) > 0
    )
      matches.push(frame);
  }
  return matches;
}

/** Waits until some webview frame contains `selector` and returns that frame. */
export async function waitForWebviewFrame(page: Page, selector: string, timeoutMs = 30_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [frame] = await webviewFrames(page, selector);
    if (frame) return frame;
    if (Date.now() > deadline) throw new Error(`no webview frame contains ${selector} after ${timeoutMs / 1000} s`);
    // Frames attach asynchronously; wait for the next one to appear or navigate, or re-check shortly.
    await Promise.race([
      page.waitForEvent('frameattached', { timeout: 1000 }).catch(() => undefined),
      page.waitForEvent('framenavigated', { timeout: 1000 }).catch(() => undefined),
    ]);
  }
}

/** Saves a full-window screenshot under test/e2e/screenshots/ and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(screenshotsDir, { recursive: true });
  const file = path.join(screenshotsDir, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** Saves a screenshot of one element (e.g. a view, for the README) under test/e2e/screenshots/. */
export async function elementScreenshot(element: Locator, name: string): Promise<string> {
  fs.mkdirSync(screenshotsDir, { recursive: true });
  const file = path.join(screenshotsDir, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  await element.screenshot({ path: file });
  return file;
}

/**
 * Opens a workspace file as a person does: "Go to File…" (Quick Open), type its name, Enter; waits
 * for its tab to be active.
 */
export async function openWorkspaceFile(page: Page, name: string, timeoutMs = 30_000): Promise<void> {
  await runCommand(page, 'Go to File');
  await pickQuickItem(page, name, name, timeoutMs);
  await page
    .locator('.editor-group-container.active .tab.active')
    .filter({ hasText: name })
    .first()
    .waitFor({ state: 'visible', timeout: timeoutMs });
}

/**
 * The text of the active editor as Monaco shows it (its rendered lines, top to bottom; only the
 * lines on screen), non-breaking spaces as spaces.
 */
export async function activeEditorText(page: Page): Promise<string> {
  return page.evaluate<string>(`(() => {
    const lines = document.querySelector('.editor-group-container.active .monaco-editor .view-lines');
    if (!lines) return '';
    return [...lines.querySelectorAll('.view-line')]
      .map((line) => ({ top: parseFloat(line.style.top) || 0, text: line.textContent || '' }))
      .sort((a, b) => a.top - b.top)
      .map((line) => line.text.replace(/\\u00a0/g, ' '))
      .join('\\n');
  })()`);
}

/** The name on the active editor tab (e.g. `hello.ts`, `Untitled-1`), or undefined when none. */
export async function activeEditorTitle(page: Page): Promise<string | undefined> {
  const tab = page.locator('.editor-group-container.active .tab.active').first();
  if ((await tab.count()) === 0) return undefined;
  return (await tab.getAttribute('data-resource-name')) ?? undefined;
}

/**
 * The label of the highlighted entry of the open quick pick (e.g. the current colour theme when the
 * theme picker opens).
 */
export async function focusedQuickItemLabel(page: Page, timeoutMs = 30_000): Promise<string> {
  const row = quickInput(page).locator('.quick-input-list .monaco-list-row.focused .label-name').first();
  await row.waitFor({ state: 'visible', timeout: timeoutMs });
  return (await row.innerText()).trim();
}

/**
 * Like runCommand, for a command whose title the palette ranks below others that match it too
 * (e.g. "Preferences: Color Theme" under "Preferences: Browse Color Themes in Marketplace"):
 * clicks the entry whose label is exactly `title`.
 */
export async function runCommandExact(page: Page, title: string, timeoutMs = 30_000): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  const deadline = Date.now() + timeoutMs;
  // As in runCommand: the palette can close again at once (focus taken by the panel), then F1 again.
  for (let filled = false; !filled;) {
    await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible', timeout: Math.max(1000, deadline - Date.now()) });
    filled = await input.fill(`>${title}`, { timeout: 5000 }).then(
      () => true,
      (error: unknown) => {
        if (Date.now() > deadline) throw error;
        return false;
      },
    );
  }
  const row = page
    .locator('.quick-input-list .monaco-list-row')
    .filter({
      has: page.locator('.label-name', { hasText: new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }),
    })
    .first();
  await row.click({ timeout: timeoutMs });
}
