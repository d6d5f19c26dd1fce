// Token estimates that learn from the server: each answer's usage (prompt and completion tokens)
// against the characters sent and received teaches the model's characters-per-token ratio, per
// endpoint origin and model, so the context meter's estimate agrees with the server's count. No
// 'vscode' import: the host persists what is learned (host/tokenCalibrationStore.ts).
import type { Answer, ChatMessage } from '../api';
import { DEFAULT_CHARS_PER_TOKEN, tokenWeight } from '../shared/snippets';

/** What each message costs besides its text (role and separators in the chat template), estimated. */
export const MESSAGE_OVERHEAD_TOKENS = 4;
/** The range a learned ratio stays in; a count outside it measures something else (hidden reasoning, images). */
export const MIN_CHARS_PER_TOKEN = 1.5;
export const MAX_CHARS_PER_TOKEN = 8;
/** Fewer tokens than this say little: a rounding of one token would move the ratio too much. */
export const MIN_SAMPLE_TOKENS = 16;
/** How much the default counts, in tokens of evidence: little, so the first real answer decides. */
const PRIOR_TOKENS = 8;
/** The most one answer counts, so one odd answer moves a settled ratio at most a fifth of the way. */
const MAX_SAMPLE_TOKENS = 1_000;
/** Evidence kept: older answers fade, so the ratio follows what the model is being sent now. */
const MAX_EVIDENCE_TOKENS = 4_000;
/** Models remembered across restarts, the most recently taught kept. */
const MAX_SAVED_MODELS = 64;

/** Tokens a text takes, estimated. `estimate` is cheap: one pass over the text, no allocation. */
export interface TokenEstimator {
  readonly charsPerToken: number;
  estimate(text: string): number;
}

/** The ratio before any usage has been seen. */
export const defaultTokenEstimator: TokenEstimator = {
  charsPerToken: DEFAULT_CHARS_PER_TOKEN,
  estimate: (text) => Math.ceil(tokenWeight(text) / DEFAULT_CHARS_PER_TOKEN),
};

/** What is learned for one model, as saved. */
export interface CalibrationState {
  charsPerToken: number;
  /** Tokens of usage behind `charsPerToken` (with the default's few). */
  evidenceTokens: number;
}

/** The characters-per-token ratio of one model: estimates with it, learns it from the server's counts. */
export class TokenCalibrator implements TokenEstimator {
  private ratio: number;
  private tokensPerWeight: number;
  private evidence: number;

  constructor(state: CalibrationState = { charsPerToken: DEFAULT_CHARS_PER_TOKEN, evidenceTokens: PRIOR_TOKENS }) {
    this.ratio = state.charsPerToken;
    this.tokensPerWeight = 1 / state.charsPerToken;
    this.evidence = state.evidenceTokens;
  }

  get charsPerToken(): number {
    return this.ratio;
  }

  /** True once a server's count has taught the ratio (restored ones included). */
  get learned(): boolean {
    return this.evidence > PRIOR_TOKENS;
  }

  estimate(text: string): number {
    return Math.ceil(tokenWeight(text) * this.tokensPerWeight);
  }

  /** Tokens for a `tokenWeight` the caller has already summed. */
  estimateWeight(weight: number): number {
    return Math.ceil(weight * this.tokensPerWeight);
  }

  /**
   * `weight` (a `tokenWeight`) took `tokens` by the server's count. The ratio moves towards it by the
   * sample's share of the evidence; too small a sample or an implausible ratio teaches nothing.
   * Returns whether it was taken.
   */
  learn(weight: number, tokens: number): boolean {
    if (!(tokens >= MIN_SAMPLE_TOKENS)) return false;
    const sample = weight / tokens;
    if (!(sample >= MIN_CHARS_PER_TOKEN && sample <= MAX_CHARS_PER_TOKEN)) return false;
    const counted = Math.min(tokens, MAX_SAMPLE_TOKENS);
    this.ratio = (this.ratio * this.evidence + sample * counted) / (this.evidence + counted);
    this.tokensPerWeight = 1 / this.ratio;
    this.evidence = Math.min(this.evidence + counted, MAX_EVIDENCE_TOKENS);
    return true;
  }

  state(): CalibrationState {
    return { charsPerToken: this.ratio, evidenceTokens: this.evidence };
  }
}

/** What one request sent and got back: the parts `learnFromExchange` reads. */
export type Exchange = Pick<Answer, 'content' | 'reasoning' | 'toolCalls' | 'usage' | 'stopped' | 'error'>;

/**
 * The sample one exchange gives: the prompt's text against `prompt_tokens` less the template's
 * overhead, and, when the answer completed, its text against `completion_tokens`. A part whose own
 * ratio is implausible (reasoning the server counted but did not send) is left out.
 */
export function sampleOf(messages: readonly ChatMessage[], exchange: Exchange): { weight: number; tokens: number } {
  const sample = { weight: 0, tokens: 0 };
  const add = (weight: number, tokens: number) => {
    const ratio = weight / tokens;
    if (!(tokens > 0 && ratio >= MIN_CHARS_PER_TOKEN && ratio <= MAX_CHARS_PER_TOKEN)) return;
    sample.weight += weight;
    sample.tokens += tokens;
  };
  const { usage } = exchange;
  if (usage?.promptTokens !== undefined) {
    let weight = 0;
    for (const message of messages) weight += tokenWeight(message.content);
    add(weight, usage.promptTokens - MESSAGE_OVERHEAD_TOKENS * messages.length);
  }
  if (usage?.completionTokens !== undefined && !exchange.stopped && exchange.error === undefined) {
    let weight = tokenWeight(exchange.content) + tokenWeight(exchange.reasoning);
    for (const call of exchange.toolCalls) weight += tokenWeight(call.name ?? '') + tokenWeight(call.arguments);
    add(weight, usage.completionTokens);
  }
  return sample;
}

/** Saved form: `origin model` → [chars per token, evidence tokens], the most recently taught last. */
export type SavedCalibrations = Record<string, [number, number]>;

/** The calibrators of every endpoint and model seen, keyed by origin (never a path or query) and model. */
export class TokenCalibrations {
  private readonly byModel = new Map<string, TokenCalibrator>();
  private readonly listeners = new Set<() => void>();

  /** `saved` is what `saved()` returned (read back from storage: anything malformed is skipped). */
  constructor(saved?: unknown) {
    if (saved === null || typeof saved !== 'object') return;
    for (const [key, value] of Object.entries(saved)) {
      if (!Array.isArray(value)) continue;
      const [charsPerToken, evidenceTokens] = value as unknown[];
      if (typeof charsPerToken !== 'number' || typeof evidenceTokens !== 'number') continue;
      if (!(charsPerToken >= MIN_CHARS_PER_TOKEN && charsPerToken <= MAX_CHARS_PER_TOKEN)) continue;
      if (!(evidenceTokens > 0 && evidenceTokens <= MAX_EVIDENCE_TOKENS)) continue;
      this.byModel.set(key, new TokenCalibrator({ charsPerToken, evidenceTokens }));
    }
  }

  /** The calibrator of `model` at `origin` (the default ratio until it learns); the same object each time. */
  for(origin: string, model: string): TokenCalibrator {
    const key = `${origin} ${model}`;
    let calibrator = this.byModel.get(key);
    if (calibrator === undefined) {
      calibrator = new TokenCalibrator();
      this.byModel.set(key, calibrator);
    }
    return calibrator;
  }

  /** Learns from a request that ended; true when it taught something (listeners are told). */
  learnFromExchange(origin: string, model: string, messages: readonly ChatMessage[], exchange: Exchange): boolean {
    if (exchange.usage === undefined || origin === '') return false;
    const { weight, tokens } = sampleOf(messages, exchange);
    const key = `${origin} ${model}`;
    const calibrator = this.for(origin, model);
    if (!calibrator.learn(weight, tokens)) return false;
    // Most recently taught last, so `saved()` keeps those.
    this.byModel.delete(key);
    this.byModel.set(key, calibrator);
    for (const listener of [...this.listeners]) listener();
    return true;
  }

  /** Fires after a calibrator learned (to save them). */
  onDidLearn(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** The learned ratios, for storage: at most the most recently taught `MAX_SAVED_MODELS`. */
  saved(): SavedCalibrations {
    const learned = [...this.byModel].filter(([, calibrator]) => calibrator.learned).slice(-MAX_SAVED_MODELS);
    const saved: SavedCalibrations = {};
    for (const [key, calibrator] of learned) {
      const { charsPerToken, evidenceTokens } = calibrator.state();
      saved[key] = [charsPerToken, evidenceTokens];
    }
    return saved;
  }
}
