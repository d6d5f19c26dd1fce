// The transcript: the turns in order, kept in step with the host's messages, and scrolled to follow
// the stream unless the user scrolled up to read.
import type { AssistantTurnView, TurnView } from '../protocol';
import { el } from './dom';
import type { StreamingMarkdownOptions } from './markdown';
import { withEditButton } from './questionEdit';
import { AssistantTurn, userTurnElement } from './turns';

/** Within this many pixels of the bottom counts as "at the bottom" (following the stream). */
const FOLLOW_SLACK_PX = 48;
/**
 * Opening a long conversation renders only its last answers at once (until about this many characters
 * of markdown, at least the last one); the others render when they come within DEFERRED_MARGIN of
 * the screen, or while the panel is idle, newest first.
 */
const EAGER_CHARS = 4_000;
const DEFERRED_MARGIN = '1200px 0px';

export class Transcript {
  readonly element: HTMLElement;
  private readonly answers = new Map<number, AssistantTurn>();
  private following = true;
  private readonly empty: HTMLElement;
  private readonly nearScreen: IntersectionObserver;
  private idleWork: number | undefined;

  constructor(
    private readonly scroller: HTMLElement,
    private readonly renderOptions: StreamingMarkdownOptions,
  ) {
    this.empty = el(
      'div',
      { class: 'empty' },
      el('p', {}, 'Ask anything. Answers stream in as they are generated.'),
      el('p', { class: 'hint' }, 'Enter sends · Shift+Enter adds a line · Esc stops'),
    );
    this.element = el('div', { class: 'transcript' }, this.empty);
    let lastHeight = scroller.scrollHeight;
    scroller.addEventListener('scroll', () => {
      // A scroll caused by the content shrinking (a finished block laid out at its placeholder size
      // first) is not the user scrolling up: it must not stop the following.
      const height = scroller.scrollHeight;
      const shrank = height < lastHeight;
      lastHeight = height;
      if (!shrank) this.following = height - scroller.scrollTop - scroller.clientHeight <= FOLLOW_SLACK_PX;
    });
    // Renders happen at most once per frame; follow them rather than every delta. Finished blocks
    // may take their real height a frame later (content-visibility): any size change is followed too.
    this.element.addEventListener('markdown-rendered', () => this.follow());
    new ResizeObserver(() => this.follow()).observe(this.element);
    this.nearScreen = new IntersectionObserver((entries) => this.onNearScreen(entries), { root: scroller, rootMargin: DEFERRED_MARGIN });
  }

  reset(turns: TurnView[]): void {
    for (const answer of this.answers.values()) answer.dispose();
    this.answers.clear();
    this.nearScreen.disconnect();
    this.element.replaceChildren(this.empty);
    this.add(turns, true);
    this.following = true;
    this.follow();
    this.scheduleIdleRendering();
  }

  /** Appends turns; from a snapshot (`opening`), older finished answers are deferred. */
  add(turns: TurnView[], opening = false): void {
    let eagerFrom = 0;
    if (opening) {
      let chars = 0;
      eagerFrom = turns.length;
      while (eagerFrom > 0 && (chars < EAGER_CHARS || eagerFrom === turns.length)) {
        const turn = turns[--eagerFrom];
        if (turn.role === 'assistant') chars += turn.content.length + turn.reasoning.length;
      }
    }
    turns.forEach((turn, index) => {
      if (turn.role === 'user') this.element.append(withEditButton(userTurnElement(turn)));
      else {
        const answer = new AssistantTurn(turn, this.renderOptions, index < eagerFrom);
        this.answers.set(turn.requestId, answer);
        this.element.append(answer.element);
        if (answer.isDeferred) this.nearScreen.observe(answer.element);
      }
    });
    this.empty.hidden = this.element.childElementCount > 1;
    this.markLast();
    if (turns.some((turn) => turn.role === 'user')) this.following = true;
    this.follow();
  }

  delta(requestId: number, content: string | undefined, reasoning: string | undefined): void {
    const answer = this.answers.get(requestId);
    if (answer === undefined) return;
    if (reasoning !== undefined) answer.appendReasoning(reasoning);
    if (content !== undefined) answer.appendContent(content);
  }

  contentWasReasoning(requestId: number, text: string): void {
    this.answers.get(requestId)?.moveContentToReasoning(text);
  }

  ended(turn: AssistantTurnView): void {
    this.answers.get(turn.requestId)?.end(turn, this.isLast(turn.id));
    this.follow();
  }

  /** Removes the turn with this id and everything after it. */
  removeFrom(turnId: string): void {
    const first = this.element.querySelector(`[data-turn-id="${CSS.escape(turnId)}"]`);
    if (first === null) return;
    let node: Element | null = first;
    while (node !== null) {
      const next: Element | null = node.nextElementSibling;
      const requestId = (node as HTMLElement).dataset.requestId;
      if (requestId !== undefined) {
        this.answers.get(Number(requestId))?.dispose();
        this.answers.delete(Number(requestId));
      }
      node.remove();
      node = next;
    }
    this.empty.hidden = this.element.childElementCount > 1;
    this.markLast();
  }

  answerById(turnId: string): AssistantTurn | undefined {
    for (const answer of this.answers.values()) if (answer.id === turnId) return answer;
    return undefined;
  }

  private isLast(turnId: string): boolean {
    return (this.element.lastElementChild as HTMLElement | null)?.dataset.turnId === turnId;
  }

  private markLast(): void {
    for (const answer of this.answers.values()) answer.setLast(this.isLast(answer.id));
  }

  private onNearScreen(entries: IntersectionObserverEntry[]): void {
    for (const entry of entries) {
      if (!entry.isIntersecting) continue;
      this.nearScreen.unobserve(entry.target);
      this.answerById((entry.target as HTMLElement).dataset.turnId ?? '')?.materialize(this.isLast((entry.target as HTMLElement).dataset.turnId ?? ''));
    }
  }

  /** Deferred answers render one at a time while the panel is idle, newest first (find in page, copy, no surprises). */
  private scheduleIdleRendering(): void {
    if (this.idleWork !== undefined) cancelIdleCallback(this.idleWork);
    this.idleWork = requestIdleCallback((deadline) => {
      this.idleWork = undefined;
      const answers = [...this.answers.values()];
      // Not while an answer streams: its frames come first.
      if (answers.some((answer) => answer.isStreaming)) {
        setTimeout(() => this.scheduleIdleRendering(), 1000);
        return;
      }
      const deferred = answers.filter((answer) => answer.isDeferred).reverse();
      for (const answer of deferred) {
        if (deadline.timeRemaining() < 8) break;
        this.nearScreen.unobserve(answer.element);
        answer.materialize(false);
      }
      if (deferred.some((answer) => answer.isDeferred)) this.scheduleIdleRendering();
    });
  }

  private follow(): void {
    if (this.following) this.scroller.scrollTop = this.scroller.scrollHeight;
  }
}
