// The layer rules of eslint.config.mjs, checked by planting one violation per rule into a real file
// of the folder it guards (the text is linted, never written) and asserting the rule's own reason is
// reported. Removing a rule from the config fails its case here; the allowed edges are checked too.
import * as assert from 'node:assert/strict';
import { ESLint, type Linter } from 'eslint';
import { repoRoot } from '../harness/paths';

/** The start of each rule's reason in eslint.config.mjs (the message lint shows). */
const REASON = {
  vscode: 'pure layers (api, core, shared, webview, protocol) never depend on vscode',
  apiAlone: 'src/api imports nothing outside src/api',
  pureNoHost: 'pure layers never import src/host',
  pureNoSurface: 'pure layers never import a surface',
  sharedAlone: 'src/shared is used by both bundles',
  webviewOnly: 'the webview runs in a browser bundle',
  hostNoSurface: 'src/host serves every surface',
  surfaceEdge: 'surfaces do not import each other',
  noWebview: 'extension-host code never imports the webview',
  noEntry: 'nothing imports src/extension.ts',
  protocolAlone: 'src/protocol.ts is shared by both bundles',
  typedConfig: 'settings are read only through src/host/config.ts',
  functionLength: 'has too many lines',
  fileLength: 'File has too many lines',
  lineLength: 'This line has a length of',
} as const;

interface Plant {
  /** A real file of the folder under test: the planted text is linted as if it were that file. */
  file: string;
  code: string;
  /** The reason expected, or undefined when the import is allowed (nothing may be reported). */
  reason: keyof typeof REASON | undefined;
}

const plants: Plant[] = [
  // vscode: every pure folder and the protocol, in each form an import can take.
  { file: 'src/api/client.ts', code: "import * as vscode from 'vscode';", reason: 'vscode' },
  { file: 'src/core/requestRunner.ts', code: "import type { Uri } from 'vscode';", reason: 'vscode' },
  { file: 'src/shared/snippets.ts', code: "const vscode = require('vscode');", reason: 'vscode' },
  { file: 'src/webview/dom.ts', code: "type Uri = import('vscode').Uri;", reason: 'vscode' },
  { file: 'src/core/conversation.ts', code: "void import('vscode');", reason: 'vscode' },
  { file: 'src/protocol.ts', code: "import type { Uri } from 'vscode';", reason: 'vscode' },
  // api stands alone.
  { file: 'src/api/client.ts', code: "import { fenced } from '../shared/snippets';", reason: 'apiAlone' },
  { file: 'src/api/client.ts', code: "import { answerReserve } from '../core/contextBudget';", reason: 'apiAlone' },
  // Pure layers never reach up.
  {
    file: 'src/core/requestRunner.ts',
    code: "import type { Services } from '../host/services';",
    reason: 'pureNoHost',
  },
  {
    file: 'src/core/conversation.ts',
    code: "import type { ChatSession } from '../chat/chatSession';",
    reason: 'pureNoSurface',
  },
  {
    file: 'src/core/contextBudget.ts',
    code: "import { insertMessages } from '../insert/insertPrompt';",
    reason: 'pureNoSurface',
  },
  { file: 'src/core/requestRunner.ts', code: "import { ChatClient } from '../api';", reason: undefined },
  {
    file: 'src/shared/snippets.ts',
    code: "import { estimateMessages } from '../core/contextBudget';",
    reason: 'sharedAlone',
  },
  { file: 'src/shared/snippets.ts', code: "import type { CodeSnippet } from '../protocol';", reason: undefined },
  // The webview: protocol and shared only.
  { file: 'src/webview/dom.ts', code: "import { Conversation } from '../core/conversation';", reason: 'webviewOnly' },
  { file: 'src/webview/dom.ts', code: "import { ChatClient } from '../api';", reason: 'webviewOnly' },
  { file: 'src/webview/dom.ts', code: "import type { Services } from '../host/services';", reason: 'pureNoHost' },
  { file: 'src/webview/dom.ts', code: "import { estimateTokens } from '../shared/snippets';", reason: undefined },
  { file: 'src/webview/dom.ts', code: "import type { HostToWebview } from '../protocol';", reason: undefined },
  // The host serves the surfaces and never imports one.
  {
    file: 'src/host/config.ts',
    code: "import type { ChatSession } from '../chat/chatSession';",
    reason: 'hostNoSurface',
  },
  {
    file: 'src/host/config.ts',
    code: "import { prepareRequest } from '../core/requestPreparation';",
    reason: undefined,
  },
  // Surfaces: only the listed edges.
  {
    file: 'src/ask/askCommands.ts',
    code: "import { insertMessages } from '../insert/insertPrompt';",
    reason: 'surfaceEdge',
  },
  {
    file: 'src/insert/insertCommands.ts',
    code: "import type { ChatSession } from '../chat/chatSession';",
    reason: 'surfaceEdge',
  },
  {
    file: 'src/chat/chatView.ts',
    code: "import type { ChatHistory } from '../history/chatHistory';",
    reason: 'surfaceEdge',
  },
  {
    file: 'src/ask/askCommands.ts',
    code: "import type { ChatSession } from '../chat/chatSession';",
    reason: undefined,
  },
  {
    file: 'src/history/chatHistory.ts',
    code: "import type { ChatSession } from '../chat/chatSession';",
    reason: undefined,
  },
  {
    file: 'src/chat/regenerateWith.ts',
    code: "import { pickModel } from '../endpoint/endpointCommands';",
    reason: undefined,
  },
  // Host-side code and the webview bundle; the entry point.
  { file: 'src/chat/chatView.ts', code: "import { el } from '../webview/dom';", reason: 'noWebview' },
  { file: 'src/host/config.ts', code: "import { el } from '../webview/dom';", reason: 'noWebview' },
  { file: 'src/chat/chatView.ts', code: "import { activate } from '../extension';", reason: 'noEntry' },
  // The protocol: types from api only.
  { file: 'src/protocol.ts', code: "import { ChatClient } from './api';", reason: 'protocolAlone' },
  { file: 'src/protocol.ts', code: "import type { Settings } from './host/config';", reason: 'protocolAlone' },
  { file: 'src/protocol.ts', code: "import type { ChatErrorKind } from './api';", reason: undefined },
  // Settings: through the typed config only.
  {
    file: 'src/ask/askCommands.ts',
    code: "import * as vscode from 'vscode';\nvoid vscode.workspace.getConfiguration('streamChat').get('prompts');",
    reason: 'typedConfig',
  },
  {
    file: 'src/host/config.ts',
    code: "import * as vscode from 'vscode';\nvoid vscode.workspace.getConfiguration('streamChat').get('model');",
    reason: undefined,
  },
  // Sizes.
  { file: 'src/core/contextBudget.ts', code: longFunction(61), reason: 'functionLength' },
  { file: 'src/core/contextBudget.ts', code: longFunction(60), reason: undefined },
  { file: 'src/core/contextBudget.ts', code: 'export const a = 1;\n'.repeat(401), reason: 'fileLength' },
  { file: 'src/core/contextBudget.ts', code: `export const a = '${'x'.repeat(120)}';`, reason: 'lineLength' },
];

/** A function of exactly `lines` lines, braces included (what max-lines-per-function counts). */
function longFunction(lines: number): string {
  const body = Array.from({ length: lines - 4 }, (_, i) => `  total += ${i};`).join('\n');
  return `export function f(): number {\n  let total = 0;\n${body}\n  return total;\n}\n`;
}

/** Messages of the rules this test is about (not unused variables and the like in planted text). */
function layerMessages(messages: Linter.LintMessage[]): string[] {
  const reasons = Object.values(REASON);
  return messages.map((message) => message.message).filter((text) => reasons.some((reason) => text.includes(reason)));
}

describe('lint: the layers of src/ (eslint.config.mjs)', function () {
  // Type-aware linting builds the TypeScript program once, then each planted text is quick.
  this.timeout(120_000);
  let eslint: ESLint;
  const results = new Map<Plant, string[]>();

  before(async () => {
    eslint = new ESLint({ cwd: repoRoot });
    for (const plant of plants) {
      const [result] = await eslint.lintText(`${plant.code}\n`, { filePath: `${repoRoot}/${plant.file}` });
      results.set(plant, layerMessages(result.messages));
    }
  });

  it(`plants ${plants.length} imports and sizes; every rule has at least one violation`, () => {
    assert.equal(results.size, plants.length);
    const planted = new Set(plants.map((plant) => plant.reason).filter((reason) => reason !== undefined));
    assert.deepEqual([...planted].sort(), Object.keys(REASON).sort());
  });

  for (const plant of plants) {
    const expectation = plant.reason === undefined ? 'is allowed' : `is reported: ${REASON[plant.reason]}…`;
    it(`${plant.file}: ${plant.code.split('\n')[0].slice(0, 60)} ${expectation}`, () => {
      const messages = results.get(plant) ?? [];
      if (plant.reason === undefined) assert.deepEqual(messages, []);
      else
        assert.ok(
          messages.some((text) => text.includes(REASON[plant.reason!])),
          messages.join('\n') || 'nothing',
        );
    });
  }
});
