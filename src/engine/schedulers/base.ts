/**
 * What every simulated scheduler object shares, and torch 1.13's `_LRScheduler`
 * base class: the constructor algorithm (initial_lr setdefault, base_lrs, the
 * implicit first step) and `step(epoch=None)` dispatching to the recursive rule
 * or the closed form (semantics.md §1).
 */
import { withDefaults } from '../signatures';
import { isNumeric, pyTypeName, pyStr, toNumber } from '../py';
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
    throw new PyError('AttributeError', `'${this.kind}' object has no attribute '_initial_step'`);
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
  for (let g = 0; g < v.length; g++) {
    const grp = groups[g]!;
    v[g]![k] = mom.beta1 ? grp.beta1 : grp.momentum ?? NaN;
  }
}

/** torch 1.13 `_LRScheduler`. Subclasses implement `applyLr` (get_lr + write) and optionally `applyClosedForm`. */
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
          throw new PyError('KeyError', `param 'initial_lr' is not specified in param_groups[${i}] when resuming an optimizer`, 'last_epoch');
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
  throw new PyError('AttributeError', `'${pyTypeName(args.get('optimizer'))}' object has no attribute 'param_groups'`, 'optimizer');
}

/** `_format_param` of CyclicLR/OneCycleLR: a list/tuple must have one value per group, a scalar is replicated. */
export function formatParam(name: string, arg: Arg, nGroups: number): Arg[] {
  if (arg.kind === 'list') {
    if (arg.items.length !== nGroups) {
      throw new PyError('ValueError', `expected ${nGroups} values for ${name}, got ${arg.items.length}`, name);
    }
    return arg.items;
  }
  return new Array<Arg>(nGroups).fill(arg);
}

/** `"{}".format(x)` for messages. */
export function fmt(a: Arg): string {
  return pyStr(a);
}

/** Runs `fn`, attributing a PyError it raises without a parameter to `param` (for diagnostics' ranges). */
export function withParam<T>(fn: () => T, param: string): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof PyError && e.param === undefined) throw new PyError(e.type, e.message, param);
    throw e;
  }
}
