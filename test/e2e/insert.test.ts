// A person runs "Stream Chat: Insert at Cursor…" in hello.ts: types the instruction, watches the code
// appear (highlighted) while the server is still streaming, and presses Esc.
import * as assert from 'node:assert/strict';
import { activeEditorText, openWorkspaceFile, runCommand, screenshot, submitQuickInput, waitForQuickInput } from '../harness/browser';
import { chunk, sse, type StreamStep } from '../server';
import { chatRequests, trackOutcome, waitUntil } from './chatPanel';
import { e2eEnvironment } from './environment';

describe('e2e: Stream Chat: Insert at Cursor', () => {
  it('streams the code into the editor, highlighted, and stops on Esc keeping what arrived', async () => {
    const { page, testServer } = await e2eEnvironment();
    testServer.reset();
    const lines = Array.from({ length: 40 }, (_, i) => `export const value${i} = ${i};\n`);
    const steps: StreamStep[] = [sse.data(chunk({ role: 'assistant', content: '' }))];
    for (const line of lines) steps.push(sse.data(chunk({ content: line })), { wait: 150 });
    steps.push(sse.data(chunk({}, { finishReason: 'stop' })), sse.done());
    testServer.enqueue({ kind: 'stream', steps });

    await openWorkspaceFile(page, 'hello.ts');
    await page.keyboard.press('Control+End');
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

    // One undo in this TypeScript file takes back only the latest edits (a known bug, see the skipped
    // integration test), so the file is reverted instead.
    await runCommand(page, 'File: Revert File');
    await runCommand(page, 'View: Close All Editors');
  });
});
