// The measurements shown under a finished answer: time to first token, speed, token counts, how it
// finished, the model that really answered, and how long it thought.
import type { Answer } from '../api';
import type { TrackedRequest } from '../core/requestRunner';
import { tokensPerSecond } from '../core/requestStats';
import type { AnswerFooter } from '../protocol';

/** When the answer's reasoning began and ended (performance.now()). */
export interface ReasoningTimes {
  first?: number;
  last?: number;
}

export function footerOf(request: TrackedRequest, answer: Answer, reasoningTimes: ReasoningTimes): AnswerFooter {
  const { stats } = request;
  const footer: AnswerFooter = { model: request.model };
  if (stats.firstTokenAt !== undefined) footer.timeToFirstTokenMs = Math.round(stats.firstTokenAt - stats.startedAt);
  const rate = tokensPerSecond(stats);
  if (rate !== undefined) footer.tokensPerSecond = Math.round(rate * 10) / 10;
  if (answer.usage?.promptTokens !== undefined) footer.promptTokens = answer.usage.promptTokens;
  if (answer.usage?.completionTokens !== undefined) footer.completionTokens = answer.usage.completionTokens;
  if (answer.finishReason !== undefined) footer.finishReason = answer.finishReason;
  if (answer.respondedModel !== undefined && answer.respondedModel !== request.model)
    footer.respondedModel = answer.respondedModel;
  if (reasoningTimes.first !== undefined && reasoningTimes.last !== undefined)
    footer.reasoningMs = Math.round(reasoningTimes.last - reasoningTimes.first);
  return footer;
}
