// Editing an earlier question: its Edit button puts the question into the composer (the typed
// words only) and its code into the attachment chips (the host does that on `start-edit`), a banner
// says which question is being edited, and the next send asks the edited version instead of a new
// question (the host replaces the turns from it on and keeps the old version in the history).
import type { WebviewToHost } from '../protocol';
import { button, el, icon } from './dom';

/** What the user typed in a question's element: its code is shown there too, but is not part of it. */
export function questionText(question: Element): string {
  return (question.querySelector('.user-question') ?? question.querySelector('.user-text'))?.textContent ?? '';
}

/** Adds the Edit button to a question's element. */
export function withEditButton(question: HTMLElement): HTMLElement {
  question.prepend(
    button({
      icon: 'edit',
      label: 'Edit and resend',
      action: 'edit-question',
      className: 'icon-button edit-question',
      title: 'Edit this question and ask again',
    }),
  );
  return question;
}

export class QuestionEditor {
  readonly banner: HTMLElement;
  private turnId: string | undefined;

  constructor(
    private readonly input: HTMLTextAreaElement,
    private readonly post: (message: WebviewToHost) => void,
  ) {
    this.banner = el(
      'div',
      { class: 'editing-banner', hidden: true },
      icon('edit'),
      el(
        'span',
        {},
        'Editing a question: sending replaces it and what follows (the old version stays in Chat History).',
      ),
      button({
        label: 'Cancel',
        showLabel: true,
        className: 'text-button',
        action: 'cancel-edit',
        title: 'Stop editing (Esc)',
      }),
    );
  }

  get editing(): boolean {
    return this.turnId !== undefined;
  }

  /** Starts editing the question `turnId` whose text is `text`. */
  start(turnId: string, text: string): void {
    this.turnId = turnId;
    this.post({ type: 'start-edit', turnId });
    this.banner.hidden = false;
    this.input.value = text;
    this.input.focus();
    this.input.setSelectionRange(text.length, text.length);
  }

  /** The question being edited, ending the edit (called when the composer sends). */
  take(): string | undefined {
    const turnId = this.turnId;
    this.end();
    return turnId;
  }

  cancel(): void {
    if (this.turnId === undefined) return;
    this.end();
    this.input.value = '';
    this.post({ type: 'cancel-edit' });
  }

  private end(): void {
    this.turnId = undefined;
    this.banner.hidden = true;
  }
}
