// Which answers of the transcript hold their DOM. A long conversation stays light: answers far off
// screen give it up (their height kept) and render again when they come near; these are the pure
// rules the transcript (transcript.ts) applies. No DOM here, so they are unit-tested in plain Node.
import type { AssistantTurnView, TurnView } from '../protocol';

/**
 * Opening a conversation renders its last answers at once, until about this many characters of
 * markdown (at least the last one); the others render when they come near the screen.
 */
export const EAGER_CHARS = 4_000;

/** Within this margin of the screen an answer is rendered (before it shows, so no blank flashes in)… */
export const RENDER_MARGIN = '1200px 0px';
/** …and beyond this one it gives its DOM up. The gap between them keeps an answer at the edge from flickering. */
export const RELEASE_MARGIN = '4000px 0px';

/** The index of a snapshot's first answer rendered at once: the last answers, about `eagerChars` of them. */
export function eagerFrom(turns: readonly TurnView[], eagerChars = EAGER_CHARS): number {
  let chars = 0;
  let from = turns.length;
  while (from > 0 && (chars < eagerChars || from === turns.length)) {
    const turn = turns[--from];
    if (turn.role === 'assistant') chars += turn.content.length + turn.reasoning.length;
  }
  return from;
}

/** What decides whether a rendered answer that left the screen far behind may give its DOM up. */
export interface ReleaseCandidate {
  streaming: boolean;
  /** The last answer: it carries Regenerate and Continue, and the next answer streams right below it. */
  isLast: boolean;
  /** Keyboard focus is inside it (a copy button, a link): releasing would drop the focus. */
  holdsFocus: boolean;
  /** The user's selection touches it: releasing would cut what they are about to copy. */
  holdsSelection: boolean;
}

/** A streaming answer, the last one, and one the user is working in keep their DOM. */
export function mayRelease(answer: ReleaseCandidate): boolean {
  return !answer.streaming && !answer.isLast && !answer.holdsFocus && !answer.holdsSelection;
}

/** Estimated height of an answer never rendered yet (so the scrollbar is about right until it is). */
export function estimatedHeightPx(view: AssistantTurnView): number {
  let lines = 1;
  for (let i = view.content.indexOf('\n'); i !== -1; i = view.content.indexOf('\n', i + 1)) lines++;
  return Math.round(80 + (lines + view.content.length / 70) * 18);
}

/** Each turn's bottom margin (media/chat.css `.turn`), and about a one-line question's height. */
const TURN_MARGIN_PX = 14;
const QUESTION_PX = 34;

/** Estimated height of a group of turns not built yet: its answers and questions, with their margins. */
export function estimatedGroupHeightPx(turns: readonly TurnView[]): number {
  let height = 0;
  for (const turn of turns)
    height += TURN_MARGIN_PX + (turn.role === 'assistant' ? estimatedHeightPx(turn) : QUESTION_PX);
  return height;
}
