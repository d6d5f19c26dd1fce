// What the streaming renderer (markdown.ts) counts as it works: read by tests, to show that a frame
// does as little as it should, and by the benchmark. Cheap, always on.

export interface RenderStats {
  /** Renders done (frames, flushes, finishes). */
  renders: number;
  /** Characters handed to markdown-it's parser, in total. */
  parsedChars: number;
  /** The same, in the last render only. */
  lastParsedChars: number;
  /** Characters of the text rendered into frozen nodes (the rest is the open tail). */
  frozenChars: number;
  /** Chunks of finished blocks attached. */
  frozenChunks: number;
  /** Frozen chunks rendered again because a link reference they use was defined after them… */
  rerenderedChunks: number;
  /** …and the characters parsed for that (part of parsedChars). */
  rerenderedChars: number;
  /** Open blocks whose new text was appended to their last text node: no DOM made, sanitized or patched. */
  grownTexts: number;
  /** Finished blocks frozen with the nodes the open tail had for them (long tables and lists too). */
  keptBlocks: number;
}

export function newRenderStats(): RenderStats {
  return {
    renders: 0,
    parsedChars: 0,
    lastParsedChars: 0,
    frozenChars: 0,
    frozenChunks: 0,
    rerenderedChunks: 0,
    rerenderedChars: 0,
    grownTexts: 0,
    keptBlocks: 0,
  };
}
