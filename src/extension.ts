// Entry point: builds the pieces and registers them; no logic of its own.
import * as vscode from 'vscode';
import { ChatClient } from './api';
import { registerAskCommands } from './ask/askCommands';
import { PendingAttachments, registerAttachmentCommands } from './chat/attachments';
import { ChatSession } from './chat/chatSession';
import { registerRegenerateWith } from './chat/regenerateWith';
import { CHAT_VIEW_ID, ChatViewProvider } from './chat/chatView';
import { ViewOptionsStore } from './chat/viewOptions';
import { registerProfileCommands } from './endpoint/profileCommands';
import { registerLanguageModels } from './lm/registerModels';
import { registerEndpointCommands } from './endpoint/endpointCommands';
import { registerInsertCommands } from './insert/insertCommands';
import { registerStopCommand } from './endpoint/stop';
import { registerTestConnectionCommand } from './endpoint/testConnection';
import { readEnvironment, StreamChatConfig } from './host/config';
import { ChatHistory, type ChatHistoryOptions } from './history/chatHistory';
import { registerHistoryCommands } from './history/historyCommands';
import { EndpointResolver } from './host/endpointResolver';
import { StreamChatLog } from './host/log';
import { RequestRunner } from './core/requestRunner';
import { ApiKeyStore, PlainHttpKeyGuard, type PlainHttpAnswer } from './host/secrets';
import type { Services, TestHooks } from './host/services';
import { ModelStatusItem } from './host/statusBar';
import { loadTokenCalibrations } from './host/tokenCalibrationStore';
import { showWelcome } from './host/welcome';

/** What `activate` returns: for tests and diagnostics only; never holds a secret. */
export interface StreamChatApi {
  /** Extension-host time from the start to the end of `activate`, in ms. */
  readonly activationMs: number;
  /** Recent log lines, already redacted. */
  logLines(): readonly string[];
  /** Present only in ExtensionMode.Test. */
  readonly testing?: StreamChatTestApi;
}

export interface StreamChatTestApi extends Pick<TestHooks, 'onDidFillModelPick'> {
  /** Answers the plain-http key warning instead of showing it; undefined shows the modal again. */
  answerPlainHttpWarning(answer: PlainHttpAnswer | undefined): void;
  /** Forget "send anyway" answers given this session. */
  forgetPlainHttpAnswers(): void;
  /** The extension host's log folder (holds the channel's log file), for tests that read it. */
  readonly logDirectory: string;
  /** What the status bar item shows now. */
  statusBar(): { text: string; tooltip: string; command?: string };
  /** The request runner, so tests can start requests of any owner. */
  readonly runner: RequestRunner;
  /** Stands in for the chat view reporting its focus. */
  setChatFocused(focused: boolean): void;
  /** The chat panel's conversation and requests (host side). */
  readonly chat: ChatSession;
  /** The chat's saved conversations. */
  readonly history: ChatHistory;
  /** A second chat session and history over the same storage, restored as the next window's activation does. */
  readonly recreateChat: (
    options?: ChatHistoryOptions,
  ) => Promise<{ chat: ChatSession; history: ChatHistory; dispose(): Promise<void> }>;
  /** What goes with the chat's next question (files, selections). */
  readonly attachments: PendingAttachments;
  /** Posts `message` to the host as the chat panel's page would. */
  readonly postFromChatPanel: (message: unknown) => void;
  /** Fires with each link the host would have opened outside VS Code (recorded, not opened, in tests). */
  readonly onDidOpenExternal: vscode.Event<string>;
  /** Lets VS Code's model list follow settings and key changes (off by default in tests). */
  setLanguageModelsFollowSettings(follow: boolean): void;
}

type ChatPanelTestApi = Pick<StreamChatTestApi, 'postFromChatPanel' | 'onDidOpenExternal'>;

/** The test-mode hooks: what services see, what tests drive, and their disposal. */
interface TestModeHooks {
  hooks: TestHooks;
  chatPanel: ChatPanelTestApi;
  dispose(): void;
}

/** Written on deactivation (window reload or close): the history's last changes. */
let activeHistory: ChatHistory | undefined;

export function activate(context: vscode.ExtensionContext): StreamChatApi {
  const started = performance.now();
  const { services, testHooks } = createServices(context);
  const { config, keys, runner, log, resolver } = services;
  const statusItem = new ModelStatusItem(config, runner, keys);
  const chat = new ChatSession(services);
  const attachments = new PendingAttachments();
  const history = new ChatHistory(context.globalStorageUri.fsPath, chat, services);
  activeHistory = history;

  context.subscriptions.push(
    log,
    config,
    keys,
    runner,
    statusItem,
    ...registerSurfaces(context, services, { chat, attachments, history }),
    ...(testHooks ? [testHooks] : []),
  );

  void history.restoreLatest();
  showWelcome(context, log, () => vscode.commands.executeCommand(`${CHAT_VIEW_ID}.focus`));
  for (const note of config.describeOverrides()) log.warn(note);
  resolver.logSettingsNotes();
  const activationMs = performance.now() - started;
  const version = String((context.extension.packageJSON as { version?: unknown }).version);
  log.info(`Activated in ${activationMs.toFixed(1)} ms (Stream Chat ${version}, VS Code ${vscode.version})`);

  return {
    activationMs,
    logLines: () => log.recentLines(),
    testing: testHooks && testApi(context, services, testHooks, { chat, attachments, history, statusItem }),
  };
}

/** The long-lived services every surface shares (extension lifetime). */
function createServices(context: vscode.ExtensionContext): {
  services: Services;
  testHooks?: TestModeHooks;
} {
  const log = new StreamChatLog();
  const environment = readEnvironment();
  log.addSecret(environment.apiKey);
  const config = new StreamChatConfig(environment);
  const keys = new ApiKeyStore(context.secrets, log);
  const plainHttpGuard = new PlainHttpKeyGuard(log);
  const resolver = new EndpointResolver(config, keys, plainHttpGuard, log);
  const tokens = loadTokenCalibrations(context.globalState);
  context.subscriptions.push(tokens);
  const runner = new RequestRunner(new ChatClient(), log, tokens.calibrations);
  const testHooks = context.extensionMode === vscode.ExtensionMode.Test ? createTestHooks() : undefined;
  const focus = { chatViewFocused: false };
  const services: Services = {
    config,
    keys,
    plainHttpGuard,
    resolver,
    runner,
    tokens: tokens.calibrations,
    log,
    focus,
    testHooks: testHooks?.hooks,
  };
  return { services, testHooks };
}

interface ChatPieces {
  chat: ChatSession;
  attachments: PendingAttachments;
  history: ChatHistory;
}

/** Each surface's commands and views, in the order their disposables should go. */
function registerSurfaces(
  context: vscode.ExtensionContext,
  services: Services,
  { chat, attachments, history }: ChatPieces,
): vscode.Disposable[] {
  const chatView = new ChatViewProvider(
    context.extensionUri,
    chat,
    services,
    attachments,
    new ViewOptionsStore(context.globalState),
  );
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
    chatView,
    vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, chatView),
    vscode.commands.registerCommand('streamChat.openChat', focusChat),
    registerRegenerateWith(services, chat),
    ...registerLanguageModels(services),
    vscode.commands.registerCommand('streamChat.newChat', async () => {
      chat.newChat();
      await focusChat();
    }),
  ];
}

/** What integration tests may reach (ExtensionMode.Test only). */
function testApi(
  context: vscode.ExtensionContext,
  services: Services,
  { hooks, chatPanel }: TestModeHooks,
  { chat, attachments, history, statusItem }: ChatPieces & { statusItem: ModelStatusItem },
): StreamChatTestApi {
  const { plainHttpGuard, runner } = services;
  return {
    onDidFillModelPick: hooks.onDidFillModelPick,
    answerPlainHttpWarning: (answer) => {
      plainHttpGuard.scriptedAnswer = answer;
    },
    forgetPlainHttpAnswers: () => plainHttpGuard.forget(),
    logDirectory: vscode.Uri.joinPath(context.logUri, '..').fsPath,
    statusBar: () => statusItem.snapshot(),
    runner,
    chat,
    history,
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
    attachments,
    ...chatPanel,
    setChatFocused: (focused) => {
      services.focus.chatViewFocused = focused;
    },
    setLanguageModelsFollowSettings: (follow) => {
      hooks.languageModelsFollowSettings = follow;
    },
  };
}

function createTestHooks(): TestModeHooks {
  const modelPickFilled = new vscode.EventEmitter<readonly string[]>();
  const chatPanelMessages = new vscode.EventEmitter<unknown>();
  const openedExternally = new vscode.EventEmitter<string>();
  return {
    hooks: {
      onDidFillModelPick: modelPickFilled.event,
      fireModelPickFilled: (ids) => modelPickFilled.fire(ids),
      onDidPostFromChatPanel: chatPanelMessages.event,
      openExternal: (uri) => {
        openedExternally.fire(uri.toString());
        return Promise.resolve(true);
      },
      languageModelsFollowSettings: false,
    },
    chatPanel: {
      postFromChatPanel: (message) => chatPanelMessages.fire(message),
      onDidOpenExternal: openedExternally.event,
    },
    dispose: () => {
      modelPickFilled.dispose();
      chatPanelMessages.dispose();
      openedExternally.dispose();
    },
  };
}

export function deactivate(): Promise<void> | undefined {
  // Before the subscriptions are disposed: an answer still streaming is written as it stands (the
  // next window shows it interrupted), not as stopped by the chat's own disposal.
  return activeHistory?.dispose();
}
