/**
 * Short texts about one scheduler (CodeLens line, hover numbers, panel status), pure.
 */
import { assumedSummary } from '../analysis/assumptions';
import type { ArgInfo, Position, SchedulerAnalysis } from '../analysis/types';
import { atOrBefore, containsPosition } from '../analysis/ranges';
import { unitPlural } from '../analysis/units';
import { formatStep, formatValue } from '../render/ticks';

/** `3 restarts`, `1 restart`. */
function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** `sched = OneCycleLR` or `OneCycleLR`. */
export function schedulerTitle(s: SchedulerAnalysis): string {
  return s.variable ? `${s.variable} = ${s.kind}` : s.kind;
}

/** First line of a message, at most `max` characters. */
export function clip(text: string, max = 90): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/**
 * The one-line summary shown in the CodeLens, e.g. `peak 0.1 @ 10 · 3 restarts · min 0`.
 * Without a curve it says why (error, metric-driven, unknown arguments).
 */
export function summaryLine(s: SchedulerAnalysis): string {
  const c = s.curve;
  // The curve rests on assumed values: the line says which (`lr assumed 0.1`), whatever else it says.
  const assumed = s.assumed?.length ? ` · ${assumedSummary(s.assumed)}` : '';
  if (!c) return clip(s.error ?? s.explanation ?? 'no curve: some arguments are unknown') + assumed;
  const m = c.summary;
  const parts = [`peak ${formatValue(m.peak.value)} @ ${formatStep(m.peak.step)}`];
  if (m.warmupEnd !== null && m.warmupEnd > 0) parts.push(`warm-up ${formatStep(m.warmupEnd)}`);
  if (m.restarts.length) parts.push(count(m.restarts.length, 'restart'));
  if (m.milestones.length) parts.push(count(m.milestones.length, 'milestone'));
  parts.push(`min ${formatValue(m.min.value)}`);
  if (m.final !== m.min.value) parts.push(`final ${formatValue(m.final)}`);
  parts.push(`${formatStep(s.horizon.steps)} ${unitPlural(s.unit)}`);
  if (s.error) parts.push('⚠ fails');
  return parts.join(' · ') + assumed;
}

/** `100 steps (T_max = 100)`, plus `, clamped` when the request was cut to the cap. */
export function horizonText(s: SchedulerAnalysis): string {
  const h = s.horizon;
  // The run's length: "300 epochs, from `for epoch in range(300)`" (its N + 1 values go without saying).
  if (h.fromRun && !h.clamped) return h.source;
  const steps = `${h.steps.toLocaleString('en-US')} ${unitPlural(s.unit)}`;
  const src = h.source ? ` (${h.source}${h.clamped ? ', clamped' : ''})` : h.clamped ? ' (clamped)' : '';
  return steps + src;
}

/** The argument written at `p` (innermost range), or undefined. */
export function argumentAt(s: SchedulerAnalysis, p: Position): ArgInfo | undefined {
  return s.argInfo.find((a) => (a.range && containsPosition(a.range, p)) || (a.fullRange && containsPosition(a.fullRange, p)));
}

/** The scheduler whose call contains `p`; among nested calls (SequentialLR members) the innermost. */
export function schedulerAt(list: readonly SchedulerAnalysis[], p: Position): SchedulerAnalysis | undefined {
  let best: SchedulerAnalysis | undefined;
  for (const s of list) {
    if (containsPosition(s.range, p) && (!best || atOrBefore(best.range.start, s.range.start))) best = s;
  }
  return best;
}

/**
 * What one argument is, in words: `T_0 = EPOCHS // 3 = 100`, `gamma = 0.1 (default)`,
 * or, when unknown, why and what was assumed instead.
 */
export function describeArgument(a: ArgInfo): string {
  if (a.isDefault) return `${code(`${a.name} = ${a.display}`)} (default)`;
  if (!a.known) {
    const why = a.reason ? `: ${a.reason}` : '';
    return a.assumed
      ? `${code(a.name)} is not known statically${why}. Assumed ${code(a.display)} for the preview.`
      : `${code(a.name)} is not known statically${why}. It is needed for a curve.`;
  }
  return code(`${a.name} = ${a.origin ?? a.display}`);
}

/** Markdown inline code that survives backticks in `text` (user source). */
export function code(text: string): string {
  const t = text.replace(/\r?\n\s*/g, ' ');
  if (!t.includes('`')) return `\`${t}\``;
  return `\`\` ${t} \`\``;
}
