/** `lr-lens plot`: one scheduler's curve (every param group) as an SVG or PNG file. */
import * as fs from 'fs';
import { renderSvg } from '../render/svg';
import { renderPng } from '../render/png';
import type { AnalysisResult, SchedulerAnalysis } from '../analysis/types';
import { assumedSummary } from '../analysis/assumptions';
import { unitPlural, unitSingular } from '../analysis/units';
import { UsageError } from './errors';

export interface PlotOptions {
  scheduler?: string;
  logY: boolean;
  width?: number;
  height?: number;
}

/** Picks the scheduler to plot: by variable name or 1-based line; else the first with a curve. */
export function pickScheduler(result: AnalysisResult, which?: string): SchedulerAnalysis {
  const all = result.schedulers;
  if (!all.length) {
    // The repository's own scheduler classes are found but not previewed: `analyze` shows the notes saying so.
    throw new UsageError(result.diagnostics.length ? 'no learning-rate scheduler LR Lens previews in the file (`lr-lens analyze` shows its notes)' : 'no learning-rate scheduler found in the file');
  }
  if (which !== undefined) {
    const line = /^\d+$/.test(which) ? Number(which) - 1 : -1;
    const hit = all.filter((s) => s.variable === which || (s.range.start.line <= line && line <= s.range.end.line));
    if (!hit.length) throw new UsageError(`no scheduler '${which}' (found: ${all.map((s) => s.variable ?? `line ${s.range.start.line + 1}`).join(', ')})`);
    return hit[hit.length - 1]!;
  }
  return all.find((s) => s.curve) ?? all[0]!;
}

/** Writes the picture and returns a one-line report. */
export function writePlot(result: AnalysisResult, out: string, o: PlotOptions, mark?: (phase: string) => void): string {
  const s = pickScheduler(result, o.scheduler);
  if (!s.curve) throw new UsageError(`${s.kind}${s.variable ? ` (${s.variable})` : ''} has no curve: ${s.error ?? 'unknown reason'}`);
  const groups = s.curve.lrs;
  const input = {
    // A curve resting on assumed values says so in its title (`lr assumed 0.1`).
    title: `${s.kind}${s.variable ? ` (${s.variable})` : ''}${s.assumed.length ? ` · ${assumedSummary(s.assumed)}` : ''}`,
    xLabel: unitSingular(s.unit),
    series: [
      ...groups.map((values, g) => ({ label: groups.length > 1 ? `group ${g}` : 'lr', values, role: 'lr' as const })),
    ],
    markers: s.curve.markers,
  };
  const opts = { width: o.width ?? 800, height: o.height ?? 400, theme: 'light' as const, mode: 'full' as const, logY: o.logY };
  try {
    const image = /\.png$/i.test(out) ? renderPng(input, opts) : renderSvg(input, opts);
    mark?.('render');
    fs.writeFileSync(out, image);
    mark?.('write');
  } catch (e) {
    throw new UsageError(`cannot write ${out}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const assumed = s.assumed.length ? `, ${assumedSummary(s.assumed, s.assumed.length)}` : '';
  return `wrote ${out} (${s.kind}, ${groups[0]!.length} ${unitPlural(s.unit)}, ${groups.length} group${groups.length > 1 ? 's' : ''}${assumed})`;
}
