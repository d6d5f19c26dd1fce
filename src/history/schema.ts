// Checks a saved conversation read from disk before anything uses it: a file may be cut short, hand
// edited or from a newer version. No 'vscode' import (unit-tested in plain Node).
import { CONVERSATION_DATA_VERSION, type ConversationData } from '../core/conversation';
import {
  isErrorKind,
  type AssistantTurnView,
  type CodeSnippet,
  type TurnStatus,
  type TurnView,
  type UserTurnView,
} from '../protocol';

/** Why a file cannot be used, in words for the message that names it. */
export class InvalidConversationError extends Error {}

/** Ids are file names too: letters, digits, `-` and `_` only. */
export const CONVERSATION_ID_PATTERN = /^[A-Za-z0-9_-]{1,100}$/;

const STATUSES: readonly TurnStatus[] = ['streaming', 'done', 'stopped', 'error'];

export function parseConversationData(raw: unknown): ConversationData {
  const data = record(raw, 'the file');
  if (data.version !== CONVERSATION_DATA_VERSION)
    throw new InvalidConversationError(`unknown format version ${JSON.stringify(data.version)}`);
  const id = data.id;
  if (typeof id !== 'string' || !CONVERSATION_ID_PATTERN.test(id)) throw new InvalidConversationError('no valid id');
  if (!Array.isArray(data.turns)) throw new InvalidConversationError('no list of turns');
  const parsed: ConversationData = {
    version: CONVERSATION_DATA_VERSION,
    id,
    createdAt: time(data.createdAt, 'createdAt'),
    updatedAt: time(data.updatedAt, 'updatedAt'),
    turns: data.turns.map((turn, index) => parseTurn(turn, index)),
  };
  if (typeof data.title === 'string') parsed.title = data.title;
  if (typeof data.omittedTurns === 'number' && Number.isInteger(data.omittedTurns) && data.omittedTurns > 0)
    parsed.omittedTurns = data.omittedTurns;
  if (typeof data.profile === 'string' && data.profile.trim() !== '') parsed.profile = data.profile;
  return parsed;
}

function parseTurn(raw: unknown, index: number): TurnView {
  const where = `turn ${index + 1}`;
  const turn = record(raw, where);
  if (typeof turn.id !== 'string') throw new InvalidConversationError(`${where} has no id`);
  if (turn.role === 'user') {
    const user: UserTurnView = { role: 'user', id: turn.id, text: text(turn.text, `${where} text`) };
    if (turn.snippets !== undefined) {
      if (!Array.isArray(turn.snippets)) throw new InvalidConversationError(`${where} snippets are not a list`);
      user.snippets = turn.snippets.map((snippet) => parseSnippet(snippet, where));
    }
    if (typeof turn.label === 'string' && turn.label.trim() !== '') user.label = turn.label;
    return user;
  }
  if (turn.role === 'assistant') {
    if (!STATUSES.includes(turn.status as TurnStatus))
      throw new InvalidConversationError(`${where} has an unknown status`);
    const answer: AssistantTurnView = {
      role: 'assistant',
      id: turn.id,
      requestId: typeof turn.requestId === 'number' ? turn.requestId : -1,
      content: text(turn.content, `${where} content`),
      reasoning: text(turn.reasoning, `${where} reasoning`),
      status: turn.status as TurnStatus,
    };
    // Footer and error are display-only and were written by us: kept when they have the right shape.
    if (isRecord(turn.footer) && typeof turn.footer.model === 'string')
      answer.footer = turn.footer as unknown as AssistantTurnView['footer'];
    if (isRecord(turn.error) && typeof turn.error.message === 'string' && typeof turn.error.kind === 'string') {
      // A kind this version does not know (a newer version wrote it) shows as a plain failure.
      const kind = isErrorKind(turn.error.kind) ? turn.error.kind : 'unexpected';
      answer.error = { kind, message: turn.error.message, retryable: turn.error.retryable === true };
    }
    if (turn.interrupted === true) answer.interrupted = true;
    return answer;
  }
  throw new InvalidConversationError(`${where} has an unknown role`);
}

function parseSnippet(raw: unknown, where: string): CodeSnippet {
  const snippet = record(raw, `${where} snippet`);
  const parsed: CodeSnippet = {
    path: text(snippet.path, `${where} snippet path`),
    languageId: text(snippet.languageId, `${where} snippet language`),
    code: text(snippet.code, `${where} snippet code`),
    tokens: typeof snippet.tokens === 'number' ? snippet.tokens : 0,
  };
  if (
    isRecord(snippet.range) &&
    typeof snippet.range.startLine === 'number' &&
    typeof snippet.range.endLine === 'number'
  )
    parsed.range = { startLine: snippet.range.startLine, endLine: snippet.range.endLine };
  return parsed;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function record(value: unknown, what: string): Record<string, unknown> {
  if (!isRecord(value)) throw new InvalidConversationError(`${what} is not an object`);
  return value;
}

function text(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new InvalidConversationError(`${what} is not text`);
  return value;
}

function time(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new InvalidConversationError(`${what} is not a time`);
  return value;
}
