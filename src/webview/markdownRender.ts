// markdown-it as the chat renders it: no raw HTML, autolinked URLs, no typographic replacements;
// only http(s) links stay links, images never load from the network, code blocks get a language
// label and a toolbar, table alignment is a class (the webview's CSP blocks inline styles).
// Everything it emits goes through sanitize.ts before it reaches the page.
import MarkdownIt from 'markdown-it';
import { escapeHtml, highlightCode, willHighlight } from './highlight';
import { SAFE_HREF, SAFE_IMAGE_SRC, sanitizeToFragment } from './sanitize';

/** markdown-it's environment: the link reference definitions seen so far (label → target). */
export interface MarkdownEnv {
  references: Record<string, { href: string; title: string }>;
  /**
   * When present, a closed fence that would be highlighted is not: it is listed here, in order, and
   * rendered as plain text marked PENDING_HIGHLIGHT (deferredHighlight.ts colours it later).
   */
  deferredCode?: DeferredCode[];
}

/** A closed fence whose highlighting was left for later. */
export interface DeferredCode {
  code: string;
  language: string;
}

/** The class of a code block waiting for its highlighting. */
export const PENDING_HIGHLIGHT = 'code-highlight-pending';

export const md = new MarkdownIt({ html: false, linkify: true, typographer: false });

/** markdown-it's token (spelled this way so it resolves the same under the webview's and Node's module settings). */
export type Token = ReturnType<typeof md.parse>[number];

/** A fence's first info word, as shown in the toolbar and used to pick a grammar. */
function fenceLanguage(token: Token): string {
  const info = token.info ? md.utils.unescapeAll(token.info).trim() : '';
  return info.split(/\s+/, 1)[0].slice(0, 40);
}

/**
 * Fences and indented code: `<div class="code-block" data-language><pre><code class="hljs language-…">`.
 * A fence marked open (still streaming) shows escaped plain text; highlighting waits until it closes,
 * and a closed one rendered `pending` stays plain until deferredHighlight.ts replaces it.
 * The toolbar is added after sanitizing (decorateCodeBlocks).
 */
function codeBlock(code: string, language: string, state: 'open' | 'pending' | 'done'): string {
  const lang = escapeHtml(language);
  const plain = state !== 'done';
  const classes = [plain ? '' : 'hljs', language ? `language-${lang}` : ''].filter(Boolean).join(' ');
  const body = plain ? escapeHtml(code) : highlightCode(code, language);
  const blockClass = {
    open: 'code-block code-block-open',
    pending: `code-block ${PENDING_HIGHLIGHT}`,
    done: 'code-block',
  }[state];
  const languageAttribute = language ? ` data-language="${lang}"` : '';
  const codeClass = classes ? ` class="${classes}"` : '';
  return `<div class="${blockClass}"${languageAttribute}><pre><code${codeClass}>${body}</code></pre></div>\n`;
}

md.renderer.rules.fence = (tokens, idx, _options, env: MarkdownEnv) => {
  const token = tokens[idx];
  const language = fenceLanguage(token);
  if ((token.meta as { open?: boolean } | null)?.open === true) return codeBlock(token.content, language, 'open');
  if (env.deferredCode === undefined || !willHighlight(language)) return codeBlock(token.content, language, 'done');
  env.deferredCode.push({ code: token.content, language });
  return codeBlock(token.content, language, 'pending');
};
md.renderer.rules.code_block = (tokens, idx) => codeBlock(tokens[idx].content, '', 'done');

/** Whether the inline token at `idx` sits inside a link (an image there must not become a second link). */
function insideLink(tokens: Token[], idx: number): boolean {
  for (let i = idx - 1; i >= 0; i--) {
    if (tokens[i].type === 'link_close') return false;
    if (tokens[i].type === 'link_open') return true;
  }
  return false;
}

// Never an <img> that loads from the network (a tracking pixel can carry the conversation out):
// a remote image becomes a link to it, labelled with its alt text; inline data images are shown.
md.renderer.rules.image = (tokens, idx, options, env, self) => {
  const token = tokens[idx];
  const src = token.attrGet('src') ?? '';
  const alt = self.renderInlineAsText(token.children ?? [], options, env);
  if (SAFE_IMAGE_SRC.test(src)) return `<img src="${escapeHtml(src)}" alt="${escapeHtml(alt)}">`;
  const label = escapeHtml(alt || 'image');
  if (SAFE_HREF.test(src) && !insideLink(tokens, idx))
    return `<a class="md-image-link" href="${escapeHtml(src)}" title="Image: ${escapeHtml(src)}">${label}</a>`;
  return `<span class="md-image-alt">${label}</span>`;
};

// Table alignment as a class instead of markdown-it's style attribute.
for (const rule of ['th_open', 'td_open']) {
  md.renderer.rules[rule] = (tokens, idx, options, _env, self) => {
    const token = tokens[idx];
    const align = /text-align:(left|center|right)/.exec(token.attrGet('style') ?? '')?.[1];
    token.attrs = align ? [['class', `md-align-${align}`]] : null;
    return self.renderToken(tokens, idx, options);
  };
}

// Only http(s) links stay links. markdown-it already refuses javascript:/vbscript:/file:/data: (it
// leaves the source text); relative, mailto:, command:, … links become inert text here.
md.core.ruler.push('inert_links', (state) => {
  for (const block of state.tokens) {
    if (block.type !== 'inline' || block.children === null) continue;
    let inert = false;
    for (const token of block.children) {
      if (token.type === 'link_open') {
        inert = !SAFE_HREF.test(token.attrGet('href') ?? '');
        if (inert) {
          token.tag = 'span';
          token.attrs = [['class', 'md-link-inert']];
        }
      } else if (token.type === 'link_close' && inert) {
        token.tag = 'span';
        inert = false;
      }
    }
  }
});

/** HTML for block tokens (a whole parse, or its top-level blocks from some index on). */
export function renderTokens(tokens: Token[], env: MarkdownEnv): string {
  return md.renderer.render(tokens, md.options, env);
}

const TOOLBAR_ACTIONS = [
  { action: 'wrap-code', title: 'Wrap Lines', label: 'Wrap long lines in code blocks', icon: 'word-wrap' },
  { action: 'copy', title: 'Copy', label: 'Copy code', icon: 'copy' },
  { action: 'insert', title: 'Insert at Cursor', label: 'Insert code at cursor', icon: 'insert' },
  { action: 'open', title: 'Open in New Editor', label: 'Open code in a new editor', icon: 'go-to-file' },
];

/** Whether code blocks wrap long lines (the panel's choice, a class on the body). */
export function codeWrapped(doc: Document): boolean {
  return doc.body?.classList.contains('wrap-code') ?? false;
}

/** Wraps or unwraps every code block and shows the choice on each block's Wrap Lines button. */
export function setCodeWrapped(doc: Document, wrap: boolean): void {
  doc.body.classList.toggle('wrap-code', wrap);
  for (const button of doc.querySelectorAll('.code-action[data-action="wrap-code"]'))
    button.setAttribute('aria-pressed', String(wrap));
}

/** The toolbar of a code block: ours, built with DOM APIs (not model output, not sanitized). */
function toolbar(doc: Document, language: string): HTMLElement {
  const bar = doc.createElement('div');
  bar.className = 'code-toolbar';
  const label = doc.createElement('span');
  label.className = 'code-language';
  label.textContent = language;
  bar.append(label);
  for (const { action, title, label: ariaLabel, icon } of TOOLBAR_ACTIONS) {
    const button = doc.createElement('button');
    button.type = 'button';
    button.className = 'code-action';
    button.dataset.action = action;
    button.title = title;
    button.setAttribute('aria-label', ariaLabel);
    if (action === 'wrap-code') button.setAttribute('aria-pressed', String(codeWrapped(doc)));
    const glyph = doc.createElement('i');
    glyph.className = `codicon codicon-${icon}`;
    button.append(glyph);
    bar.append(button);
  }
  return bar;
}

/** Rendered, sanitized DOM for `html`, owned by `doc`, code blocks with their toolbars. */
export function htmlToFragment(html: string, doc: Document): DocumentFragment {
  const fragment = doc.adoptNode(sanitizeToFragment(html, doc.defaultView!));
  for (const block of fragment.querySelectorAll<HTMLElement>('div.code-block'))
    block.prepend(toolbar(doc, block.dataset.language ?? ''));
  return fragment;
}

/** A finished code block as a one-shot render makes it: highlighted, sanitized, with its toolbar. */
export function highlightedCodeBlock(code: string, language: string, doc: Document): Element {
  return htmlToFragment(codeBlock(code, language, 'done'), doc).firstElementChild!;
}

// A bracketed run that could be a link label ([text], [label], [text][label]): no unescaped brackets.
const LABEL_CANDIDATE = /\[((?:[^[\]\\]|\\[\s\S]){1,999})\]/g;

/**
 * Labels in `source` that could name a link reference not defined yet (in `env`). A block that
 * uses a label before its definition appears is rendered again once the definition arrives.
 */
export function undefinedLabels(source: string, env: MarkdownEnv): Set<string> {
  const labels = new Set<string>();
  if (!source.includes(']')) return labels;
  for (const match of source.matchAll(LABEL_CANDIDATE)) {
    const label = md.utils.normalizeReference(match[1]);
    if (label !== '' && env.references[label] === undefined) labels.add(label);
  }
  return labels;
}
