// Brings live DOM in line with freshly rendered DOM while touching as little as possible: nodes
// that are the same (tag and attributes, text) are kept, text that grew is updated in place. The
// open tail of a streamed answer mostly grows at its end, so a frame changes one text node instead
// of rebuilding the block: less style, layout and accessibility work, selection inside it survives.

function sameShallow(a: Node, b: Node): boolean {
  if (a.nodeType !== b.nodeType || a.nodeName !== b.nodeName) return false;
  if (a.nodeType !== 1) return true;
  const x = (a as Element).attributes;
  const y = (b as Element).attributes;
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (y.getNamedItem(x[i].name)?.value !== x[i].value) return false;
  return true;
}

/** Makes `target` look like `source` (same node types, names, attributes, text), reusing `target`'s nodes. */
function patchNode(target: Node, source: Node): void {
  if (target.nodeType === 3 || target.nodeType === 8) {
    if (target.nodeValue !== source.nodeValue) target.nodeValue = source.nodeValue;
    return;
  }
  patchChildren(target, [...target.childNodes], [...source.childNodes]);
}

/**
 * Makes the children `current` of `parent` look like `next` (nodes not in the document yet); a node
 * of `next` that has no counterpart is moved into `parent`. Returns the nodes now in their place.
 */
export function patchChildren(
  parent: Node,
  current: ChildNode[],
  next: ChildNode[],
  before: Node | null = null,
): ChildNode[] {
  const result: ChildNode[] = [];
  const count = Math.min(current.length, next.length);
  for (let i = 0; i < count; i++) {
    if (sameShallow(current[i], next[i])) {
      patchNode(current[i], next[i]);
      result.push(current[i]);
    } else {
      current[i].replaceWith(next[i]);
      result.push(next[i]);
    }
  }
  for (let i = count; i < current.length; i++) current[i].remove();
  const anchor = count > 0 ? result[count - 1].nextSibling : before;
  for (let i = count; i < next.length; i++) {
    parent.insertBefore(next[i], anchor);
    result.push(next[i]);
  }
  return result;
}

// The end of a block's HTML after its text: closing tags, nothing between them, the block's line break.
const CLOSING_TAGS = /(?:<\/([a-z][a-z0-9]*)>)+\n?$/;
// Text that needs no escaping and that the HTML parser keeps as it is: appended, it is what the HTML says.
// eslint-disable-next-line no-control-regex -- control characters are what it rules out
const PLAIN_TEXT = /^[^<>&"\u0000-\u0008\u000B-\u001F\u007F]+$/;

/**
 * When `after` is `before` (the HTML `nodes` were made from) with plain text added at the end of
 * its last text (a word typed at the end of a paragraph, heading or item), appends that text to
 * the text node it continues and returns true: the DOM is then what `after` makes, with nothing
 * parsed or sanitized. Anything else (markup changed, text elsewhere) returns false.
 */
export function appendGrownText(nodes: ChildNode[], before: string, after: string): boolean {
  const closing = CLOSING_TAGS.exec(before);
  if (closing === null || after.length <= before.length) return false;
  const end = closing.index;
  const suffix = closing[0];
  if (end === 0 || before.charCodeAt(end - 1) === 62 /* > */ || !after.endsWith(suffix)) return false;
  const added = after.slice(end, after.length - suffix.length);
  if (!PLAIN_TEXT.test(added) || !after.startsWith(before.slice(0, end))) return false;
  // The elements the closing tags close, innermost last: each the last child of the one before.
  const tags = suffix.match(/[a-z][a-z0-9]*/g)!.reverse();
  let element: Node | undefined;
  for (const node of nodes) if (node.nodeType === 1) element = node;
  for (let i = 0; i < tags.length; i++) {
    if (element?.nodeType !== 1 || element.nodeName.toLowerCase() !== tags[i]) return false;
    if (i < tags.length - 1) element = element.lastChild ?? undefined;
  }
  const text = element!.lastChild;
  if (text?.nodeType !== 3) return false;
  (text as Text).appendData(added);
  return true;
}

/** A block as rendered: the HTML its nodes were made from (kept true as they change), and the nodes. */
export interface RenderedBlock {
  html: string;
  nodes: ChildNode[];
}

/**
 * `block` (undefined: none yet) brought up to `html` in `parent`: 'kept' when its HTML is the same;
 * 'grown' when only plain text was added at its end (appended, `block.html` updated); else 'built':
 * the nodes `build()` makes, patched over the old ones (a new block, at the end of `parent`).
 */
export function updateBlock(
  parent: Node,
  block: RenderedBlock | undefined,
  html: string,
  build: () => ChildNode[],
): { block: RenderedBlock; how: 'kept' | 'grown' | 'built' } {
  if (block !== undefined && block.html === html) return { block, how: 'kept' };
  if (block !== undefined && appendGrownText(block.nodes, block.html, html)) {
    block.html = html;
    return { block, how: 'grown' };
  }
  return { block: { html, nodes: patchChildren(parent, block?.nodes ?? [], build()) }, how: 'built' };
}

/**
 * A growing table's body or list (`container`): its children after the first `settled` become those
 * of `rendered` (a window's parse of its last rows or items), patched in place.
 */
export function patchRows(container: Element, settled: number, rendered: Element | null): void {
  const next: ChildNode[] = [];
  for (let node = rendered?.firstElementChild as ChildNode | null; node; node = node.nextSibling) next.push(node);
  const current: ChildNode[] = [];
  for (let node: ChildNode | null = container.children[settled]; node; node = node.nextSibling) current.push(node);
  patchChildren(container, current, next);
}
