// Syntax highlighting for finished code blocks: highlight.js core with a fixed set of common
// languages (each registered module is bundled; the set keeps dist/webview.js small). The output is
// escaped text in <span class="hljs-…"> elements: classes only, which media/markdown.css maps to
// theme variables (a strict style-src would block inline styles, and webviews get no token colours).
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import c from 'highlight.js/lib/languages/c';
import cpp from 'highlight.js/lib/languages/cpp';
import csharp from 'highlight.js/lib/languages/csharp';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import dockerfile from 'highlight.js/lib/languages/dockerfile';
import go from 'highlight.js/lib/languages/go';
import ini from 'highlight.js/lib/languages/ini';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import kotlin from 'highlight.js/lib/languages/kotlin';
import markdown from 'highlight.js/lib/languages/markdown';
import php from 'highlight.js/lib/languages/php';
import plaintext from 'highlight.js/lib/languages/plaintext';
import powershell from 'highlight.js/lib/languages/powershell';
import python from 'highlight.js/lib/languages/python';
import ruby from 'highlight.js/lib/languages/ruby';
import rust from 'highlight.js/lib/languages/rust';
import shell from 'highlight.js/lib/languages/shell';
import sql from 'highlight.js/lib/languages/sql';
import swift from 'highlight.js/lib/languages/swift';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';

const languages = {
  bash,
  c,
  cpp,
  csharp,
  css,
  diff,
  dockerfile,
  go,
  ini,
  java,
  javascript,
  json,
  kotlin,
  markdown,
  php,
  plaintext,
  powershell,
  python,
  ruby,
  rust,
  shell,
  sql,
  swift,
  typescript,
  xml,
  yaml,
};
for (const [name, language] of Object.entries(languages)) hljs.registerLanguage(name, language);
const plaintextGrammar = hljs.getLanguage('plaintext');
// Names models use that the modules do not list as aliases (ts, py, sh, yml, html, rs, … are listed).
hljs.registerAliases(['vue', 'svelte'], { languageName: 'xml' });

// The same closed block is highlighted by the live tail in the frames before it freezes (and every
// frame by the whole-message baseline): a few recent results are kept.
const cache = new Map<string, string>();
const CACHE_ENTRIES = 16;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (ch) => (ch === '&' ? '&amp;' : ch === '<' ? '&lt;' : ch === '>' ? '&gt;' : '&quot;'));
}

/** Whether `language` (a fence's info word) names a registered grammar, by name or alias. */
export function isKnownLanguage(language: string): boolean {
  return language !== '' && hljs.getLanguage(language) !== undefined;
}

/** Whether highlightCode() colours code in `language` (a registered grammar, not plain text). */
export function willHighlight(language: string): boolean {
  const name = language.toLowerCase();
  return isKnownLanguage(name) && hljs.getLanguage(name) !== plaintextGrammar;
}

/**
 * Highlighted HTML for `code` when its language is registered (by name or alias), else escaped
 * plain text. Unknown or absent languages are not guessed: hljs.highlightAuto runs every grammar
 * over the code, measured at 10–35 ms for 200–1,000 characters (plus 100–250 ms compiling the
 * grammars on first use), not cheap enough for a frame.
 */
export function highlightCode(code: string, language: string): string {
  const name = language.toLowerCase();
  if (!willHighlight(name)) return escapeHtml(code);
  const key = `${name}\u0000${code}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const html = hljs.highlight(code, { language: name, ignoreIllegals: true }).value;
  cache.set(key, html);
  if (cache.size > CACHE_ENTRIES) cache.delete(cache.keys().next().value as string);
  return html;
}
