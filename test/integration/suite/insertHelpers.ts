// Shared steps for the Insert at Cursor suites. Not a test file itself (the runner loads only *.test.js).
import * as vscode from 'vscode';
import type { InsertResult } from '../../../src/insert/insertCommands';
import { chunk, sse, type Scenario } from '../../server';

/** A stream whose content deltas are exactly `deltas`. */
export function contentStream(deltas: string[], extra: Partial<Extract<Scenario, { kind: 'stream' }>> = {}): Scenario {
  return {
    kind: 'stream',
    steps: [
      sse.data(chunk({ role: 'assistant', content: '' })),
      ...deltas.map((text) => sse.data(chunk({ content: text }))),
      sse.data(chunk({}, { finishReason: 'stop' })),
      sse.done(),
    ],
    ...extra,
  };
}

export async function editorWith(content: string, language = 'typescript'): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument({ content, language });
  return vscode.window.showTextDocument(document);
}

export function insertAtCursor(prompt = 'write it'): Thenable<InsertResult> {
  return vscode.commands.executeCommand<InsertResult>('streamChat.insertAtCursor', { prompt });
}

/** Resolves at the next change of `document` whose text satisfies `predicate`. */
export function documentChange(document: vscode.TextDocument, predicate: (text: string) => boolean): Promise<void> {
  return new Promise((resolve) => {
    const listener = vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.document === document && predicate(document.getText())) {
        listener.dispose();
        resolve();
      }
    });
  });
}
