// One turn of the transcript as the panel shows it. An answer streams into markdown renderers (the
// Thinking section and the answer); when it ends it shows its footer, its error with the fix, and
// the actions that apply (regenerate, continue).
import { snippetLabel } from '../shared/snippets';
import type { AnswerFooter, AssistantTurnView, CodeSnippet, ErrorView, UserTurnView } from '../protocol';
import { button, el, icon } from './dom';
import { StreamingMarkdown, type StreamingMarkdownOptions } from './markdown';

export function userTurnElement(turn: UserTurnView): HTMLElement {
  const snippets = turn.snippets ?? [];
  const body =
    snippets.length === 0 && turn.label === undefined
      ? [turn.text]
      : [
          ...(turn.label !== undefined ? [el('div', { class: 'user-label' }, turn.label)] : []),
          el('div', { class: 'user-snippets' }, ...snippets.map(snippetElement)),
          turn.label !== undefined ? instructionElement(turn.text) : el('div', { class: 'user-question' }, turn.text),
        ];
  return el(
    'article',
    { class: 'turn user', 'data-turn-id': turn.id, 'aria-label': 'You' },
    el('div', { class: 'user-text' }, ...body),
  );
}

/** An ask command's standing instruction, folded away under its label (as text, never HTML). */
function instructionElement(text: string): HTMLElement {
  return el(
    'details',
    { class: 'snippet instruction' },
    el(
      'summary',
      { title: 'Show or hide the instruction sent with the code' },
      el('i', { class: 'codicon codicon-chevron-right snippet-chevron', 'aria-hidden': 'true' }),
      icon('comment'),
      el('span', { class: 'snippet-label' }, 'Instruction'),
    ),
    el('div', { class: 'user-question instruction-text' }, text),
  );
}

/**
 * Code sent with a question, compact: `file:lines`, what it is and its size; the code folds out (as
 * text, never HTML).
 */
function snippetElement(snippet: CodeSnippet): HTMLElement {
  const lines = snippet.code === '' ? 1 : snippet.code.replace(/(\r\n|\r|\n)$/, '').split(/\r\n|\r|\n/).length;
  const size = `${lines} ${lines === 1 ? 'line' : 'lines'} · ~${snippet.tokens.toLocaleString('en-US')} tokens`;
  const meta = snippet.description !== undefined ? `${snippet.description} · ${size}` : size;
  const label = snippetLabel(snippet.path, snippet.range);
  return el(
    'details',
    { class: 'snippet' },
    el(
      'summary',
      { title: `${label}: show or hide the code sent` },
      el('i', { class: 'codicon codicon-chevron-right snippet-chevron', 'aria-hidden': 'true' }),
      icon('file-code'),
      el('span', { class: 'snippet-label' }, label),
      el('span', { class: 'snippet-meta' }, meta),
    ),
    el('pre', { class: 'snippet-code' }, el('code', {}, snippet.code)),
  );
}

/** Estimated height of a deferred answer before it is rendered (so the scrollbar is about right). */
function estimatedHeightPx(view: AssistantTurnView): number {
  const lines = view.content.split('\n').length + view.content.length / 70;
  return Math.round(80 + lines * 18);
}

export class AssistantTurn {
  readonly element: HTMLElement;
  /** A finished answer from a snapshot that is not rendered until it comes near the screen. */
  private deferred: boolean;
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
    this.deferred = deferred && view.status !== 'streaming';
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
    if (this.deferred) {
      this.element.classList.add('deferred');
      this.element.style.setProperty('--estimated-height', `${estimatedHeightPx(view)}px`);
      return;
    }
    this.renderView(false);
  }

  get isDeferred(): boolean {
    return this.deferred;
  }

  /** Renders a deferred answer now (it came near the screen). */
  materialize(isLast: boolean): void {
    if (!this.deferred) return;
    this.deferred = false;
    this.element.classList.remove('deferred');
    this.element.style.removeProperty('--estimated-height');
    this.renderView(isLast);
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
    return this.deferred ? this.view.content : this.answer.text;
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
    if (this.deferred) return;
    this.status = view.status;
    this.element.dataset.status = view.status;
    if (this.reasoning.text !== view.reasoning) this.reasoning.reset(view.reasoning);
    if (this.answer.text !== view.content) this.answer.reset(view.content);
    if (view.reasoning !== '') this.thinking.hidden = false;
    this.reasoning.finish();
    this.answer.finish();
    this.thinking.open = false;
    this.updateThinkingLabel();
    this.renderAfter(isLast);
  }

  /** Only the last answer offers Regenerate / Continue. */
  setLast(isLast: boolean): void {
    if (this.status !== 'streaming' && !this.deferred) this.renderAfter(isLast);
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
