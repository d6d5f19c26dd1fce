// "Regenerate with Another Model…": the last answer asked again of a model the user picks (or names
// in `{ model }`), for this answer only; the configured model stays as it is.
import * as vscode from 'vscode';
import { pickModel } from '../endpoint/endpointCommands';
import type { AssistantTurnView } from '../protocol';
import type { Services } from '../host/services';
import type { ChatSession } from './chatSession';

export function registerRegenerateWith(services: Services, chat: ChatSession): vscode.Disposable {
  return vscode.commands.registerCommand(
    'streamChat.regenerateWith',
    async (arg?: unknown): Promise<AssistantTurnView | undefined> => {
      const given = typeof arg === 'object' && arg !== null ? (arg as { model?: unknown }).model : undefined;
      if (arg !== undefined && (typeof given !== 'string' || given.trim() === ''))
        throw new Error('streamChat.regenerateWith expects { model: string } with a non-empty model id');
      if (chat.busy) {
        void vscode.window.showInformationMessage('Stream Chat: an answer is still streaming; stop it first.');
        return undefined;
      }
      if (!chat.turns().some((turn) => turn.role === 'assistant')) {
        void vscode.window.showInformationMessage('Stream Chat: there is no answer to regenerate yet.');
        return undefined;
      }
      const model =
        typeof given === 'string'
          ? given.trim()
          : await pickModel(services, 'Stream Chat: Regenerate the last answer with…');
      if (model === undefined) return undefined;
      return chat.regenerate(model);
    },
  );
}
