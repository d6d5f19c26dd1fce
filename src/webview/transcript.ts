// The transcript: the turns in order, kept in step with the host's messages, and scrolled to follow
// the stream unless the user scrolled up to read. Finished answers hold their DOM only near the
// screen (rules in turnWindow.ts): an answer not rendered yet, or released far off screen, keeps its
// height and renders when it comes near; answers never scrolled to cost nothing.
import type { AssistantTurnView, DeltaChannel, TurnView } from '../protocol';
import { el } from './dom';
import { emptyState, onMac } from './emptyState';
import type { StreamingMarkdownOptions } from './markdown';
import { withEditButton } from './questionEdit';
import { AssistantTurn } from './turns';
import { eagerFrom, estimatedGroupHeightPx, mayRelease, RELEASE_MARGIN, RENDER_MARGIN } from './turnWindow';
import { userTurnElement } from './userTurn';

/** Within this many pixels of the bottom counts as "at the bottom" (following the stream). */
const FOLLOW_SLACK_PX = 48;
/**
 * A reopened conversation's turns go into groups of this many: the transcript then lays out a few
 * groups, not every turn, each frame an answer streams below them (a group off screen is skipped).
 */
const TURNS_PER_GROUP = 20;

export class Transcript {
  readonly element: HTMLElement;
  private readonly answers = new Map<number, AssistantTurn>();
  private following = true;
  private readonly empty: HTMLElement;
  /** Watches answers not rendered, to render them when they come near the screen… */
  private readonly nearScreen: IntersectionObserver;
  /** …and rendered finished ones, to release them when they are far off it. */
  private readonly farOff: IntersectionObserver;
  /** Groups of older turns of a reopened conversation not built yet, with their turns. */
  private readonly unbuilt = new Map<Element, TurnView[]>();

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
      rootMargin: RENDER_MARGIN,
    });
    this.farOff = new IntersectionObserver((entries) => this.onFarOff(entries), {
      root: scroller,
      rootMargin: RELEASE_MARGIN,
    });
  }

  reset(turns: TurnView[]): void {
    for (const answer of this.answers.values()) answer.dispose();
    this.answers.clear();
    this.nearScreen.disconnect();
    this.farOff.disconnect();
    this.unbuilt.clear();
    this.element.replaceChildren(this.empty);
    this.add(turns, true);
    this.following = true;
    this.follow();
  }

  /**
   * Appends turns. From a snapshot (`opening`), older finished answers are deferred, and a long
   * conversation's groups of older turns are not even built until they come near the screen.
   */
  add(turns: TurnView[], opening = false): void {
    const eager = opening ? eagerFrom(turns) : 0;
    if (opening && turns.length > TURNS_PER_GROUP)
      for (let first = 0; first < turns.length; first += TURNS_PER_GROUP) {
        const group = el('div', { class: 'turn-group' });
        this.element.append(group);
        const members = turns.slice(first, first + TURNS_PER_GROUP);
        if (first + members.length > eager) this.build(group, members, eager - first);
        else this.hold(group, members);
      }
    else this.build(this.element, turns, eager);
    this.updateEmpty();
    this.markLast();
    if (turns.some((turn) => turn.role === 'user')) this.following = true;
    this.follow();
  }

  /** Turns into `parent`; answers before `eager` deferred. */
  private build(parent: HTMLElement, turns: TurnView[], eager: number): void {
    turns.forEach((turn, index) => {
      if (turn.role === 'user') parent.append(withEditButton(userTurnElement(turn)));
      else {
        const answer = new AssistantTurn(turn, this.renderOptions, index < eager);
        this.answers.set(turn.requestId, answer);
        parent.append(answer.element);
        this.watch(answer);
      }
    });
  }

  /** A group left empty at about its height, its turns built when it comes near the screen. */
  private hold(group: HTMLElement, turns: TurnView[]): void {
    group.classList.add('unbuilt');
    group.style.setProperty('--held-height', `${estimatedGroupHeightPx(turns)}px`);
    this.unbuilt.set(group, turns);
    this.nearScreen.observe(group);
  }

  private buildGroup(group: Element): void {
    const turns = this.unbuilt.get(group);
    if (turns === undefined) return;
    this.unbuilt.delete(group);
    this.nearScreen.unobserve(group);
    const element = group as HTMLElement;
    element.classList.remove('unbuilt');
    element.style.removeProperty('--held-height');
    this.build(element, turns, turns.length);
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
    const answer = this.answers.get(turn.requestId);
    answer?.end(turn, this.isLast(turn.id));
    if (answer !== undefined) this.watch(answer);
    this.follow();
  }

  /** Removes the turn with this id and everything after it. */
  removeFrom(turnId: string): void {
    for (const [group, members] of this.unbuilt) if (members.some((turn) => turn.id === turnId)) this.buildGroup(group);
    const turns = [...this.element.querySelectorAll<HTMLElement>('.turn')];
    const first = turns.findIndex((turn) => turn.dataset.turnId === turnId);
    if (first === -1) return;
    for (const group of [...this.unbuilt.keys()])
      if (turns[first].compareDocumentPosition(group) & Node.DOCUMENT_POSITION_FOLLOWING) {
        this.unbuilt.delete(group);
        this.nearScreen.unobserve(group);
        group.remove();
      }
    for (const node of turns.slice(first)) {
      const requestId = node.dataset.requestId;
      if (requestId !== undefined) {
        this.nearScreen.unobserve(node);
        this.farOff.unobserve(node);
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

  /** Not rendered: watched until it comes near. Rendered and finished: watched until it is far off. */
  private watch(answer: AssistantTurn): void {
    if (!answer.isRendered) this.nearScreen.observe(answer.element);
    else if (!answer.isStreaming) this.farOff.observe(answer.element);
  }

  private answerOf(element: Element): AssistantTurn | undefined {
    return this.answers.get(Number((element as HTMLElement).dataset.requestId));
  }

  private onNearScreen(entries: IntersectionObserverEntry[]): void {
    for (const entry of entries) {
      if (!entry.isIntersecting) continue;
      if (this.unbuilt.has(entry.target)) {
        this.buildGroup(entry.target);
        continue;
      }
      const answer = this.answerOf(entry.target);
      this.nearScreen.unobserve(entry.target);
      if (answer === undefined) continue;
      answer.materialize(this.isLast(answer.id));
      this.watch(answer);
    }
  }

  private onFarOff(entries: IntersectionObserverEntry[]): void {
    const selection = document.getSelection();
    const selecting = selection !== null && selection.rangeCount > 0 && !selection.isCollapsed;
    for (const entry of entries) {
      if (entry.isIntersecting) continue;
      const answer = this.answerOf(entry.target);
      if (answer === undefined) continue;
      const element = answer.element;
      const candidate = {
        streaming: answer.isStreaming,
        isLast: this.isLast(answer.id),
        holdsFocus: element.contains(document.activeElement),
        holdsSelection: selecting && selection.containsNode(element, true),
      };
      // One the user works in stays rendered until it comes back and leaves again.
      if (!mayRelease(candidate)) continue;
      this.farOff.unobserve(element);
      answer.release(element.getBoundingClientRect().height);
      this.watch(answer);
    }
  }

  private follow(): void {
    // An empty chat is read from the top (examples first), not followed to its end.
    if (this.empty.isConnected) this.scroller.scrollTop = 0;
    else if (this.following) this.scroller.scrollTop = this.scroller.scrollHeight;
  }
}
