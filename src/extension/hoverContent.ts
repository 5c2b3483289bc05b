/**
 * The hover's Markdown for a scheduler construction, pure (the VS Code side wraps it in a
 * trusted MarkdownString). Layout: curve picture, key numbers, the hovered argument, this
 * call's problems, a link that opens the panel on this call (with the call's name), then notes.
 */
import type { ArgInfo, SchedulerAnalysis, Severity } from '../analysis/types';
import { unitSingular } from '../analysis/units';
import { formatStep, formatValue } from '../render/ticks';
import { assumedValueText } from '../analysis/assumptions';
import { describeRun } from '../analysis/run';
import { clip, code, describeArgument, horizonText, schedulerTitle } from './summary';

export interface HoverInput {
  scheduler: SchedulerAnalysis;
  /** The argument under the mouse, if the hover is on one. */
  argument?: ArgInfo;
  /** `data:image/svg+xml;base64,…` of the curve, or undefined when there is no curve or rendering failed. */
  imageUri?: string;
  /** `command:…` URI opening the panel on this call. */
  openCommandUri: string;
}

/** Picture size in the hover, CSS pixels. */
export const HOVER_IMAGE = { width: 320, height: 100 } as const;

/** Escapes the Markdown characters that could turn a message into links, HTML, emphasis or a table. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\*_[\]<>|]/g, (c) => `\\${c}`);
}

const ICON: Record<Severity, string> = {
  error: '$(error)', warning: '$(warning)', information: '$(info)', hint: '$(lightbulb)',
};

/** Comma list with at most `max` entries, then `… (n in all)`. */
function list(steps: number[], max = 6): string {
  const shown = steps.slice(0, max).map(formatStep).join(', ');
  return steps.length > max ? `${shown}, … (${steps.length} in all)` : shown;
}

/**
 * At most two lines: the values (start, peak, min, final), then the events and the horizon.
 * One line rather than a table: hover tables get no cell padding and the numbers run together.
 */
function keyNumbers(s: SchedulerAnalysis): string[] {
  const c = s.curve;
  const events: string[] = [];
  const lines: string[] = [];
  if (c) {
    const m = c.summary;
    lines.push(`start **${formatValue(m.start)}** · peak **${formatValue(m.peak.value)}** @ ${formatStep(m.peak.step)} · ` +
      `min **${formatValue(m.min.value)}** @ ${formatStep(m.min.step)} · final **${formatValue(m.final)}**` +
      (c.lrs.length > 1 ? ` (group 0 of ${c.lrs.length})` : ''), '');
    if (m.warmupEnd !== null && m.warmupEnd > 0) events.push(`warm-up ends at ${unitSingular(s.unit)} ${formatStep(m.warmupEnd)}`);
    if (m.restarts.length) events.push(`restarts at ${list(m.restarts)}`);
    if (m.milestones.length) events.push(`milestones at ${list(m.milestones)}`);
  }
  if (s.horizon.steps > 0) events.push(`horizon ${escapeMarkdown(horizonText(s))}`);
  if (events.length) lines.push(events.join(' · '), '');
  return lines;
}

/**
 * Builds the hover Markdown. Compact on purpose (VS Code cuts a hover off at its maximum height and
 * the rest needs scrolling): picture, one or two lines of numbers, the hovered argument,
 * problems, the panel link; unknown arguments and notes come last. Never throws on odd input
 * (missing pieces are left out).
 */
export function hoverMarkdown(input: HoverInput): string {
  const s = input.scheduler;
  // No title row: the picture opens the hover, and the link line names LR Lens and the call.
  const out: string[] = [];

  if (s.curve && input.imageUri) {
    out.push(`![learning-rate curve of ${escapeMarkdown(s.kind)}](${input.imageUri}|width=${HOVER_IMAGE.width},height=${HOVER_IMAGE.height})`, '');
  }
  out.push(...keyNumbers(s));
  // What the numbers rest on, right under them: each assumed value and why.
  const assumed = s.assumed ?? [];
  for (const a of assumed.slice(0, 4)) {
    out.push(`$(warning) Assumed ${code(`${a.what} = ${assumedValueText(a.value)}`)}: ${escapeMarkdown(clip(a.why, 200))}`, '');
  }
  if (assumed.length > 4) out.push(`… and ${assumed.length - 4} more assumed values (see the panel)`, '');
  if (input.argument) out.push(describeArgument(input.argument), '');

  if (!s.curve) {
    const why = s.error ?? s.explanation ?? 'No curve: an argument it needs is not known statically.';
    out.push(`${s.error ? '$(error) ' : ''}${escapeMarkdown(clip(why, 300))}`, '');
  }

  const problems = s.diagnostics.filter((d) => d.severity !== 'hint');
  for (const d of problems.slice(0, 8)) {
    out.push(`${ICON[d.severity]} ${escapeMarkdown(clip(d.message, 240))} (${d.code})`, '');
  }
  if (problems.length > 8) out.push(`… and ${problems.length - 8} more in the Problems view`, '');

  out.push(`[$(graph) Open in the LR Lens panel](${input.openCommandUri} "Plot this scheduler in the LR Lens panel") · ${code(schedulerTitle(s))}`);

  const unknown = s.argInfo.filter((a) => !a.known && a !== input.argument);
  const notes = [
    // How the script steps it and for how long (src/analysis/run.ts), first of the notes: the top stays compact.
    ...(s.run ? [`$(debug-step-over) ${escapeMarkdown(describeRun(s.run, s.horizon.assumedStepsPerEpoch))}`] : []),
    ...unknown.slice(0, 4).map((a) => `$(question) ${describeArgument(a)}`),
    ...s.notes.slice(0, 4).map((n) => `$(info) ${escapeMarkdown(clip(n, 240))}`),
  ];
  if (notes.length) out.push('', '---', '', ...notes.flatMap((n) => [n, '']));
  return out.join('\n').trimEnd();
}

/** `command:<id>?<args>`, with the arguments JSON-encoded as VS Code expects. */
export function commandUri(command: string, args: unknown[]): string {
  return `command:${command}?${encodeURIComponent(JSON.stringify(args))}`;
}
