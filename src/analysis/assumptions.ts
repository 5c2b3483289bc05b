/**
 * Assumed values: made in one place (`assume`), carried on each construction (`FoundCall.assumed`,
 * `SchedulerAnalysis.assumed`), read by lint's severity policy and worded here for every view
 * (hover, panel, CodeLens, CLI, plot title), so that an assumption reads the same everywhere.
 */
import { pyFloatRepr } from '../engine/py';
import type { Arg } from '../engine/types';
import type { AssumedValue, Assumption } from './types';

/** The one way to label a value as assumed: what it is, the value used, why. */
export function assume(what: string, value: AssumedValue, why: string, more: Pick<Assumption, 'param' | 'member' | 'group' | 'placeholder'> = {}): Assumption {
  const a: Assumption = { what, value, why };
  if (more.param !== undefined) a.param = more.param;
  if (more.member !== undefined) a.member = more.member;
  if (more.group !== undefined) a.group = more.group;
  if (more.placeholder) a.placeholder = true;
  return a;
}

/** The same assumption seen through a member scheduler: `T_max of warmup`. */
export function ofMember(a: Assumption, member: string): Assumption {
  return { ...a, what: `${a.what} of ${member}`, member };
}

/**
 * A value as written in the views: whole numbers as they are, other numbers as Python writes them, compactly
 * (`2e-05`, `0.0003`, `inf`: 12 significant digits at most), strings as they are, lists bracketed, null as Python's None.
 */
export function assumedValueText(v: AssumedValue): string {
  if (v === null) return 'None';
  if (typeof v === 'number') {
    if (Number.isInteger(v) && Math.abs(v) < 1e16) return String(v);
    return pyFloatRepr(Number.isFinite(v) ? Number(v.toPrecision(12)) : v);
  }
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (Array.isArray(v)) return `[${v.map(assumedValueText).join(', ')}]`;
  return v;
}

/** Short form for one-line views: `lr assumed 0.1`. */
export function assumptionShort(a: Assumption): string {
  return `${a.what} assumed ${assumedValueText(a.value)}`;
}

/** Long form: `lr assumed 0.1 (default of --lr; …)`. */
export function assumptionText(a: Assumption): string {
  return `${assumptionShort(a)} (${a.why})`;
}

/** The condition a downgraded "torch raises" claim rests on: `lr is 0.1 (assumed: …)`. */
export function assumptionCondition(a: Assumption): string {
  return `${a.what} is ${assumedValueText(a.value)} (assumed: ${a.why})`;
}

/** One line naming at most `max` assumptions: `lr assumed 0.1 · T_max assumed 100 · +2 assumed`. */
export function assumedSummary(list: readonly Assumption[], max = 2): string {
  const shown = list.slice(0, max).map(assumptionShort);
  if (list.length > max) shown.push(`+${list.length - max} assumed`);
  return shown.join(' · ');
}

/** Drops repeats (the same assumption reached through two paths). */
export function uniqueAssumptions(list: readonly Assumption[]): Assumption[] {
  const seen = new Set<string>();
  return list.filter((a) => {
    const key = `${a.what}\u0000${JSON.stringify(a.value)}\u0000${a.why}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The JSON contract's shape: `{what, value, why}`. */
export function assumptionJson(a: Assumption): { what: string; value: AssumedValue; why: string } {
  return { what: a.what, value: a.value, why: a.why };
}

/**
 * torch 1.13's schedulers whose values on a fresh construction start from the groups' current `lr` (get_lr at
 * last_epoch 0 returns `group['lr']`, times start_factor / factor for LinearLR / ConstantLR), not from base_lrs.
 */
const READS_GROUP_LR = new Set(['CosineAnnealingLR', 'StepLR', 'ExponentialLR', 'MultiStepLR', 'LinearLR', 'ConstantLR', 'PolynomialLR', 'MultiplicativeLR']);

/** Whether a fresh `kind` starts from the groups' current lr (so one built again on the same optimizer does not repeat the first's curve). */
export function readsGroupLr(kind: string): boolean {
  return READS_GROUP_LR.has(kind);
}

/** Whether each step() of `kind` goes on from the groups' current lr (so a lr written by hand carries through the run). */
export function chainsFromGroupLr(kind: string): boolean {
  return READS_GROUP_LR.has(kind) || kind === 'ReduceLROnPlateau';
}

/**
 * torch 1.13's schedulers whose construction leaves the groups' lr as it is (their first value is the lr they find; a
 * LinearLR / ConstantLR scales it by its factor): built later beside another, they change nothing in its replay.
 */
const KEEPS_LR_WHEN_BUILT = new Set([...READS_GROUP_LR].filter((k) => k !== 'LinearLR' && k !== 'ConstantLR').concat('ReduceLROnPlateau'));

/** Whether a fresh `kind`'s construction leaves its optimizer's lr unchanged. */
export function keepsLrWhenBuilt(kind: string): boolean {
  return KEEPS_LR_WHEN_BUILT.has(kind);
}

/** Kinds whose construction sets the groups' lr from their own arguments (max_lr / div_factor, base_lr): a lr written before it is not used. */
const OWN_START_LR = new Set(['OneCycleLR', 'CyclicLR']);

/**
 * The optimizer's lr written by hand outside loops before the scheduler's first step (`run.ts` WriteBeforeRun), which
 * LR Lens does not evaluate: the curve starts from the lr it read, labelled `start lr` with what torch does instead.
 * Null when torch's construction sets the lr itself after every such write (OneCycleLR, CyclicLR built after them).
 */
export function lrWrittenAssumed(kind: string, writes: readonly { what: string; after: boolean; conditional?: string }[]): Assumption | null {
  const used = writes.filter((w) => w.after || !OWN_START_LR.has(kind));
  if (!used.length) return null;
  const said = used.map((w) => `${w.what}${w.conditional ? `, ${w.conditional},` : ''} sets the lr ${w.after ? `after ${kind} is built` : 'after the optimizer is built'}`).join('; ');
  const after = used.some((w) => w.after);
  const effect = !after ? `torch builds ${kind} on the written lr`
    : chainsFromGroupLr(kind) ? `each step() of ${kind} goes on from the written lr, so it carries through the run`
      : OWN_START_LR.has(kind) || kind === 'LambdaLR' || kind === 'CosineAnnealingWarmRestarts' ? `the lr before the first step() is the written one (${kind}'s step() sets its own again)`
        : 'the run\'s lr differs from the curve from there on';
  return assume('start lr', 'the optimizer\'s lr', `${said}: ${effect}; LR Lens does not evaluate that write, the curve starts from the lr it read`, { placeholder: true });
}

/**
 * A fresh scheduler (last_epoch -1) of a kind that starts from the groups' current lr, built after `earlier` on the
 * same optimizer, which LR Lens could not evaluate (`why`) and which may have changed that lr (its _initial_step):
 * the curve starts from the lr before that one, labelled `start lr`. Null when the kind or a resume does not read it.
 */
export function startLrAssumed(kind: string, args: Readonly<Record<string, Arg>>, earlier: string, why: string): Assumption | null {
  if (!READS_GROUP_LR.has(kind)) return null;
  const last = Object.prototype.hasOwnProperty.call(args, 'last_epoch') ? args['last_epoch'] : undefined;
  if (last && !((last.kind === 'int' || last.kind === 'bool') && Number(last.value) === -1)) return null;
  return assume('start lr', `the lr before ${earlier}`,
    `built after ${earlier} on the same optimizer, which LR Lens does not evaluate (${why}): torch starts it from the lr that one leaves; the curve shows it from the lr before it`, { placeholder: true });
}
