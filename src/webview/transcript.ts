// The transcript: the turns in order, kept in step with the host's messages, and scrolled to follow
// the stream unless the user scrolled up to read.
import type { AssistantTurnView, TurnView } from '../protocol';
import { el } from './dom';
import type { StreamingMarkdownOptions } from './markdown';
import { withEditButton } from './questionEdit';
import { AssistantTurn, userTurnElement } from './turns';

/** Within this many pixels of the bottom counts as "at the bottom" (following the stream). */
const FOLLOW_SLACK_PX = 48;

export class Transcript {
  readonly element: HTMLElement;
  private readonly answers = new Map<number, AssistantTurn>();
  private following = true;
  private readonly empty: HTMLElement;

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
  }

  reset(turns: TurnView[]): void {
    for (const answer of this.answers.values()) answer.dispose();
    this.answers.clear();
    this.element.replaceChildren(this.empty);
    this.add(turns);
    this.following = true;
    this.follow();
  }

  add(turns: TurnView[]): void {
    for (const turn of turns) {
      if (turn.role === 'user') this.element.append(withEditButton(userTurnElement(turn)));
      else {
        const answer = new AssistantTurn(turn, this.renderOptions);
        this.answers.set(turn.requestId, answer);
        this.element.append(answer.element);
      }
    }
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

  private follow(): void {
    if (this.following) this.scroller.scrollTop = this.scroller.scrollHeight;
  }
}
