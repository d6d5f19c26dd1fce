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
    options.onConsole?.(`[${type}] ${args.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' ')}`),
  );
  if (options.onConsole) page.on('console', (message) => options.onConsole?.(`[browser ${message.type()}] ${message.text()}`));
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
 * highlighted palette entry first, so Enter never runs a different command.
 */
export async function runCommand(page: Page, title: string, timeoutMs = 30_000): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  await page.locator('.monaco-workbench').click({ position: { x: 640, y: 400 }, trial: true }).catch(() => undefined);
  await page.keyboard.press('F1');
  await input.waitFor({ state: 'visible', timeout: timeoutMs });
  await input.fill(`>${title}`);
  const focused = page.locator('.quick-input-list .monaco-list-row.focused');
  await focused.filter({ hasText: title }).first().waitFor({ state: 'visible', timeout: timeoutMs });
  await page.keyboard.press('Enter');
  await input.waitFor({ state: 'hidden', timeout: timeoutMs });
}

/** The notification toast whose text matches, once it is visible. */
export async function waitForNotification(page: Page, text: string | RegExp, timeoutMs = 30_000): Promise<Locator> {
  const toast = page.locator('.notification-toast').filter({ hasText: text }).first();
  await toast.waitFor({ state: 'visible', timeout: timeoutMs });
  return toast;
}

/** The text of a notification (message plus source), whitespace collapsed. */
export async function notificationText(toast: Locator): Promise<string> {
  return ((await toast.innerText()) ?? '').replace(/\s+/g, ' ').trim();
}

/** Dismisses every visible notification toast (so later waits see only new ones). */
export async function clearNotifications(page: Page): Promise<void> {
  const toasts = page.locator('.notification-toast');
  while ((await toasts.count()) > 0) {
    const close = toasts.first().locator('.codicon-notifications-clear, .codicon-close').first();
    if ((await close.count()) === 0) break;
    await toasts.first().hover();
    await close.click();
  }
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
    if ((await frame.locator(selector).count().catch(() => 0)) > 0) matches.push(frame);
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
