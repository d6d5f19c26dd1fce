// A person runs "Stream Chat: Insert at Cursor…" in hello.ts: types the instruction, watches the code
// appear (highlighted) while the server is still streaming, presses Esc, then Ctrl+Z once.
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
import { chunk, sse, type StreamStep } from '../server';
import { chatRequests, trackOutcome, waitUntil } from './chatPanel';
import { e2eEnvironment } from './environment';

describe('e2e: Stream Chat: Insert at Cursor', () => {
  it('streams highlighted code into the editor; Esc stops, keeping what arrived; one Ctrl+Z undoes it', async () => {
    const { page, testServer } = await e2eEnvironment();
    testServer.reset();
    const lines = Array.from({ length: 40 }, (_, i) => `export const value${i} = ${i};\n`);
    const steps: StreamStep[] = [sse.data(chunk({ role: 'assistant', content: '' }))];
    for (const line of lines) steps.push(sse.data(chunk({ content: line })), { wait: 150 });
    steps.push(sse.data(chunk({}, { finishReason: 'stop' })), sse.done());
    testServer.enqueue({ kind: 'stream', steps });

    await openWorkspaceFile(page, 'hello.ts');
    await page.keyboard.press('Control+End');
    const original = await waitUntil('hello.ts on screen', async () => {
      const text = await activeEditorText(page);
      return text.includes('greet') ? text : undefined;
    });
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
});
