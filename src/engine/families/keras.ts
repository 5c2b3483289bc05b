/**
 * Keras 3's learning-rate schedules (`keras/src/optimizers/schedules/learning_rate_schedule.py`, 3.16):
 * pure functions of the optimizer iteration. Keras computes in float32; these follow its operations
 * in float64 (the golden reference does the same), so they agree with Keras to float32 precision.
 */
import { comparable, pyRepr, pyStr, pyTruthy, pyTypeName, toNumber } from '../py';
import { PyError, type Arg } from '../types';
import { FamilyArgs } from './args';
import { FAMILY_SIGNATURES, type FamilyKind } from './signatures';

export type KerasKind = Extract<FamilyKind, `keras.${string}`>;

/**
 * A schedule: the learning rate at a step (an integer ≥ 0). `fill`, when present, writes o[k] = schedule(k)
 * for k = from..to-1 with a loop of its own (so the call inside is monomorphic and inlined; a shared loop
 * calling every family's closure is not) and never throws.
 */
export type Schedule = ((step: number) => number) & { fill?: (o: Float64Array, from: number, to: number) => void };

/** `f` with a `fill`: the loop literal must be written at each call site (one loop per schedule shape). */
export function withFill(f: (step: number) => number, fill: (o: Float64Array, from: number, to: number) => void): Schedule {
  return Object.assign(f, { fill });
}

/** `if self.<name> <= 0: raise ValueError(...)`, Keras' check on its step counts. */
function positiveSteps(a: FamilyArgs, name: string): number {
  const v = comparable(a.get(name), '<=', 'int', name);
  if (v <= 0) throw new PyError('ValueError', `Argument \`${name}\` must be > 0. Received: ${name}=${pyStr(a.get(name))}`, name);
  return v;
}

/** `len(x)` of a list/tuple argument (TypeError otherwise). */
function items(a: Arg, param: string): Arg[] {
  if (a.kind === 'list') return a.items;
  throw new PyError('TypeError', `object of type '${pyTypeName(a)}' has no len()`, param);
}

function numbers(list: Arg[], param: string): Float64Array {
  return Float64Array.from(list, (x) => toNumber(x, param));
}

/** The schedule object Keras' constructor builds (its ValueErrors included), as a function of the step. */
export function makeKerasSchedule(kind: KerasKind, given: Map<string, Arg> | Record<string, Arg>): Schedule {
  const a = new FamilyArgs(FAMILY_SIGNATURES[kind], given);
  switch (kind) {
    case 'keras.ExponentialDecay':
    case 'keras.InverseTimeDecay': {
      const init = a.num('initial_learning_rate');
      const decaySteps = positiveSteps(a, 'decay_steps');
      const rate = a.num('decay_rate');
      const staircase = pyTruthy(a.get('staircase'));
      if (kind === 'keras.ExponentialDecay') {
        return (step) => {
          const p = step / decaySteps;
          return init * Math.pow(rate, staircase ? Math.floor(p) : p);
        };
      }
      return (step) => {
        const p = step / decaySteps;
        return init / (1 + rate * (staircase ? Math.floor(p) : p));
      };
    }
    case 'keras.PiecewiseConstantDecay': {
      const bArg = a.get('boundaries');
      const vArg = a.get('values');
      const bs = items(bArg, 'boundaries');
      const vs = items(vArg, 'values');
      if (bs.length !== vs.length - 1) {
        throw new PyError('ValueError', `The length of boundaries should be 1 less than the length of values. Received: boundaries=${pyRepr(bArg)} of length ${bs.length}, and values=${pyRepr(vArg)} of length ${vs.length}.`, 'boundaries', 'LR186');
      }
      // Boundaries are cast to the step's integer dtype.
      const b = Float64Array.from(numbers(bs, 'boundaries'), Math.trunc);
      const v = numbers(vs, 'values');
      return (step) => piecewiseConstant(step, b, v);
    }
    case 'keras.PolynomialDecay': {
      const init = a.num('initial_learning_rate');
      const decaySteps = positiveSteps(a, 'decay_steps');
      const end = a.num('end_learning_rate');
      const power = a.num('power');
      const cycle = pyTruthy(a.get('cycle'));
      return (step) => {
        let s = step;
        let d = decaySteps;
        if (cycle) d = d * (s === 0 ? 1.0 : Math.ceil(s / decaySteps));
        else s = Math.min(s, d);
        const p = s / d;
        return (init - end) * Math.pow(1 - p, power) + end;
      };
    }
    case 'keras.CosineDecay': {
      const init = a.num('initial_learning_rate');
      const decaySteps = positiveSteps(a, 'decay_steps');
      const alpha = a.num('alpha');
      const decay = (s: number, from: number) => {
        const cosineDecayed = 0.5 * (1.0 + Math.cos(Math.PI * (s / decaySteps)));
        return from * ((1 - alpha) * cosineDecayed + alpha);
      };
      // Without warmup_target, warmup_steps is ignored.
      if (a.isNone('warmup_target')) {
        const cosine = (step: number) => decay(Math.min(step, decaySteps), init);
        // `decay` written out: V8 does not inline the nested closure call here.
        return withFill(cosine, (o, from, to) => {
          const keep = 1 - alpha;
          for (let k = from; k < to; k++) o[k] = init * (keep * (0.5 * (1.0 + Math.cos(Math.PI * (Math.min(k, decaySteps) / decaySteps)))) + alpha);
        });
      }
      const target = a.num('warmup_target');
      const warmupSteps = a.num('warmup_steps');
      const warmCosine = (step: number) => {
        const s = Math.min(step, decaySteps + warmupSteps);
        return s < warmupSteps ? (target - init) * (s / warmupSteps) + init : decay(s - warmupSteps, target);
      };
      return withFill(warmCosine, (o, from, to) => { for (let k = from; k < to; k++) o[k] = warmCosine(k); });
    }
    case 'keras.CosineDecayRestarts': {
      const init = a.num('initial_learning_rate');
      const first = positiveSteps(a, 'first_decay_steps');
      const alpha = a.num('alpha');
      const tMul = a.num('t_mul');
      const mMul = a.num('m_mul');
      return (step) => {
        let fraction = step / first;
        let restart: number;
        if (tMul === 1.0) {
          restart = Math.floor(fraction);
          fraction -= restart;
        } else {
          restart = Math.floor(Math.log(1.0 - fraction * (1.0 - tMul)) / Math.log(tMul));
          const sumR = (1.0 - Math.pow(tMul, restart)) / (1.0 - tMul);
          fraction = (fraction - sumR) / Math.pow(tMul, restart);
        }
        const cosineDecayed = 0.5 * Math.pow(mMul, restart) * (1.0 + Math.cos(Math.PI * fraction));
        return init * ((1 - alpha) * cosineDecayed + alpha);
      };
    }
  }
}

/** The call's sum of indicator terms: the value of the interval `(low, high]` holding the step. */
function piecewiseConstant(step: number, b: Float64Array, v: Float64Array): number {
  const last = b.length - 1;
  if (last < 0) throw new PyError('IndexError', 'list index out of range');
  let r = 0;
  r += (step <= b[0]! ? 1 : 0) * v[0]!;
  r += (step > b[last]! ? 1 : 0) * v[v.length - 1]!;
  for (let i = 0; i < last; i++) r += (step > b[i]! && step <= b[i + 1]! ? 1 : 0) * v[i + 1]!;
  return r;
}

