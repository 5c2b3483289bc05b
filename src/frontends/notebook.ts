/**
 * Notebooks: the Python cells of a notebook are analysed as one program (an
 * optimizer in cell 1 and its scheduler in cell 3 belong together), then every
 * range is mapped back to the cell it came from.
 */
import type { Position, Range } from '../analysis/types';

export interface CellText {
  /** Anything that identifies the cell to the caller (index, URI string). */
  key: string;
  text: string;
}

export interface ConcatenatedCells {
  text: string;
  /** Maps a position of the concatenated text to its cell and the position in it. */
  toCell(pos: Position): { key: string; position: Position };
  /** Maps a range; a range that would span cells is cut at the end of its first cell. */
  rangeToCell(range: Range): { key: string; range: Range };
}

/** Joins cells with a newline between them; line numbers shift by each cell's line count. */
export function concatCells(cells: CellText[]): ConcatenatedCells {
  const starts: { key: string; line: number; lines: number }[] = [];
  const parts: string[] = [];
  let line = 0;
  for (const c of cells) {
    // IPython magics and shell escapes are not Python: blank them out, keeping the line count.
    const text = c.text.replace(/\r\n?/g, '\n').split('\n').map((l) => (/^\s*[%!]/.test(l) ? '' : l)).join('\n');
    const lines = text.split('\n').length;
    starts.push({ key: c.key, line, lines });
    parts.push(text);
    line += lines;
  }
  const text = parts.join('\n');

  const find = (l: number) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]!.line <= l) lo = mid;
      else hi = mid - 1;
    }
    return starts[lo] ?? { key: '', line: 0, lines: 1 };
  };
  const toCell = (pos: Position) => {
    const s = find(pos.line);
    return { key: s.key, position: { line: pos.line - s.line, character: pos.character } };
  };
  const rangeToCell = (range: Range) => {
    const s = find(range.start.line);
    const start = { line: range.start.line - s.line, character: range.start.character };
    let end = { line: range.end.line - s.line, character: range.end.character };
    if (end.line >= s.lines) end = { line: s.lines - 1, character: Number.MAX_SAFE_INTEGER };
    return { key: s.key, range: { start, end } };
  };
  return { text, toCell, rangeToCell };
}

/** The Python code cells of an .ipynb file's JSON (nbformat 4). Throws on JSON that is not a notebook. */
export function ipynbCodeCells(json: string): CellText[] {
  const nb = JSON.parse(json) as { cells?: { cell_type?: string; source?: string | string[] }[] };
  if (!nb || !Array.isArray(nb.cells)) throw new Error('not a Jupyter notebook (no "cells" list)');
  const out: CellText[] = [];
  nb.cells.forEach((c, i) => {
    if (c?.cell_type !== 'code') return;
    const src = Array.isArray(c.source) ? c.source.join('') : typeof c.source === 'string' ? c.source : '';
    out.push({ key: String(i), text: src });
  });
  return out;
}
