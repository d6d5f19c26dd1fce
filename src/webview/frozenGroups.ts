// Where a streamed answer's finished blocks live: in groups of GROUP_NODES nodes, appended before
// the live element. A frame's layout then places a few groups instead of every block of a long
// answer: the browser rebuilds a box's list of children whenever one of them changes, so a flat list
// of thousands made every frame slower as the answer grew (bench:render's length phase). Every group
// but the last is full, so however the text was chunked, the groups are those of a one-shot render.

/** Nodes per group: few groups for a long answer, few nodes to place when the last group grows. */
export const GROUP_NODES = 64;

export class FrozenGroups {
  /** The group new nodes go into (undefined: start a new one). */
  private last: HTMLElement | undefined;

  /** `before()` is the element groups go in front of (the live element), null for the end. */
  constructor(
    private readonly root: HTMLElement,
    private readonly before: () => Element | null,
  ) {}

  /** Forget the groups (the root was emptied). */
  clear(): void {
    this.last = undefined;
  }

  append(nodes: ChildNode[]): void {
    const pending = [...nodes];
    while (pending.length > 0) {
      let group = this.last;
      if (group === undefined || group.childNodes.length >= GROUP_NODES) {
        group = this.root.ownerDocument.createElement('div');
        group.className = 'md-group';
        this.root.insertBefore(group, this.before());
        this.last = group;
      }
      group.append(...pending.splice(0, GROUP_NODES - group.childNodes.length));
    }
  }

  /** After nodes inside `first` were replaced: its nodes and those of every group after it fill the groups again. */
  refillFrom(first: Element): void {
    const nodes: ChildNode[] = [];
    const end = this.before();
    for (let group: Element | null = first; group !== null && group !== end;) {
      const next: Element | null = group.nextElementSibling;
      nodes.push(...group.childNodes);
      group.remove();
      group = next;
    }
    // The groups before `first` are full: filling starts with a new group.
    this.last = undefined;
    this.append(nodes);
  }
}
