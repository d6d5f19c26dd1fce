// The ask commands: Explain / Refactor / Find Bugs / Write Tests / Add Docs send the code (see
// askContext.ts) with their instruction, Ask… with the user's question. The answer streams in the
// chat panel as an ordinary turn (the `ask` owner of its request), so follow-ups keep the context.
// Each command resolves, when the answer ends, with what it said and how it ended.
import * as vscode from 'vscode';
import type { ChatSession } from '../chat/chatSession';
import type { AssistantTurnView, CodeSnippet } from '../protocol';
import type { Services } from '../host/services';
import { pickCode, summaryOf, type AskScope, type PickedCode } from './askContext';
import {
  askLabel,
  ASK_ACTIONS,
  ASK_ACTION_COMMANDS,
  ASK_COMMAND,
  instructionFor,
  maxSnippetTokens,
  type AskAction,
} from './prompts';

export interface AskResult {
  /** The answer's text (what arrived, when stopped or failed). */
  text: string;
  finishReason?: string;
  stopped: boolean;
  /** A readable message when nothing could be sent or the answer failed. */
  error?: string;
}

/**
 * What the commands accept (from keybindings, other extensions, tests). `scope: 'file'` sends the
 * whole file; `prompt` is Ask…'s question (no input box, and no notifications: the caller gets the
 * result).
 */
export interface AskArgument {
  prompt?: string;
  scope?: AskScope;
}

/** What an ask sends: the instruction or question, the code, and an action's short label. */
interface AskedQuestion {
  text: string;
  snippets: CodeSnippet[] | undefined;
  label?: string;
}

const STOP_AND_ASK = 'Stop and Ask';
const OPEN_SETTING = 'Open Setting';

export function registerAskCommands(services: Services, chat: ChatSession): vscode.Disposable[] {
  const asker = new Asker(services, chat);
  return [
    ...ASK_ACTIONS.map((action) =>
      vscode.commands.registerCommand(ASK_ACTION_COMMANDS[action].command, (arg?: unknown) =>
        asker.runAction(action, parseArgument(arg)),
      ),
    ),
    vscode.commands.registerCommand(ASK_COMMAND, (arg?: unknown) => asker.ask(parseArgument(arg))),
  ];
}

function parseArgument(arg: unknown): AskArgument {
  if (arg === undefined || arg === null || typeof arg !== 'object') return {}; // e.g. a URI from a menu
  const { prompt, scope } = arg as { prompt?: unknown; scope?: unknown };
  if (prompt !== undefined && typeof prompt !== 'string')
    throw new Error('Stream Chat ask commands expect { prompt?: string, scope?: "selection" | "file" }');
  if (scope !== undefined && scope !== 'selection' && scope !== 'file')
    throw new Error(`Stream Chat ask commands: scope must be "selection" or "file", not ${JSON.stringify(scope)}`);
  const parsed: AskArgument = {};
  if (prompt !== undefined) parsed.prompt = prompt;
  if (scope !== undefined) parsed.scope = scope;
  return parsed;
}

class Asker {
  constructor(
    private readonly services: Services,
    private readonly chat: ChatSession,
  ) {}

  async runAction(action: AskAction, arg: AskArgument): Promise<AskResult | undefined> {
    const { verb } = ASK_ACTION_COMMANDS[action];
    const editor = vscode.window.activeTextEditor;
    if (editor === undefined) return this.failed(`Open a file and select the code to ${verb} first.`, true);
    const picked = await pickCode(editor, arg.scope ?? 'selection', this.limit());
    if ('error' in picked) return this.failed(picked.error, true, true);
    const instruction = this.services.config.readSurfaceSetting('prompts', (prompts) =>
      instructionFor(action, prompts),
    );
    this.services.log.info(`Ask (${action}): ${picked.summary}`);
    const label = askLabel(ASK_ACTION_COMMANDS[action].title, picked.snippets);
    return this.deliver({ text: instruction, snippets: picked.snippets, label }, true);
  }

  /** Ask…: the user's question about the code (or a plain question when no editor is open). */
  async ask(arg: AskArgument): Promise<AskResult | undefined> {
    const interactive = arg.prompt === undefined;
    const editor = vscode.window.activeTextEditor;
    let picked: PickedCode | undefined;
    if (editor !== undefined) {
      const found = await pickCode(editor, arg.scope ?? 'selection', this.limit());
      if ('error' in found) return this.failed(found.error, interactive, true);
      picked = found;
    }
    let question = arg.prompt;
    if (question === undefined) {
      const answered = await askQuestion(editor, picked, this.limit());
      if (answered === undefined) return undefined;
      ({ question, picked } = answered);
    }
    if (question.trim() === '') return this.failed('The question is empty: nothing was sent.', interactive);
    this.services.log.info(`Ask: ${picked?.summary ?? 'a question without code'}`);
    return this.deliver({ text: question, snippets: picked?.snippets }, interactive);
  }

  /** Shows the answer streaming in the chat panel and resolves when it ends. */
  private async deliver(question: AskedQuestion, interactive: boolean): Promise<AskResult | undefined> {
    if (this.chat.busy) {
      // Asking again is a strong hint the user wants this answer now, but the running one may be
      // what they are reading: ask before stopping it (callers with a prompt get an error instead).
      if (!interactive)
        return this.failed(
          'The chat is still answering: stop it first (Stream Chat: Stop Generating). Nothing was sent.',
          false,
        );
      const choice = await vscode.window.showWarningMessage(
        'Stream Chat is still answering. Stop that answer and ask this instead?',
        STOP_AND_ASK,
      );
      if (choice !== STOP_AND_ASK) return undefined;
      await this.stopChat();
    }
    try {
      await vscode.commands.executeCommand('streamChat.openChat');
    } catch (error) {
      // The answer still streams into the conversation.
      this.services.log.warn(`Could not show the chat panel: ${String(error)}`);
    }
    if (
      this.services.config.readSurfaceSetting('ask.newConversation', (value) => value === true) &&
      this.chat.current.length > 0
    )
      this.chat.newChat(); // each ask on its own; the open conversation stays in the history
    const { text, snippets, label } = question;
    const turn = await this.chat.send(text, snippets, { owner: 'ask', label });
    if (turn === undefined)
      return this.failed(
        'The chat is still answering: stop it first (Stream Chat: Stop Generating). Nothing was sent.',
        interactive,
      );
    return resultOf(turn);
  }

  private async stopChat(): Promise<void> {
    if (!this.chat.busy) return;
    const ended = new Promise<void>((resolve) => {
      const subscription = this.chat.onDidEndAnswer(() => {
        subscription.dispose();
        resolve();
      });
    });
    this.chat.stop();
    await ended;
  }

  private limit(): number {
    return this.services.config.readSurfaceSetting('ask.maxSnippetTokens', maxSnippetTokens);
  }

  private failed(message: string, notify: boolean, offerLimitSetting = false): AskResult {
    this.services.log.warn(`Ask: ${message}`);
    if (notify) {
      const buttons = offerLimitSetting ? [OPEN_SETTING] : [];
      void vscode.window.showErrorMessage(`Stream Chat: ${message}`, ...buttons).then((choice) => {
        if (choice === OPEN_SETTING)
          void vscode.commands.executeCommand('workbench.action.openSettings', 'streamChat.ask.maxSnippetTokens');
      });
    }
    return { text: '', stopped: false, error: message };
  }
}

function resultOf(turn: AssistantTurnView): AskResult {
  const result: AskResult = { text: turn.content, stopped: turn.status === 'stopped' };
  if (turn.footer?.finishReason !== undefined) result.finishReason = turn.footer.finishReason;
  if (turn.error !== undefined) result.error = turn.error.message;
  return result;
}

/**
 * The input box of Ask…: its title says which code goes with the question; a title-bar button
 * switches between that and the whole file (refused, with the sizes, when the file is over the limit).
 */
async function askQuestion(
  editor: vscode.TextEditor | undefined,
  initial: PickedCode | undefined,
  limit: number,
): Promise<{ question: string; picked: PickedCode | undefined } | undefined> {
  const input = vscode.window.createInputBox();
  const wholeFile: vscode.QuickInputButton = {
    iconPath: new vscode.ThemeIcon('file'),
    tooltip: 'Ask about the whole file instead',
  };
  const selection: vscode.QuickInputButton = {
    iconPath: new vscode.ThemeIcon('selection'),
    tooltip: 'Ask about the selection (or the code at the cursor) instead',
  };
  let picked = initial;
  let scope: AskScope = picked?.snippets[0].description === 'whole file' ? 'file' : 'selection';
  const show = () => {
    input.title = picked !== undefined ? `Stream Chat: Ask about ${summaryOf(picked.snippets)}` : 'Stream Chat: Ask';
    input.buttons = editor === undefined ? [] : [scope === 'file' ? selection : wholeFile];
  };
  input.prompt =
    editor === undefined
      ? 'Your question; the answer streams in the chat panel, where you can follow up.'
      : 'Your question about this code; the answer streams in the chat panel, where you can follow up. ' +
        'The button above switches to the whole file and back.';
  input.placeholder = 'e.g. Why does this fail for an empty list?';
  input.ignoreFocusOut = true;
  show();
  const disposables: vscode.Disposable[] = [input];
  try {
    return await new Promise<{ question: string; picked: PickedCode | undefined } | undefined>((resolve) => {
      disposables.push(
        input.onDidTriggerButton(async (button) => {
          if (editor === undefined) return;
          const wanted: AskScope = button === wholeFile ? 'file' : 'selection';
          const found = await pickCode(editor, wanted, limit);
          if ('error' in found) {
            input.validationMessage = found.error;
            return;
          }
          input.validationMessage = undefined;
          picked = found;
          scope = wanted;
          show();
        }),
        input.onDidAccept(() => {
          if (input.value.trim() === '') return;
          resolve({ question: input.value, picked });
          input.hide();
        }),
        input.onDidHide(() => resolve(undefined)),
      );
      input.show();
    });
  } finally {
    for (const disposable of disposables) disposable.dispose();
  }
}
