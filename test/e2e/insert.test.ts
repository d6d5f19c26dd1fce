// A person runs "Stream Chat: Insert at Cursor…" in hello.ts: types the instruction, watches the code
// appear (highlighted) while the server is still streaming, presses Esc, then Ctrl+Z once. And an answer that
// opens with a sentence: the editor never shows it, sampled at every change of the editor's lines.
import * as assert from 'node:assert/strict';
import {
  activeEditorText,
  openWorkspaceFile,
  runCommand,
  runCommandExact,
  screenshot,
  submitQuickInput,
  waitForQuickInput,
} from '../harness/browser';
import type { Page } from 'playwright-core';
import { chunk, sse, type StreamStep } from '../server';
import { chatRequests, trackOutcome, waitUntil } from './chatPanel';
import { e2eEnvironment } from './environment';

/**
 * Records the active editor's text as Monaco shows it at every change of its lines (a MutationObserver in the
 * page), until the returned function is called; that returns every text seen.
 */
async function sampleEditorText(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(`(() => {
    const lines = document.querySelector('.editor-group-container.active .monaco-editor .view-lines');
    const read = () => [...lines.querySelectorAll('.view-line')]
      .map((line) => ({ top: parseFloat(line.style.top) || 0, text: line.textContent || '' }))
      .sort((a, b) => a.top - b.top)
      .map((line) => line.text.replace(/\\u00a0/g, ' '))
      .join('\\n');
    const samples = [read()];
    const observer = new MutationObserver(() => samples.push(read()));
    observer.observe(lines, { childList: true, subtree: true, characterData: true });
    window.__streamChatStopSampling = () => {
      observer.disconnect();
      return samples;
    };
  })()`);
  return () => page.evaluate<string[]>('window.__streamChatStopSampling()');
}

/**
 * Opens hello.ts with the cursor at its end, as a person does: click into the text, Ctrl+End. Just after the file
 * opens the editor may not have the focus yet (a key press then goes elsewhere): until the status bar shows the
 * cursor on the last line. Returns the text on screen.
 */
async function openHelloAtEnd(page: Page): Promise<string> {
  await openWorkspaceFile(page, 'hello.ts');
  const original = await waitUntil('hello.ts on screen', async () => {
    const text = await activeEditorText(page);
    return text.includes('greet') ? text : undefined;
  });
  const lastLine = `Ln ${original.split('\n').length}, Col 1`;
  await waitUntil(`the cursor at ${lastLine}`, async () => {
    await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+End');
    const position = await page.locator('[id="status.editor.selection"]').first().textContent();
    return position?.includes(lastLine);
  });
  return original;
}

/** `answer` in tokens of about four characters, one event each, `waitMs` apart. */
function pacedAnswer(answer: string, waitMs: number): StreamStep[] {
  const steps: StreamStep[] = [sse.data(chunk({ role: 'assistant', content: '' }))];
  for (const token of answer.match(/\s*\S{1,4}|\s+/g) ?? [])
    steps.push(sse.data(chunk({ content: token })), { wait: waitMs });
  steps.push(sse.data(chunk({}, { finishReason: 'stop' })), sse.done());
  return steps;
}

describe('e2e: Stream Chat: Insert at Cursor', () => {
  it('streams highlighted code into the editor; Esc stops, keeping what arrived; one Ctrl+Z undoes it', async () => {
    const { page, testServer } = await e2eEnvironment();
    testServer.reset();
    const lines = Array.from({ length: 40 }, (_, i) => `export const value${i} = ${i};\n`);
    const steps: StreamStep[] = [sse.data(chunk({ role: 'assistant', content: '' }))];
    for (const line of lines) steps.push(sse.data(chunk({ content: line })), { wait: 150 });
    steps.push(sse.data(chunk({}, { finishReason: 'stop' })), sse.done());
    testServer.enqueue({ kind: 'stream', steps });

    const original = await openHelloAtEnd(page);
    await runCommand(page, 'Stream Chat: Insert at Cursor');
    await waitForQuickInput(page, /Insert at Cursor/);
    await submitQuickInput(page, 'export some constants');

    const request = await waitUntil('the request', async () => chatRequests(testServer)[0]);
    const outcome = trackOutcome(request);
    await waitUntil('code in the editor', async () => (await activeEditorText(page)).includes('value3 = 3'));
    assert.equal(outcome.value, undefined, 'the code is in the editor while the server is still streaming');
    await screenshot(page, 'insert-1-streaming');

    await page.keyboard.press('Escape');
    await waitUntil('the request to be aborted', async () => outcome.value === 'aborted');
    const stopped = await activeEditorText(page);
    assert.ok(stopped.includes('value3 = 3'), 'what arrived is kept');
    assert.ok(!stopped.includes('value39'), 'the rest never arrived');
    await screenshot(page, 'insert-2-stopped');

    // One Ctrl+Z takes all of it back, even if auto save (code-server's default) saved mid-stream.
    await page.keyboard.press('Control+Z');
    await waitUntil('one undo to restore the file', async () => (await activeEditorText(page)) === original).catch(
      async (error: unknown) => {
        await screenshot(page, 'insert-3-undo-failed');
        throw new Error(
          `${String(error)}; the editor shows:\n${await activeEditorText(page)}\n--- instead of:\n${original}`,
        );
      },
    );
    await runCommandExact(page, 'File: Save');
    await runCommand(page, 'View: Close All Editors');
  });

  it('an answer that opens with a sentence never shows it in the editor; the code lands', async () => {
    const { page, testServer } = await e2eEnvironment();
    testServer.reset();
    const code = 'export function farewell(name: string): string {\n  return `Goodbye, ${name}!`;\n}';
    const answer = `Sure! Here is a function that says goodbye:\n\n\`\`\`ts\n${code}\n\`\`\`\n\nIt returns the text.`;
    testServer.enqueue({ kind: 'stream', steps: pacedAnswer(answer, 80) });

    const original = await openHelloAtEnd(page);
    const samples = await sampleEditorText(page);
    await runCommand(page, 'Stream Chat: Insert at Cursor');
    await waitForQuickInput(page, /Insert at Cursor/);
    await submitQuickInput(page, 'a function that says goodbye');

    const request = await waitUntil('the request', async () => chatRequests(testServer)[0]);
    const outcome = trackOutcome(request);
    await waitUntil('code in the editor', async () => (await activeEditorText(page)).includes('farewell('));
    assert.equal(outcome.value, undefined, 'the code is in the editor while the server is still streaming');
    await screenshot(page, 'insert-prose-1-streaming');
    await waitUntil('the whole code', async () => (await activeEditorText(page)).includes('Goodbye, ${name}!`;\n}'));
    await waitUntil('the stream to end', async () => outcome.value === 'finished');
    const seen = await samples();
    // For the screenshot only: the language server's squiggles from mid-stream states clear when it catches up.
    await waitUntil('no problems reported', async () =>
      /No Problems/i.test((await page.locator('[id="status.problems"]').first().getAttribute('aria-label')) ?? ''),
    ).catch(() => undefined);
    await screenshot(page, 'insert-prose-2-done');

    assert.ok(
      seen.some((text) => text.includes('farewell(') && !text.includes('Goodbye')),
      `the editor was sampled while the code streamed: ${JSON.stringify(seen)}`,
    );
    const withProse = seen.filter((text) => /Sure|Here is|says goodbye|It returns|```/.test(text));
    assert.deepEqual(withProse, [], 'the editor showed prose or a fence');
    assert.equal(await activeEditorText(page), `${original}${code}`);

    await page.keyboard.press('Control+Z');
    await waitUntil('one undo to restore the file', async () => (await activeEditorText(page)) === original);
    await runCommandExact(page, 'File: Save');
    await runCommand(page, 'View: Close All Editors');
  });
});
