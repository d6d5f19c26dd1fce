// Folds a stream's events into the answer every surface shows: text, reasoning, tool calls, usage,
// how it finished, which model answered, and how it ended. One fold, so no surface re-implements
// the rules (reasoning that content turned out to be, retries, errors after output).
import { ChatError, type ReasoningSource, type StreamEvent, type Usage } from './types';

/** One tool call, its `arguments` JSON text assembled from the fragments. */
export interface ToolCall {
  index: number;
  id?: string;
  name?: string;
  arguments: string;
}

export interface Answer {
  content: string;
  reasoning: string;
  /** Where the reasoning came from; undefined when there was none. */
  reasoningSource?: ReasoningSource;
  toolCalls: ToolCall[];
  usage?: Usage;
  finishReason?: string;
  /** The `model` the server's chunks named (may differ from the one asked for). */
  respondedModel?: string;
  /** How the stream failed; undefined when it completed or was stopped. The text before it is kept. */
  error?: ChatError;
  /** The request was stopped (stop button, Esc, a consumer that left early) before it completed. */
  stopped: boolean;
}

export function emptyAnswer(): Answer {
  return { content: '', reasoning: '', toolCalls: [], stopped: false };
}

export class AnswerCollector {
  readonly answer: Answer = emptyAnswer();
  /** `done` arrived: a consumer leaving after it did not stop anything. */
  private completed = false;

  add(event: StreamEvent): void {
    const answer = this.answer;
    switch (event.type) {
      case 'content':
        answer.content += event.text;
        break;
      case 'reasoning':
        answer.reasoning += event.text;
        answer.reasoningSource ??= event.source;
        break;
      case 'content-was-reasoning':
        // The client guarantees `text` is all content so far; slicing keeps anything odd rather than losing it.
        answer.content = answer.content.startsWith(event.text)
          ? answer.content.slice(event.text.length)
          : answer.content;
        answer.reasoning += event.text;
        answer.reasoningSource ??= 'think-tag';
        break;
      case 'tool-call':
        this.addToolCall(event);
        break;
      case 'usage':
        answer.usage = event.usage;
        break;
      case 'finish':
        answer.finishReason = event.reason;
        break;
      case 'model':
        answer.respondedModel = event.model;
        break;
      case 'open':
        // A retry starts the answer afresh (the client retries only before output, so normally nothing is lost).
        if (event.attempt > 1) this.reset();
        break;
      case 'done':
        this.completed = true;
        break;
      case 'role':
        break;
    }
  }

  /** Records what the stream threw: a stop (`aborted`) sets `stopped`, anything else is the error. */
  fail(error: unknown): void {
    const chatError = asChatError(error);
    if (chatError.kind === 'aborted') this.answer.stopped = true;
    else this.answer.error = chatError;
  }

  /** The consumer left before the stream ended. */
  markStopped(): void {
    if (!this.completed && this.answer.error === undefined) this.answer.stopped = true;
  }

  private addToolCall(event: Extract<StreamEvent, { type: 'tool-call' }>): void {
    const calls = this.answer.toolCalls;
    let call = calls.find((entry) => entry.index === event.index);
    if (call === undefined) {
      call = { index: event.index, arguments: '' };
      calls.push(call);
    }
    if (event.id !== undefined) call.id = event.id;
    if (event.name !== undefined) call.name = event.name;
    if (event.argumentsDelta !== undefined) call.arguments += event.argumentsDelta;
  }

  private reset(): void {
    const answer = this.answer;
    answer.content = '';
    answer.reasoning = '';
    answer.toolCalls = [];
    answer.reasoningSource = undefined;
    answer.usage = undefined;
    answer.finishReason = undefined;
    answer.respondedModel = undefined;
    answer.error = undefined;
    answer.stopped = false;
  }
}

/** The client only throws ChatError; anything else (a bug) is still reported in the same shape. */
export function asChatError(error: unknown): ChatError {
  if (error instanceof ChatError) return error;
  return new ChatError({
    kind: 'network',
    message: error instanceof Error ? error.message : String(error),
    cause: error,
  });
}

/**
 * Reads a stream to its end, handing each event to `onEvent`. Resolves with what the stream threw
 * (undefined when it completed); never rejects for a stream failure. If `onEvent` throws, the
 * stream is closed and the exception propagates.
 */
export async function readEvents(
  events: AsyncIterator<StreamEvent, void, undefined>,
  onEvent: (event: StreamEvent) => void,
): Promise<unknown> {
  for (;;) {
    let read: IteratorResult<StreamEvent, void>;
    try {
      read = await events.next();
    } catch (error) {
      return error ?? new Error('stream failed');
    }
    if (read.done === true) return undefined;
    try {
      onEvent(read.value);
    } catch (error) {
      await events.return?.();
      throw error;
    }
  }
}

/**
 * Reads a stream to its end and returns the answer; never rejects for a stream failure (it is in
 * `answer.error`). `onEvent` sees each event after it was folded in; if it throws, the stream is
 * closed and the exception propagates.
 */
export async function collectAnswer(
  events: AsyncIterator<StreamEvent, void, undefined>,
  onEvent?: (event: StreamEvent, answer: Answer) => void,
): Promise<Answer> {
  const collector = new AnswerCollector();
  const failure = await readEvents(events, (event) => {
    collector.add(event);
    onEvent?.(event, collector.answer);
  });
  if (failure !== undefined) collector.fail(failure);
  return collector.answer;
}
