/**
 * UTF-16 offsets (what tree-sitter reports for JS strings) → line and character.
 * Line breaks: \n, \r\n and lone \r, as VS Code counts them; or `\n` only, as tree-sitter counts rows.
 */
import type { Position, Range } from '../analysis/types';

let lastRows: { text: string; rows: Positions } | null = null;

export class Positions {
  private readonly lineStarts: number[] = [0];

  constructor(text: string, breaks: 'vscode' | 'lf' = 'vscode') {
    // Only `\n` breaks (tree-sitter's rows, or a text without `\r`): found by indexOf, a native scan (a few times
    // faster than testing each character here; the rows of a 5,000-line file are derived on every edit).
    if (breaks === 'lf' || text.indexOf('\r') === -1) {
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
      return;
    }
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.lineStarts.push(i + 1);
      else if (c === 13 && breaks === 'vscode') {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.lineStarts.push(i + 1);
      }
    }
  }

  /** Tree-sitter's rows (`\n` only) of `text`: the last text's are kept (a file's analysis asks several times). */
  static rowsOf(text: string): Positions {
    if (lastRows?.text !== text) lastRows = { text, rows: new Positions(text, 'lf') };
    return lastRows.rows;
  }

  /** How many lines (rows) the text has. */
  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** The offset where line `line` (0-based, < lineCount) starts. */
  startOf(line: number): number {
    return this.lineStarts[line]!;
  }

  at(offset: number): Position {
    const a = this.lineStarts;
    let lo = 0;
    let hi = a.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (a[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - a[lo]! };
  }

  range(sp: { s: number; e: number }): Range {
    return { start: this.at(sp.s), end: this.at(sp.e) };
  }
}
