// Small DOM builders for the panel's own UI. Text always goes in as text (textContent), never as
// HTML: the only HTML that reaches the page is rendered, sanitized markdown (markdown.ts).

type Attributes = Record<string, string | boolean | undefined>;

/** `<tag attrs>children</tag>`; string children become text nodes. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : value);
  }
  element.append(...children);
  return element;
}

/** A codicon (decorative: the button that holds it carries the label). */
export function icon(name: string): HTMLElement {
  return el('i', { class: `codicon codicon-${name}`, 'aria-hidden': 'true' });
}

/** A button with a codicon, a visible or hidden label, and a tooltip. */
export function button(options: {
  icon?: string;
  label: string;
  showLabel?: boolean;
  className?: string;
  action?: string;
  title?: string;
}): HTMLButtonElement {
  const content: (Node | string)[] = [];
  if (options.icon !== undefined) content.push(icon(options.icon));
  if (options.showLabel === true || options.icon === undefined)
    content.push(el('span', { class: 'label' }, options.label));
  return el(
    'button',
    {
      type: 'button',
      class: options.className ?? 'icon-button',
      title: options.title ?? options.label,
      'aria-label': options.label,
      'data-action': options.action,
    },
    ...content,
  );
}
