// The model's context window for the chat: what the server's `/models` reports for the model, a
// window learned from a context-length error, or else the `streamChat.contextWindow` setting.
// Looked up once per endpoint and model, and again after a settings change or a new chat. Token
// estimates use the model's characters-per-token ratio learned from the server's counts.
import type { ChatError, ChatMessage, Endpoint } from '../api';
import {
  answerReserve,
  estimateMessages,
  fitToWindow,
  windowFromErrorMessage,
  type FittedMessages,
} from '../core/contextBudget';
import { defaultTokenEstimator, type TokenEstimator } from '../core/tokenCalibration';
import type { ResolvedEndpoint } from '../host/endpointResolver';
import { keyWouldTravelInClear } from '../core/endpointPolicy';
import type { AssistantTurnView, BudgetView } from '../protocol';
import type { Services } from '../host/services';

/** A window lookup must not hold up a question for long: the setting applies after this. */
const LOOKUP_TIMEOUT_MS = 3_000;
/** While an answer streams, the meter grows with it (estimated) at most this often: no jump at its end. */
const STREAMING_VIEW_INTERVAL_MS = 250;

export interface ContextWindow {
  tokens: number;
  /** Where the number came from, for the meter's tooltip. */
  source: BudgetView['windowSource'];
}

export interface FittedRequest {
  fitted: FittedMessages;
  window: ContextWindow;
  reserve: number;
}

export class ChatContextWindow {
  /** Per `baseUrl model`: the server's (or an error's) window, undefined when it reports none. */
  private readonly known = new Map<string, Promise<ContextWindow | undefined>>();
  /** Views asked for, and when the last was: a late one must not replace a newer (the server's count). */
  private viewsAsked = 0;
  private lastViewAt = 0;

  constructor(private readonly services: Services) {}

  /**
   * `messages` (system message first) cut to fit the window of the model `resolved` points at,
   * estimated by the ratio of `model` (the one asked, e.g. another for "Regenerate with…").
   */
  async fit(
    resolved: ResolvedEndpoint,
    model: string,
    messages: readonly ChatMessage[],
    leaveOutAtLeast: number,
  ): Promise<FittedRequest> {
    const window = await this.lookup(resolved.endpoint, resolved.model);
    const reserve = answerReserve(window.tokens, resolved.settings.maxTokens);
    const estimator = this.services.tokens.for(resolved.origin, model);
    return { fitted: fitToWindow(messages, window.tokens, reserve, leaveOutAtLeast, estimator), window, reserve };
  }

  /** A context-length error that names the window teaches it (it wins over what `/models` said). */
  learnFrom(resolved: ResolvedEndpoint, error: ChatError): void {
    const tokens = windowFromErrorMessage(error.serverMessage) ?? windowFromErrorMessage(error.message);
    if (tokens !== undefined)
      this.known.set(keyOf(resolved.endpoint.baseUrl, resolved.model), Promise.resolve({ tokens, source: 'error' }));
  }

  forget(): void {
    this.known.clear();
  }

  /** True when a streaming answer's growth is worth a new view (not more often than every 250 ms). */
  dueWhileStreaming(): boolean {
    return performance.now() - this.lastViewAt >= STREAMING_VIEW_INTERVAL_MS;
  }

  /**
   * What the meter shows for `messages` (the conversation as it would be sent, system message
   * first): the server's count after the last answer when it gave one, else the estimate.
   * Undefined when another view was asked for meanwhile (it is newer).
   */
  async view(
    messages: readonly ChatMessage[],
    lastAnswer: AssistantTurnView | undefined,
  ): Promise<BudgetView | undefined> {
    const asked = ++this.viewsAsked;
    this.lastViewAt = performance.now();
    const settings = this.services.config.read();
    const window = await this.windowForSettings();
    if (asked !== this.viewsAsked) return undefined;
    const estimator = chatTokenEstimator(this.services);
    const footer = lastAnswer?.footer;
    const measured = footer?.promptTokens !== undefined;
    const conversationTokens = measured
      ? footer.promptTokens! + (footer.completionTokens ?? estimator.estimate(lastAnswer!.content))
      : estimateMessages(messages, estimator);
    return {
      window: window.tokens,
      windowSource: window.source,
      conversationTokens,
      measured,
      reserve: answerReserve(window.tokens, settings.maxTokens),
      charsPerToken: estimator.charsPerToken,
    };
  }

  /** The window for the current settings without asking the user anything (no plain-http key prompt). */
  private async windowForSettings(): Promise<ContextWindow> {
    const settings = this.services.config.read();
    const { origin, baseUrl, headers } = settings.endpoint;
    if (origin === undefined || baseUrl === undefined) return this.fromSetting();
    const apiKey = await this.services.resolver.keyFor(origin, settings);
    if (apiKey !== undefined && keyWouldTravelInClear(origin))
      return (await this.known.get(keyOf(baseUrl, settings.model))) ?? this.fromSetting();
    return this.lookup({ baseUrl, apiKey, headers }, settings.model);
  }

  private async lookup(endpoint: Endpoint, model: string): Promise<ContextWindow> {
    const key = keyOf(endpoint.baseUrl, model);
    let known = this.known.get(key);
    if (known === undefined) {
      known = this.ask(endpoint, model);
      this.known.set(key, known);
    }
    return (await known) ?? this.fromSetting();
  }

  private fromSetting(): ContextWindow {
    return { tokens: this.services.config.read().contextWindow, source: 'setting' };
  }

  private async ask(endpoint: Endpoint, model: string): Promise<ContextWindow | undefined> {
    try {
      const models = await this.services.runner.listModels(endpoint, {
        timeoutMs: LOOKUP_TIMEOUT_MS,
        label: 'context window',
      });
      const tokens = models.find((entry) => entry.id === model)?.contextWindow;
      return tokens === undefined ? undefined : { tokens, source: 'server' };
    } catch {
      // Logged by the runner; the setting applies (a chat request reports a real problem itself).
      return undefined;
    }
  }
}

/** The estimator of the chat's configured model: its learned ratio, the default before any usage. */
export function chatTokenEstimator(services: Services): TokenEstimator {
  const { endpoint, model } = services.config.read();
  return endpoint.origin === undefined ? defaultTokenEstimator : services.tokens.for(endpoint.origin, model);
}

function keyOf(baseUrl: string, model: string): string {
  return `${baseUrl} ${model}`;
}
