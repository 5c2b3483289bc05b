/**
 * The other scheduler families users write, computed as each library does: transformers, diffusers,
 * katsura-jp, pl_bolts (torch-stepped) and timm (timm-stepped), on the optimizer's shared param groups,
 * and Keras / optax (functions of the iteration). `simulateFamily` gives a construction's curve in the
 * engine's SimulationResult shape, plus what one step of it is. See docs/families.md.
 */
import { toFailure } from '../build';
import { pyTypeName } from '../py';
import { ReduceLROnPlateau, StepFailure, type BuildContext, type Scheduler } from '../schedulers';
import { MAX_SIMULATED_STEPS } from '../simulate';
import { OptState } from '../state';
import { PyError, type Arg, type Marker, type OptimizerInit, type SimulateOptions, type SimulationResult } from '../types';
import { constructDiffusers, type DiffusersKind } from './diffusers';
import { CosineAnnealingWarmupRestarts } from './katsura';
import { makeKerasSchedule, type KerasKind, type Schedule } from './keras';
import { argumentMarkers } from './markers';
import { makeOptaxSchedule, type OptaxKind } from './optax';
import { LinearWarmupCosineAnnealingLR } from './plBolts';
import { FAMILY_SIGNATURES, stepUnit, type FamilyKind, type StepUnit } from './signatures';
import { constructTimm, type TimmKind, type TimmScheduler } from './timm';
import { constructTransformers, type TransformersKind } from './transformers';

export * from './signatures';
export { constructTransformers, TRANSFORMERS_SCHEDULER_NAMES, type TransformersKind } from './transformers';
export { constructTimm, TimmScheduler, type TimmGroupInit, type TimmKind } from './timm';
export { resolveTimmFactory, type TimmFactoryKind, type TimmFactoryResult } from './timmFactory';
export { constructDiffusers, type DiffusersKind } from './diffusers';
export { CosineAnnealingWarmupRestarts } from './katsura';
export { LinearWarmupCosineAnnealingLR } from './plBolts';
export { makeKerasSchedule, type KerasKind, type Schedule } from './keras';
export { makeOptaxSchedule, type OptaxKind } from './optax';
export { argumentMarkers } from './markers';
export { ASSUMED_STEPS_PER_EPOCH, stepsPerEpochOf, isTrainerKind, resolveTrainer, type TrainerKind, type TrainerSchedule } from './trainer';

/** One call of a family callable, after binding (`bindFamilyCall`). */
export interface FamilyConstruction {
  kind: FamilyKind;
  /** Parameter → value given; each family fills in its library's defaults. */
  args: Map<string, Arg> | Record<string, Arg>;
  /** Keyword arguments caught by `**kwargs` (get_reduce_on_plateau_schedule). */
  extra?: [string, Arg][];
  /** The `optimizer` argument resolved to `optimizers[i]` (torch-stepped families and timm); null otherwise. */
  optimizer: number | null;
}

export interface FamilySimulation extends SimulationResult {
  /** What one value index stands for: the x-axis label. */
  unit: StepUnit;
}

/** The torch-stepped object `c` builds on the shared optimizer state (throws the PyError Python raises). */
export function constructTorchFamily(c: FamilyConstruction, ctx: BuildContext): Scheduler {
  const opt = c.optimizer === null ? null : ctx.optimizer(c.optimizer);
  switch (c.kind) {
    case 'katsura.CosineAnnealingWarmupRestarts': return new CosineAnnealingWarmupRestarts(opt, c.args);
    case 'pl_bolts.LinearWarmupCosineAnnealingLR': return new LinearWarmupCosineAnnealingLR(opt, c.args);
    default:
      if (c.kind.startsWith('transformers.')) return constructTransformers(c.kind as TransformersKind, c.args, c.optimizer, ctx, c.extra);
      if (c.kind.startsWith('diffusers.')) return constructDiffusers(c.kind as DiffusersKind, c.args, c.optimizer, ctx);
      throw new Error(`${c.kind} is not stepped by torch`);
  }
}

/** The function of the step a Keras or optax construction builds. */
export function makeSchedule(c: FamilyConstruction): Schedule {
  if (c.kind.startsWith('keras.')) return makeKerasSchedule(c.kind as KerasKind, c.args);
  if (c.kind.startsWith('optax.')) return makeOptaxSchedule(c.kind as OptaxKind, c.args);
  throw new Error(`${c.kind} is not a function of the step`);
}

/**
 * Value k of every param group (one row for Keras/optax): after construction and k steps, as the
 * family defines a step (FAMILY_SIGNATURES[kind].stepping). Never throws.
 */
export function simulateFamily(c: FamilyConstruction, optimizers: readonly OptimizerInit[], opts: SimulateOptions): FamilySimulation {
  const steps = Math.min(MAX_SIMULATED_STEPS, Math.max(1, Math.floor(Number.isFinite(opts.steps) ? opts.steps : 1)));
  const result: FamilySimulation = { lrs: null, momentum: null, error: null, markers: [], otherFailures: [], unit: stepUnit(c.kind) };
  const states = new Map<number, OptState>();
  const ctx: BuildContext = {
    optimizer(i: number): OptState {
      let o = states.get(i);
      if (!o) {
        const init = optimizers[i];
        if (!init) throw new PyError('NameError', `optimizer #${i} is not defined`);
        o = new OptState(i, init);
        states.set(i, o);
      }
      return o;
    },
    scheduler(i: number): Scheduler {
      throw new PyError('NameError', `scheduler #${i} is not defined`);
    },
  };
  const stepping = FAMILY_SIGNATURES[c.kind].stepping;
  let run: (lrs: Float64Array[]) => void;
  let lrs: Float64Array[];
  let markers: () => Marker[];
  try {
    if (stepping === 'call') {
      const f = makeSchedule(c);
      markers = () => argumentMarkers(c.kind, c.args, steps);
      lrs = [new Float64Array(steps)];
      run = ([o]) => {
        if (f.fill) return f.fill(o!, 0, steps);
        let k = 0;
        try {
          for (; k < steps; k++) o![k] = f(k);
        } catch (e) {
          throw new StepFailure(k, e);
        }
      };
    } else if (stepping === 'timm') {
      const sched = constructTimmOn(c, ctx);
      result.unit = stepUnit(c.kind, sched.tInEpochs);
      lrs = firstValues(sched.groups, steps);
      // The script's `step(epoch)` / `step_update(num_updates)` arguments: timm's schedule is read at them.
      const ts = opts.epochs;
      const counted = !ts || Array.prototype.every.call(ts, (t: number, i: number) => t === i + 1);
      markers = () => (counted ? sched.markers(steps) : []);
      if (ts) result.epochArgs = 'applied';
      run = ts ? (out) => sched.runAt(out, ts, steps) : (out) => sched.run(out, 1, steps);
    } else {
      const sched = constructTorchFamily(c, ctx);
      const byArgs = c.kind.startsWith('transformers.') || c.kind.startsWith('diffusers.');
      markers = () => (byArgs ? argumentMarkers(c.kind, c.args, steps) : sched.markers(steps));
      lrs = firstValues(sched.groups, steps);
      if (sched instanceof ReduceLROnPlateau) run = (out) => { for (const a of out) a.fill(a[0]!); };
      else run = (out) => sched.run(out, null, 1, steps);
    }
  } catch (e) {
    result.error = toFailure(e, 'construct', null);
    return result;
  }
  try {
    result.markers = markers().filter((m) => m.step > 0 && m.step < steps);
  } catch {
    // Markers are an aid: arguments they cannot read leave none.
  }
  result.lrs = lrs;
  try {
    run(lrs);
  } catch (e) {
    if (!(e instanceof StepFailure)) {
      result.error = toFailure(e, 'construct', null);
      result.lrs = null;
      return result;
    }
    result.error = toFailure(e.cause, 'step', e.step);
    result.lrs = lrs.map((a) => a.slice(0, e.step));
  }
  return result;
}

/** One series per group, value 0 being the group's lr after construction. */
function firstValues(groups: readonly { lr: number }[], steps: number): Float64Array[] {
  return groups.map((g) => {
    const a = new Float64Array(steps);
    a[0] = g.lr;
    return a;
  });
}

function constructTimmOn(c: FamilyConstruction, ctx: BuildContext): TimmScheduler {
  if (c.optimizer === null) {
    const optArg = c.args instanceof Map ? c.args.get('optimizer') : c.args['optimizer'];
    throw new PyError('AttributeError', `'${optArg ? pyTypeName(optArg) : 'NoneType'}' object has no attribute 'param_groups'`, 'optimizer');
  }
  return constructTimm(c.kind as TimmKind, c.args, ctx.optimizer(c.optimizer));
}

