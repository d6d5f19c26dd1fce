// Searching saved conversations by text (the history list's filter): the title and every turn's
// words. No 'vscode' import (unit-tested in plain Node).
import { conversationTitle, lastAnswerFooter, type ConversationData } from '../core/conversation';

const SNIPPET_CONTEXT_CHARS = 40;

/** The model of a conversation's last answer (what the history list shows). */
export function conversationModel(data: ConversationData): string | undefined {
  const footer = lastAnswerFooter(data.turns);
  return footer?.respondedModel ?? footer?.model;
}

export function conversationTitleOf(data: ConversationData): string {
  return conversationTitle(data.title, data.turns);
}

/**
 * Where `query` occurs in the conversation (case-insensitive): a one-line excerpt around the first
 * match, or undefined when it does not occur. An empty query matches nothing.
 */
export function findInConversation(data: ConversationData, query: string): string | undefined {
  const needle = query.trim().toLowerCase();
  if (needle === '') return undefined;
  const texts = [conversationTitleOf(data)];
  for (const turn of data.turns) {
    if (turn.role === 'user')
      texts.push(turn.text, ...(turn.snippets ?? []).map((snippet) => `${snippet.path}\n${snippet.code}`));
    else texts.push(turn.content, turn.reasoning);
  }
  for (const text of texts) {
    const at = text.toLowerCase().indexOf(needle);
    if (at < 0) continue;
    const start = Math.max(0, at - SNIPPET_CONTEXT_CHARS);
    const end = Math.min(text.length, at + needle.length + SNIPPET_CONTEXT_CHARS);
    const excerpt = text.slice(start, end).replace(/\s+/g, ' ').trim();
    return `${start > 0 ? '…' : ''}${excerpt}${end < text.length ? '…' : ''}`;
  }
  return undefined;
}
