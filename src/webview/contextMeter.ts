// The context meter in the panel header: the conversation, the attachments and the draft against
// the model's window, e.g. "3.1k / 8k". The host sends the conversation's size (the server's count
// after an answer, else an estimate) and the window; the panel adds what only it knows (the draft).
import { estimateTokens } from '../shared/snippets';
import type { AttachmentView, BudgetView } from '../protocol';
import { el } from './dom';

/** 850, 3.1k, 12k: short enough for the header. */
export function formatTokenCount(tokens: number): string {
  if (tokens < 1000) return String(tokens);
  const thousands = tokens / 1000;
  return `${thousands < 10 ? (Math.round(thousands * 10) / 10).toString() : Math.round(thousands).toString()}k`;
}

/** Windows are usually powers of two: 8192 reads "8k", 131072 "128k", as model cards write them. */
export function formatWindow(tokens: number): string {
  return tokens >= 1024 && tokens % 1024 === 0 ? `${tokens / 1024}k` : formatTokenCount(tokens);
}

const WINDOW_SOURCES: Record<BudgetView['windowSource'], string> = {
  server: "reported by the server's /models",
  error: "named by the server's context-length error",
  setting: 'from the streamChat.contextWindow setting',
};

export class BudgetMeter {
  readonly element = el('span', { class: 'budget-meter', role: 'status', hidden: true });
  private budget: BudgetView | undefined;
  private attachments: readonly AttachmentView[] = [];
  private draft = '';

  setBudget(budget: BudgetView): void {
    this.budget = budget;
    this.render();
  }

  setAttachments(attachments: readonly AttachmentView[]): void {
    this.attachments = attachments;
    this.render();
  }

  setDraft(text: string): void {
    this.draft = text;
    this.render();
  }

  private render(): void {
    const budget = this.budget;
    this.element.hidden = budget === undefined;
    if (budget === undefined) return;
    const attached = this.attachments.reduce((sum, attachment) => sum + attachment.tokens, 0);
    const draft = this.draft.trim() === '' ? 0 : estimateTokens(this.draft, budget.charsPerToken);
    const used = budget.conversationTokens + attached + draft;
    const over = used + budget.reserve > budget.window;
    const n = (tokens: number) => tokens.toLocaleString('en-US');
    this.element.textContent = `${formatTokenCount(used)} / ${formatWindow(budget.window)}`;
    this.element.classList.toggle('over', over);
    const counted = budget.measured ? 'counted by the server after the last answer' : 'estimated';
    const parts = [`conversation ${n(budget.conversationTokens)} (${counted})`];
    if (attached > 0) parts.push(`attachments ${n(attached)}`);
    if (draft > 0) parts.push(`draft ${n(draft)}`);
    this.element.title = [
      `Context: about ${n(used)} of ${n(budget.window)} tokens (window ${WINDOW_SOURCES[budget.windowSource]}).`,
      `${parts.join(' + ')}; ${n(budget.reserve)} kept for the answer.`,
      over
        ? 'The next question does not fit: older turns will be left out.'
        : 'When a question would not fit, older turns are left out (the transcript says so).',
    ].join('\n');
    this.element.setAttribute(
      'aria-label',
      `Context: about ${n(used)} of ${n(budget.window)} tokens${over ? ', older turns will be left out' : ''}`,
    );
  }
}
