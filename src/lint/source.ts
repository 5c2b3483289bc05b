/**
 * Source-text helpers for quick fixes: LSP positions ↔ string offsets, the
 * argument spans of a call or object literal, and edits that keep the user's
 * formatting (separators, line breaks, trailing commas). Text-based on purpose:
 * lint runs after the tree is gone, and the frontends hand us ranges.
 */
import type { Position, Range, TextEdit } from '../analysis/types';
import { Positions } from '../frontends/positions';

export type Lang = 'python' | 'ts';

/** Offsets of line starts, for position ↔ offset conversion (UTF-16, as LSP and JS strings). */
export class SourceText {
  /** The text's `\n` line starts: the same index the frontends use for this text (positions.ts `rowsOf`). */
  private readonly rows: Positions;

  constructor(readonly text: string) {
    this.rows = Positions.rowsOf(text);
  }

  offsetAt(p: Position): number {
    const line = Math.max(0, Math.min(p.line, this.rows.lineCount - 1));
    return Math.min(this.rows.startOf(line) + Math.max(0, p.character), this.text.length);
  }

  positionAt(offset: number): Position {
    return this.rows.at(Math.max(0, Math.min(offset, this.text.length)));
  }

  slice(r: Range): string {
    return this.text.slice(this.offsetAt(r.start), this.offsetAt(r.end));
  }

  range(start: number, end: number): Range {
    return { start: this.positionAt(start), end: this.positionAt(end) };
  }

  lineStart(offset: number): number {
    return this.offsetAt({ line: this.positionAt(offset).line, character: 0 });
  }

  /** The text of line `line` (0-based), without its line break; '' past the end. */
  lineText(line: number): string {
    const n = this.rows.lineCount;
    if (line < 0 || line >= n) return '';
    const start = this.rows.startOf(line);
    const end = line + 1 < n ? this.rows.startOf(line + 1) - 1 : this.text.length;
    return this.text.slice(start, end);
  }

  /** Offset just after the line break ending the line that holds `offset` (or the text's end). */
  nextLineStart(offset: number): number {
    const nl = this.text.indexOf('\n', offset);
    return nl < 0 ? this.text.length : nl + 1;
  }
}

let memo: SourceText | undefined;

/**
 * The SourceText of `text`, shared by every call of one analysis: lint runs once per
 * construction, and indexing the lines of a large file each time would make it quadratic.
 */
export function sourceOf(text: string): SourceText {
  if (memo?.text !== text) memo = new SourceText(text);
  return memo;
}

/** A bracketed list of comma-separated items: a call's argument list, a list literal or an object literal. */
export interface ItemList {
  /** Offset of the opening bracket. */
  open: number;
  /** Offset of the matching closing bracket. */
  close: number;
  /** Items without surrounding whitespace/comments, in order. */
  items: { start: number; end: number }[];
}

const CLOSING: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

/**
 * Scans from `open` (an opening bracket) to its match, splitting top-level items at commas.
 * Skips strings and comments of the language. Null when the bracket is unbalanced.
 */
export function scanList(text: string, open: number, lang: Lang): ItemList | null {
  const first = text[open];
  if (first === undefined || !(first in CLOSING)) return null;
  const stack: string[] = [CLOSING[first]!];
  const items: { start: number; end: number }[] = [];
  let itemStart = -1;
  let itemEnd = -1;
  const endItem = () => {
    if (itemStart >= 0) items.push({ start: itemStart, end: itemEnd });
    itemStart = -1;
    itemEnd = -1;
  };
  let i = open + 1;
  while (i < text.length) {
    const ch = text[i]!;
    const skip = skipTrivia(text, i, lang);
    if (skip > i) { i = skip; continue; }
    if (ch === '"' || ch === "'" || (ch === '`' && lang === 'ts')) {
      const end = skipString(text, i, lang);
      if (itemStart < 0) itemStart = i;
      itemEnd = end;
      i = end;
      continue;
    }
    if (stack.length === 1 && ch === ',') { endItem(); i++; continue; }
    if (ch in CLOSING) stack.push(CLOSING[ch]!);
    else if (ch === ')' || ch === ']' || ch === '}') {
      if (stack[stack.length - 1] !== ch) return null;
      stack.pop();
      if (stack.length === 0) {
        endItem();
        return { open, close: i, items };
      }
    }
    if (itemStart < 0) itemStart = i;
    itemEnd = i + 1;
    i++;
  }
  return null;
}

/** Past whitespace and comments at `i` (returns `i` when there are none). */
function skipTrivia(text: string, i: number, lang: Lang): number {
  let j = i;
  for (;;) {
    const ch = text[j];
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || (ch === '\\' && lang === 'python' && /\r?\n/.test(text.slice(j + 1, j + 3)))) { j++; continue; }
    if (lang === 'python' && ch === '#') { j = lineEnd(text, j); continue; }
    if (lang === 'ts' && ch === '/' && text[j + 1] === '/') { j = lineEnd(text, j); continue; }
    if (lang === 'ts' && ch === '/' && text[j + 1] === '*') {
      const end = text.indexOf('*/', j + 2);
      j = end < 0 ? text.length : end + 2;
      continue;
    }
    return j;
  }
}

function lineEnd(text: string, i: number): number {
  const nl = text.indexOf('\n', i);
  return nl < 0 ? text.length : nl;
}

/** Offset just past the string literal starting at `i` (Python triple quotes, prefixes handled by the caller's scan). */
function skipString(text: string, i: number, lang: Lang): number {
  const q = text[i]!;
  const triple = lang === 'python' && text.startsWith(q.repeat(3), i);
  const delim = triple ? q.repeat(3) : q;
  let j = i + delim.length;
  while (j < text.length) {
    if (text[j] === '\\') { j += 2; continue; }
    if (text.startsWith(delim, j)) return j + delim.length;
    if (!triple && q !== '`' && text[j] === '\n') return j;
    j++;
  }
  return text.length;
}

/** The first `(` in [from, to) (a call's argument list after its callee), or -1. */
export function openParenOf(text: string, from: number, to: number): number {
  const i = text.indexOf('(', from);
  return i >= 0 && i < to ? i : -1;
}

/** The innermost bracketed list, opened at or after `from`, whose items contain the offset `at`. */
export function containerOf(text: string, from: number, at: number, lang: Lang): ItemList | null {
  const opens: number[] = [];
  let i = from;
  while (i < at) {
    const skip = skipTrivia(text, i, lang);
    if (skip > i) { i = skip; continue; }
    const ch = text[i]!;
    if (ch === '"' || ch === "'" || (ch === '`' && lang === 'ts')) { i = skipString(text, i, lang); continue; }
    if (ch === '(' || ch === '[' || ch === '{') opens.push(i);
    else if (ch === ')' || ch === ']' || ch === '}') opens.pop();
    i++;
  }
  const open = opens[opens.length - 1];
  return open === undefined ? null : scanList(text, open, lang);
}

/**
 * Edits removing the item [start, end) of `list` together with one separating comma,
 * keeping the remaining layout: a whole line when the item sits alone on its line,
 * otherwise the comma before it (or after it when it is first).
 */
export function removeItem(src: SourceText, list: ItemList, start: number, end: number): TextEdit {
  const text = src.text;
  const idx = list.items.findIndex((it) => it.start === start && it.end === end);
  const lineStart = src.lineStart(start);
  const aloneBefore = text.slice(lineStart, start).trim() === '';
  const after = text.slice(end, src.nextLineStart(end));
  const restAfter = after.replace(/^\s*,?/, '').trim();
  const aloneAfter = restAfter === '' || restAfter.startsWith('#') || restAfter.startsWith('//');
  const prev = idx > 0 ? list.items[idx - 1]! : null;
  const next = idx >= 0 && idx + 1 < list.items.length ? list.items[idx + 1]! : null;
  if (aloneBefore && aloneAfter && (prev || next) && src.positionAt(list.open).line < src.positionAt(start).line) {
    return { range: src.range(lineStart, src.nextLineStart(end)), newText: '' };
  }
  if (prev) return { range: src.range(prev.end, end), newText: '' };
  if (next) return { range: src.range(start, next.start), newText: '' };
  // The only item: drop it and a trailing comma.
  const m = /^\s*,/.exec(text.slice(end, list.close));
  return { range: src.range(start, m ? end + m[0].length : end), newText: '' };
}

/**
 * An edit appending `item` as the last item of `list`, using the separator the
 * list already uses between its last two items (", " or ",\n    ").
 */
export function appendItem(src: SourceText, list: ItemList, item: string): TextEdit {
  const text = src.text;
  const n = list.items.length;
  if (n === 0) return { range: src.range(list.open + 1, list.open + 1), newText: item };
  const last = list.items[n - 1]!;
  let sep = ', ';
  if (n >= 2) {
    const between = text.slice(list.items[n - 2]!.end, last.start);
    // Keep only the comma and the whitespace (drop comments between the two items).
    const m = /^\s*,([ \t]*(?:\r?\n[ \t]*)?)/.exec(between.replace(/[ \t]*(#|\/\/)[^\n]*/g, ''));
    if (m) sep = `,${m[1]!}`;
  } else if (src.positionAt(last.start).line > src.positionAt(list.open).line) {
    // One item on its own line: continue on a new line with the same indentation.
    const indent = /^[ \t]*/.exec(text.slice(src.lineStart(last.start)))![0];
    sep = `,\n${indent}`;
  }
  return { range: src.range(last.end, last.end), newText: `${sep}${item}` };
}

/** Applies non-overlapping edits to `text` (what an editor does with a quick fix). */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const src = new SourceText(text);
  const sorted = edits
    .map((e) => ({ s: src.offsetAt(e.range.start), e: src.offsetAt(e.range.end), t: e.newText }))
    .sort((a, b) => b.s - a.s || b.e - a.e);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.s) + e.t + out.slice(e.e);
  return out;
}
