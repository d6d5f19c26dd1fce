// The chat's conversation as the host owns it: the turns, and the messages they become on the wire.
// No 'vscode' import: the webview only ever sees views of it (see protocol.ts).
import type { ChatMessage } from '../api';
import { userMessageContent } from '../context/snippets';
import type { AssistantTurnView, CodeSnippet, TurnView, UserTurnView } from '../protocol';

export class Conversation {
  private readonly turns: TurnView[] = [];
  private nextTurn = 1;

  all(): TurnView[] {
    return this.turns.map((turn) => ({ ...turn }));
  }

  get length(): number {
    return this.turns.length;
  }

  clear(): void {
    this.turns.length = 0;
  }

  addQuestion(text: string, snippets?: CodeSnippet[]): UserTurnView {
    const turn: UserTurnView = { role: 'user', id: `t${this.nextTurn++}`, text };
    if (snippets !== undefined && snippets.length > 0) turn.snippets = snippets;
    this.turns.push(turn);
    return turn;
  }

  addAnswer(requestId: number): AssistantTurnView {
    const turn: AssistantTurnView = { role: 'assistant', id: `t${this.nextTurn++}`, requestId, content: '', reasoning: '', status: 'streaming' };
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
