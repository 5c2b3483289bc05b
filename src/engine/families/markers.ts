/**
 * Points of interest on the curves of the function-built families (transformers' and diffusers'
 * lambdas, Keras, optax), read from the arguments: where a warm-up ends, restarts, milestones and
 * hand-offs. timm, katsura and pl_bolts objects give their own (`markers(steps)`).
 */
import { isNumeric, pyFloatRepr, pyTruthy, toNumber } from '../py';
import { MAX_MARKERS } from '../schedulers/step';
import type { Arg, Marker } from '../types';
import { FamilyArgs } from './args';
import { FAMILY_SIGNATURES, type FamilyKind } from './signatures';
import { SCHEDULER_TYPES } from './transformers';

/** The number an argument holds, or null (markers stay silent about what they cannot read). */
function numOf(a: FamilyArgs, name: string): number | null {
  const v = a.get(name);
  return isNumeric(v) ? toNumber(v) : null;
}

/** `get_scheduler`'s target function and the arguments it receives (explicit ones, then the specific kwargs). */
function resolveGetScheduler(a: FamilyArgs): { kind: FamilyKind; args: Map<string, Arg> } | null {
  const name = a.get('name');
  const target = name.kind === 'str' ? SCHEDULER_TYPES.find(([v]) => v === name.value)?.[2] : undefined;
  if (!target) return null;
  const args = new Map<string, Arg>([['num_warmup_steps', a.get('num_warmup_steps')], ['num_training_steps', a.get('num_training_steps')]]);
  // diffusers passes its own num_cycles to cosine_with_restarts only.
  if (a.sig.family === 'diffusers' && target === 'transformers.get_cosine_with_hard_restarts_schedule_with_warmup') args.set('num_cycles', a.get('num_cycles'));
  const specific = a.get('scheduler_specific_kwargs');
  if (specific.kind === 'dict') for (const [k, v] of specific.entries) args.set(k, v);
  return { kind: target, args };
}

/** Markers of the transformers/diffusers lambdas (value index = LambdaLR's epoch). */
function lambdaMarkers(kind: FamilyKind, a: FamilyArgs, steps: number, out: Marker[]): void {
  if (kind === 'transformers.get_scheduler' || kind === 'diffusers.get_scheduler') {
    const name = a.get('name');
    if (kind === 'diffusers.get_scheduler' && name.kind === 'str' && name.value === 'piecewise_constant') {
      lambdaMarkers('diffusers.get_piecewise_constant_schedule', new FamilyArgs(FAMILY_SIGNATURES['diffusers.get_piecewise_constant_schedule'], { step_rules: a.get('step_rules') }), steps, out);
      return;
    }
    const r = resolveGetScheduler(a);
    if (r) lambdaMarkers(r.kind, new FamilyArgs(FAMILY_SIGNATURES[r.kind], r.args), steps, out);
    return;
  }
  if (kind === 'diffusers.get_piecewise_constant_schedule') {
    const rules = a.get('step_rules');
    if (rules.kind !== 'str') return;
    const parts = rules.value.split(',');
    for (const rule of parts.slice(0, -1)) {
      const [, at] = rule.split(':');
      const s = Number(at);
      if (Number.isInteger(s)) out.push({ step: s, kind: 'milestone', label: 'next step rule' });
    }
    return;
  }
  const w = numOf(a, 'num_warmup_steps') ?? 0;
  if (w > 0) out.push({ step: Math.ceil(w), kind: 'warmup-end', label: 'warm-up end' });
  if (kind === 'transformers.get_wsd_schedule') {
    const d = numOf(a, 'num_decay_steps');
    const t = numOf(a, 'num_training_steps');
    const s = numOf(a, 'num_stable_steps') ?? (t !== null && d !== null ? t - w - d : null);
    if (s === null || d === null) return;
    out.push({ step: Math.ceil(w + s), kind: 'phase', label: 'decay start' }, { step: Math.ceil(w + s + d), kind: 'phase', label: 'decay end (min_lr_ratio)' });
    return;
  }
  const t = numOf(a, 'num_training_steps');
  if (t === null || !(t > w)) return;
  if (kind === 'transformers.get_cosine_with_hard_restarts_schedule_with_warmup') {
    // Where floor(num_cycles · progress) steps up, with the lambda's own arithmetic.
    const cycles = numOf(a, 'num_cycles') ?? 1;
    const span = t - w > 1 ? t - w : 1;
    const index = (s: number) => Math.floor(cycles * ((s - w) / span));
    for (let j = 1; j < cycles && out.length < MAX_MARKERS; j++) {
      let s = Math.ceil(w + j * span / cycles);
      while (s - 1 > w && index(s - 1) >= j) s--;
      while (index(s) < j) s++;
      out.push({ step: s, kind: 'restart', label: 'restart' });
    }
  }
  out.push({ step: t, kind: 'phase', label: 'num_training_steps' });
}

function kerasMarkers(kind: FamilyKind, a: FamilyArgs, steps: number, out: Marker[]): void {
  if (kind === 'keras.CosineDecay') {
    const d = numOf(a, 'decay_steps');
    const w = a.isNone('warmup_target') ? 0 : numOf(a, 'warmup_steps') ?? 0;
    if (w > 0) out.push({ step: Math.ceil(w), kind: 'warmup-end', label: 'warm-up end (warmup_target)' });
    if (d !== null) out.push({ step: Math.ceil(d + w), kind: 'phase', label: 'decay end' });
  } else if (kind === 'keras.PiecewiseConstantDecay') {
    const b = a.get('boundaries');
    const v = a.get('values');
    if (b.kind !== 'list' || v.kind !== 'list') return;
    // The boundary step keeps the earlier value: the change shows one step later.
    b.items.forEach((x, i) => {
      const n = v.items[i + 1];
      if (isNumeric(x) && n && isNumeric(n)) out.push({ step: Math.trunc(toNumber(x)) + 1, kind: 'milestone', label: `→ ${pyFloatRepr(toNumber(n))}` });
    });
  } else if (kind === 'keras.PolynomialDecay' && !pyTruthy(a.get('cycle'))) {
    const d = numOf(a, 'decay_steps');
    if (d !== null) out.push({ step: Math.ceil(d), kind: 'phase', label: 'end_learning_rate' });
  } else if (kind === 'keras.CosineDecayRestarts') {
    const first = numOf(a, 'first_decay_steps');
    const mul = numOf(a, 't_mul');
    if (first === null || mul === null || !(first > 0) || !(mul > 0)) return;
    for (let at = first, len = first * mul; at < steps && out.length < MAX_MARKERS; at += len, len *= mul) {
      out.push({ step: Math.round(at), kind: 'restart', label: 'restart' });
    }
  }
}

function optaxMarkers(kind: FamilyKind, a: FamilyArgs, out: Marker[]): void {
  switch (kind) {
    case 'optax.warmup_cosine_decay_schedule':
    case 'optax.warmup_exponential_decay_schedule':
    case 'optax.warmup_constant_schedule': {
      const w = numOf(a, 'warmup_steps');
      if (w !== null && w > 0) out.push({ step: Math.ceil(w), kind: 'warmup-end', label: 'warm-up end (peak_value)' });
      const d = numOf(a, 'decay_steps');
      if (kind === 'optax.warmup_cosine_decay_schedule' && d !== null) out.push({ step: Math.ceil(d), kind: 'phase', label: 'decay end (end_value)' });
      return;
    }
    case 'optax.cosine_decay_schedule': {
      const d = numOf(a, 'decay_steps');
      if (d !== null) out.push({ step: Math.ceil(d), kind: 'phase', label: 'decay end' });
      return;
    }
    case 'optax.piecewise_constant_schedule': {
      const bs = a.get('boundaries_and_scales');
      if (bs.kind === 'dict') {
        for (const [k, v] of bs.entries) if (isNumeric(v)) out.push({ step: Number(k), kind: 'milestone', label: `×${pyFloatRepr(toNumber(v))}` });
      }
      return;
    }
    case 'optax.join_schedules':
    case 'optax.sgdr_schedule': {
      const sgdr = kind === 'optax.sgdr_schedule';
      const list = a.get(sgdr ? 'cosine_kwargs' : 'boundaries');
      if (list.kind !== 'list') return;
      let at = 0;
      for (const item of sgdr ? list.items.slice(0, -1) : list.items) {
        const d = sgdr ? (item.kind === 'dict' ? item.entries.find(([k]) => k === 'decay_steps')?.[1] : undefined) : item;
        if (!d || !isNumeric(d)) return;
        at = sgdr ? at + toNumber(d) : toNumber(d);
        out.push({ step: at, kind: sgdr ? 'restart' : 'handoff', label: sgdr ? 'restart' : 'next schedule' });
      }
      return;
    }
    case 'optax.cosine_onecycle_schedule':
    case 'optax.linear_onecycle_schedule': {
      const t = numOf(a, 'transition_steps');
      const pct = numOf(a, 'pct_start');
      if (t === null || pct === null) return;
      out.push({ step: Math.trunc(pct * t), kind: 'peak', label: 'peak_value' }, { step: t, kind: 'phase', label: 'end' });
      return;
    }
    default:
  }
}

/** The markers of a Keras/optax/transformers/diffusers construction within `steps` values, in step order. */
export function argumentMarkers(kind: FamilyKind, given: Map<string, Arg> | Record<string, Arg>, steps: number): Marker[] {
  const a = new FamilyArgs(FAMILY_SIGNATURES[kind], given);
  const out: Marker[] = [];
  if (kind.startsWith('keras.')) kerasMarkers(kind, a, steps, out);
  else if (kind.startsWith('optax.')) optaxMarkers(kind, a, out);
  else lambdaMarkers(kind, a, steps, out);
  return out.filter((m) => Number.isInteger(m.step) && m.step > 0 && m.step < steps).sort((x, y) => x.step - y.step).slice(0, MAX_MARKERS);
}
