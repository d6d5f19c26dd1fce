// Commands that choose where requests go and with which key: set/clear the API key, pick an
// endpoint preset, pick a model, show the log. Each accepts an argument for automation; with
// an argument nothing is asked and failures reject, without one the user is asked and failures are shown.
import * as vscode from 'vscode';
import { DEFAULT_PROFILE_NAME } from '../core/profiles';
import { SELECT_PROFILE_COMMAND } from './profileCommands';
import { apiKeyProblem, checkBaseUrl, displayUrl, isLocalOrigin, keyWouldTravelInClear } from '../core/endpointPolicy';
import type { ModelInfo } from '../api';
import type { ResolvedEndpoint } from '../host/endpointResolver';
import { fixFor, showErrorWithFix, toUserFacingError } from '../host/errorFixes';
import type { Services } from '../host/services';

export interface EndpointPreset {
  id: string;
  label: string;
  baseUrl: string;
  detail: string;
}

export const ENDPOINT_PRESETS: readonly EndpointPreset[] = [
  {
    id: 'solidrust',
    label: 'SolidRust (hosted vLLM)',
    baseUrl: 'https://api.solidrust.ai/v1',
    detail: 'Hosted vLLM; needs an API key',
  },
  { id: 'vllm', label: 'vLLM (local)', baseUrl: 'http://localhost:8000/v1', detail: 'vllm serve <model>' },
  { id: 'ollama', label: 'Ollama', baseUrl: 'http://localhost:11434/v1', detail: 'ollama serve' },
  { id: 'lmstudio', label: 'LM Studio', baseUrl: 'http://localhost:1234/v1', detail: 'LM Studio local server' },
  {
    id: 'llamacpp',
    label: 'llama.cpp server',
    baseUrl: 'http://localhost:8080/v1',
    detail: 'llama-server -m <model.gguf>',
  },
  { id: 'openrouter', label: 'OpenRouter', baseUrl: 'https://openrouter.ai/api/v1', detail: 'Needs an API key' },
  { id: 'openai', label: 'OpenAI', baseUrl: 'https://api.openai.com/v1', detail: 'Needs an API key' },
];

export function registerEndpointCommands(services: Services): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('streamChat.setApiKey', (arg?: unknown) => setApiKey(services, arg)),
    vscode.commands.registerCommand('streamChat.clearApiKey', () => clearApiKey(services)),
    vscode.commands.registerCommand('streamChat.selectEndpoint', (arg?: unknown) => selectEndpoint(services, arg)),
    vscode.commands.registerCommand('streamChat.selectModel', (arg?: unknown) => selectModel(services, arg)),
    vscode.commands.registerCommand('streamChat.showLog', () => services.log.show()),
  ];
}

async function setApiKey(services: Services, arg: unknown): Promise<void> {
  const { resolver, keys, config, log } = services;
  const automated = arg !== undefined;
  let origin: string;
  try {
    origin = resolver.currentOrigin();
  } catch (error) {
    return fail(services, automated, error);
  }

  let key: string | undefined;
  if (automated) {
    if (!isRecord(arg) || typeof arg.key !== 'string' || arg.key.trim() === '') {
      throw new Error('streamChat.setApiKey expects { key: string } with a non-empty key');
    }
    key = arg.key.trim();
    const problem = apiKeyProblem(key);
    // The message never repeats the key.
    if (problem !== undefined) throw new Error(`streamChat.setApiKey: ${problem}`);
  } else {
    key = await askForKey(origin, false);
    if (key === undefined) return;
  }
  await keys.set(origin, key);
  if (config.read().endpoint.environmentApiKey !== undefined) {
    log.warn(`STREAM_CHAT_API_KEY still overrides the stored key for ${origin} in this window`);
    if (!automated)
      void vscode.window.showWarningMessage(
        `Stream Chat: key stored for ${origin}, but STREAM_CHAT_API_KEY overrides it in this window.`,
      );
  } else if (!automated) {
    void vscode.window.showInformationMessage(`Stream Chat: API key stored for ${origin} (sent only to this origin).`);
  }
  // Nothing secret is returned.
}

async function askForKey(origin: string, skippable: boolean): Promise<string | undefined> {
  const key = await vscode.window.showInputBox({
    title: `Stream Chat: API key for ${origin}`,
    prompt: `Stored in VS Code's secret storage and sent only to ${origin}.${keyWouldTravelInClear(origin) ? ' Warning: plain http:// — the key would be readable on the network (you will be asked before it is sent).' : ''}${skippable ? ' Press Escape to skip.' : ''}`,
    password: true,
    ignoreFocusOut: true,
    placeHolder: 'API key',
    validateInput: (value) => {
      if (value.trim() === '') return 'Enter the key, or press Escape to cancel';
      const problem = apiKeyProblem(value.trim());
      return problem === undefined ? undefined : `Not a usable key: ${problem}`;
    },
  });
  return key === undefined || apiKeyProblem(key.trim()) !== undefined ? undefined : key.trim();
}

async function clearApiKey(services: Services): Promise<void> {
  const { resolver, keys, plainHttpGuard } = services;
  let origin: string;
  try {
    origin = resolver.currentOrigin();
  } catch (error) {
    return fail(services, false, error);
  }
  const had = await keys.has(origin);
  await keys.clear(origin);
  plainHttpGuard.forget(origin);
  void vscode.window.showInformationMessage(
    had ? `Stream Chat: API key for ${origin} removed.` : `Stream Chat: no API key was stored for ${origin}.`,
  );
}

async function selectEndpoint(services: Services, arg: unknown): Promise<{ baseUrl: string } | undefined> {
  const { config, log } = services;
  const automated = arg !== undefined;
  let chosen: string | undefined;
  if (automated) {
    const preset = typeof arg === 'string' ? ENDPOINT_PRESETS.find((p) => p.id === arg) : undefined;
    const raw = preset?.baseUrl ?? (isRecord(arg) && typeof arg.baseUrl === 'string' ? arg.baseUrl : undefined);
    if (raw === undefined) {
      const ids = ENDPOINT_PRESETS.map((p) => p.id).join(', ');
      throw new Error(`streamChat.selectEndpoint expects a preset id (${ids}) or { baseUrl: string }`);
    }
    const checked = checkBaseUrl(raw);
    if (!checked.ok) throw new Error(`Stream Chat: ${checked.problem}`);
    chosen = checked.baseUrl;
  } else {
    chosen = await pickEndpoint(config.read().endpoint.baseUrl);
    if (chosen === undefined) return undefined;
  }

  await config.update('baseUrl', chosen);
  log.info(`Endpoint set to ${chosen}`);
  if (config.environment.baseUrl !== undefined) {
    const overriding = displayUrl(config.environment.baseUrl);
    const note = `streamChat.baseUrl saved, but STREAM_CHAT_BASE_URL (${overriding}) overrides it in this window`;
    log.warn(note);
    if (!automated) void vscode.window.showWarningMessage(`Stream Chat: ${note}.`);
  } else if (!automated) {
    await afterEndpointChosen(services, new URL(chosen).origin);
  }
  return { baseUrl: chosen };
}

/** Interactive follow-up: a key for a remote origin that has none, then the model on the new endpoint. */
async function afterEndpointChosen(services: Services, origin: string): Promise<void> {
  if (!isLocalOrigin(origin) && !(await services.keys.has(origin))) {
    const key = await askForKey(origin, true);
    if (key !== undefined) await services.keys.set(origin, key);
  }
  await selectModel(services, undefined);
}

async function pickEndpoint(current: string | undefined): Promise<string | undefined> {
  type Item = vscode.QuickPickItem & { baseUrl?: string };
  const items: Item[] = ENDPOINT_PRESETS.map((preset) => ({
    label: `${preset.baseUrl === current ? '$(check) ' : ''}${preset.label}`,
    description: preset.baseUrl,
    detail: preset.detail,
    baseUrl: preset.baseUrl,
  }));
  items.push({ label: '$(edit) Custom URL…', description: 'Any OpenAI-compatible base URL (usually ends in /v1)' });
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Stream Chat: Select Endpoint',
    placeHolder: `Current: ${current ?? 'invalid'}`,
    matchOnDescription: true,
  });
  if (picked === undefined) return undefined;
  if (picked.baseUrl !== undefined) return picked.baseUrl;
  const typed = await vscode.window.showInputBox({
    title: 'Stream Chat: Custom endpoint',
    prompt: 'OpenAI-compatible base URL; /chat/completions and /models are appended to it',
    value: current ?? 'http://localhost:8000/v1',
    ignoreFocusOut: true,
    validateInput: (value) => {
      const checked = checkBaseUrl(value);
      return checked.ok ? undefined : checked.problem;
    },
  });
  if (typed === undefined) return undefined;
  const checked = checkBaseUrl(typed);
  return checked.ok ? checked.baseUrl : undefined;
}

async function selectModel(services: Services, arg: unknown): Promise<string | undefined> {
  const { config, log } = services;
  if (arg !== undefined) {
    if (!isRecord(arg) || typeof arg.model !== 'string' || arg.model.trim() === '') {
      throw new Error('streamChat.selectModel expects { model: string } with a non-empty model id');
    }
    return saveModel(services, arg.model.trim(), true);
  }
  const model = await pickModel(services, undefined, true);
  if (model === undefined) return undefined;
  if (config.environment.model !== undefined)
    log.warn(`STREAM_CHAT_MODEL (${config.environment.model}) overrides streamChat.model in this window`);
  return saveModel(services, model, false);
}

async function saveModel(services: Services, model: string, automated: boolean): Promise<string> {
  await services.config.update('model', model);
  services.log.info(`Model set to ${model}`);
  const overriding = services.config.environment.model;
  if (!automated && overriding !== undefined) {
    void vscode.window.showWarningMessage(
      `Stream Chat: model saved, but STREAM_CHAT_MODEL (${overriding}) overrides it in this window.`,
    );
  }
  return model;
}

type ModelItem = vscode.QuickPickItem & { modelId?: string };

/** Quick pick filled from `GET /models` while it is open; any typed id is accepted too. */
/** The picker's title-bar button that switches profile instead (the chat header and status bar open the picker). */
const SWITCH_PROFILE = Symbol('switch profile');

export async function pickModel(
  services: Services,
  title?: string,
  offerProfiles = false,
): Promise<string | undefined> {
  let resolved;
  try {
    resolved = await services.resolver.resolve();
  } catch (error) {
    return fail(services, false, error);
  }
  const profile = offerProfiles ? resolved.settings.profile.name : undefined;
  const picker = new ModelQuickPick(resolved.origin, resolved.model, title, profile);
  let choice: string | typeof SWITCH_PROFILE | undefined;
  try {
    fillWithModels(services, resolved, picker);
    choice = await picker.choice();
  } finally {
    picker.dispose();
  }
  if (choice !== SWITCH_PROFILE) return choice;
  await vscode.commands.executeCommand(SELECT_PROFILE_COMMAND);
  return undefined;
}

/** Lists the endpoint's models into the open picker; a failure becomes a notice in it. */
function fillWithModels(services: Services, resolved: ResolvedEndpoint, picker: ModelQuickPick): void {
  const { runner, log, testHooks } = services;
  void runner
    .listModels(resolved.endpoint, {
      signal: picker.loading.signal,
      timeoutMs: resolved.settings.idleTimeoutMs,
      label: 'select model',
    })
    .then(
      (models) => {
        if (picker.closed) return;
        picker.showModels(models);
        testHooks?.fireModelPickFilled(models.map((model) => model.id));
      },
      (error: unknown) => {
        if (picker.closed) return;
        picker.showListFailure(toUserFacingError(error, log.redact.bind(log)).message);
        testHooks?.fireModelPickFilled([]);
      },
    )
    .finally(() => picker.loaded());
}

/** The model quick pick: the current model, then the server's list, the typed id and any notice. */
class ModelQuickPick implements vscode.Disposable {
  /** Aborted when the picker closes: the list is no longer wanted. */
  readonly loading = new AbortController();
  private readonly picker = vscode.window.createQuickPick<ModelItem>();
  private readonly disposables: vscode.Disposable[] = [this.picker];
  private listed: ModelItem[];
  private notice: ModelItem | undefined;
  private isClosed = false;

  constructor(
    private readonly origin: string,
    private readonly current: string,
    title: string | undefined,
    profile?: string,
  ) {
    const named = profile !== undefined && profile !== DEFAULT_PROFILE_NAME ? ` (profile ${profile})` : '';
    this.picker.title = title ?? `Stream Chat: Model on ${origin}${named}`;
    if (profile !== undefined)
      this.picker.buttons = [
        { iconPath: new vscode.ThemeIcon('server-environment'), tooltip: `Switch Profile (in use: ${profile})` },
      ];
    this.picker.placeholder = `Loading models from ${origin}… (or type a model id)`;
    this.picker.busy = true;
    this.picker.matchOnDescription = true;
    this.listed = [{ label: current, description: 'current', modelId: current }];
    this.render();
  }

  get closed(): boolean {
    return this.isClosed;
  }

  showModels(models: readonly ModelInfo[]): void {
    const { current, origin } = this;
    const ids = models.map((model) => model.id);
    // The current model first when the server lists it, so Enter keeps it: VS Code makes the first
    // item active whenever `items` is replaced, ignoring `activeItems` set with it (microsoft/vscode#75005).
    const ordered = ids.includes(current) ? [current, ...ids.filter((id) => id !== current)] : ids;
    this.listed = ordered.map((id) => ({
      label: id,
      description: id === current ? 'current' : findModel(models, id)?.ownedBy,
      modelId: id,
    }));
    // An unlisted current model goes last: the server may not serve it any more.
    if (!ids.includes(current))
      this.listed.push({ label: current, description: 'current (not listed by the server)', modelId: current });
    this.picker.placeholder =
      ids.length > 0
        ? `${ids.length} models on ${origin} — pick one or type a model id`
        : `${origin} listed no models — type a model id`;
    this.render();
  }

  showListFailure(message: string): void {
    this.notice = { label: '$(warning) Could not list models', detail: message, alwaysShow: true };
    this.picker.placeholder = 'Type a model id';
    this.render();
  }

  /** The list arrived or failed. */
  loaded(): void {
    if (!this.isClosed) this.picker.busy = false;
  }

  /** Shows the picker; resolves with the accepted model id, or undefined when it is dismissed. */
  choice(): Promise<string | typeof SWITCH_PROFILE | undefined> {
    return new Promise<string | typeof SWITCH_PROFILE | undefined>((resolve) => {
      this.disposables.push(
        this.picker.onDidChangeValue(() => this.render()),
        this.picker.onDidTriggerButton(() => {
          resolve(SWITCH_PROFILE);
          this.picker.hide();
        }),
        this.picker.onDidAccept(() => {
          const id = this.picker.selectedItems[0]?.modelId;
          if (id === undefined) return; // the error notice: keep the picker open
          resolve(id);
          this.picker.hide();
        }),
        this.picker.onDidHide(() => resolve(undefined)),
      );
      this.picker.show();
    });
  }

  dispose(): void {
    this.isClosed = true;
    this.loading.abort();
    for (const disposable of this.disposables) disposable.dispose();
  }

  /** A typed id not in the list is offered first. */
  private render(): void {
    const typed = this.picker.value.trim();
    const typedItem: ModelItem[] =
      typed !== '' && !this.listed.some((item) => item.modelId === typed)
        ? [{ label: typed, description: 'Use this model id', alwaysShow: true, modelId: typed }]
        : [];
    this.picker.items = [...typedItem, ...this.listed, ...(this.notice ? [this.notice] : [])];
  }
}

function findModel(models: readonly { id: string; ownedBy?: string }[], id: string) {
  return models.find((entry) => entry.id === id);
}

/** Interactive: show the problem; automated: reject with it. */
function fail(services: Services, automated: boolean, error: unknown): undefined {
  const problem = toUserFacingError(error, services.log.redact.bind(services.log));
  if (automated) throw new Error(`Stream Chat: ${problem.message}`);
  services.log.warn(problem.message);
  showErrorWithFix(`Stream Chat: ${problem.message}`, fixFor(problem.kind), services.log);
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
