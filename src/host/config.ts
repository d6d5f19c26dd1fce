// Typed Stream Chat settings, read fresh on every call, plus the environment overrides used by
// `npm start` and demos. The endpoint (baseUrl, headers) is only ever taken from the user's global
// settings: a cloned repository's .vscode/settings.json must not be able to redirect the key.
import * as vscode from 'vscode';
import { checkBaseUrl, displayUrl, headerProblem, isSecretHeaderName } from '../core/endpointPolicy';
import type { RequestSettings } from '../core/requestPreparation';
import { DEFAULT_PROFILE_NAME, findProfile, isDefaultProfile, parseProfiles, type Profile } from '../core/profiles';

export const SECTION = 'streamChat';
export const DEFAULT_BASE_URL = 'https://api.solidrust.ai/v1';
export const DEFAULT_MODEL = 'vllm-primary';
export const DEFAULT_IDLE_TIMEOUT_SECONDS = 120;
/** The hosted default (vllm-primary) serves an 8,192-token window. */
export const DEFAULT_CONTEXT_WINDOW = 8192;
/** Node's fetch (undici) ends a body or a wait for headers after 300 s of silence, whatever we ask. */
export const MAX_IDLE_TIMEOUT_SECONDS = 300;

/** Environment variables read once at activation (the extension host's environment). */
export interface EnvironmentOverrides {
  baseUrl?: string;
  model?: string;
  /** Used only for the origin of `baseUrl` above. */
  apiKey?: string;
  /** The endpoint is the local demo server: the UI labels the model as a demo. */
  demo: boolean;
}

export function readEnvironment(env: NodeJS.ProcessEnv = process.env): EnvironmentOverrides {
  const nonEmpty = (value: string | undefined) =>
    value !== undefined && value.trim() !== '' ? value.trim() : undefined;
  return {
    baseUrl: nonEmpty(env.STREAM_CHAT_BASE_URL),
    model: nonEmpty(env.STREAM_CHAT_MODEL),
    apiKey: nonEmpty(env.STREAM_CHAT_API_KEY),
    demo: env.STREAM_CHAT_DEMO === '1',
  };
}

export type SettingSource = 'setting' | 'environment' | 'profile';

export interface EndpointSettings {
  /** Normalised (no trailing slash); undefined when the configured value is invalid (see `problem`). */
  baseUrl?: string;
  origin?: string;
  /** Why the base URL cannot be used, in words for the user. */
  problem?: string;
  /** The configured value for messages, with any credentials, query or fragment masked. */
  configuredBaseUrl: string;
  baseUrlSource: SettingSource;
  /** The user's headers that can be sent. */
  headers: Record<string, string>;
  /** The user's headers that are not sent, and why. */
  ignoredHeaders: { name: string; problem: string }[];
  /** The environment supplies a key for this origin. */
  environmentApiKey?: string;
  demo: boolean;
}

/** The profile whose settings these are. */
export interface ProfileInUse {
  /** `Default` for the plain settings. */
  name: string;
  /** The profile asked for no longer exists (renamed or deleted): these are the default profile's settings. */
  missing?: string;
}

export interface Settings extends RequestSettings {
  profile: ProfileInUse;
  endpoint: EndpointSettings;
  modelSource: SettingSource;
  /** The window assumed when the server's `/models` does not report one. */
  contextWindow: number;
}

/** Where the settings come from: VS Code's configuration (tests wrap it to act as an editor that ignores scopes). */
export type ConfigurationSource = (section: string) => vscode.WorkspaceConfiguration;

/**
 * Settings each read by one surface when it acts, not part of every request's `Settings`: the
 * prompts and the snippet limit of the ask commands, the history's size, the insert's context.
 */
export type SurfaceSettingKey =
  'prompts' | 'ask.maxSnippetTokens' | 'ask.newConversation' | 'history.maxConversations' | 'insert.contextLines';

export class StreamChatConfig implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires after any `streamChat.*` setting changed (read the new values with `read()`). */
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    readonly environment: EnvironmentOverrides,
    private readonly configuration: ConfigurationSource = (section) => vscode.workspace.getConfiguration(section),
  ) {
    this.subscription = vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(SECTION)) this.changed.fire();
    });
  }

  /** The settings of profile `profileName`, by default the active one (`streamChat.activeProfile`). */
  read(profileName?: string): Settings {
    const config = this.configuration(SECTION);
    const wanted = profileName ?? stringOr(globalOnly<string>(config, 'activeProfile'), '');
    const profile = findProfile(this.profiles(), wanted);
    const inUse: ProfileInUse = { name: profile?.name ?? DEFAULT_PROFILE_NAME };
    if (profile === undefined && !isDefaultProfile(wanted)) inUse.missing = wanted;
    return {
      profile: inUse,
      endpoint: profile !== undefined ? profileEndpoint(profile) : this.readEndpoint(config),
      ...(profile?.model !== undefined
        ? { model: profile.model, modelSource: 'profile' as const }
        : this.readModel(config)),
      systemPrompt: profile?.systemPrompt ?? stringOr(config.get<unknown>('systemPrompt'), ''),
      temperature: profile?.temperature ?? numberInRange(config.get<unknown>('temperature'), 0, 2),
      maxTokens: profile?.maxTokens ?? positiveInteger(config.get<unknown>('maxTokens')),
      idleTimeoutMs:
        Math.min(
          numberInRange(config.get<unknown>('idleTimeoutSeconds'), 1, 24 * 3600) ?? DEFAULT_IDLE_TIMEOUT_SECONDS,
          MAX_IDLE_TIMEOUT_SECONDS,
        ) * 1000,
      contextWindow:
        profile?.contextWindow ?? positiveInteger(config.get<unknown>('contextWindow')) ?? DEFAULT_CONTEXT_WINDOW,
    };
  }

  /** The user's named profiles (user settings only: they decide where keys go). */
  profiles(): Profile[] {
    return parseProfiles(globalOnly<unknown>(this.configuration(SECTION), 'profiles')).profiles;
  }

  /** What is wrong with `streamChat.profiles`, for the log. */
  profileProblems(): string[] {
    return parseProfiles(globalOnly<unknown>(this.configuration(SECTION), 'profiles')).problems;
  }

  /** Appends a named profile to the user's `streamChat.profiles`. */
  async addProfile(profile: Profile): Promise<void> {
    const config = vscode.workspace.getConfiguration(SECTION);
    const raw = globalOnly<unknown>(config, 'profiles');
    const entries = Array.isArray(raw) ? (raw as unknown[]) : [];
    await config.update('profiles', [...entries, profile], vscode.ConfigurationTarget.Global);
  }

  /** Makes `name` the active profile (`Default` for the plain settings). */
  async activateProfile(name: string): Promise<void> {
    const value = isDefaultProfile(name) ? undefined : name;
    await vscode.workspace.getConfiguration(SECTION).update('activeProfile', value, vscode.ConfigurationTarget.Global);
  }

  /**
   * A surface's own setting, through `parse`: the surface checks the value and supplies the default
   * (rules it unit-tests in plain Node). Read fresh, like `read()`, so Restricted Mode's rules apply
   * (workspace values of the settings in package.json's `restrictedConfigurations` are ignored).
   */
  readSurfaceSetting<T>(key: SurfaceSettingKey, parse: (value: unknown) => T): T {
    return parse(this.configuration(SECTION).get<unknown>(key));
  }

  /**
   * Writes a user (global) setting: the endpoint settings are application-scoped, and a choice made
   * by command is the user's.
   */
  async update(key: 'baseUrl' | 'model' | 'headers', value: unknown): Promise<void> {
    const config = vscode.workspace.getConfiguration(SECTION);
    const active = findProfile(this.profiles(), stringOr(globalOnly<string>(config, 'activeProfile'), ''));
    if (active === undefined) {
      await config.update(key, value, vscode.ConfigurationTarget.Global);
      return;
    }
    // A named profile is active: the choice is that profile's (the plain settings stay as they are).
    const raw = globalOnly<unknown>(config, 'profiles');
    const entries = Array.isArray(raw) ? [...(raw as unknown[])] : [];
    const updated = entries.map((entry) =>
      typeof entry === 'object' && entry !== null && (entry as { name?: unknown }).name === active.name
        ? { ...entry, [key]: value }
        : entry,
    );
    await config.update('profiles', updated, vscode.ConfigurationTarget.Global);
  }

  /**
   * VS Code's `chat.allowAnonymousAccess` as the user set it: whether its Chat view may be used
   * without signing in. Read as a plain value: VS Code 1.139 does not register it for extensions.
   */
  anonymousChatAccess(): boolean {
    return this.configuration('chat').get<unknown>('allowAnonymousAccess') === true;
  }

  /**
   * Turns VS Code's anonymous chat access on in the user's settings (the user agreed); false where
   * the editor refuses extensions the write ("not a registered configuration").
   */
  async allowAnonymousChatAccess(): Promise<boolean> {
    try {
      await vscode.workspace
        .getConfiguration('chat')
        .update('allowAnonymousAccess', true, vscode.ConfigurationTarget.Global);
      return true;
    } catch {
      return false;
    }
  }

  /** Human-readable notes for the log about the environment overrides (headers: `describeHeaders`). */
  describeOverrides(): string[] {
    const notes: string[] = [];
    const env = this.environment;
    if (env.baseUrl) {
      const demo = env.demo ? ' — local demo server' : '';
      notes.push(`STREAM_CHAT_BASE_URL is set: it overrides streamChat.baseUrl (${displayUrl(env.baseUrl)})${demo}`);
    }
    if (env.model) notes.push(`STREAM_CHAT_MODEL is set: it overrides streamChat.model (${env.model})`);
    if (env.apiKey && !env.baseUrl)
      notes.push('STREAM_CHAT_API_KEY is ignored: it is only used together with STREAM_CHAT_BASE_URL');
    return notes;
  }

  /** Notes for the log about `streamChat.headers`: headers not sent, and secrets kept in plain text. */
  describeHeaders(endpoint: EndpointSettings = this.read().endpoint): string[] {
    const notes: string[] = [];
    for (const { name, problem } of endpoint.ignoredHeaders)
      notes.push(`streamChat.headers ${JSON.stringify(name)} is not sent: ${problem}`);
    for (const name of Object.keys(endpoint.headers)) {
      if (!isSecretHeaderName(name)) continue;
      const replaced = name.toLowerCase() === 'authorization' ? ' (a key stored for the origin replaces it)' : '';
      notes.push(
        `streamChat.headers sets ${JSON.stringify(name)}${replaced}: secrets in settings are stored in plain text` +
          ' — prefer "Stream Chat: Set API Key"',
      );
    }
    return notes;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }

  private readEndpoint(config: vscode.WorkspaceConfiguration): EndpointSettings {
    const env = this.environment;
    const fromEnvironment = env.baseUrl !== undefined;
    const configuredBaseUrl = fromEnvironment
      ? env.baseUrl!
      : stringOr(globalOnly<string>(config, 'baseUrl'), DEFAULT_BASE_URL);
    const checked = checkBaseUrl(configuredBaseUrl);
    const endpoint: EndpointSettings = {
      configuredBaseUrl: displayUrl(configuredBaseUrl),
      baseUrlSource: fromEnvironment ? 'environment' : 'setting',
      ...sendableHeaders(globalOnly<Record<string, unknown>>(config, 'headers')),
      demo: fromEnvironment && env.demo,
    };
    if (!checked.ok)
      return {
        ...endpoint,
        problem: `${fromEnvironment ? 'STREAM_CHAT_BASE_URL' : 'streamChat.baseUrl'}: ${checked.problem}`,
      };
    endpoint.baseUrl = checked.baseUrl;
    endpoint.origin = checked.origin;
    if (fromEnvironment && env.apiKey) endpoint.environmentApiKey = env.apiKey;
    return endpoint;
  }

  private readModel(config: vscode.WorkspaceConfiguration): { model: string; modelSource: SettingSource } {
    if (this.environment.model) return { model: this.environment.model, modelSource: 'environment' };
    const model = stringOr(config.get<unknown>('model'), DEFAULT_MODEL).trim();
    return { model: model === '' ? DEFAULT_MODEL : model, modelSource: 'setting' };
  }
}

/** A named profile's endpoint: its base URL and headers, nothing inherited from the plain settings. */
function profileEndpoint(profile: Profile): EndpointSettings {
  const checked = checkBaseUrl(profile.baseUrl);
  const endpoint: EndpointSettings = {
    configuredBaseUrl: displayUrl(profile.baseUrl),
    baseUrlSource: 'profile',
    ...sendableHeaders(profile.headers),
    demo: false,
  };
  if (!checked.ok) return { ...endpoint, problem: `profile "${profile.name}": ${checked.problem}` };
  endpoint.baseUrl = checked.baseUrl;
  endpoint.origin = checked.origin;
  return endpoint;
}

/**
 * The user's own value or the default, never a workspace or folder value — even if a host ignored
 * the setting's application scope.
 */
function globalOnly<T>(config: vscode.WorkspaceConfiguration, key: string): T | undefined {
  const inspected = config.inspect<T>(key);
  return inspected?.globalValue ?? inspected?.defaultValue;
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}

function numberInRange(value: unknown, min: number, max: number): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max ? value : undefined;
}

function positiveInteger(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}

function sendableHeaders(value: unknown): Pick<EndpointSettings, 'headers' | 'ignoredHeaders'> {
  const headers: Record<string, string> = {};
  const ignoredHeaders: { name: string; problem: string }[] = [];
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { headers, ignoredHeaders };
  for (const [name, headerValue] of Object.entries(value)) {
    const problem = headerProblem(name, headerValue);
    if (problem === undefined) headers[name] = (headerValue as string).trim();
    else ignoredHeaders.push({ name, problem });
  }
  return { headers, ignoredHeaders };
}
