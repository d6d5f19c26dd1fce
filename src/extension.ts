// Entry point (dist/extension.js): the small core activation evaluates. It registers what VS Code
// shows at once — every command, the chat view, the status bar item, the language-model vendor —
// with stand-ins that load the surfaces (src/startup/surfaces.ts, dist/surfaces.js) on first use. No logic
// of its own.
import * as vscode from 'vscode';
import type { PendingAttachments } from './chat/attachments';
import type { ChatSession } from './chat/chatSession';
import { CHAT_VIEW_ID } from './chat/chatViewId';
import type { RequestRunner } from './core/requestRunner';
import type { ChatHistory, ChatHistoryOptions } from './history/chatHistory';
import { readEnvironment, StreamChatConfig } from './host/config';
import { StreamChatLog } from './host/log';
import { ApiKeyStore, PlainHttpKeyGuard, type PlainHttpAnswer } from './host/secrets';
import type { TestHooks } from './host/services';
import { ModelStatusItem } from './host/statusBar';
import { showWelcome } from './host/welcome';
import { registerModelsOnDemand } from './lm/lazyModels';
import { SurfaceLoader } from './startup/surfaceLoader';
import type { CoreServices } from './startup/surfaces';

/** What `activate` returns: for tests and diagnostics only; never holds a secret. */
export interface StreamChatApi {
  /** Extension-host time from the start to the end of `activate`, in ms. */
  readonly activationMs: number;
  /** Recent log lines, already redacted. */
  logLines(): readonly string[];
  /** Whether the surfaces' bundle has loaded (activation loads only the core; first use loads it). */
  readonly surfacesLoaded: boolean;
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

/** Holds the surfaces once loaded: deactivation writes the history's last changes. */
let activeLoader: SurfaceLoader | undefined;

export function activate(context: vscode.ExtensionContext): StreamChatApi {
  const started = performance.now();
  const { core, testHooks } = createCore(context);
  const { log, config, keys, statusItem } = core;
  const loader = new SurfaceLoader(context, core);
  activeLoader = loader;
  context.subscriptions.push(
    log,
    config,
    keys,
    statusItem,
    loader,
    ...registerOnDemand(context, core, loader),
    ...(testHooks ? [testHooks] : []),
  );
  showWelcome(context, log, () => vscode.commands.executeCommand(`${CHAT_VIEW_ID}.focus`));
  const activationMs = performance.now() - started;
  const version = String((context.extension.packageJSON as { version?: unknown }).version);
  log.info(`Activated in ${activationMs.toFixed(1)} ms (Stream Chat ${version}, VS Code ${vscode.version})`);

  return {
    activationMs,
    logLines: () => log.recentLines(),
    get surfacesLoaded() {
      return loader.loaded !== undefined;
    },
    testing: testHooks && testApi(context, core, testHooks, loader),
  };
}

/** What activation builds: the services the status bar and the stand-ins need (extension lifetime). */
function createCore(context: vscode.ExtensionContext): { core: CoreServices; testHooks?: TestModeHooks } {
  const log = new StreamChatLog();
  const environment = readEnvironment();
  log.addSecret(environment.apiKey);
  const config = new StreamChatConfig(environment);
  const keys = new ApiKeyStore(context.secrets, log);
  const plainHttpGuard = new PlainHttpKeyGuard(log);
  const statusItem = new ModelStatusItem(config, keys);
  const testHooks = context.extensionMode === vscode.ExtensionMode.Test ? createTestHooks() : undefined;
  const focus = { chatViewFocused: false };
  const core: CoreServices = { config, keys, plainHttpGuard, log, focus, statusItem, testHooks: testHooks?.hooks };
  return { core, testHooks };
}

/** Every contributed command, the chat view and the models, each loading the surfaces when first used. */
function registerOnDemand(
  context: vscode.ExtensionContext,
  core: CoreServices,
  loader: SurfaceLoader,
): vscode.Disposable[] {
  const manifest = context.extension.packageJSON as { contributes?: { commands?: { command: string }[] } };
  loader.registerCommands((manifest.contributes?.commands ?? []).map(({ command }) => command));
  const chatView: vscode.WebviewViewProvider = {
    resolveWebviewView: (view) => loader.load('the chat view').chatView.resolveWebviewView(view),
  };
  return [
    vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, chatView),
    ...registerModelsOnDemand(core.log, () => loader.load('VS Code asked for models').models),
  ];
}

/** What integration tests may reach (ExtensionMode.Test only); the surfaces' pieces load when first read. */
function testApi(
  context: vscode.ExtensionContext,
  core: CoreServices,
  { hooks, chatPanel }: TestModeHooks,
  loader: SurfaceLoader,
): StreamChatTestApi {
  const { plainHttpGuard, statusItem } = core;
  const surfaces = () => loader.load('the test API');
  return {
    onDidFillModelPick: hooks.onDidFillModelPick,
    answerPlainHttpWarning: (answer) => {
      plainHttpGuard.scriptedAnswer = answer;
    },
    forgetPlainHttpAnswers: () => plainHttpGuard.forget(),
    logDirectory: vscode.Uri.joinPath(context.logUri, '..').fsPath,
    statusBar: () => statusItem.snapshot(),
    get runner() {
      return surfaces().services.runner;
    },
    get chat() {
      return surfaces().chat;
    },
    get history() {
      return surfaces().history;
    },
    recreateChat: (options?: ChatHistoryOptions) => surfaces().recreateChat(options),
    get attachments() {
      return surfaces().attachments;
    },
    ...chatPanel,
    setChatFocused: (focused) => {
      core.focus.chatViewFocused = focused;
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
  return activeLoader?.loaded?.history.dispose();
}
