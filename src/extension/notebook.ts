/**
 * Notebook support, pure part: the Python cells of a notebook are analysed as one program
 * (language/notebook.ts joins them), and the notebook-wide result is split back into one
 * result per cell document, with cell-relative ranges.
 */
import type { ConcatenatedCells } from '../frontends/notebook';
import type { AnalysisResult, Diagnostic, Range, SchedulerAnalysis } from '../analysis/types';

/** Maps ranges of the joined text into one cell; `cellOf` says which cell a range starts in. */
class CellMapper {
  constructor(private readonly cells: ConcatenatedCells) {}

  cellOf(range: Range): string {
    return this.cells.rangeToCell(range).key;
  }

  /** The cell-relative range, or null when `range` lies in another cell than `key`. */
  inCell(key: string, range: Range | null | undefined): Range | null {
    if (!range) return null;
    const mapped = this.cells.rangeToCell(range);
    return mapped.key === key ? mapped.range : null;
  }

  diagnostic(key: string, d: Diagnostic): Diagnostic {
    return {
      ...d,
      range: this.cells.rangeToCell(d.range).range,
      // A fix that edits another cell cannot be applied from this cell's document: its edits are dropped.
      fixes: d.fixes
        ?.map((f) => ({ ...f, edits: f.edits.flatMap((e) => { const r = this.inCell(key, e.range); return r ? [{ ...e, range: r }] : []; }) }))
        .filter((f) => f.edits.length > 0),
    };
  }

  scheduler(key: string, s: SchedulerAnalysis): SchedulerAnalysis {
    const opt = s.optimizer;
    return {
      ...s,
      range: this.cells.rangeToCell(s.range).range,
      calleeRange: this.cells.rangeToCell(s.calleeRange).range,
      argInfo: s.argInfo.map((a) => ({
        ...a,
        range: this.inCell(key, a.range),
        ...(a.fullRange !== undefined ? { fullRange: this.inCell(key, a.fullRange) } : {}),
      })),
      // The optimizer often lives in another cell; its ranges are then meaningless here and become null.
      optimizer: opt && {
        ...opt,
        range: this.inCell(key, opt.range),
        ...(opt.callRange !== undefined ? { callRange: this.inCell(key, opt.callRange) } : {}),
        ...(opt.lrRange !== undefined ? { lrRange: this.inCell(key, opt.lrRange) } : {}),
      },
      diagnostics: s.diagnostics.filter((d) => this.cellOf(d.range) === key).map((d) => this.diagnostic(key, d)),
    };
  }
}

/**
 * Splits a notebook-wide result into one result per cell key (every key of `keys` gets an
 * entry, possibly empty). A cell gets the schedulers constructed in it and every diagnostic
 * located in it; a scheduler's diagnostic that points into another cell (e.g. at the
 * optimizer's lr in cell 1) goes to that cell. Scheduler ids are kept as they are, so the
 * panel can address a scheduler whatever cell it is viewed from.
 */
export function splitByCell(cells: ConcatenatedCells, keys: readonly string[], result: AnalysisResult): Map<string, AnalysisResult> {
  const map = new CellMapper(cells);
  const out = new Map<string, AnalysisResult>();
  for (const key of keys) out.set(key, { ...result, schedulers: [], diagnostics: [] });
  for (const s of result.schedulers) {
    const key = map.cellOf(s.range);
    out.get(key)?.schedulers.push(map.scheduler(key, s));
    for (const d of s.diagnostics) {
      const dk = map.cellOf(d.range);
      if (dk !== key) out.get(dk)?.diagnostics.push(map.diagnostic(dk, d));
    }
  }
  for (const d of result.diagnostics) {
    const dk = map.cellOf(d.range);
    out.get(dk)?.diagnostics.push(map.diagnostic(dk, d));
  }
  return out;
}
