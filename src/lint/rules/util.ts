/**
 * Small helpers shared by the rules: the Rule shape, number display and per-group reporting.
 * torch's and Python's error texts come from the engine (engine/errors.ts, engine/py.ts).
 */
import { pyFloatRepr, pyStr } from '../../engine/py';
import type { Arg } from '../../engine/types';
import type { QuickFix, Range } from '../../analysis/types';
import type { RuleContext } from '../context';

export interface Rule {
  /** The ids this rule can emit (for the catalogue ↔ implementation check). */
  ids: readonly string[];
  /** Scheduler classes it applies to; null = every class. */
  kinds: readonly string[] | null;
  check(ctx: RuleContext): void;
}

/** A number as a user reads it in messages: `0.01`, `100`, `1e-05`. */
export function n(x: number): string {
  if (Number.isInteger(x) && Math.abs(x) < 1e16) return String(x);
  return pyFloatRepr(x);
}

/** A computed value (not one the user wrote), rounded to 6 significant digits for reading. */
export function approx(x: number): string {
  return Number.isFinite(x) && x !== 0 ? n(Number(x.toPrecision(6))) : n(x);
}

/** `str(x)` of an argument, as torch's `"... but got {}".format(x)` prints it. */
export function s(a: Arg): string {
  return pyStr(a);
}

/** Python truthiness for the values a flag argument can take; null when it cannot be decided. */
export function truthy(a: Arg | null): boolean | null {
  if (!a) return null;
  switch (a.kind) {
    case 'bool': return a.value;
    case 'int': case 'float': return a.value !== 0;
    case 'none': return false;
    case 'str': return a.value.length > 0;
    case 'list': return a.items.length > 0;
    default: return null;
  }
}

/** The string value of an argument, or null. */
export function str(a: Arg | null): string | null {
  return a?.kind === 'str' ? a.value : null;
}

/** Relative closeness for comparing an lr with a computed start value. */
export function close(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b));
}

/**
 * Reports one finding per distinct message: groups that share a message share one
 * diagnostic; when groups differ each message names its param group(s).
 */
export function reportGroups(ctx: RuleContext, code: string, param: string | undefined, range: Range,
  perGroup: { group: number; message: string; fixes?: QuickFix[] }[]): void {
  if (!perGroup.length) return;
  const byMessage = new Map<string, { groups: number[]; fixes?: QuickFix[] }>();
  for (const g of perGroup) {
    const e = byMessage.get(g.message);
    if (e) e.groups.push(g.group);
    else byMessage.set(g.message, { groups: [g.group], fixes: g.fixes });
  }
  const total = ctx.groups().length;
  const single = byMessage.size === 1 && perGroup.length === total;
  for (const [message, e] of byMessage) {
    const prefix = single || total <= 1 ? '' : `param group${e.groups.length > 1 ? 's' : ''} ${e.groups.join(', ')}: `;
    ctx.report(code, param, prefix ? prefix + message[0]!.toLowerCase() + message.slice(1) : message, range, e.fixes);
  }
}

/** Scheduler classes that set the lr from scratch at every step (no dependence on the current lr). */
export const ABSOLUTE_KINDS: readonly string[] = [
  'LambdaLR', 'CyclicLR', 'OneCycleLR', 'CosineAnnealingWarmRestarts', 'CosineAnnealingWarmUpRestarts', 'WarmupConstantSchedule',
];
