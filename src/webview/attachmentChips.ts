// The attachment chips above the chat input: what goes with the next question, each with its size
// in tokens (estimated) and a remove button, and the buttons that add more. The host owns the list;
// this only renders it and reports clicks (data-action, handled in main.ts).
import { snippetLabel } from '../shared/snippets';
import type { AttachmentView } from '../protocol';
import { button, el, icon } from './dom';
import { formatTokenCount } from './contextMeter';

export class AttachmentBar {
  readonly element: HTMLElement;
  private readonly chips = el('div', {
    class: 'attachment-chips',
    role: 'list',
    'aria-label': 'Attachments for the next question',
  });

  constructor() {
    const tools = el(
      'div',
      { class: 'attachment-tools' },
      button({ icon: 'file', label: 'Attach the current file', action: 'attach:file' }),
      button({ icon: 'list-selection', label: 'Attach the selection', action: 'attach:selection' }),
      button({ icon: 'attach', label: 'Attach a workspace file…', action: 'attach:pick' }),
    );
    this.element = el('div', { class: 'attachments' }, this.chips, tools);
    this.chips.hidden = true;
  }

  render(attachments: readonly AttachmentView[]): void {
    this.chips.hidden = attachments.length === 0;
    this.chips.replaceChildren(...attachments.map(chip));
  }
}

function chip(attachment: AttachmentView): HTMLElement {
  const full = snippetLabel(attachment.path, attachment.range);
  const name = snippetLabel(attachment.path.slice(attachment.path.lastIndexOf('/') + 1), attachment.range);
  const tokens = `${formatTokenCount(attachment.tokens)} tokens`;
  const remove = button({
    icon: 'close',
    label: `Remove ${full}`,
    action: 'remove-attachment',
    className: 'icon-button chip-remove',
  });
  return el(
    'div',
    {
      class: 'chip',
      role: 'listitem',
      'data-attachment-id': attachment.id,
      title: `${full} — about ${attachment.tokens.toLocaleString('en-US')} tokens`,
    },
    icon(attachment.range === undefined ? 'file-code' : 'list-selection'),
    el('span', { class: 'chip-label' }, name),
    el('span', { class: 'chip-size' }, tokens),
    remove,
  );
}
