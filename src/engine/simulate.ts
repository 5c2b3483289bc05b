/**
 * `simulate`: what the lr of each param group is after construction and after
 * each call of the target's `step()` — torch's objects replayed on shared state.
 */
import { buildProgram, toFailure } from './build';
import { isFamilyConstruction, simulateFamilyTarget } from './families/program';
import { ReduceLROnPlateau, StepFailure, type MomentumOut, type Scheduler } from './schedulers';
import { LRScheduler, recordMomentum } from './schedulers/base';
import { CosineAnnealingWarmRestarts } from './schedulers/warmRestarts';
import { NO_RULE, type Marker, type Program, type SimulateOptions, type SimulationResult, type TorchFailure } from './types';

/** Upper bound on values per group, to keep a bad request from exhausting memory (10M values = 80 MB per group). */
export const MAX_SIMULATED_STEPS = 10_000_000;

/**
 * Constructs every scheduler of `program` that acts on the target's optimizer (or exactly
 * `include`, plus the target and the members of composites), in program order, on fresh
 * group state; records value 0, then calls the target's `step()` `steps − 1` times.
 * A ReduceLROnPlateau target yields its "never plateaus" line (constant lr); see
 * `plateauEnvelope` for the fastest decay. Never throws.
 */
export function simulate(program: Program, target: number, opts: SimulateOptions & { include?: number[] }): SimulationResult {
  const steps = Math.min(MAX_SIMULATED_STEPS, Math.max(1, Math.floor(Number.isFinite(opts.steps) ? opts.steps : 1)));
  const c = program.schedulers[target];
  // Another family's construction: built alone on its optimizer, stepped as that library steps it (docs/families.md).
  if (c && isFamilyConstruction(c)) return { ...simulateFamilyTarget(program, target, { ...opts, steps }), otherFailures: [] };
  const built = buildProgram(program, target, opts.include);
  const result: SimulationResult = { lrs: null, momentum: null, error: null, markers: [], otherFailures: built.otherFailures };
  const sched = built.target;
  if (!sched) {
    result.error = built.targetFailure ?? { type: 'InternalError', message: `scheduler #${target} is not defined`, phase: 'construct', step: null, rule: NO_RULE };
    return result;
  }
  if (opts.before?.length) result.before = stepBefore(built.objects, opts.before, target);
  // `scheduler.last_epoch = k` before the loop: the attribute alone (torch's step() then counts on from it).
  if (opts.lastEpoch !== undefined) {
    result.lastEpoch = sched instanceof LRScheduler ? 'applied' : 'ignored';
    if (sched instanceof LRScheduler) sched.lastEpoch = opts.lastEpoch;
  }
  try {
    result.markers = targetMarkers(sched, steps);
    const groups = sched.groups;
    const lrs = groups.map(() => new Float64Array(steps));
    groups.forEach((g, i) => { lrs[i]![0] = g.lr; });
    const label = sched.cycledMomentum();
    const mom: MomentumOut | null = label ? { values: groups.map(() => new Float64Array(steps)), beta1: label === 'beta1' } : null;
    if (mom) groups.forEach((g, i) => { mom.values[i]![0] = mom.beta1 ? g.beta1 : g.momentum ?? NaN; });
    result.lrs = lrs;
    if (mom) result.momentum = { label: label!, values: mom.values };

    if (sched instanceof ReduceLROnPlateau) {
      for (const a of lrs) a.fill(a[0]!);
      return result;
    }
    const epochs = opts.epochs;
    if (epochs) result.epochArgs = sched instanceof LRScheduler ? 'applied' : 'ignored';
    const failure = epochs && sched instanceof LRScheduler ? stepWithEpochs(sched, lrs, mom, steps, epochs, result) : runSteps(sched, lrs, mom, steps);
    if (failure) {
      const k = failure.step!;
      result.error = failure;
      result.lrs = lrs.map((a) => a.slice(0, k));
      if (result.momentum) result.momentum.values = result.momentum.values.map((a) => a.slice(0, k));
    }
  } catch (e) {
    result.error = toFailure(e, 'construct', null);
    result.lrs = null;
    result.momentum = null;
  }
  return result;
}

/** Steps the target; returns torch's failure (with the value index it could not produce) or null. */
function runSteps(sched: Scheduler, lrs: Float64Array[], mom: MomentumOut | null, steps: number): TorchFailure | null {
  try {
    sched.run(lrs, mom, 1, steps);
    return null;
  } catch (e) {
    if (e instanceof StepFailure) return toFailure(e.cause, 'step', e.step);
    throw e;
  }
}

function targetMarkers(sched: Scheduler, steps: number): Marker[] {
  return sched.markers(steps).filter((m) => m.step > 0 && m.step < steps);
}

/**
 * `step(epochs[k − 1])` for value k (plain `step()` past the end), one call at a time (torch's `step(epoch)`:
 * `last_epoch = epoch`, then the closed form or get_lr). The markers counted in calls do not hold then: a
 * CosineAnnealingWarmRestarts restart is where `T_cur` falls back; the other markers are dropped.
 */
function stepWithEpochs(sched: LRScheduler, lrs: Float64Array[], mom: MomentumOut | null, steps: number, epochs: ArrayLike<number>, result: SimulationResult): TorchFailure | null {
  const groups = sched.groups;
  const cawr = sched instanceof CosineAnnealingWarmRestarts ? sched : null;
  const markers: Marker[] = [];
  for (let k = 1; k < steps; k++) {
    const before = cawr ? cawr.tCur : 0;
    try {
      sched.step(k - 1 < epochs.length ? epochs[k - 1] : undefined);
    } catch (e) {
      result.markers = markers;
      return toFailure(e, 'step', k);
    }
    for (let g = 0; g < lrs.length; g++) lrs[g]![k] = groups[g]!.lr;
    if (mom) recordMomentum(groups, mom, k);
    if (cawr && cawr.tCur < before && markers.length < 1000) markers.push({ step: k, kind: 'restart', label: 'restart' });
  }
  result.markers = markers;
  return null;
}

/**
 * Steps other schedulers before the target's first call, on the shared groups (`SimulateOptions.before`). A
 * scheduler that is not built with the target (another optimizer, not replayed) or raises: not done, and why.
 */
function stepBefore(objects: ReadonlyMap<number, Scheduler>, before: { index: number; calls: number }[], target: number): 'applied' | { reason: string } {
  for (const b of before) {
    const o = objects.get(b.index);
    if (!o || b.index === target) return { reason: `scheduler #${b.index} is not replayed with the target` };
    const calls = Math.min(MAX_SIMULATED_STEPS, Math.max(0, Math.floor(b.calls)));
    try {
      for (let k = 0; k < calls; k++) o.step();
    } catch (e) {
      return { reason: `scheduler #${b.index} raises while stepped before the target: ${(e as Error)?.message ?? e}` };
    }
  }
  return 'applied';
}
