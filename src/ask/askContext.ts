// Which code an ask command sends: the selection(s); without one the innermost enclosing block
// (function, method, class… from the language's document symbols) or else the current line; or, on
// request, the whole file. Each piece becomes a CodeSnippet with the path the user knows it by.
import * as vscode from 'vscode';
import { estimateTokens, snippetLabel } from '../shared/snippets';
import type { CodeSnippet } from '../protocol';
import { lineCount, overLimitMessage, sizeLabel } from './prompts';

/** `selection`: the selection, else the enclosing block or line. `file`: the whole document. */
export type AskScope = 'selection' | 'file';

export interface PickedCode {
  snippets: CodeSnippet[];
  /** For titles and messages: `hello.ts:1-3 (enclosing function greet, 3 lines, ~21 tokens)`. */
  summary: string;
}

/** How long to wait for a language's symbols before settling for the current line. */
const SYMBOLS_TIMEOUT_MS = 5000;

/** The code `scope` means in `editor`, or why it cannot be sent (over `limit` tokens). */
export async function pickCode(
  editor: vscode.TextEditor,
  scope: AskScope,
  limit: number,
): Promise<PickedCode | { error: string }> {
  const { document } = editor;
  const path = displayPath(document);
  let snippets: CodeSnippet[];
  if (scope === 'file') {
    snippets = [snippetOf(document, path, undefined, 'whole file')];
  } else {
    const selected = editor.selections
      .filter((selection) => !selection.isEmpty)
      .sort((a, b) => a.start.compareTo(b.start));
    if (selected.length > 0) snippets = selected.map((selection) => snippetOf(document, path, selection));
    else snippets = [await enclosingSnippet(document, path, editor.selection.active)];
  }
  const tokens = snippets.reduce((sum, snippet) => sum + snippet.tokens, 0);
  const characters = snippets.reduce((sum, snippet) => sum + snippet.code.length, 0);
  const first = snippets[0];
  const where =
    snippets.length === 1 ? snippetLabel(first.path, first.range) : `${snippets.length} selections in ${path}`;
  const what = first.description !== undefined ? `${where} (${first.description})` : `The selection (${where})`;
  const error = overLimitMessage(what, tokens, characters, limit);
  if (error !== undefined) return { error };
  return { snippets, summary: summaryOf(snippets) };
}

/** `hello.ts:1-3 (enclosing function greet, 3 lines, ~21 tokens)`; several selections are counted. */
export function summaryOf(snippets: readonly CodeSnippet[]): string {
  const lines = snippets.reduce((sum, snippet) => sum + lineCount(snippet.code), 0);
  const tokens = snippets.reduce((sum, snippet) => sum + snippet.tokens, 0);
  const first = snippets[0];
  const where =
    snippets.length === 1 ? snippetLabel(first.path, first.range) : `${snippets.length} selections in ${first.path}`;
  const about = snippets.length === 1 && first.description !== undefined ? `${first.description}, ` : '';
  return `${where} (${about}${sizeLabel(lines, tokens)})`;
}

function snippetOf(
  document: vscode.TextDocument,
  path: string,
  range: vscode.Range | undefined,
  description?: string,
): CodeSnippet {
  const code = document.getText(range);
  const snippet: CodeSnippet = { path, languageId: document.languageId, code, tokens: estimateTokens(code) };
  if (range !== undefined) {
    // A selection that ends at the start of a line does not include that line.
    const endLine =
      range.end.character === 0 && range.end.line > range.start.line ? range.end.line - 1 : range.end.line;
    snippet.range = { startLine: range.start.line + 1, endLine: endLine + 1 };
  }
  if (description !== undefined) snippet.description = description;
  return snippet;
}

/** The innermost block around `position` that spans more than one line, else the line itself. */
async function enclosingSnippet(
  document: vscode.TextDocument,
  path: string,
  position: vscode.Position,
): Promise<CodeSnippet> {
  const block = innermostBlock(await documentSymbols(document), position);
  if (block !== undefined) {
    const lines = new vscode.Range(
      block.range.start.line,
      0,
      block.range.end.line,
      document.lineAt(block.range.end.line).range.end.character,
    );
    return snippetOf(document, path, lines, `enclosing ${kindName(block.kind)} ${block.name}`);
  }
  return snippetOf(document, path, document.lineAt(position.line).range, `line ${position.line + 1}`);
}

interface SymbolBlock {
  name: string;
  kind: vscode.SymbolKind;
  range: vscode.Range;
}

async function documentSymbols(document: vscode.TextDocument): Promise<SymbolBlock[]> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<undefined>(
    (resolve) => (timer = setTimeout(() => resolve(undefined), SYMBOLS_TIMEOUT_MS)),
  );
  try {
    const found = await Promise.race([
      vscode.commands.executeCommand<(vscode.DocumentSymbol | vscode.SymbolInformation)[] | undefined>(
        'vscode.executeDocumentSymbolProvider',
        document.uri,
      ),
      timeout,
    ]);
    return flatten(found ?? []);
  } catch {
    return []; // no provider, or it failed: the current line will do
  } finally {
    clearTimeout(timer);
  }
}

/** Hierarchical symbols (DocumentSymbol) and flat ones (SymbolInformation) alike, as one list. */
function flatten(symbols: readonly (vscode.DocumentSymbol | vscode.SymbolInformation)[]): SymbolBlock[] {
  const blocks: SymbolBlock[] = [];
  const visit = (symbol: vscode.DocumentSymbol | vscode.SymbolInformation) => {
    if ('children' in symbol) {
      blocks.push({ name: symbol.name, kind: symbol.kind, range: symbol.range });
      symbol.children.forEach(visit);
    } else {
      blocks.push({ name: symbol.name, kind: symbol.kind, range: symbol.location.range });
    }
  };
  symbols.forEach(visit);
  return blocks;
}

/**
 * The smallest multi-line symbol containing `position` (a one-line local variable inside a function
 * is not the block meant).
 */
function innermostBlock(blocks: readonly SymbolBlock[], position: vscode.Position): SymbolBlock | undefined {
  let best: SymbolBlock | undefined;
  for (const block of blocks) {
    if (block.range.isSingleLine || !block.range.contains(position)) continue;
    if (best === undefined || best.range.contains(block.range)) best = block;
  }
  return best;
}

function kindName(kind: vscode.SymbolKind): string {
  switch (kind) {
    case vscode.SymbolKind.String:
      return 'section'; // markdown headings
    case vscode.SymbolKind.TypeParameter:
      return 'type parameter';
    case vscode.SymbolKind.EnumMember:
      return 'enum member';
    default:
      return (vscode.SymbolKind[kind] ?? 'block').toLowerCase();
  }
}

/**
 * The path the user knows the document by: workspace-relative for a file, the untitled name, or for
 * a notebook cell the notebook's path and the cell's number (`analysis.ipynb#cell2`).
 */
export function displayPath(document: vscode.TextDocument): string {
  const notebook = vscode.workspace.notebookDocuments.find((candidate) =>
    candidate.getCells().some((cell) => cell.document === document),
  );
  if (notebook !== undefined) {
    const cell = notebook.getCells().findIndex((candidate) => candidate.document === document);
    const notebookPath = notebook.isUntitled ? notebook.uri.path : vscode.workspace.asRelativePath(notebook.uri, false);
    return `${notebookPath}#cell${cell + 1}`;
  }
  return document.isUntitled ? document.uri.path : vscode.workspace.asRelativePath(document.uri, false);
}
