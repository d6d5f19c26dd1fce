// An answer in the transcript as the panel shows it (a question: userTurn.ts). It streams into
// markdown renderers (the Thinking section and the answer); when it ends it shows its footer, its
// error with the fix, and the actions that apply (regenerate, continue).
import type { AnswerFooter, AssistantTurnView, ErrorView } from '../protocol';
import { button, el, icon } from './dom';
import { StreamingMarkdown, type StreamingMarkdownOptions } from './markdown';
import { estimatedHeightPx } from './turnWindow';

export class AssistantTurn {
  readonly element: HTMLElement;
  /**
   * Not rendered now: a finished answer from a snapshot not rendered yet (`deferred`), or one that gave
   * its DOM up far off screen (`released`). Its text stays in `view`; it renders when it comes near.
   */
  private unrendered: 'deferred' | 'released' | undefined;
  private readonly thinking: HTMLDetailsElement;
  private readonly thinkingLabel: HTMLElement;
  private readonly reasoning: StreamingMarkdown;
  private readonly answer: StreamingMarkdown;
  private readonly after: HTMLElement;
  private thinkingStartedAt: number | undefined;
  private answerStarted = false;
  private status: AssistantTurnView['status'];

  constructor(
    private view: AssistantTurnView,
    renderOptions: StreamingMarkdownOptions,
    deferred = false,
  ) {
    this.status = view.status;
    this.unrendered = deferred && view.status !== 'streaming' ? 'deferred' : undefined;
    const reasoningRoot = el('div', { class: 'thinking-body markdown' });
    const answerRoot = el('div', { class: 'answer markdown' });
    this.thinkingLabel = el('span', { class: 'thinking-label' }, 'Thinking…');
    this.thinking = el(
      'details',
      { class: 'thinking', hidden: true },
      el('summary', {}, icon('lightbulb'), this.thinkingLabel),
      reasoningRoot,
    );
    this.after = el('div', { class: 'turn-after' });
    this.element = el(
      'article',
      {
        class: 'turn assistant',
        'data-turn-id': view.id,
        'data-request-id': String(view.requestId),
        'data-status': view.status,
        'aria-label': 'Answer',
      },
      ...(view.contextNote !== undefined
        ? [el('div', { class: 'context-note', role: 'note' }, icon('fold-up'), view.contextNote)]
        : []),
      this.thinking,
      answerRoot,
      el('div', { class: 'typing', 'aria-hidden': 'true' }, el('span'), el('span'), el('span')),
      this.after,
    );
    this.reasoning = new StreamingMarkdown(reasoningRoot, renderOptions);
    this.answer = new StreamingMarkdown(answerRoot, renderOptions);
    if (this.unrendered !== undefined) {
      this.element.classList.add('deferred');
      this.element.style.setProperty('--held-height', `${estimatedHeightPx(view)}px`);
      return;
    }
    this.renderView(false);
  }

  get isDeferred(): boolean {
    return this.unrendered === 'deferred';
  }

  /** Whether its markdown is in the DOM now (neither deferred nor released). */
  get isRendered(): boolean {
    return this.unrendered === undefined;
  }

  get isStreaming(): boolean {
    return this.status === 'streaming';
  }

  /** Renders a deferred or released answer now (it came near the screen). */
  materialize(isLast: boolean): void {
    const was = this.unrendered;
    if (was === undefined) return;
    this.unrendered = undefined;
    this.element.classList.remove(was);
    this.element.style.removeProperty('--held-height');
    if (was === 'deferred') this.renderView(isLast);
    else this.renderAgain(isLast);
  }

  /**
   * Gives up the rendered markdown and buttons of a finished answer far off screen, keeping its
   * height (`heightPx`, as laid out) so nothing around it moves; `materialize` brings them back.
   * Its Thinking section keeps its place and whether it was open.
   */
  release(heightPx: number): void {
    if (this.unrendered !== undefined || this.view.status === 'streaming') return;
    this.unrendered = 'released';
    this.element.classList.add('released');
    this.element.style.setProperty('--held-height', `${heightPx}px`);
    for (const markdown of [this.reasoning, this.answer]) {
      markdown.reset('');
      markdown.finish();
    }
    this.after.replaceChildren();
  }

  private renderAgain(isLast: boolean): void {
    const { view } = this;
    if (view.reasoning !== '') {
      this.reasoning.reset(view.reasoning);
      this.reasoning.finish();
    }
    this.answer.reset(view.content);
    this.answer.finish();
    this.renderAfter(isLast);
  }

  private renderView(isLast: boolean): void {
    const { view } = this;
    if (view.reasoning !== '') this.appendReasoning(view.reasoning);
    if (view.content !== '') this.appendContent(view.content);
    if (view.status !== 'streaming') this.end(view, isLast);
  }

  get requestId(): number {
    return this.view.requestId;
  }

  get id(): string {
    return this.view.id;
  }

  /** The answer's markdown as it stands. */
  get answerText(): string {
    return this.unrendered !== undefined ? this.view.content : this.answer.text;
  }

  appendContent(text: string): void {
    if (!this.answerStarted && text.trim() !== '') {
      this.answerStarted = true;
      this.element.classList.add('started');
      // The answer began: fold the thinking away (the user can open it again).
      this.thinking.open = false;
      this.updateThinkingLabel();
    }
    this.answer.append(text);
  }

  appendReasoning(text: string): void {
    if (this.thinking.hidden) {
      this.thinking.hidden = false;
      this.element.classList.add('started');
      this.thinking.open = !this.answerStarted && this.status === 'streaming';
      this.thinkingStartedAt = performance.now();
    }
    this.reasoning.append(text);
  }

  /** All content so far was reasoning: it moves into the Thinking section. */
  moveContentToReasoning(text: string): void {
    const rest = this.answer.text.startsWith(text) ? this.answer.text.slice(text.length) : this.answer.text;
    this.appendReasoning(text);
    this.answer.reset(rest);
    this.answerStarted = rest.trim() !== '';
    this.thinking.open = !this.answerStarted && this.status === 'streaming';
  }

  /** The final state from the host (its text wins: nothing the host has can be missing here). */
  end(view: AssistantTurnView, isLast: boolean): void {
    this.view = view;
    if (this.unrendered !== undefined) return;
    this.status = view.status;
    this.element.dataset.status = view.status;
    if (!this.reasoning.hasText(view.reasoning)) this.reasoning.reset(view.reasoning);
    if (!this.answer.hasText(view.content)) this.answer.reset(view.content);
    if (view.reasoning !== '') this.thinking.hidden = false;
    this.reasoning.finish();
    this.answer.finish();
    this.thinking.open = false;
    this.updateThinkingLabel();
    this.renderAfter(isLast);
  }

  /** Only the last answer offers Regenerate / Continue. */
  setLast(isLast: boolean): void {
    if (this.status !== 'streaming' && this.unrendered === undefined) this.renderAfter(isLast);
  }

  dispose(): void {
    this.reasoning.dispose();
    this.answer.dispose();
  }

  private updateThinkingLabel(): void {
    const ms =
      this.view.footer?.reasoningMs ??
      (this.thinkingStartedAt !== undefined ? performance.now() - this.thinkingStartedAt : undefined);
    const streaming = this.status === 'streaming' && !this.answerStarted;
    this.thinkingLabel.textContent = streaming
      ? 'Thinking…'
      : ms !== undefined && ms >= 100
        ? `Thought for ${formatSeconds(ms)}`
        : 'Thinking';
  }

  private renderAfter(isLast: boolean): void {
    const parts: HTMLElement[] = [];
    const { view } = this;
    if (view.interrupted === true)
      parts.push(
        el(
          'div',
          { class: 'notice stopped interrupted' },
          icon('debug-disconnect'),
          'Interrupted — the window closed while this answer streamed; the text above is what had arrived.',
        ),
      );
    else if (view.status === 'stopped')
      parts.push(
        el('div', { class: 'notice stopped' }, icon('stop-circle'), 'Stopped — the text above is what arrived.'),
      );
    if (view.error !== undefined) parts.push(errorElement(view.error, view.content !== '' || view.reasoning !== ''));
    if (view.footer !== undefined) parts.push(footerElement(view.footer, view.status));
    const actions: HTMLElement[] = [];
    if (isLast && view.footer?.finishReason === 'length')
      actions.push(
        button({
          icon: 'debug-continue',
          label: 'Continue',
          showLabel: true,
          className: 'text-button',
          action: 'continue',
          title: 'The answer hit the token limit: ask the model to go on',
        }),
      );
    // A failed answer's Retry (or Leave out older turns and retry) already asks again.
    if (isLast && view.status !== 'streaming' && view.error?.retryable !== true && view.error?.leaveOutRetry !== true)
      actions.push(
        button({
          icon: 'refresh',
          label: 'Regenerate',
          showLabel: true,
          className: 'text-button',
          action: 'regenerate',
          title: 'Ask again for this answer',
        }),
        button({
          icon: 'hubot',
          label: 'Regenerate with another model',
          action: 'regenerate-with',
          title: 'Ask another model for this answer (this answer only)',
        }),
      );
    actions.push(
      button({ icon: 'copy', label: 'Copy answer', action: 'copy-answer', title: 'Copy the answer as Markdown' }),
    );
    parts.push(el('div', { class: 'turn-actions' }, ...actions));
    this.after.replaceChildren(...parts);
  }
}

/** An error in the transcript: the server's message, the fix, Retry when it may help. */
export function errorElement(error: ErrorView, partial: boolean, retryAction = 'retry'): HTMLElement {
  // What most likely helps comes first and stands out: Retry for passing faults, else the fix.
  const retry = error.retryable
    ? [
        button({
          icon: 'refresh',
          label: 'Retry',
          showLabel: true,
          className: 'text-button primary',
          action: retryAction,
        }),
      ]
    : [];
  const fix =
    error.fix !== undefined
      ? [
          button({
            label: error.fix.title,
            showLabel: true,
            className: `text-button${error.retryable || error.leaveOutRetry === true ? '' : ' primary'}`,
            action: `fix:${error.fix.action}`,
          }),
        ]
      : [];
  const leaveOut = error.leaveOutRetry
    ? [
        button({
          icon: 'fold-up',
          label: 'Leave out older turns and retry',
          showLabel: true,
          className: 'text-button primary',
          action: 'retry-leaving-out',
        }),
      ]
    : [];
  const buttons = [...leaveOut, ...retry, ...fix];
  return el(
    'div',
    { class: 'notice error', role: 'alert' },
    el(
      'div',
      { class: 'notice-text' },
      icon('error'),
      el('span', {}, partial ? `Interrupted: ${error.message}` : error.message),
    ),
    el('div', { class: 'notice-buttons' }, ...buttons),
  );
}

function footerElement(footer: AnswerFooter, status: AssistantTurnView['status']): HTMLElement {
  const parts: string[] = [];
  if (footer.timeToFirstTokenMs !== undefined) parts.push(`first token ${formatMs(footer.timeToFirstTokenMs)}`);
  if (footer.tokensPerSecond !== undefined) parts.push(`${footer.tokensPerSecond} tok/s`);
  // "11 in · 186 out": the server's own counts of the prompt and of the answer, each only when sent.
  if (footer.promptTokens !== undefined) parts.push(`${footer.promptTokens} in`);
  if (footer.completionTokens !== undefined) parts.push(`${footer.completionTokens} out`);
  if (footer.finishReason !== undefined && status === 'done') parts.push(finishLabel(footer.finishReason));
  const model =
    footer.respondedModel !== undefined ? `answered by ${footer.respondedModel} (asked ${footer.model})` : undefined;
  return el(
    'footer',
    { class: 'turn-footer' },
    parts.join(' · '),
    ...(model !== undefined ? [el('span', { class: 'responded-model' }, ` · ${model}`)] : []),
  );
}

function finishLabel(reason: string): string {
  switch (reason) {
    case 'stop':
      return 'complete';
    case 'length':
      return 'cut off at the token limit';
    case 'content_filter':
      return 'stopped by the content filter';
    case 'tool_calls':
      return 'asked to call tools';
    default:
      return `finish: ${reason}`;
  }
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : formatSeconds(ms);
}

function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}
