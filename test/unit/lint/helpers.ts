/**
 * Helpers for the lint tests: snippets with ⟦range⟧ markers, analysis through the whole
 * pipeline, and a tree-sitter check that an edited file still parses.
 */
import { analyze } from '../../../src/analysis/analyze';
import { grammarFor, loadParser, parseWith } from '../../../src/frontends/parser';
import type { AnalyzeOptions, Diagnostic, FoundCall, Range } from '../../../src/analysis/types';

export type Lang = 'python' | 'typescript';

/** A Python prelude: torch's schedulers as `L`, a model, an SGD optimizer `opt` (lr 0.1) and an Adam `adam` (lr 0.01). */
export const PY = [
  'import torch',
  'from torch.optim import lr_scheduler as L',
  'model = torch.nn.Linear(2, 1)',
  'opt = torch.optim.SGD(model.parameters(), lr=0.1)',
  'adam = torch.optim.Adam(model.parameters(), lr=0.01)',
  '',
].join('\n');

/** The same for TypeScript. */
export const TS = [
  "import { optim, lr_scheduler as L } from 'torch-ts';",
  'const opt = optim.SGD([], { lr: 0.1 });',
  'const adam = optim.Adam([], { lr: 0.01 });',
  '',
].join('\n');

/** Strips ⟦ ⟧ markers and returns the text with the marked ranges (LSP positions). */
export function marked(src: string): { text: string; ranges: Range[] } {
  const ranges: Range[] = [];
  let text = '';
  let line = 0;
  let character = 0;
  let open: { line: number; character: number } | null = null;
  for (const ch of src) {
    if (ch === '⟦') { open = { line, character }; continue; }
    if (ch === '⟧') {
      if (open) ranges.push({ start: open, end: { line, character } });
      open = null;
      continue;
    }
    text += ch;
    if (ch === '\n') { line++; character = 0; } else character += ch.length;
  }
  return { text, ranges };
}

/** Every diagnostic of the file (per construction and file-level), strict: a lint rule that throws fails the test. */
export async function diagnosticsOf(text: string, lang: Lang = 'python', options: AnalyzeOptions = {}): Promise<Diagnostic[]> {
  const r = await analyze(text, lang, { strict: true, ...options });
  return [...r.diagnostics, ...r.schedulers.flatMap((s) => s.diagnostics)];
}

export function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character
    && a.end.line === b.end.line && a.end.character === b.end.character;
}

export function showRange(r: Range): string {
  return `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
}

export function show(ds: Diagnostic[]): string {
  return ds.map((d) => `${d.code} ${d.severity} ${showRange(d.range)} ${d.message}`).join('\n  ');
}

/** True when tree-sitter parses `text` without ERROR or MISSING nodes. */
export async function parsesCleanly(text: string, lang: Lang): Promise<boolean> {
  const tree = parseWith(await loadParser(grammarFor(lang)!), text);
  if (!tree) return false;
  try {
    return !tree.rootNode.hasError;
  } finally {
    tree.delete();
  }
}

/** A FoundCall built by hand: each named argument written on line 1 at its own columns. */
export function fakeCall(kind: string, written: string[]): FoundCall {
  const r = (a: number, b: number): Range => ({ start: { line: 1, character: a }, end: { line: 1, character: b } });
  return {
    kind: kind as FoundCall['kind'], family: 'torch', variable: 's', range: r(0, 60), calleeRange: r(4, 10), schedulerIndex: null,
    argInfo: written.map((name, i) => ({ name, range: r(20 + 10 * i, 25 + 10 * i), text: '0', known: true, display: '0', isDefault: false })),
    args: {}, optimizer: null, unknownReason: null, bindFailure: null, uses: [], memberOf: null, assumed: [],
  };
}
