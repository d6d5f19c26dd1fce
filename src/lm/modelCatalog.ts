// Which models Stream Chat offers VS Code: every model the endpoint's `GET /models` lists, named so a
// person can tell them apart (`endpoint · model`), with the token limits VS Code budgets prompts by.
import type { ModelInfo } from '../api';
import { EndpointError, type ResolvedEndpoint } from '../host/endpointResolver';
import type { Services } from '../host/services';
import { DEFAULT_PROFILE_NAME } from '../core/profiles';
import type { LanguageModelChatInformation } from './lmApi';

/**
 * The least input budget told to VS Code. Its agent cuts a prompt down to `maxInputTokens` and, when
 * the budget is too small for its tools and instructions, drops the user's own message; over the
 * server's real window the server says "too long" instead, which the user can act on.
 */
const MIN_INPUT_TOKENS = 32_768;

export interface StreamChatModel extends LanguageModelChatInformation {
  /** The id the server knows the model by. */
  readonly modelId: string;
  readonly profile: string;
  /** Where its requests go (token counts are calibrated per origin and model). */
  readonly origin: string;
}

/** How long a listing is reused before `/models` is asked again. */
const LISTING_TTL_MS = 60_000;

export class ModelCatalog {
  private listing: { at: number; models: Promise<StreamChatModel[]> } | undefined;

  constructor(private readonly services: Services) {}

  forget(): void {
    this.listing = undefined;
  }

  /** `silent`: never ask the user anything (no plain-http question); offer what can be known without. */
  models(silent: boolean): Promise<StreamChatModel[]> {
    if (this.listing !== undefined && performance.now() - this.listing.at < LISTING_TTL_MS) return this.listing.models;
    const models = this.list(silent).catch((error: unknown) => {
      this.listing = undefined; // try again next time
      this.services.log.warn(`VS Code models: ${error instanceof Error ? error.message : String(error)}`);
      return [];
    });
    this.listing = { at: performance.now(), models };
    return models;
  }

  /** Every profile's models, the active profile's first (VS Code lists them in this order). */
  private async list(silent: boolean): Promise<StreamChatModel[]> {
    const { config } = this.services;
    const active = config.read().profile.name;
    const names = [
      active,
      ...[DEFAULT_PROFILE_NAME, ...config.profiles().map((profile) => profile.name)].filter((name) => name !== active),
    ];
    const lists = await Promise.all(names.map((name) => this.listProfile(name, silent)));
    return lists.flat();
  }

  private async listProfile(profile: string, silent: boolean): Promise<StreamChatModel[]> {
    const resolved = await this.resolve(profile, silent);
    if (resolved === undefined) return [];
    const { settings } = resolved;
    let listed: ModelInfo[] = [];
    try {
      listed = await this.services.runner.listModels(resolved.endpoint, { label: 'VS Code models', timeoutMs: 10_000 });
    } catch {
      // Offer the configured model: a request then shows the real error (a rejected key, a wrong URL).
    }
    const configured = listed.find((entry) => entry.id === settings.model) ?? { id: settings.model };
    const others = listed.filter((entry) => entry.id !== settings.model);
    const label =
      profile !== DEFAULT_PROFILE_NAME ? profile : resolved.demo ? 'Stream Chat demo' : new URL(resolved.origin).host;
    return [configured, ...others].map((entry) =>
      modelInformation(entry, { profile, label, origin: resolved.origin, settings }),
    );
  }

  private async resolve(profile: string, silent: boolean): Promise<ResolvedEndpoint | undefined> {
    if (silent && !(await this.services.resolver.wouldResolveSilently(profile))) return undefined;
    try {
      return await this.services.resolver.resolve(profile);
    } catch (error) {
      if (error instanceof EndpointError) return undefined; // nothing usable is configured
      throw error;
    }
  }
}

interface ModelContext {
  profile: string;
  label: string;
  origin: string;
  settings: ResolvedEndpoint['settings'];
}

export function modelInformation(entry: ModelInfo, context: ModelContext): StreamChatModel {
  const window = entry.contextWindow ?? context.settings.contextWindow;
  const maxOutputTokens = context.settings.maxTokens ?? Math.max(1024, Math.min(8192, Math.floor(window / 4)));
  const maxInputTokens = Math.max(MIN_INPUT_TOKENS, window - maxOutputTokens);
  const windowNote = entry.contextWindow !== undefined ? 'from the server' : 'from streamChat.contextWindow';
  return {
    id: `${context.profile}/${entry.id}`,
    modelId: entry.id,
    profile: context.profile,
    origin: context.origin,
    name: `${context.label} · ${entry.id}`,
    family: entry.id,
    version: entry.id,
    detail: 'Stream Chat',
    tooltip:
      `${entry.id} at ${context.origin}, through Stream Chat. ` +
      `Context window ${window.toLocaleString('en-US')} tokens (${windowNote}).` +
      (entry.imageInput === true ? ' Reads images.' : ''),
    maxInputTokens,
    maxOutputTokens,
    // VS Code's picker lists only models that can call tools; a server that cannot says so when asked.
    // Images only where the server's listing says the model reads them (servers that say nothing get none).
    capabilities: { toolCalling: true, imageInput: entry.imageInput === true },
  };
}
