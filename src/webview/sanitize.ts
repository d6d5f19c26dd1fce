// The second layer behind markdown-it (which already escapes raw HTML and renders no remote image):
// DOMPurify with a small allowlist of the elements and attributes our renderer emits. Anything
// else in the HTML is dropped: scripts, iframes, forms, styles, event handlers, non-http(s) links,
// images that are not inline data.
import createDOMPurify, { type Config, type DOMPurify } from 'dompurify';

const ALLOWED_TAGS = [
  'a',
  'blockquote',
  'br',
  'code',
  'del',
  'div',
  'em',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'img',
  'li',
  'ol',
  'p',
  'pre',
  's',
  'span',
  'strong',
  'table',
  'tbody',
  'td',
  'th',
  'thead',
  'tr',
  'ul',
];
const ALLOWED_ATTR = ['href', 'title', 'class', 'start', 'alt', 'src', 'data-language'];

/** Links that may stay links: the host opens them (after VS Code's confirmation), nothing else. */
export const SAFE_HREF = /^https?:\/\//i;
/** The only images shown: inline raster data (the only images the webview's CSP admits besides its own files). */
export const SAFE_IMAGE_SRC = /^data:image\/(?:png|gif|jpe?g|webp);/i;

const CONFIG: Config & { RETURN_DOM_FRAGMENT: true } = {
  ALLOWED_TAGS,
  ALLOWED_ATTR,
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  ALLOW_UNKNOWN_PROTOCOLS: false,
  ALLOWED_URI_REGEXP: /^(?:https?:\/\/|data:image\/(?:png|gif|jpe?g|webp);)/i,
  // Attributes whose values are not URLs (DOMPurify checks every other value against the regexp above).
  ADD_URI_SAFE_ATTR: ['data-language', 'start'],
  // Belt and braces: none of these is in the allowlist either.
  FORBID_TAGS: [
    'script',
    'style',
    'iframe',
    'frame',
    'object',
    'embed',
    'form',
    'input',
    'button',
    'textarea',
    'select',
    'svg',
    'math',
    'link',
    'meta',
    'base',
  ],
  FORBID_ATTR: ['style', 'srcset', 'action', 'formaction', 'target'],
  RETURN_DOM_FRAGMENT: true,
};

const purifiers = new WeakMap<object, DOMPurify>();

/** One configured DOMPurify per window (the webview's; a jsdom window in unit tests). */
function purifierFor(win: Window & typeof globalThis): DOMPurify {
  let purify = purifiers.get(win);
  if (purify === undefined) {
    purify = createDOMPurify(win);
    // An unsupported environment would hand the input back unsanitized.
    if (!purify.isSupported) throw new Error('DOMPurify is not supported in this window');
    purify.addHook('afterSanitizeAttributes', (element) => {
      if (element.nodeName === 'A' && !SAFE_HREF.test(element.getAttribute('href') ?? ''))
        element.removeAttribute('href');
      if (element.nodeName === 'IMG' && !SAFE_IMAGE_SRC.test(element.getAttribute('src') ?? '')) element.remove();
    });
    // Parsed once here instead of on every call (sanitize() re-reads a config it is given).
    purify.setConfig(CONFIG);
    purifiers.set(win, purify);
  }
  return purify;
}

/** Sanitized DOM for `html`, ready to be inserted into `win`'s document. */
export function sanitizeToFragment(html: string, win: Window & typeof globalThis): DocumentFragment {
  return purifierFor(win).sanitize(html, CONFIG);
}
