// The benchmark's baselines for the streaming renderer (StreamingMarkdownOptions.baseline), never
// used by the panel: rendering the whole message at every frame (what incremental rendering saves)
// and showing the raw text with no markdown at all (what any panel that draws text costs).
import type { FrozenGroups } from './frozenGroups';
import { lineStarts, markOpenFences, withoutAmbiguousPartialLine } from './markdownLines';
import { htmlToFragment, renderTokens, type MarkdownEnv, type Token } from './markdownRender';

/** `whole`: parses, renders and sanitizes all of `all`, replacing the DOM; returns the length shown. */
export function renderWhole(
  all: string,
  final: boolean,
  parse: (text: string, env: MarkdownEnv) => Token[],
  root: HTMLElement,
  groups: FrozenGroups,
): number {
  const text = final ? all : withoutAmbiguousPartialLine(all);
  const env: MarkdownEnv = { references: {} };
  const tokens = parse(text, env);
  if (!final) markOpenFences(tokens, 0, text, lineStarts(text));
  root.replaceChildren();
  groups.clear();
  groups.append([...htmlToFragment(renderTokens(tokens, env), root.ownerDocument).childNodes]);
  return text.length;
}

/** `plain`: appends `text` to the one text node `root` holds. */
export function appendPlain(root: HTMLElement, text: string): void {
  let node = root.firstChild;
  if (node === null || node.nodeType !== 3) {
    node = root.ownerDocument.createTextNode('');
    root.replaceChildren(node);
  }
  (node as Text).appendData(text);
}
