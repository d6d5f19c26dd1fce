// Turns the current settings and stored key into the `Endpoint` the client sends to. Every surface
// that starts a request asks here first, so the origin/key rules live in one place.
import type { Endpoint } from '../api';
import type { EndpointErrorKind } from '../protocol';
import type { Settings, StreamChatConfig } from './config';
import { isSecretHeaderName, keyWouldTravelInClear } from '../core/endpointPolicy';
import type { StreamChatLog } from './log';
import type { ApiKeyStore, PlainHttpKeyGuard } from './secrets';

// The kinds live in the protocol: the chat panel shows these errors too.
export type { EndpointErrorKind };

/** The endpoint cannot be used as configured; the message says why, in the user's terms. */
export class EndpointError extends Error {
  constructor(
    readonly kind: EndpointErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'EndpointError';
  }
}

export interface ResolvedEndpoint {
  /** What the client needs. `apiKey` is only ever the key stored for `origin`. */
  endpoint: Endpoint;
  origin: string;
  model: string;
  /** The local demo server (`STREAM_CHAT_DEMO=1`): label the model as a demo. */
  demo: boolean;
  settings: Settings;
}

export class EndpointResolver {
  /** The header notes last logged, so a change is logged once, not per request. */
  private loggedSettingsNotes = '';

  constructor(
    private readonly config: StreamChatConfig,
    private readonly keys: ApiKeyStore,
    private readonly plainHttpGuard: PlainHttpKeyGuard,
    private readonly log: StreamChatLog,
  ) {}

  /** The origin requests go to now, or throws `EndpointError('config')`. */
  currentOrigin(settings: Settings = this.config.read()): string {
    const { origin, problem } = settings.endpoint;
    if (origin === undefined) throw new EndpointError('config', problem ?? 'streamChat.baseUrl is not set');
    return origin;
  }

  /** The key that would be sent to the current origin, without asking about plain http. */
  async keyFor(origin: string, settings: Settings = this.config.read()): Promise<string | undefined> {
    const { environmentApiKey } = settings.endpoint;
    if (environmentApiKey !== undefined && origin === settings.endpoint.origin) return environmentApiKey;
    return this.keys.get(origin);
  }

  /**
   * Settings, fresh (of `profile`, by default the active one), with the key for the base URL's
   * origin. Over plain http to another machine the user is asked first (also for credentials in
   * `streamChat.headers`); if they decline, throws
   * `EndpointError('key-not-sent')` rather than sending.
   */
  async resolve(profile?: string): Promise<ResolvedEndpoint> {
    const settings = this.config.read(profile);
    const origin = this.currentOrigin(settings);
    const baseUrl = settings.endpoint.baseUrl!;
    const apiKey = await this.keyFor(origin, settings);
    const secretHeaders = Object.entries(settings.endpoint.headers).filter(([name]) => isSecretHeaderName(name));
    // Scrubbed from the log and messages in case a server echoes them back.
    for (const [, value] of secretHeaders) this.log.addSecret(value);
    this.logSettingsNotes(settings);
    const carriesSecret = apiKey !== undefined || secretHeaders.length > 0;
    if (carriesSecret && keyWouldTravelInClear(origin) && !(await this.plainHttpGuard.mayCarryKey(origin))) {
      const what =
        apiKey !== undefined
          ? 'Your API key was not sent'
          : `The credentials in streamChat.headers (${secretHeaders.map(([name]) => name).join(', ')}) were not sent`;
      throw new EndpointError(
        'key-not-sent',
        `${what} to ${origin}: plain http:// would expose ${apiKey !== undefined ? 'it' : 'them'} on the network. Switch to https://, or run the request again and choose "Send Anyway".`,
      );
    }
    const endpoint: Endpoint = { baseUrl, headers: settings.endpoint.headers };
    if (apiKey !== undefined) endpoint.apiKey = apiKey;
    return { endpoint, origin, model: settings.model, demo: settings.endpoint.demo, settings };
  }

  /**
   * Whether `resolve()` would go through without asking the user anything: false only when a key or
   * credential header would travel over plain http to another machine not yet allowed.
   */
  async wouldResolveSilently(profile?: string): Promise<boolean> {
    const settings = this.config.read(profile);
    const origin = settings.endpoint.origin;
    if (origin === undefined || !keyWouldTravelInClear(origin) || this.plainHttpGuard.allows(origin)) return true;
    const secretHeader = Object.keys(settings.endpoint.headers).some(isSecretHeaderName);
    return !secretHeader && (await this.keyFor(origin, settings)) === undefined;
  }

  /**
   * Logs what is wrong with `streamChat.headers` and the entries of `streamChat.profiles` that are left
   * out, once per change (at activation and before requests).
   */
  logSettingsNotes(settings: Settings = this.config.read()): void {
    const notes = [...this.config.describeHeaders(settings.endpoint), ...this.config.profileProblems()];
    const joined = notes.join('\n');
    if (joined === this.loggedSettingsNotes) return;
    this.loggedSettingsNotes = joined;
    for (const note of notes) this.log.warn(note);
  }
}
