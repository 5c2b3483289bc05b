/**
 * SequentialLR and ChainedScheduler (docs/torch-schedulers.md §2.14, §2.15): schedulers that
 * drive other, already constructed schedulers sharing one optimizer.
 */
import { chainedNoLastEpoch, chainedOptimizer, noScheduler, sequentialCount, sequentialOptimizer } from '../errors';
import { bisectRight, isNumeric, noAttribute, pyTypeName, toNumber } from '../py';
import { PyError, type Arg, type Marker, type SchedulerConstruction } from '../types';
import type { Group } from '../state';
import { Args, Scheduler, type BuildContext, type MomentumOut } from './base';

/** The member objects of a `schedulers` list argument (a member's own construction error propagates). */
function members(arg: Arg, ctx: BuildContext): Scheduler[] {
  if (arg.kind !== 'list') throw new PyError('TypeError', `object of type '${pyTypeName(arg)}' has no len()`, 'schedulers');
  return arg.items.map((a) => {
    if (a.kind !== 'scheduler') throw noAttribute(pyTypeName(a), 'optimizer', 'schedulers');
    return ctx.scheduler(a.index);
  });
}

function firstMomentum(subs: Scheduler[]): 'momentum' | 'beta1' | null {
  for (const s of subs) {
    const m = s.cycledMomentum();
    if (m) return m;
  }
  return null;
}

function hasLastLr(s: Scheduler): boolean {
  try {
    s.getLastLr();
    return true;
  } catch {
    return false;
  }
}

function tooManyArgs(kind: string): PyError {
  return new PyError('TypeError', `${kind}.step() takes 1 positional argument but 2 were given`);
}

/** torch 1.13's SequentialLR: resets lr to initial_lr, re-runs member 0's initial step, hands off with step(0). */
export class SequentialLR extends Scheduler {
  readonly kind = 'SequentialLR' as const;
  readonly subs: Scheduler[];
  readonly milestones: number[];

  constructor(c: SchedulerConstruction, ctx: BuildContext) {
    const args = new Args(c.kind, c.args);
    const subs = members(args.get('schedulers'), ctx);
    const opt = c.optimizer === null ? null : ctx.optimizer(c.optimizer);
    subs.forEach((s, i) => {
      if (s.opt !== opt) throw sequentialOptimizer(i);
    });
    const ms = args.get('milestones');
    if (ms.kind !== 'list') throw new PyError('TypeError', `object of type '${pyTypeName(ms)}' has no len()`, 'milestones');
    if (ms.items.length !== subs.length - 1) throw sequentialCount(subs.length, ms.items.length);
    if (!opt) throw noScheduler(); // unreachable: an empty list fails above
    super(opt);
    this.subs = subs;
    this.milestones = ms.items.map((m) => (isNumeric(m) ? toNumber(m) : NaN));
    this.lastEpoch = args.lastEpoch() + 1;
    for (const g of this.groups) {
      if (g.initialLr === undefined) throw new PyError('KeyError', "'initial_lr'");
      g.lr = g.initialLr;
    }
    for (const s of subs) s.undoStep();
    subs[0]!.initialStep();
    subs[0]!.getLastLr();
  }

  override step(epoch?: number): void {
    if (epoch !== undefined) throw tooManyArgs(this.kind);
    this.lastEpoch += 1;
    const idx = bisectRight(this.milestones, this.lastEpoch);
    const s = this.subs[idx]!;
    if (idx > 0 && this.milestones[idx - 1] === this.lastEpoch) s.step(0);
    else s.step();
    s.getLastLr();
  }

  override cycledMomentum(): 'momentum' | 'beta1' | null {
    return firstMomentum(this.subs);
  }

  /**
   * Between milestones only one member steps, with plain `step()` calls: that stretch runs as the
   * member's own `run` (its tight loop). Milestone steps (`step(0)`) go one at a time. Needs
   * non-decreasing numeric milestones and members whose `get_last_lr()` works; else step by step.
   */
  override run(out: Float64Array[], mom: MomentumOut | null, from: number, to: number): void {
    const ms = this.milestones;
    const ordered = ms.every((m, i) => Number.isFinite(m) && (i === 0 || m >= ms[i - 1]!));
    if (!ordered || !this.subs.every(hasLastLr)) return super.run(out, mom, from, to);
    let k = from;
    while (k < to) {
      const e = this.lastEpoch + 1;
      const idx = bisectRight(ms, e);
      if (idx > 0 && ms[idx - 1] === e) {
        super.run(out, mom, k, k + 1);
        k++;
        continue;
      }
      // bisect_right gives idx for every epoch in [e, ms[idx]): that many plain steps of member idx.
      const end = idx < ms.length ? Math.min(to, k + Math.ceil(ms[idx]! - e)) : to;
      this.subs[idx]!.run(out, mom, k, end);
      this.lastEpoch += end - k;
      k = end;
    }
  }

  override markers(steps: number): Marker[] {
    const out: Marker[] = [];
    const ms = this.milestones;
    const sorted = ms.every((m, i) => Number.isInteger(m) && m > 0 && (i === 0 || m > ms[i - 1]!));
    ms.forEach((m, i) => {
      if (Number.isInteger(m) && m > 0 && m < steps) out.push({ step: m, kind: 'handoff', label: `→ ${this.subs[i + 1]!.kind}` });
    });
    if (!sorted) return out;
    // Each member restarts its own epochs at its milestone: its markers, shifted, inside its active range
    // (a warm-up that ends exactly at the hand-off still counts).
    this.subs.forEach((s, i) => {
      const from = i === 0 ? 0 : ms[i - 1]!;
      const to = i < ms.length ? ms[i]! : steps;
      for (const mk of s.markers(steps - from)) {
        const at = from + mk.step;
        if (mk.step > 0 && (at < to || (at === to && i < ms.length)) && at < steps) out.push({ ...mk, step: at });
      }
    });
    return out.sort((a, b) => a.step - b.step);
  }
}

/**
 * Steps in a ChainedScheduler's first interleaved block; each next one is twice as long. Short blocks
 * notice soon when a member goes quiet (a warm-up ends); doubling keeps the number of blocks (and
 * the quietness checks between them) logarithmic in the run's length.
 */
const INTERLEAVE_BLOCK = 256;

/**
 * Values k..end−1 of every group by the members' `groupStep`, each member in order per step; leaves
 * the groups and the members' epoch counters as `end − k` calls of `step()` would.
 */
function interleave(subs: Scheduler[], groups: Group[], out: Float64Array[], k: number, end: number): void {
  for (let g = 0; g < out.length; g++) {
    const lr = groups[g]!.lr;
    const o = out[g]!;
    groups[g]!.lr = subs.length === 2 ? interleave2(subs[0]!, subs[1]!, g, lr, o, k, end) : interleaveN(subs, g, lr, o, k, end);
  }
  for (const s of subs) s.advanceBy(end - k);
}

/** Two members (the usual chain): a call site each stays monomorphic, and V8 inlines both rules. */
function interleave2(a: Scheduler, b: Scheduler, g: number, lr: number, o: Float64Array, k: number, end: number): number {
  const da = a.lastEpoch + 1 - k;
  const db = b.lastEpoch + 1 - k;
  for (let j = k; j < end; j++) {
    lr = a.groupStep(g, lr, da + j);
    lr = b.groupStep(g, lr, db + j);
    o[j] = lr;
  }
  return lr;
}

function interleaveN(subs: Scheduler[], g: number, lr: number, o: Float64Array, k: number, end: number): number {
  const n = subs.length;
  const d = subs.map((s) => s.lastEpoch + 1 - k);
  for (let j = k; j < end; j++) {
    for (let i = 0; i < n; i++) lr = subs[i]!.groupStep(g, lr, d[i]! + j);
    o[j] = lr;
  }
  return lr;
}

/** torch 1.13's ChainedScheduler: steps every member in order on the shared lr; no implicit step. */
export class ChainedScheduler extends Scheduler {
  readonly kind = 'ChainedScheduler' as const;
  readonly subs: Scheduler[];

  constructor(c: SchedulerConstruction, ctx: BuildContext) {
    const args = new Args(c.kind, c.args);
    const subs = members(args.get('schedulers'), ctx);
    if (subs.length === 0) throw noScheduler();
    for (let i = 1; i < subs.length; i++) {
      if (subs[i]!.opt !== subs[0]!.opt) throw chainedOptimizer(i);
    }
    super(subs[0]!.opt);
    this.subs = subs;
  }

  override step(epoch?: number): void {
    if (epoch !== undefined) throw tooManyArgs(this.kind);
    for (const s of this.subs) s.step();
  }

  /**
   * Fast paths, each exactly `step()` of every member in order:
   * - while at most one member acts (a warm-up factor or StepLR is quiet on most steps), that member's
   *   own `run` (its tight loop) produces the stretch and the quiet ones just count epochs;
   * - while several act, members with a per-group rule that cannot raise (`groupStep`) are
   *   interleaved group by group, in blocks;
   * - otherwise one `step()` at a time.
   * Needs distinct members (one listed twice steps twice per call) and no momentum series.
   */
  override run(out: Float64Array[], mom: MomentumOut | null, from: number, to: number): void {
    const subs = this.subs;
    if (mom || new Set(subs).size !== subs.length) return super.run(out, mom, from, to);
    const groups = this.groups;
    let block = INTERLEAVE_BLOCK;
    let interleaving = false;
    let k = from;
    while (k < to) {
      let active = -1;
      let span = to - k;
      for (let i = 0; i < subs.length; i++) {
        const q = subs[i]!.quietSteps();
        if (q > 0) span = Math.min(span, q);
        else if (active === -1) active = i;
        else active = -2; // two act on this step
      }
      if (active === -2) {
        // The first such step goes through step(): often it is the only one (ConstantLR removing its
        // factor), and interleaving is worth it (and its loop's type feedback) only for a stretch.
        const end = interleaving ? Math.min(to, k + block) : k + 1;
        if (interleaving && subs.every((s) => s.hasGroupStep())) interleave(subs, groups, out, k, end);
        else super.run(out, null, k, end);
        if (interleaving) block *= 2;
        interleaving = true;
        k = end;
        continue;
      }
      interleaving = false;
      block = INTERLEAVE_BLOCK;
      if (active >= 0) subs[active]!.run(out, null, k, k + span);
      else for (let g = 0; g < out.length; g++) out[g]!.fill(groups[g]!.lr, k, k + span);
      for (let i = 0; i < subs.length; i++) if (i !== active) subs[i]!.advanceBy(span);
      k += span;
    }
  }

  override undoStep(): void {
    throw chainedNoLastEpoch();
  }

  override cycledMomentum(): 'momentum' | 'beta1' | null {
    return firstMomentum(this.subs);
  }

  override markers(steps: number): Marker[] {
    const seen = new Set<string>();
    const out: Marker[] = [];
    for (const s of this.subs) {
      for (const m of s.markers(steps)) {
        const id = `${m.step}:${m.kind}:${m.label}`;
        if (!seen.has(id)) {
          seen.add(id);
          out.push(m);
        }
      }
    }
    return out.sort((a, b) => a.step - b.step);
  }
}
