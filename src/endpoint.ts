// Turns the current settings and stored key into the `Endpoint` the client sends to. Every surface
// that starts a request asks here first, so the origin/key rules live in one place.
import type { Endpoint } from './api';
import type { Settings, StreamChatConfig } from './config';
import { keyWouldTravelInClear } from './endpointPolicy';
import type { ApiKeyStore, PlainHttpKeyGuard } from './secrets';

export type EndpointErrorKind = 'config' | 'key-not-sent';

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
  constructor(
    private readonly config: StreamChatConfig,
    private readonly keys: ApiKeyStore,
    private readonly plainHttpGuard: PlainHttpKeyGuard,
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
   * Settings, fresh, with the key for the base URL's origin. Over plain http to another machine the
   * user is asked first; if they decline, throws `EndpointError('key-not-sent')` rather than sending.
   */
  async resolve(): Promise<ResolvedEndpoint> {
    const settings = this.config.read();
    const origin = this.currentOrigin(settings);
    const baseUrl = settings.endpoint.baseUrl!;
    const apiKey = await this.keyFor(origin, settings);
    if (apiKey !== undefined && keyWouldTravelInClear(origin) && !(await this.plainHttpGuard.mayCarryKey(origin))) {
      throw new EndpointError(
        'key-not-sent',
        `Your API key was not sent to ${origin}: plain http:// would expose it on the network. Switch to https://, or run the request again and choose "Send Anyway".`,
      );
    }
    const endpoint: Endpoint = { baseUrl, headers: settings.endpoint.headers };
    if (apiKey !== undefined) endpoint.apiKey = apiKey;
    return { endpoint, origin, model: settings.model, demo: settings.endpoint.demo, settings };
  }
}
