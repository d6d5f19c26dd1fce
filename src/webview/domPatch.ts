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
