// The context budget: which messages of a conversation go out so that the prompt and room for the
// answer fit the model's window. No 'vscode' import, so the trimming is unit-tested in plain Node.
import type { ChatMessage } from '../api';
import { defaultTokenEstimator, MESSAGE_OVERHEAD_TOKENS, type TokenEstimator } from './tokenCalibration';

export { MESSAGE_OVERHEAD_TOKENS } from './tokenCalibration';
/** Room kept for the answer when no max tokens is set: a quarter of the window, at most this. */
export const DEFAULT_ANSWER_RESERVE = 1024;

/** Estimated prompt tokens of `messages`, by the model's learned ratio when `estimator` has one. */
export function estimateMessages(
  messages: readonly ChatMessage[],
  estimator: TokenEstimator = defaultTokenEstimator,
): number {
  let tokens = 0;
  for (const message of messages) tokens += estimator.estimate(message.content) + MESSAGE_OVERHEAD_TOKENS;
  return tokens;
}

/** Tokens kept free for the answer: the max tokens setting when set, else a share of the window. */
export function answerReserve(window: number, maxTokens: number | undefined): number {
  return maxTokens ?? Math.min(DEFAULT_ANSWER_RESERVE, Math.floor(window / 4));
}

export interface FittedMessages {
  /** What to send: the system message(s), then the newest turns that fit. */
  messages: ChatMessage[];
  /** Earlier turns (a question with its answer) that were left out. */
  leftOutTurns: number;
  /** Estimated prompt tokens of `messages`. */
  promptTokens: number;
  /** False when even the last question alone (with the system message) leaves no room for the answer. */
  fits: boolean;
}

/**
 * Leaves out the oldest turns until the prompt estimate plus `reserve` fits `window`. A turn is a
 * user message with the answers after it; system messages always stay, and so does the last turn
 * (the question being asked). `leaveOutAtLeast` leaves out that many turns even when the estimate
 * fits (the server said it did not), as far as there are earlier turns. `estimator` is the model's.
 */
export function fitToWindow(
  messages: readonly ChatMessage[],
  window: number,
  reserve: number,
  leaveOutAtLeast = 0,
  estimator: TokenEstimator = defaultTokenEstimator,
): FittedMessages {
  const system = messages.filter((message) => message.role === 'system');
  const turns: ChatMessage[][] = [];
  for (const message of messages) {
    if (message.role === 'system') continue;
    if (message.role === 'user' || turns.length === 0) turns.push([message]);
    else turns[turns.length - 1].push(message);
  }
  const budget = window - reserve;
  const costs = turns.map((turn) => estimateMessages(turn, estimator));
  let total = estimateMessages(system, estimator) + costs.reduce((sum, cost) => sum + cost, 0);
  let leftOut = 0;
  while (leftOut < turns.length - 1 && (total > budget || leftOut < leaveOutAtLeast)) {
    total -= costs[leftOut];
    leftOut++;
  }
  return {
    messages: [...system, ...turns.slice(leftOut).flat()],
    leftOutTurns: leftOut,
    promptTokens: total,
    fits: total <= budget,
  };
}

/**
 * The window a context-length error names, when it does: vLLM and OpenAI "maximum context length is
 * 8192 tokens", llama.cpp "exceeds the available context size (8192 tokens)", "context window of 8192".
 */
export function windowFromErrorMessage(message: string | undefined): number | undefined {
  if (message === undefined) return undefined;
  const patterns = [
    /maximum context length (?:is|of) ([\d,]+)/i,
    /context (?:size|window|length) (?:of |is )?\(?([\d,]+) tokens/i,
    /n_ctx\D{1,4}([\d,]+)/i,
  ];
  for (const pattern of patterns) {
    const match = pattern.exec(message);
    const value = match === null ? NaN : Number(match[1].replace(/,/g, ''));
    if (Number.isSafeInteger(value) && value > 0) return value;
  }
  return undefined;
}

/** "2 earlier turns left out to fit the model's 8,192-token window". */
export function leftOutNote(leftOutTurns: number, window: number): string {
  const turns = leftOutTurns === 1 ? '1 earlier turn' : `${leftOutTurns} earlier turns`;
  return `${turns} left out to fit the model's ${window.toLocaleString('en-US')}-token window`;
}
