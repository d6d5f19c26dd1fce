// A conversation as a Markdown document (Export Chat as Markdown): each turn a headed section,
// answers as the model wrote them (code fences kept), thinking folded into <details>, code sent
// with a question fenced with its path. No 'vscode' import (unit-tested in plain Node).
import { conversationTitle } from '../core/conversation';
import { fenced, snippetLabel } from '../shared/snippets';
import type { AssistantTurnView, TurnView, UserTurnView } from '../protocol';

export interface ExportableConversation {
  title?: string;
  turns: readonly TurnView[];
  omittedTurns?: number;
}

export function conversationMarkdown(conversation: ExportableConversation): string {
  const sections = [`# ${conversationTitle(conversation.title, conversation.turns)}`];
  if ((conversation.omittedTurns ?? 0) > 0)
    sections.push(
      `> The ${conversation.omittedTurns} oldest turns of this conversation were not kept (history size limit).`,
    );
  for (const turn of conversation.turns) sections.push(turn.role === 'user' ? userSection(turn) : answerSection(turn));
  return `${sections.join('\n\n')}\n`;
}

function userSection(turn: UserTurnView): string {
  // An ask's label names the action and the code: `Find Bugs` then the location as code.
  const parts = [turn.label !== undefined ? `## You · ${labelHeading(turn.label)}` : '## You'];
  for (const snippet of turn.snippets ?? [])
    parts.push(
      `${inlineCode(snippetLabel(snippet.path, snippet.range))}\n\n${fenced(snippet.code, snippet.languageId)}`,
    );
  parts.push(turn.text);
  return parts.join('\n\n');
}

function answerSection(turn: AssistantTurnView): string {
  const model = turn.footer?.respondedModel ?? turn.footer?.model;
  const parts = [model !== undefined ? `## Assistant (${model})` : '## Assistant'];
  if (turn.reasoning.trim() !== '')
    parts.push(`<details>\n<summary>Thinking</summary>\n\n${turn.reasoning.trim()}\n\n</details>`);
  if (turn.content.trim() !== '') parts.push(closeOpenFence(turn.content.trimEnd()));
  const note = statusNote(turn);
  if (note !== undefined) parts.push(note);
  return parts.join('\n\n');
}

function statusNote(turn: AssistantTurnView): string | undefined {
  if (turn.interrupted === true)
    return '*Interrupted: the window closed while this answer was streaming; the text above is what had arrived.*';
  if (turn.error !== undefined) return `*Error: ${turn.error.message}*`;
  if (turn.status === 'stopped') return '*Stopped: the text above is what arrived.*';
  if (turn.status === 'streaming') return '*Still streaming when exported.*';
  return undefined;
}

/** An answer cut mid-code-block would swallow the rest of the document: its fence is closed. */
function closeOpenFence(markdown: string): string {
  let open: string | undefined;
  for (const line of markdown.split('\n')) {
    const fence = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence === undefined) continue;
    if (open === undefined) open = fence;
    else if (fence[0] === open[0] && fence.length >= open.length && line.trim() === fence) open = undefined;
  }
  return open === undefined ? markdown : `${markdown}\n${open}`;
}

function inlineCode(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((run) => run[0].length));
  const ticks = '`'.repeat(longest + 1);
  return longest > 0 ? `${ticks} ${text} ${ticks}` : `${ticks}${text}${ticks}`;
}

/** `Find Bugs · src/a_b.ts:3-9` → the action as text, the location as inline code (paths stay literal). */
function labelHeading(label: string): string {
  const separator = label.indexOf(' · ');
  if (separator < 0) return inlineCode(label);
  return `${label.slice(0, separator).replace(/[\\`*_[\]<>#]/g, '\\$&')} · ${inlineCode(label.slice(separator + 3))}`;
}
