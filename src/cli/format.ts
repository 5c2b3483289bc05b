/** The CLI's two output shapes: the JSON contract and a readable summary. */
import { assumedValueText, assumptionJson } from '../analysis/assumptions';
import { describeRun, type RunInfo } from '../analysis/run';
import type { AnalysisResult, Diagnostic, Range, SchedulerAnalysis } from '../analysis/types';
import { unitPlural } from '../analysis/units';

/** `{"schedulers": [...]}` exactly as the README's contract says. */
export function formatJson(result: AnalysisResult): string {
  const schedulers = result.schedulers.map((s) => {
    const cell = (s as SchedulerAnalysis & { cell?: number }).cell;
    return {
      kind: s.kind,
      family: s.family,
      unit: s.unit,
      variable: s.variable,
      ...(cell !== undefined ? { cell } : {}),
      range: s.range,
      args: s.args,
      lrs: s.curve ? s.curve.lrs.map((g) => Array.from(g)) : null,
      diagnostics: s.diagnostics.map(jsonDiagnostic),
      error: s.error,
      assumed: (s.assumed ?? []).map(assumptionJson),
      run: s.run ? jsonRun(s.run) : null,
    };
  });
  // The file's own notes (a scheduler class of the repository, not previewed; a limit LR Lens hit), beside the entries'.
  return JSON.stringify({ schedulers, diagnostics: result.diagnostics.map(jsonDiagnostic) });
}

/** The README's `run` object: how the script steps the scheduler and for how long. */
function jsonRun(r: RunInfo) {
  return {
    unit: r.unit, epochs: r.epochs, stepsPerEpoch: r.stepsPerEpoch, steps: r.steps, source: r.reason && r.unit === 'unknown' ? r.reason : r.source,
    stepSites: r.stepSites, assumed: r.assumed, ...(r.after ? { after: r.after } : {}),
  };
}

function jsonDiagnostic(d: Diagnostic) {
  return { severity: d.severity, code: d.code, message: d.message, range: d.range };
}

const BARS = '▁▂▃▄▅▆▇█';

/** A Unicode sparkline of `values` in `width` characters (max per bucket, so spikes show). */
export function sparkline(values: ArrayLike<number>, width = 60): string {
  const n = values.length;
  if (n === 0) return '';
  const cols = Math.min(width, n);
  const buckets: number[] = [];
  for (let c = 0; c < cols; c++) {
    const from = Math.floor((c * n) / cols);
    const to = Math.max(from + 1, Math.floor(((c + 1) * n) / cols));
    let m = -Infinity;
    for (let i = from; i < to; i++) if (values[i]! > m) m = values[i]!;
    buckets.push(m);
  }
  const finite = buckets.filter(Number.isFinite);
  if (!finite.length) return '';
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  return buckets
    .map((v) => (!Number.isFinite(v) ? ' ' : hi === lo ? BARS[3] : BARS[Math.round(((v - lo) / (hi - lo)) * (BARS.length - 1))]))
    .join('');
}

/** A compact number: 0.1, 2.5e-05, 1000. */
export function num(v: number): string {
  if (v === 0) return '0';
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a >= 1e-3 && a < 1e6) return String(Number(v.toPrecision(6)));
  return v.toExponential(3).replace(/\.?0+e/, 'e');
}

const pos = (r: Range) => `${r.start.line + 1}:${r.start.character + 1}`;

export function formatText(result: AnalysisResult, file: string): string {
  const lines: string[] = [];
  // A file whose only schedulers LR Lens does not preview (the repository's own classes) says so in its notes below.
  if (!result.schedulers.length) lines.push(`${file}: no learning-rate scheduler ${result.diagnostics.length ? 'previewed' : 'found'}`);
  for (const s of result.schedulers) lines.push(...schedulerLines(s, file), '');
  for (const d of result.diagnostics) lines.push(`${file}:${pos(d.range)}: ${d.severity} ${d.code}: ${d.message}`);
  return lines.join('\n') + '\n';
}

function schedulerLines(s: SchedulerAnalysis, file: string): string[] {
  const cell = (s as SchedulerAnalysis & { cell?: number }).cell;
  const where = cell !== undefined ? `${file} cell ${cell} ${pos(s.range)}` : `${file}:${pos(s.range)}`;
  const out = [`${where}  ${s.kind}${s.variable ? `  (${s.variable})` : ''}`];
  if (s.explanation) out.push(`  ${s.explanation}`);
  if (s.run) out.push(`  ${describeRun(s.run, s.horizon.assumedStepsPerEpoch)}`);
  if (s.curve) {
    const sum = s.curve.summary;
    out.push(`  ${s.horizon.steps} ${unitPlural(s.unit)} (${s.horizon.source}) · start ${num(sum.start)} · peak ${num(sum.peak.value)} @ ${sum.peak.step}` +
      ` · min ${num(sum.min.value)} @ ${sum.min.step} · final ${num(sum.final)}` +
      (sum.warmupEnd !== null ? ` · warm-up ends @ ${sum.warmupEnd}` : '') +
      (sum.restarts.length ? ` · restarts @ ${sum.restarts.slice(0, 6).join(', ')}${sum.restarts.length > 6 ? ', …' : ''}` : '') +
      (sum.milestones.length ? ` · milestones @ ${sum.milestones.slice(0, 6).join(', ')}` : ''));
    s.curve.lrs.forEach((g, i) => out.push(`  ${s.curve!.lrs.length > 1 ? `group ${i} ` : ''}${sparkline(g)}`));
  } else if (s.error) {
    out.push(`  no curve: ${s.error}`);
  }
  for (const a of s.assumed ?? []) out.push(`  assumed ${a.what} = ${assumedValueText(a.value)}: ${a.why}`);
  for (const n of s.notes) out.push(`  note: ${n}`);
  for (const d of s.diagnostics) out.push(`  ${d.severity} ${d.code} ${pos(d.range)}: ${d.message}`);
  return out;
}
