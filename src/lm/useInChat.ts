// "Use Stream Chat Models in VS Code Chat": the first-run path to our models in VS Code's own Chat
// view. Where the editor asks for a sign-in before its chat uses any model, anonymous access is turned
// on — explained, and only with the user's yes — then the Chat view opens in Agent mode.
import * as vscode from 'vscode';
import type { Services } from '../host/services';
import { providerRegistration } from './lmApi';

export const USE_IN_CHAT_COMMAND = 'streamChat.useModelsInVsCodeChat';

/** For tests and keybindings: answer the anonymous-access question in advance. */
interface UseInChatArgument {
  allowAnonymousAccess?: boolean;
}

const TURN_ON = 'Turn On and Open Chat';
const WITHOUT = 'Open Chat Without';

/** What the command did, for callers (tests, other extensions). */
export type UseInChatResult = 'opened' | 'no-provider-api' | 'no-chat-view' | 'cancelled' | 'needs-setting';

/** The line the user adds where the editor does not let an extension write it. */
export const ANONYMOUS_ACCESS_LINE = '"chat.allowAnonymousAccess": true,';

export function registerUseInChatCommand(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand(USE_IN_CHAT_COMMAND, (arg?: unknown) =>
    useInChat(services, parseArgument(arg)),
  );
}

function parseArgument(arg: unknown): UseInChatArgument {
  if (typeof arg !== 'object' || arg === null) return {}; // run from the palette
  const { allowAnonymousAccess } = arg as Record<string, unknown>;
  return typeof allowAnonymousAccess === 'boolean' ? { allowAnonymousAccess } : {};
}

async function useInChat(services: Services, arg: UseInChatArgument): Promise<UseInChatResult> {
  if (providerRegistration() === undefined) {
    void vscode.window.showInformationMessage(
      `Stream Chat: this editor (${vscode.env.appName} ${vscode.version}) does not let extensions add models to ` +
        'its chat; VS Code 1.104 or later does. The Stream Chat panel works here as everywhere.',
    );
    return 'no-provider-api';
  }
  if (!(await vscode.commands.getCommands(true)).includes('workbench.action.chat.open')) {
    void vscode.window.showInformationMessage(`Stream Chat: ${vscode.env.appName} has no Chat view to use them in.`);
    return 'no-chat-view';
  }
  if (!services.config.anonymousChatAccess()) {
    const allow = arg.allowAnonymousAccess ?? (await askAnonymousAccess());
    if (allow === undefined) return 'cancelled';
    if (allow && !(await services.config.allowAnonymousChatAccess())) {
      await showSettingToAdd();
      return 'needs-setting';
    }
    if (allow)
      services.log.info('VS Code chat: anonymous access turned on (chat.allowAnonymousAccess), as the user chose.');
  }
  await vscode.commands.executeCommand('workbench.action.chat.open', { mode: 'agent' });
  void vscode.window.showInformationMessage(
    'Stream Chat: pick a model named "endpoint · model" in the chat\'s model picker ' +
      '(they are listed under Stream Chat).',
  );
  return 'opened';
}

/** Where the editor keeps the setting from extensions: the user adds the line, helped as far as we can. */
async function showSettingToAdd(): Promise<void> {
  await vscode.env.clipboard.writeText(ANONYMOUS_ACCESS_LINE);
  await vscode.commands.executeCommand('workbench.action.openSettingsJson');
  void vscode.window.showInformationMessage(
    `Stream Chat: ${vscode.env.appName} does not let extensions change chat.allowAnonymousAccess. ` +
      `Paste the line now on the clipboard (${ANONYMOUS_ACCESS_LINE}) into your settings.json, save, ` +
      'then run "Use Stream Chat Models in VS Code Chat" again.',
  );
}

async function askAnonymousAccess(): Promise<boolean | undefined> {
  const choice = await vscode.window.showInformationMessage(
    'Use Stream Chat models without signing in?',
    {
      modal: true,
      detail:
        "VS Code's Chat view asks for a GitHub sign-in before it uses any model. Stream Chat's models need no " +
        'account: with anonymous access on (the setting chat.allowAnonymousAccess) the chat works without one, ' +
        'and your questions go only to your own endpoint.',
    },
    TURN_ON,
    WITHOUT,
  );
  return choice === TURN_ON ? true : choice === WITHOUT ? false : undefined;
}
