// The render benchmark's page: the panel's real bundle and stylesheets served to headless Chromium
// from this checkout, with a stub of VS Code's webview API. Shared by bench:render's phases.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { repoRoot } from '../harness/paths';

/** How the panel renders: ours, or one of the baselines (see render.bench.ts). */
export type Mode = 'ours' | 'naive' | 'plain' | 'floor';

const ORIGIN = 'http://bench.localhost';

function shell(mode: Mode): string {
  const renderMode =
    mode === 'naive' ? ' data-render-mode="whole"' : mode === 'plain' ? ' data-render-mode="plain"' : '';
  // The panel's HTML shell (src/chat/chatView.ts) without the CSP nonce, plus a stub of VS Code's API.
  // A backslash ending a line continues it: the page gets one line, the source stays within 120 columns.
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<link rel="stylesheet" href="/dist/codicons/codicon.css">
<link rel="stylesheet" href="/media/markdown.css">
<link rel="stylesheet" href="/media/chat.css">
${mode === 'plain' ? '<style>.answer .markdown { white-space: pre-wrap; }</style>' : ''}
</head>
<body class="vscode-dark"${renderMode}>
<div id="app"></div>
<script>
window.posted = [];
window.acquireVsCodeApi = () => ({ postMessage: (m) => window.posted.push(m), \
getState: () => undefined, setState: () => {} });
// Time spent in animation-frame callbacks: the renders (and what they trigger: \
the panel's scroll-follow, forced layout).
window.frameWorkMs = 0;
// …and, per frame callback that rendered, its duration: the work of one render (flat in length?).
window.renderWork = [];
window.renderCount = 0;
document.addEventListener('markdown-rendered', () => window.renderCount++);
const raf = window.requestAnimationFrame.bind(window);
window.requestAnimationFrame = (callback) => raf((time) => {
  const start = performance.now();
  const rendered = window.renderCount;
  try { callback(time); } finally {
    const spent = performance.now() - start;
    window.frameWorkMs += spent;
    if (window.renderCount !== rendered) window.renderWork.push(spent);
  }
});
</script>
<script src="/dist/webview.js"></script>
<script src="/bench/page.js"></script>
</body>
</html>`;
}

export async function openPage(browser: Browser, mode: Mode, pageScript: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 420, height: 900 } });
  const page = await context.newPage();
  await page.route(`${ORIGIN}/**`, async (route) => {
    const url = new URL(route.request().url());
    if (url.pathname === '/') return route.fulfill({ contentType: 'text/html', body: shell(mode) });
    if (url.pathname === '/bench/page.js') return route.fulfill({ contentType: 'text/javascript', body: pageScript });
    const file = path.join(repoRoot, url.pathname);
    if (!/^\/(dist|media)\//.test(url.pathname) || !fs.existsSync(file))
      return route.fulfill({ status: 404, body: '' });
    const type = file.endsWith('.css')
      ? 'text/css'
      : file.endsWith('.js')
        ? 'text/javascript'
        : 'application/octet-stream';
    return route.fulfill({ contentType: type, body: fs.readFileSync(file) });
  });
  page.on('pageerror', (error) => console.error(`[page] ${error.message}`));
  await page.goto(`${ORIGIN}/`);
  return page;
}

export function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
/** Main-thread counters of the page (CDP Performance.getMetrics), by name, in seconds. */
export async function pageMetrics(cdp: CDPSession): Promise<Record<string, number>> {
  return Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
}
