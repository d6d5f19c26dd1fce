// The second extension-host bundle (dist/surfaces.js): every surface, the client and the request
// runner. extension.ts loads it on first use (a command, the chat view, VS Code asking for models,
// the test API), so activation evaluates only the small core. Builds the pieces and registers the
// surfaces' commands; no logic of its own.
import * as vscode from 'vscode';
import { ChatClient } from '../api/client';
import { registerAskCommands } from '../ask/askCommands';
import { PendingAttachments, registerAttachmentCommands } from '../chat/attachments';
import { ChatSession } from '../chat/chatSession';
import { ChatViewProvider } from '../chat/chatView';
import { CHAT_VIEW_ID } from '../chat/chatViewId';
import { registerRegenerateWith } from '../chat/regenerateWith';
import { ViewOptionsStore } from '../chat/viewOptions';
import { RequestRunner } from '../core/requestRunner';
import { registerEndpointCommands } from '../endpoint/endpointCommands';
import { registerProfileCommands } from '../endpoint/profileCommands';
import { registerStopCommand } from '../endpoint/stop';
import { registerTestConnectionCommand } from '../endpoint/testConnection';
import { ChatHistory, type ChatHistoryOptions } from '../history/chatHistory';
import { registerHistoryCommands } from '../history/historyCommands';
import { EndpointResolver } from '../host/endpointResolver';
import type { Services } from '../host/services';
import type { ModelStatusItem } from '../host/statusBar';
import { loadTokenCalibrations } from '../host/tokenCalibrationStore';
import { registerInsertCommands } from '../insert/insertCommands';
import { createLanguageModels } from '../lm/registerModels';
import type { StreamChatModelProvider } from '../lm/modelProvider';

/** What activation built before the surfaces loaded (extension lifetime), handed to them. */
export type CoreServices = Omit<Services, 'resolver' | 'runner' | 'tokens'> & { statusItem: ModelStatusItem };

export interface Surfaces extends vscode.Disposable {
  services: Services;
  chat: ChatSession;
  attachments: PendingAttachments;
  history: ChatHistory;
  /** The chat view's provider; activation registered the view and hands its resolving to this. */
  chatView: ChatViewProvider;
  /** VS Code's language-model provider (undefined where the editor has no such API). */
  models?: StreamChatModelProvider;
  /** A second chat session and history over the same storage, restored as the next window's would be. */
  recreateChat(
    options?: ChatHistoryOptions,
  ): Promise<{ chat: ChatSession; history: ChatHistory; dispose(): Promise<void> }>;
}

/** Builds the services that need the client, then every surface; registers their commands. */
export function loadSurfaces(context: vscode.ExtensionContext, core: CoreServices): Surfaces {
  const { statusItem, ...shared } = core;
  const resolver = new EndpointResolver(shared.config, shared.keys, shared.plainHttpGuard, shared.log);
  const tokens = loadTokenCalibrations(context.globalState);
  const runner = new RequestRunner(new ChatClient(), shared.log, tokens.calibrations);
  const services: Services = { ...shared, resolver, runner, tokens: tokens.calibrations };
  statusItem.followRequests(runner);
  const chat = new ChatSession(services);
  const attachments = new PendingAttachments();
  const history = new ChatHistory(context.globalStorageUri.fsPath, chat, services);
  const chatView = new ChatViewProvider(
    context.extensionUri,
    chat,
    services,
    attachments,
    new ViewOptionsStore(context.globalState),
  );
  const models = createLanguageModels(services);
  const disposables = [
    tokens,
    runner,
    ...registerCommands(services, { chat, attachments, history }),
    chatView,
    ...models.disposables,
  ];
  void history.restoreLatest();
  for (const note of shared.config.describeOverrides()) shared.log.warn(note);
  resolver.logSettingsNotes();
  return {
    services,
    chat,
    attachments,
    history,
    chatView,
    models: models.provider,
    recreateChat: async (options) => {
      const next = new ChatSession(services);
      const nextHistory = new ChatHistory(context.globalStorageUri.fsPath, next, services, options);
      await nextHistory.restoreLatest();
      return {
        chat: next,
        history: nextHistory,
        dispose: async () => {
          await nextHistory.dispose();
          next.dispose();
        },
      };
    },
    dispose: () => {
      for (const disposable of disposables) disposable.dispose();
    },
  };
}

/** Each surface's commands, in the order their disposables should go. */
function registerCommands(
  services: Services,
  { chat, attachments, history }: Pick<Surfaces, 'chat' | 'attachments' | 'history'>,
): vscode.Disposable[] {
  const focusChat = () => vscode.commands.executeCommand(`${CHAT_VIEW_ID}.focus`);
  return [
    ...registerEndpointCommands(services),
    registerTestConnectionCommand(services),
    ...registerProfileCommands(services),
    registerStopCommand(services),
    ...registerInsertCommands(services),
    chat,
    ...registerAskCommands(services, chat),
    history,
    ...registerHistoryCommands(history, chat),
    attachments,
    ...registerAttachmentCommands(attachments, services),
    vscode.commands.registerCommand('streamChat.openChat', focusChat),
    registerRegenerateWith(services, chat),
    vscode.commands.registerCommand('streamChat.newChat', async () => {
      chat.newChat();
      await focusChat();
    }),
  ];
}
