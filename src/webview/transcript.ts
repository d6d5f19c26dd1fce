// The transcript: the turns in order, kept in step with the host's messages, and scrolled to follow
// the stream unless the user scrolled up to read.
import type { AssistantTurnView, DeltaChannel, TurnView } from '../protocol';
import { el } from './dom';
import { emptyState, onMac } from './emptyState';
import type { StreamingMarkdownOptions } from './markdown';
import { withEditButton } from './questionEdit';
import { AssistantTurn, userTurnElement } from './turns';

/** Within this many pixels of the bottom counts as "at the bottom" (following the stream). */
const FOLLOW_SLACK_PX = 48;
/**
 * Opening a long conversation renders only its last answers at once (until about this many characters
 * of markdown, at least the last one); the others render when they come within DEFERRED_MARGIN of
 * the screen. Answers never scrolled to cost nothing: streaming the next one costs what it costs in
 * a new chat.
 */
const EAGER_CHARS = 4_000;
/**
 * A reopened conversation's turns go into groups of this many: the transcript then lays out a few
 * groups, not every turn, each frame an answer streams below them (a group off screen is skipped).
 */
const TURNS_PER_GROUP = 20;
const DEFERRED_MARGIN = '1200px 0px';

export class Transcript {
  readonly element: HTMLElement;
  private readonly answers = new Map<number, AssistantTurn>();
  private following = true;
  private readonly empty: HTMLElement;
  private readonly nearScreen: IntersectionObserver;

  constructor(
    private readonly scroller: HTMLElement,
    private readonly renderOptions: StreamingMarkdownOptions,
  ) {
    this.empty = emptyState(onMac());
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
    this.nearScreen = new IntersectionObserver((entries) => this.onNearScreen(entries), {
      root: scroller,
      rootMargin: DEFERRED_MARGIN,
    });
  }

  reset(turns: TurnView[]): void {
    for (const answer of this.answers.values()) answer.dispose();
    this.answers.clear();
    this.nearScreen.disconnect();
    this.element.replaceChildren(this.empty);
    this.add(turns, true);
    this.following = true;
    this.follow();
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
    let parent: HTMLElement = this.element;
    turns.forEach((turn, index) => {
      if (opening && turns.length > TURNS_PER_GROUP && index % TURNS_PER_GROUP === 0) {
        parent = el('div', { class: 'turn-group' });
        this.element.append(parent);
      }
      if (turn.role === 'user') parent.append(withEditButton(userTurnElement(turn)));
      else {
        const answer = new AssistantTurn(turn, this.renderOptions, index < eagerFrom);
        this.answers.set(turn.requestId, answer);
        parent.append(answer.element);
        if (answer.isDeferred) this.nearScreen.observe(answer.element);
      }
    });
    this.updateEmpty();
    this.markLast();
    if (turns.some((turn) => turn.role === 'user')) this.following = true;
    this.follow();
  }

  delta(requestId: number, channel: DeltaChannel, text: string): void {
    const answer = this.answers.get(requestId);
    if (answer === undefined) return;
    if (channel === 'reasoning') answer.appendReasoning(text);
    else answer.appendContent(text);
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
    const turns = [...this.element.querySelectorAll<HTMLElement>('.turn')];
    const first = turns.findIndex((turn) => turn.dataset.turnId === turnId);
    if (first === -1) return;
    for (const node of turns.slice(first)) {
      const requestId = node.dataset.requestId;
      if (requestId !== undefined) {
        this.answers.get(Number(requestId))?.dispose();
        this.answers.delete(Number(requestId));
      }
      const group = node.parentElement;
      node.remove();
      if (group !== this.element && group?.childElementCount === 0) group.remove();
    }
    this.updateEmpty();
    this.markLast();
  }

  answerById(turnId: string): AssistantTurn | undefined {
    for (const answer of this.answers.values()) if (answer.id === turnId) return answer;
    return undefined;
  }

  private isLast(turnId: string): boolean {
    let last = this.element.lastElementChild as HTMLElement | null;
    if (last?.classList.contains('turn-group')) last = last.lastElementChild as HTMLElement | null;
    return last?.dataset.turnId === turnId;
  }

  /** Out of the document once there are turns (not only hidden): a conversation's page has only its own buttons. */
  private updateEmpty(): void {
    if (this.element.querySelector('.turn') !== null) this.empty.remove();
    else if (!this.empty.isConnected) this.element.prepend(this.empty);
  }

  private markLast(): void {
    for (const answer of this.answers.values()) answer.setLast(this.isLast(answer.id));
  }

  private onNearScreen(entries: IntersectionObserverEntry[]): void {
    for (const entry of entries) {
      if (!entry.isIntersecting) continue;
      this.nearScreen.unobserve(entry.target);
      const turnId = (entry.target as HTMLElement).dataset.turnId ?? '';
      this.answerById(turnId)?.materialize(this.isLast(turnId));
    }
  }

  private follow(): void {
    // An empty chat is read from the top (examples first), not followed to its end.
    if (this.empty.isConnected) this.scroller.scrollTop = 0;
    else if (this.following) this.scroller.scrollTop = this.scroller.scrollHeight;
  }
}
