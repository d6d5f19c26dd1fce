// The chat panel's conversation and its requests, owned by the host: it lives as long as the
// extension, so a panel that is hidden, moved or re-created mid-answer loses nothing — the view
// gets one snapshot when it is ready again, then deltas (coalesced: posted when none is in flight).
import * as vscode from 'vscode';
import type { Answer, StreamEvent } from '../api';
import { prepareRequest, type PreparedRequest } from '../core/requestPreparation';
import type { ResolvedEndpoint } from '../host/endpointResolver';
import type {
  AssistantTurnView,
  CodeSnippet,
  DeltaChannel,
  ErrorView,
  HostToWebview,
  PanelStatus,
  TurnView,
} from '../protocol';
import type { RequestOwner, TrackedRequest } from '../core/requestRunner';
import type { Services } from '../host/services';
import { leftOutNote } from '../core/contextBudget';
import { footerOf, type ReasoningTimes } from './answerFooter';
import { ChatContextWindow, type FittedRequest } from './contextWindow';
import { Conversation } from '../core/conversation';
import { DeltaCoalescer } from './deltaCoalescer';
import { checkEndpoint, errorView, panelStatus, tooLongView } from './panelStatus';

/** Quiet time after a settings or key change before the panel checks the endpoint again. */
const RECHECK_DELAY_MS = 300;
/** What "Continue" asks after an answer was cut at the token limit. */
const CONTINUE_PROMPT = 'Continue exactly where your previous answer stopped, without repeating it.';

/** Where the session posts (settling once the view has it); undefined while no view is ready. */
export type ViewSink = (message: HostToWebview) => void | PromiseLike<unknown>;

interface AnswerOptions {
  /** The surface that asked (the chat panel, an ask command). */
  owner?: Extract<RequestOwner, 'chat' | 'ask'>;
  /** Another model than the configured one, for this answer only. */
  model?: string;
  /** Leave out at least this many older turns (the retry after a context-length error). */
  leaveOutAtLeast?: number;
}

/** A request ready to go out: where to, what, and how it fits the model's window. */
interface PlannedRequest {
  resolved: ResolvedEndpoint;
  prepared: PreparedRequest;
  fit: FittedRequest;
}

/** A change to a conversation, for the history to save; `streaming` = only an answer's text grew. */
export interface ConversationChange {
  conversation: Conversation;
  streaming: boolean;
}

export class ChatSession implements vscode.Disposable {
  private conversation = new Conversation();
  private running: TrackedRequest | undefined;
  private sink: ViewSink | undefined;
  private readonly deltas = new DeltaCoalescer((message) => this.post(message));
  private problem: ErrorView | undefined;
  private check: AbortController | undefined;
  private recheckTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly budget: ChatContextWindow;
  /** Earlier turns the last request left out (a retry after a context-length error leaves out more). */
  private lastLeftOut = 0;
  private readonly answered = new vscode.EventEmitter<AssistantTurnView>();
  /** Fires when an answer ends (done, stopped or failed), with its final state. */
  readonly onDidEndAnswer = this.answered.event;
  private readonly changed = new vscode.EventEmitter<ConversationChange>();
  /** Fires when a conversation changed (it may no longer be the open one: an answer stopped by New Chat). */
  readonly onDidChangeConversation = this.changed.event;

  constructor(private readonly services: Services) {
    this.budget = new ChatContextWindow(services);
    // Only a panel on screen needs to know, and settings often change in bursts: one check after them.
    const recheck = () => {
      this.postStatus(); // the model label may have changed
      this.budget.forget(); // and with it the window
      void this.postBudget();
      if (this.recheckTimer !== undefined) clearTimeout(this.recheckTimer);
      this.recheckTimer = setTimeout(() => {
        this.recheckTimer = undefined;
        if (this.sink !== undefined) void this.checkEndpoint();
      }, RECHECK_DELAY_MS);
    };
    this.disposables.push(
      this.answered,
      this.changed,
      services.config.onDidChange(recheck),
      services.keys.onDidChange(recheck),
    );
  }

  get busy(): boolean {
    return this.running !== undefined;
  }

  /** A view is ready: it gets the whole conversation once, then deltas. */
  attach(sink: ViewSink): void {
    this.sink = sink;
    this.deltas.drop();
    sink({ type: 'snapshot', turns: this.conversation.all(), status: this.status() });
    void this.postBudget();
    if (this.problem === undefined && !this.busy) void this.checkEndpoint();
  }

  detach(): void {
    this.sink = undefined;
    this.deltas.drop();
  }

  /**
   * Sends a question, with code to go with it (an ask command's selection, attachments); ignored
   * while an answer is streaming (the panel offers Stop instead). `asked`: the surface that asked (for
   * the log and stop) and an ask command's short label.
   */
  async send(
    text: string,
    snippets?: CodeSnippet[],
    asked: { owner?: Extract<RequestOwner, 'chat' | 'ask'>; label?: string } = {},
  ): Promise<AssistantTurnView | undefined> {
    const question = text.trim();
    if (question === '' || this.busy) return undefined;
    const turn = this.conversation.addQuestion(question, snippets, asked.label);
    return this.answer([turn], { owner: asked.owner ?? 'chat' });
  }

  /**
   * Asks an edited version of an earlier question: the turns from it on make way for the new
   * question (with `snippets`, by default the original's code) and its answer. The conversation as it was stays in the
   * history as an earlier version, so nothing is lost.
   */
  async editQuestion(turnId: string, text: string, snippets?: CodeSnippet[]): Promise<AssistantTurnView | undefined> {
    const question = text.trim();
    const original = this.conversation.userTurn(turnId);
    if (question === '' || this.busy || original === undefined) return undefined;
    this.changed.fire({
      conversation: this.conversation.copyAs(`${this.conversation.displayTitle()} (earlier version)`),
      streaming: false,
    });
    this.conversation.removeFrom(turnId);
    this.post({ type: 'turns-removed', fromTurnId: turnId });
    const turn = this.conversation.addQuestion(question, snippets ?? original.snippets);
    return this.answer([turn]);
  }

  /** The code sent with the question `turnId` (none when there is no such question). */
  questionSnippets(turnId: string): CodeSnippet[] {
    return [...(this.conversation.userTurn(turnId)?.snippets ?? [])];
  }

  stop(): boolean {
    const running = this.running;
    running?.stop();
    return running !== undefined;
  }

  /** Asks again for the last answer (the same conversation up to it). */
  async regenerate(model?: string): Promise<AssistantTurnView | undefined> {
    return this.askAgain({ model });
  }

  async continueAnswer(): Promise<AssistantTurnView | undefined> {
    if (this.busy) return undefined;
    const turn = this.conversation.addQuestion(CONTINUE_PROMPT);
    return this.answer([turn]);
  }

  /** Asks the failed question again, leaving out more earlier turns (after a context-length error). */
  async retryLeavingOut(): Promise<AssistantTurnView | undefined> {
    return this.askAgain({ leaveOutAtLeast: this.lastLeftOut + 1 });
  }

  /** The last answer goes and is asked for again (regenerate, retries). */
  private async askAgain(options: AnswerOptions): Promise<AssistantTurnView | undefined> {
    if (this.busy) return undefined;
    const removed = this.conversation.removeLastAnswer();
    if (removed === undefined) return undefined;
    this.post({ type: 'turns-removed', fromTurnId: removed });
    return this.answer([], options);
  }

  newChat(): void {
    this.stop();
    this.conversation = new Conversation(); // the old one stays in the history
    this.budget.forget();
    this.post({ type: 'cleared' });
    void this.postBudget();
  }

  /** The conversation the panel shows. */
  get current(): Conversation {
    return this.conversation;
  }

  /** Shows a saved conversation (history, restore after a reload); a running answer is stopped. */
  open(conversation: Conversation): void {
    this.stop();
    this.conversation = conversation;
    this.deltas.drop();
    this.post({ type: 'snapshot', turns: conversation.all(), status: this.status() });
  }

  /** The turns as the panel shows them (for tests and the snapshot). */
  turns(): TurnView[] {
    return this.conversation.all();
  }

  dispose(): void {
    this.stop();
    this.check?.abort();
    if (this.recheckTimer !== undefined) clearTimeout(this.recheckTimer);
    this.detach();
    for (const disposable of this.disposables) disposable.dispose();
  }

  /** Checks the endpoint in the background and tells the view what is wrong, if anything. */
  async checkEndpoint(): Promise<void> {
    this.check?.abort();
    const check = new AbortController();
    this.check = check;
    let problem: ErrorView | undefined;
    try {
      problem = await checkEndpoint(this.services, check.signal);
    } catch (error) {
      problem = errorView(error, this.services);
    }
    if (check.signal.aborted) return;
    this.problem = problem;
    this.postStatus();
  }

  /**
   * Asks for the next answer: `model` replaces the configured one for this answer only (Regenerate
   * with…); `leaveOutAtLeast` older turns are left out (after a context-length error).
   */
  private async answer(addedTurns: TurnView[], options: AnswerOptions = {}): Promise<AssistantTurnView> {
    const conversation = this.conversation;
    const plan = await this.plan(conversation, options);
    if ('problem' in plan) {
      // Never sent (invalid endpoint, key withheld over plain http, a question too long for the
      // window): an answer that says why.
      const turn = conversation.addAnswer(-1);
      turn.status = 'error';
      turn.error = plan.problem;
      this.post({ type: 'turns-added', turns: [...addedTurns, { ...turn }] });
      return this.ended(conversation, turn);
    }
    const { request, turn } = this.start(conversation, addedTurns, plan, options.owner ?? 'chat');
    const reasoningTimes: ReasoningTimes = {};
    let answer: Answer;
    try {
      answer = await request.collect((event, current) => {
        this.onEvent(turn, event, current, reasoningTimes);
        this.changed.fire({ conversation, streaming: true });
      });
    } finally {
      this.running = undefined;
    }
    this.deltas.flush();
    this.settle(turn, plan, request, answer, reasoningTimes);
    this.post({ type: 'answer-ended', requestId: request.id, turn: { ...turn } });
    this.postStatus();
    return this.ended(conversation, turn);
  }

  /** The request as it would go out, or why it cannot. */
  private async plan(
    conversation: Conversation,
    { model, leaveOutAtLeast = 0 }: AnswerOptions,
  ): Promise<PlannedRequest | { problem: ErrorView }> {
    let resolved: ResolvedEndpoint;
    try {
      resolved = await this.services.resolver.resolve();
    } catch (error) {
      return { problem: errorView(error, this.services) };
    }
    conversation.profile = resolved.settings.profile.name; // reopened from the history, it goes back to it
    const prepared = prepareRequest(resolved.settings, conversation.messages(), model === undefined ? {} : { model });
    const fit = await this.budget.fit(resolved, prepared.request.model, prepared.request.messages, leaveOutAtLeast);
    if (!fit.fitted.fits) return { problem: tooLongView(fit) };
    prepared.request.messages = fit.fitted.messages;
    return { resolved, prepared, fit };
  }

  /** Sends the request; its answer turn (empty, streaming) is shown at once. */
  private start(
    conversation: Conversation,
    addedTurns: TurnView[],
    { resolved, prepared, fit }: PlannedRequest,
    owner: Extract<RequestOwner, 'chat' | 'ask'>,
  ): { request: TrackedRequest; turn: AssistantTurnView } {
    this.lastLeftOut = fit.fitted.leftOutTurns;
    const request = this.services.runner.start({
      owner,
      endpoint: resolved.endpoint,
      request: prepared.request,
      options: prepared.options,
    });
    this.running = request;
    const turn = conversation.addAnswer(request.id);
    if (fit.fitted.leftOutTurns > 0) turn.contextNote = leftOutNote(fit.fitted.leftOutTurns, fit.window.tokens);
    this.post({ type: 'turns-added', turns: [...addedTurns, { ...turn }] });
    this.postStatus();
    void this.postBudget();
    this.changed.fire({ conversation, streaming: false });
    return { request, turn };
  }

  /** The answer's final state: its text, how it ended, the footer, and the error with its offers. */
  private settle(
    turn: AssistantTurnView,
    { resolved, fit }: PlannedRequest,
    request: TrackedRequest,
    answer: Answer,
    reasoningTimes: ReasoningTimes,
  ): void {
    turn.content = answer.content;
    turn.reasoning = answer.reasoning;
    turn.status = answer.error ? 'error' : answer.stopped ? 'stopped' : 'done';
    turn.footer = footerOf(request, answer, reasoningTimes);
    if (answer.error) turn.error = errorView(answer.error, this.services);
    if (answer.error?.kind === 'context-length') {
      this.budget.learnFrom(resolved, answer.error);
      // Only worth offering when there are earlier turns left to leave out.
      if (fit.fitted.messages.filter((message) => message.role === 'user').length > 1) turn.error!.leaveOutRetry = true;
    }
    // A failed request tells the panel about the endpoint too; a success clears an old problem.
    if (answer.error === undefined && !answer.stopped) this.problem = undefined;
  }

  /** An answer ended (or was never sent): the meter, the listeners and the history learn of it. */
  private ended(conversation: Conversation, turn: AssistantTurnView): AssistantTurnView {
    void this.postBudget();
    this.answered.fire({ ...turn });
    this.changed.fire({ conversation, streaming: false });
    return turn;
  }

  /** The context meter: the conversation as the next request would carry it, against the window. */
  private async postBudget(): Promise<void> {
    if (this.sink === undefined) return;
    const messages = prepareRequest(this.services.config.read(), this.conversation.messages()).request.messages;
    const last = this.conversation.last();
    const budget = await this.budget.view(
      messages,
      last?.role === 'assistant' && last.status !== 'streaming' ? last : undefined,
    );
    if (budget !== undefined) this.post({ type: 'budget', budget });
  }

  private onEvent(turn: AssistantTurnView, event: StreamEvent, answer: Answer, reasoningTimes: ReasoningTimes): void {
    switch (event.type) {
      case 'content':
        turn.content = answer.content;
        this.queue(turn.requestId, 'content', event.text);
        if (this.budget.dueWhileStreaming()) void this.postBudget(); // the answer so far counts too
        break;
      case 'reasoning': {
        const now = performance.now();
        reasoningTimes.first ??= now;
        reasoningTimes.last = now;
        turn.reasoning = answer.reasoning;
        this.queue(turn.requestId, 'reasoning', event.text);
        break;
      }
      case 'content-was-reasoning':
        // The thinking began with the first token and ended here.
        reasoningTimes.first ??= this.running?.stats.firstTokenAt;
        reasoningTimes.last = performance.now();
        this.deltas.flush();
        turn.content = answer.content;
        turn.reasoning = answer.reasoning;
        this.post({ type: 'content-was-reasoning', requestId: turn.requestId, text: event.text });
        break;
      default:
        break;
    }
  }

  private queue(requestId: number, channel: DeltaChannel, text: string): void {
    // Without a view nothing is posted: the snapshot on the next attach carries the text.
    if (this.sink !== undefined) this.deltas.add(requestId, channel, text);
  }

  /** What the panel header and notice show now. */
  status(): PanelStatus {
    return panelStatus(this.services, this.busy, this.problem);
  }

  private postStatus(): void {
    this.post({ type: 'status', status: this.status() });
  }

  private post(message: HostToWebview): void | PromiseLike<unknown> {
    return this.sink?.(message);
  }
}
