/**
 * What every simulated scheduler object shares, and torch 1.13's `_LRScheduler`
 * base class: the constructor algorithm (initial_lr setdefault, base_lrs, the
 * implicit first step) and `step(epoch=None)` dispatching to the recursive rule
 * or the closed form (docs/torch-schedulers.md §1).
 */
import { resumeWithoutInitialLr, valuesPerGroup } from '../errors';
import { withDefaults } from '../signatures';
import { isNumeric, noAttribute, pyTypeName, pyStr, toNumber } from '../py';
import type { Group, OptState } from '../state';
import { PyError, type Arg, type Marker, type SchedulerConstruction, type SchedulerKind } from '../types';

/** Everything a constructor can see: the program's optimizers and the schedulers built so far. */
export interface BuildContext {
  /** Fresh state of `program.optimizers[i]` (created on first use). */
  optimizer(index: number): OptState;
  /** The object built for `program.schedulers[i]`; throws the PyError its construction raised. */
  scheduler(index: number): Scheduler;
}

/** Where the momentum (SGD-like) or beta1 (Adam-like) series is recorded. */
export interface MomentumOut {
  values: Float64Array[];
  beta1: boolean;
}

/** A step() call that raised: `step` is the value index it would have produced. */
export class StepFailure {
  constructor(readonly step: number, readonly cause: unknown) {}
}

/** Any object a scheduler variable can hold (torch's schedulers, SequentialLR, ChainedScheduler, ReduceLROnPlateau). */
export abstract class Scheduler {
  abstract readonly kind: SchedulerKind;
  /** `last_epoch`; ChainedScheduler has none (see `undoStep`). */
  lastEpoch = 0;

  constructor(readonly opt: OptState) {}

  get groups(): Group[] {
    return this.opt.groups;
  }

  /** `scheduler.step()` or `scheduler.step(epoch)`. */
  abstract step(epoch?: number): void;

  /** `scheduler._initial_step()` (SequentialLR calls it on its first member). */
  initialStep(): void {
    throw noAttribute(this.kind, '_initial_step');
  }

  /** `scheduler.get_last_lr()`; only its failure matters to us. */
  getLastLr(): void {}

  /** `scheduler.last_epoch -= 1` (SequentialLR's constructor). */
  undoStep(): void {
    this.lastEpoch -= 1;
  }

  /** What stepping writes besides lr: 'momentum' or 'beta1' (CyclicLR, OneCycleLR with cycle_momentum), else null. */
  cycledMomentum(): 'momentum' | 'beta1' | null {
    return null;
  }

  /** Points of interest of this scheduler's own curve, value indices counted from its construction. */
  markers(_steps: number): Marker[] {
    return [];
  }

  /**
   * How many of the next `step()` calls surely leave every group exactly as it is and cannot raise
   * (StepLR between its decays, ConstantLR/LinearLR/PolynomialLR after total_iters…). ChainedScheduler
   * runs a stretch where only one member acts as that member's own loop. 0 when unsure.
   */
  quietSteps(): number {
    return 0;
  }

  /**
   * Whether `groupStep` reproduces `step()` from the current state: the rule reads only the group's own
   * lr, the epoch and values fixed at construction, touches nothing else, and raises at no epoch ahead.
   */
  hasGroupStep(): boolean {
    return false;
  }

  /**
   * The lr group g gets from `lr` when `step()` reaches epoch e ≥ 1 (a later epoch than the current
   * one allowed): ChainedScheduler interleaves members that all act on every step with it, only when
   * `hasGroupStep()`. Implementations return a computed float on every path ("no change" is `lr * 1`,
   * exact in IEEE arithmetic): returning the argument itself on one branch measured 3–5× slower.
   */
  groupStep(_g: number, _lr: number, _e: number): number {
    throw new Error('no groupStep');
  }

  /**
   * Advances the state by `count` calls of `step()` whose effect on the groups is already there:
   * quiet ones (`quietSteps`), or ones applied by `groupStep`. The fallback really steps, which is
   * right for quiet steps only; every class with `groupStep` is an LRScheduler (epoch counters).
   */
  advanceBy(count: number): void {
    for (let i = 0; i < count; i++) this.step();
  }

  /**
   * Calls `step()` for value indices `from..to-1`, recording each group's lr (and momentum/beta1 when
   * `mom` is given) after each call. Subclasses override this with a tight loop of the same arithmetic.
   */
  run(out: Float64Array[], mom: MomentumOut | null, from: number, to: number): void {
    const groups = this.groups;
    const n = out.length;
    for (let k = from; k < to; k++) {
      try {
        this.step();
      } catch (e) {
        throw new StepFailure(k, e);
      }
      for (let g = 0; g < n; g++) out[g]![k] = groups[g]!.lr;
      if (mom) recordMomentum(groups, mom, k);
    }
  }
}

/** Writes each group's momentum (or beta1) at index k. */
export function recordMomentum(groups: Group[], mom: MomentumOut, k: number): void {
  const v = mom.values;
  for (let g = 0; g < v.length; g++) v[g]![k] = momentumOf(groups[g]!, mom.beta1);
}

/**
 * torch 1.13 `_LRScheduler`. Subclasses implement `applyLr` (get_lr + write) and optionally
 * `applyClosedForm`; the fast ones also implement `kernel`/`skip` (see `run`).
 */
export abstract class LRScheduler extends Scheduler {
  baseLrs: number[] = [];
  /** `_step_count` (CosineAnnealingLR's resume branch reads it). */
  stepCount = 0;

  /** The base constructor: `initial_lr` setdefault (or KeyError on resume), `base_lrs`, the implicit first step. */
  protected init(lastEpoch: number): void {
    const groups = this.groups;
    if (lastEpoch === -1) {
      for (const g of groups) if (g.initialLr === undefined) g.initialLr = g.lr;
    } else {
      groups.forEach((g, i) => {
        if (g.initialLr === undefined) {
          throw resumeWithoutInitialLr(i);
        }
      });
    }
    this.baseLrs = groups.map((g) => g.initialLr!);
    this.lastEpoch = lastEpoch;
    this.initialStep();
  }

  override initialStep(): void {
    this.stepCount = 0;
    this.step();
  }

  override step(epoch?: number): void {
    this.stepCount++;
    if (epoch === undefined) {
      this.lastEpoch++;
      this.applyLr();
    } else {
      this.lastEpoch = epoch;
      this.applyClosedForm();
    }
  }

  /** The recursive (`get_lr`) rule at `this.lastEpoch`, written into the groups. */
  protected abstract applyLr(): void;

  /** `_get_closed_form_lr` when the class has one; `get_lr` otherwise. */
  protected applyClosedForm(): void {
    this.applyLr();
  }

  /**
   * Whether `kernel` reproduces `step()` for group g from the current state. Every rule here
   * is per group (a group's next lr depends on its own lr and the scheduler's epoch state
   * only), so the groups can be run one after another, each in a tight scalar loop.
   */
  protected hasKernel(): boolean {
    return false;
  }

  /**
   * `to − from` calls of `step()` for group g alone, starting from the scheduler's current
   * epoch state (left untouched; see `skip`): writes o[k] (and m[k], the group's momentum or
   * beta1, when m is given) and returns the final lr. A PyError at value index k is thrown as
   * StepFailure(k). Kernels end with `return lr`: V8 compiles the loop on-stack, and any property
   * access after the loop would lack type feedback and deoptimize that code on every call.
   */
  protected kernel(_g: number, _o: Float64Array, _m: Float64Array | null, _beta1: boolean, _from: number, _to: number): number {
    throw new Error('no kernel');
  }

  /** Leaves group g's other keys (momentum) as `step()` would after the last kernel step at epoch `e`. */
  protected settleGroup(_g: number, _e: number): void {}

  /** The epoch state the kernels and `quietSteps` reason about: an integer last_epoch ≥ 0. */
  protected settled(): boolean {
    return Number.isInteger(this.lastEpoch) && this.lastEpoch >= 0;
  }

  override advanceBy(count: number): void {
    this.skip(count);
  }

  /** Advances the epoch state by `count` steps (after every group ran its kernel). */
  protected skip(count: number): void {
    this.lastEpoch += count;
    this.stepCount += count;
  }

  override run(out: Float64Array[], mom: MomentumOut | null, from: number, to: number): void {
    // Kernels assume the usual state after construction (an integer last_epoch ≥ 0); odd resumes
    // (last_epoch < -1 or fractional) step one by one.
    if (!this.settled() || !this.hasKernel()) return super.run(out, mom, from, to);
    const groups = this.groups;
    let stop = to;
    let first: StepFailure | null = null;
    for (let g = 0; g < out.length; g++) {
      const m = mom ? mom.values[g]! : null;
      try {
        groups[g]!.lr = this.kernel(g, out[g]!, m, mom ? mom.beta1 : false, from, stop);
        if (stop > from) this.settleGroup(g, this.lastEpoch + (stop - from));
      } catch (e) {
        if (!(e instanceof StepFailure)) throw e;
        // Groups are evaluated in order within a step, so the earliest step wins, then the lowest group.
        first = e;
        stop = e.step;
      }
      if (m && !this.cycledMomentum()) m.fill(momentumOf(groups[g]!, mom!.beta1), from, stop);
    }
    if (first) throw first;
    this.skip(to - from);
  }
}

/** A group's momentum or beta1 (NaN when it has none). */
export function momentumOf(g: Group, beta1: boolean): number {
  return beta1 ? g.beta1 : g.momentum ?? NaN;
}

/** Bound arguments with torch's defaults, read without dynamic lookups on user-named keys. */
export class Args {
  private readonly map: Map<string, Arg>;

  constructor(readonly kind: SchedulerKind, given: Record<string, Arg>) {
    const own = new Map<string, Arg>();
    for (const [k, v] of Object.entries(given)) own.set(k, v);
    this.map = new Map(Object.entries(withDefaults(kind, own)));
  }

  get(name: string): Arg {
    return this.map.get(name) ?? { kind: 'none' };
  }

  /** A numeric argument (TypeError with Python's text otherwise). */
  num(name: string): number {
    return toNumber(this.get(name), name);
  }

  /** `last_epoch` (an int in every sane program). */
  lastEpoch(): number {
    const a = this.get('last_epoch');
    return isNumeric(a) ? toNumber(a) : -1;
  }
}

/** The scheduler's optimizer, or torch's TypeError "X is not an Optimizer". */
export function requireOptimizer(c: SchedulerConstruction, ctx: BuildContext, args: Args): OptState {
  if (c.optimizer !== null) return ctx.optimizer(c.optimizer);
  throw new PyError('TypeError', `${pyTypeName(args.get('optimizer'))} is not an Optimizer`, 'optimizer');
}

/** LambdaLR/MultiplicativeLR read `optimizer.param_groups` before any check. */
export function requireParamGroups(c: SchedulerConstruction, ctx: BuildContext, args: Args): OptState {
  if (c.optimizer !== null) return ctx.optimizer(c.optimizer);
  throw noAttribute(pyTypeName(args.get('optimizer')), 'param_groups', 'optimizer');
}

/** `_format_param` of CyclicLR/OneCycleLR: a list/tuple must have one value per group, a scalar is replicated. */
export function formatParam(name: string, arg: Arg, nGroups: number): Arg[] {
  if (arg.kind === 'list') {
    if (arg.items.length !== nGroups) {
      throw valuesPerGroup(name, nGroups, arg.items.length);
    }
    return arg.items;
  }
  return new Array<Arg>(nGroups).fill(arg);
}

/** `"{}".format(x)` for messages. */
export function fmt(a: Arg): string {
  return pyStr(a);
}
