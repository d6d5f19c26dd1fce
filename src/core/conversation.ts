// The chat's conversation as the host owns it: the turns, and the messages they become on the wire.
// No 'vscode' import: the webview only ever sees views of it (see protocol.ts).
import type { ChatMessage } from '../api';
import { userMessageContent } from '../shared/snippets';
import type { AnswerFooter, AssistantTurnView, CodeSnippet, TurnView, UserTurnView } from '../protocol';

/** The version of the stored form below; a reader refuses versions it does not know. */
export const CONVERSATION_DATA_VERSION = 1;

/** A conversation as it is saved (src/history): plain JSON, one file each. */
export interface ConversationData {
  version: typeof CONVERSATION_DATA_VERSION;
  id: string;
  /** Set when the user renamed it; otherwise the first question is its title. */
  title?: string;
  /** Epoch milliseconds. */
  createdAt: number;
  updatedAt: number;
  turns: TurnView[];
  /** Oldest turns left out of the saved copy to keep it under the size limit. */
  omittedTurns?: number;
  /** The endpoint profile its last answer came from (`Default` for the plain settings). */
  profile?: string;
}

/** Restored answers get request ids no request of this session can have (the runner counts up from 1). */
let restoredRequestId = -1;

export class Conversation {
  private readonly turns: TurnView[] = [];
  private nextTurn = 1;
  /** Renamed by the user (history); undefined = the first question. */
  title: string | undefined;
  /** Turns left out of the saved copy (size limit), carried over when it is saved again. */
  omittedTurns = 0;
  /** The endpoint profile its last answer came from. */
  profile: string | undefined;

  constructor(
    readonly id: string = newConversationId(),
    readonly createdAt: number = Date.now(),
  ) {}

  /** Its stored form; `updatedAt` is now (it is saved when it changed). */
  toJSON(): ConversationData {
    const data: ConversationData = {
      version: CONVERSATION_DATA_VERSION,
      id: this.id,
      createdAt: this.createdAt,
      updatedAt: Date.now(),
      turns: this.all(),
    };
    if (this.title !== undefined) data.title = this.title;
    if (this.omittedTurns > 0) data.omittedTurns = this.omittedTurns;
    if (this.profile !== undefined) data.profile = this.profile;
    return data;
  }

  /**
   * A saved conversation, ready to continue. An answer saved while it streamed (the window closed
   * mid-answer) comes back stopped and marked interrupted, with the text that had arrived.
   */
  static fromJSON(data: ConversationData): Conversation {
    const conversation = new Conversation(data.id, data.createdAt);
    conversation.title = data.title;
    conversation.omittedTurns = data.omittedTurns ?? 0;
    conversation.profile = data.profile;
    for (const saved of data.turns) {
      const turn: TurnView = { ...saved };
      if (turn.role === 'assistant') {
        turn.requestId = restoredRequestId--;
        if (turn.status === 'streaming') {
          turn.status = 'stopped';
          turn.interrupted = true;
        }
      }
      conversation.turns.push(turn);
      const number = /^t(\d+)$/.exec(turn.id)?.[1];
      if (number !== undefined) conversation.nextTurn = Math.max(conversation.nextTurn, Number(number) + 1);
    }
    return conversation;
  }

  all(): TurnView[] {
    return this.turns.map((turn) => ({ ...turn }));
  }

  get length(): number {
    return this.turns.length;
  }

  clear(): void {
    this.turns.length = 0;
  }

  /** What the history shows: the user's name for it, else the first question's first line. */
  displayTitle(): string {
    return conversationTitle(this.title, this.turns);
  }

  addQuestion(text: string, snippets?: CodeSnippet[], label?: string): UserTurnView {
    const turn: UserTurnView = { role: 'user', id: `t${this.nextTurn++}`, text };
    if (snippets !== undefined && snippets.length > 0) turn.snippets = snippets;
    if (label !== undefined && label.trim() !== '') turn.label = label.trim();
    this.turns.push(turn);
    return turn;
  }

  addAnswer(requestId: number): AssistantTurnView {
    const turn: AssistantTurnView = {
      role: 'assistant',
      id: `t${this.nextTurn++}`,
      requestId,
      content: '',
      reasoning: '',
      status: 'streaming',
    };
    this.turns.push(turn);
    return turn;
  }

  /** The answer being (or last) streamed by `requestId`. */
  answerFor(requestId: number): AssistantTurnView | undefined {
    for (let i = this.turns.length - 1; i >= 0; i--) {
      const turn = this.turns[i];
      if (turn.role === 'assistant' && turn.requestId === requestId) return turn;
    }
    return undefined;
  }

  last(): TurnView | undefined {
    return this.turns.at(-1);
  }

  /** The question with this id, if it is one of the turns. */
  userTurn(turnId: string): UserTurnView | undefined {
    const turn = this.turns.find((candidate) => candidate.id === turnId);
    return turn?.role === 'user' ? turn : undefined;
  }

  /** Removes the turn with this id and every turn after it (edit and resend); false when it is not here. */
  removeFrom(turnId: string): boolean {
    const index = this.turns.findIndex((turn) => turn.id === turnId);
    if (index < 0) return false;
    this.turns.length = index;
    return true;
  }

  /** A copy under a new id and `title` (the version kept in the history when a question is edited). */
  copyAs(title: string): Conversation {
    const copy = new Conversation(newConversationId(), this.createdAt);
    copy.title = title;
    copy.omittedTurns = this.omittedTurns;
    copy.profile = this.profile;
    copy.nextTurn = this.nextTurn;
    copy.turns.push(...structuredClone(this.turns));
    return copy;
  }

  /** Removes the last answer (regenerate, retry) and returns the id it had. */
  removeLastAnswer(): string | undefined {
    const last = this.turns.at(-1);
    if (last?.role !== 'assistant') return undefined;
    this.turns.pop();
    return last.id;
  }

  /**
   * The conversation as chat messages: every question, and every answer's text (an answer that
   * failed or was stopped still counts with what arrived; one with no text is left out).
   */
  messages(): ChatMessage[] {
    const messages: ChatMessage[] = [];
    for (const turn of this.turns) {
      if (turn.role === 'user') messages.push({ role: 'user', content: userMessageContent(turn.text, turn.snippets) });
      else if (turn.content !== '') messages.push({ role: 'assistant', content: turn.content });
    }
    return messages;
  }
}

/** Unique enough across windows and file-name safe: time first, so names sort by creation. */
export function newConversationId(): string {
  const random = Array.from(crypto.getRandomValues(new Uint8Array(4)), (byte) =>
    byte.toString(16).padStart(2, '0'),
  ).join('');
  return `c${Date.now().toString(36)}-${random}`;
}

const TITLE_MAX_CHARS = 80;

export function conversationTitle(title: string | undefined, turns: readonly TurnView[]): string {
  if (title !== undefined && title.trim() !== '') return title.trim();
  const first = turns.find((turn) => turn.role === 'user');
  const line =
    (first?.label ?? first?.text ?? '')
      .split('\n')
      .find((text) => text.trim() !== '')
      ?.trim() ?? '';
  if (line === '') return 'New chat';
  return line.length > TITLE_MAX_CHARS ? `${line.slice(0, TITLE_MAX_CHARS - 1)}…` : line;
}

/** The footer of its last finished answer: the model it was asked of and the one that answered. */
export function lastAnswerFooter(turns: readonly TurnView[]): AnswerFooter | undefined {
  for (let index = turns.length - 1; index >= 0; index--) {
    const turn = turns[index];
    if (turn.role === 'assistant' && turn.footer !== undefined) return turn.footer;
  }
  return undefined;
}
