// FrozenGroups (src/webview/frozenGroups.ts): finished blocks in groups of GROUP_NODES nodes, every
// group full but the last, whatever the sizes of the batches they arrived in.
import * as assert from 'node:assert/strict';
import { JSDOM } from 'jsdom';
import { FrozenGroups, GROUP_NODES } from '../../src/webview/frozenGroups';

function paragraphs(doc: Document, count: number, label: string): ChildNode[] {
  return Array.from({ length: count }, (_, i) => {
    const p = doc.createElement('p');
    p.textContent = `${label}${i}`;
    return p;
  });
}

/** Node counts of the root's groups, and that every top-level child is a group before `live`. */
function groupSizes(root: HTMLElement, live?: Element): number[] {
  const groups = [...root.children].filter((child) => child !== live);
  for (const group of groups) assert.equal(group.className, 'md-group');
  return groups.map((group) => group.childNodes.length);
}

describe('FrozenGroups', () => {
  const doc = new JSDOM('<!doctype html><body></body>').window.document;

  it('fills each group to GROUP_NODES before starting the next, in front of the live element', () => {
    const root = doc.createElement('div');
    const live = doc.createElement('div');
    root.append(live);
    const groups = new FrozenGroups(root, () => live);
    for (const size of [5, 70, 1, 60, 100]) groups.append(paragraphs(doc, size, `b${size}-`));
    assert.deepEqual(groupSizes(root, live), [GROUP_NODES, GROUP_NODES, GROUP_NODES, 236 - 3 * GROUP_NODES]);
    assert.equal(root.lastElementChild, live, 'the live element stays last');
    const texts = [...root.querySelectorAll('.md-group > p')].map((p) => p.textContent);
    assert.equal(texts[0], 'b5-0');
    assert.equal(texts[5], 'b70-0');
    assert.equal(texts.at(-1), 'b100-99', 'in order');
  });

  it('refills from a group whose nodes changed in number, as if they had arrived that way', () => {
    const root = doc.createElement('div');
    const groups = new FrozenGroups(root, () => null);
    groups.append(paragraphs(doc, 3 * GROUP_NODES + 10, 'p'));
    const second = root.children[1];
    // A re-rendered chunk in the second group came out three nodes longer.
    second.firstChild!.before(...paragraphs(doc, 3, 'extra'));
    groups.refillFrom(second);
    assert.deepEqual(groupSizes(root), [GROUP_NODES, GROUP_NODES, GROUP_NODES, 13]);
    assert.equal(root.children[1].firstChild!.textContent, 'extra0');
    groups.append(paragraphs(doc, 1, 'after'));
    assert.equal(root.lastElementChild!.lastChild!.textContent, 'after0', 'appending goes on in the last group');
    assert.deepEqual(groupSizes(root), [GROUP_NODES, GROUP_NODES, GROUP_NODES, 14]);
  });
});
