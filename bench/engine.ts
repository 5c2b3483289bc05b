/**
 * Engine speed: for each scheduler, `simulate` at 1,000,000 steps beside a
 * hand-tight loop of the same formula (one group, one preallocated Float64Array,
 * no objects). Target: engine ≤ 1.5× the hand loop.
 */
import { makeOptimizer, simulate } from '../src/engine';
import type { FamilyKind } from '../src/engine/families';
import type { Arg, Program, SchedulerConstruction, SchedulerKind } from '../src/engine/types';

const STEPS = 1_000_000;
const REPEATS = 15;

const int = (value: number): Arg => ({ kind: 'int', value });
const float = (value: number): Arg => ({ kind: 'float', value });
const str = (value: string): Arg => ({ kind: 'str', value });
const list = (...items: Arg[]): Arg => ({ kind: 'list', items });
const sched = (index: number): Arg => ({ kind: 'scheduler', index });
const func = (call: (x: number) => number): Arg => ({ kind: 'func', name: 'lambda', call });

interface BenchCase {
  name: string;
  program: Program;
  target: number;
  /** The same schedule written as the tightest loop we can, filling o[0..n-1]; `p` holds the arguments. */
  hand: (o: Float64Array, p: number[]) => void;
  /** The arguments the hand loop reads (runtime values, as the engine sees them; not literals V8 could fold). */
  p?: number[];
}

function program(momentum: boolean, ...schedulers: [SchedulerKind, Record<string, Arg>, number | null][]): Program {
  const { optimizer } = makeOptimizer('SGD', momentum ? { lr: 0.1, momentum: 0.9 } : { lr: 0.1 }, null);
  const s: SchedulerConstruction[] = schedulers.map(([kind, args, optimizer]) => ({ kind, args, optimizer }));
  return { optimizers: [optimizer], schedulers: s };
}

function single(name: SchedulerKind, args: Record<string, Arg>, hand: BenchCase['hand'], p: number[], momentum = false): BenchCase {
  return { name, program: program(momentum, [name, args, 0]), target: 0, hand, p };
}

/** One construction of another family (docs/families.md) on an SGD(lr=0.1), or on none (Keras / optax). */
function family(kind: FamilyKind, args: Record<string, Arg>, hand: BenchCase['hand'], p: number[]): BenchCase {
  const { optimizer } = makeOptimizer('SGD', { lr: 0.1 }, null);
  const onOpt = !kind.startsWith('keras.') && !kind.startsWith('optax.');
  const withOpt = onOpt ? { optimizer: { kind: 'optimizer', index: 0 } as Arg, ...args } : args;
  return { name: kind, program: { optimizers: [optimizer], schedulers: [{ kind, args: withOpt, optimizer: onOpt ? 0 : null }] }, target: 0, hand, p };
}

const lambda = (e: number) => Math.pow(0.999999, e);
const factor = () => 0.999999;

const CASES: BenchCase[] = [
  single('LambdaLR', { lr_lambda: func(lambda) }, (o, [base]) => {
    for (let k = 0; k < o.length; k++) o[k] = base! * lambda(k);
  }, [0.1]),
  single('MultiplicativeLR', { lr_lambda: func(factor) }, (o, [lr0]) => {
    let lr = lr0!;
    o[0] = lr;
    for (let k = 1; k < o.length; k++) o[k] = lr = lr * factor();
  }, [0.1]),
  single('StepLR', { step_size: int(1000), gamma: float(0.99) }, (o, [lr0, s, gamma]) => {
    let lr = lr0!;
    o[0] = lr;
    for (let k = 1; k < o.length; k++) {
      if (k % s! === 0) lr = lr * gamma!;
      o[k] = lr;
    }
  }, [0.1, 1000, 0.99]),
  single('MultiStepLR', { milestones: list(int(300_000), int(600_000), int(900_000)), gamma: float(0.1) }, (o, [lr0, gamma, m1, m2, m3]) => {
    let lr = lr0!;
    o[0] = lr;
    for (let k = 1; k < o.length; k++) {
      if (k === m1 || k === m2 || k === m3) lr = lr * gamma!;
      o[k] = lr;
    }
  }, [0.1, 0.1, 300_000, 600_000, 900_000]),
  single('ConstantLR', { factor: float(0.5), total_iters: int(500_000) }, (o, [lr0, f, t]) => {
    let lr = lr0! * f!;
    o[0] = lr;
    for (let k = 1; k < o.length; k++) {
      if (k === t) lr = lr * (1.0 / f!);
      o[k] = lr;
    }
  }, [0.1, 0.5, 500_000]),
  single('LinearLR', { start_factor: float(0.1), end_factor: float(1.0), total_iters: int(STEPS) }, (o, [lr0, s, end, t]) => {
    const d = end! - s!;
    let lr = lr0! * s!;
    o[0] = lr;
    for (let k = 1; k < o.length; k++) {
      if (k <= t!) lr = lr * (1 + d / (t! * s! + (k - 1) * d));
      o[k] = lr;
    }
  }, [0.1, 0.1, 1.0, STEPS]),
  single('ExponentialLR', { gamma: float(0.999999) }, (o, [lr0, gamma]) => {
    let lr = lr0!;
    o[0] = lr;
    for (let k = 1; k < o.length; k++) o[k] = lr = lr * gamma!;
  }, [0.1, 0.999999]),
  single('PolynomialLR', { total_iters: int(STEPS), power: float(2.0) }, (o, [lr0, t, power]) => {
    let lr = lr0!;
    o[0] = lr;
    for (let k = 1; k < o.length; k++) {
      if (k <= t!) lr = lr * Math.pow((1 - k / t!) / (1 - (k - 1) / t!), power!);
      o[k] = lr;
    }
  }, [0.1, STEPS, 2.0]),
  single('CosineAnnealingLR', { T_max: int(STEPS), eta_min: float(1e-4) }, (o, [lr0, t, m]) => {
    let lr = lr0!;
    o[0] = lr;
    for (let k = 1; k < o.length; k++) o[k] = lr = (1 + Math.cos(Math.PI * k / t!)) / (1 + Math.cos(Math.PI * (k - 1) / t!)) * (lr - m!) + m!;
  }, [0.1, STEPS, 1e-4]),
  single('CosineAnnealingWarmRestarts', { T_0: int(1000), T_mult: int(2), eta_min: float(1e-4) }, (o, [base, t0, mult, m]) => {
    let tCur = 0;
    let tI = t0!;
    o[0] = base!;
    for (let k = 1; k < o.length; k++) {
      tCur++;
      if (tCur >= tI) {
        tCur -= tI;
        tI *= mult!;
      }
      o[k] = m! + (base! - m!) * (1 + Math.cos(Math.PI * tCur / tI)) / 2;
    }
  }, [0.1, 1000, 2, 1e-4]),
  single('CyclicLR', { base_lr: float(0.01), max_lr: float(0.1), step_size_up: int(2000), mode: str('triangular2') }, (o, [base, max, up, bm, mm]) => {
    const total = up! + up!;
    const ratio = up! / total;
    let mom = 0;
    for (let k = 0; k < o.length; k++) {
      const cycle = Math.floor(1 + k / total);
      const x = 1.0 + k / total - cycle;
      const s = x <= ratio ? x / ratio : (x - 1) / (ratio - 1);
      const g = 1 / Math.pow(2.0, cycle - 1);
      o[k] = base! + (max! - base!) * s * g;
      mom = mm! - (mm! - bm!) * s * g;
    }
    if (mom < 0) o[0] = mom; // keep the momentum arithmetic alive
  }, [0.01, 0.1, 2000, 0.8, 0.9], true),
  single('OneCycleLR', { max_lr: float(0.1), total_steps: int(STEPS) }, (o, [max, n, pct]) => {
    const ends = [pct! * n! - 1, n! - 1];
    const initial = max! / 25;
    const lrs = [[initial, max!], [max!, initial / 1e4]];
    const moms = [[0.95, 0.85], [0.85, 0.95]];
    let mom = 0;
    const cos = (a: number, b: number, p: number) => b + (a - b) / 2.0 * (Math.cos(Math.PI * p) + 1);
    for (let k = 0; k < o.length; k++) {
      const i = k <= ends[0]! ? 0 : 1;
      const start = i === 0 ? 0 : ends[0]!;
      const pct = (k - start) / (ends[i]! - start);
      o[k] = cos(lrs[i]![0]!, lrs[i]![1]!, pct);
      mom = cos(moms[i]![0]!, moms[i]![1]!, pct);
    }
    if (mom < 0) o[0] = mom;
  }, [0.1, STEPS, 0.3], true),
  single('CosineAnnealingWarmUpRestarts', { T_0: int(1000), T_mult: int(2), eta_max: float(0.1), T_up: int(100), gamma: float(0.9) }, (o, [base, t0, mult, etaMax0, up, gamma]) => {
    let tCur = 0;
    let tI = t0!;
    let cycle = 0;
    o[0] = base!;
    for (let k = 1; k < o.length; k++) {
      tCur++;
      if (tCur >= tI) {
        cycle++;
        tCur -= tI;
        tI = (tI - up!) * mult! + up!;
      }
      const etaMax = etaMax0! * Math.pow(gamma!, cycle);
      o[k] = tCur < up! ? (etaMax - base!) * tCur / up! + base! : base! + (etaMax - base!) * (1 + Math.cos(Math.PI * (tCur - up!) / (tI - up!))) / 2;
    }
  }, [0.1, 1000, 2, 0.1, 100, 0.9]),
  single('WarmupConstantSchedule', { warmup_steps: int(10_000) }, (o, [base, w]) => {
    for (let k = 0; k < o.length; k++) o[k] = base! * (k < w! ? k / Math.max(1.0, w!) : 1.0);
  }, [0.1, 10_000]),
  {
    name: 'SequentialLR (LinearLR → CosineAnnealingLR)',
    program: program(false,
      ['LinearLR', { start_factor: float(0.1), total_iters: int(10_000) }, 0],
      ['CosineAnnealingLR', { T_max: int(STEPS - 10_000) }, 0],
      ['SequentialLR', { schedulers: list(sched(0), sched(1)), milestones: list(int(10_000)) }, 0]),
    target: 2,
    p: [0.1, 0.1, 10_000, STEPS - 10_000],
    hand: (o, [base, s, w, t]) => {
      const d = 1 - s!;
      let lr = base! * s!;
      o[0] = lr;
      for (let k = 1; k < o.length; k++) {
        if (k < w!) lr = lr * (1 + d / (w! * s! + (k - 1) * d));
        else if (k === w!) lr = base!;
        else {
          const e = k - w!;
          lr = (1 + Math.cos(Math.PI * e / t!)) / (1 + Math.cos(Math.PI * (e - 1) / t!)) * lr;
        }
        o[k] = lr;
      }
    },
  },
  {
    name: 'ChainedScheduler (ConstantLR + ExponentialLR)',
    program: program(false,
      ['ConstantLR', { factor: float(0.5), total_iters: int(1000) }, 0],
      ['ExponentialLR', { gamma: float(0.999999) }, 0],
      ['ChainedScheduler', { schedulers: list(sched(0), sched(1)) }, null]),
    target: 2,
    p: [0.1, 0.5, 1000, 0.999999],
    hand: (o, [base, f, t, gamma]) => {
      let lr = base! * f!;
      o[0] = lr;
      for (let k = 1; k < o.length; k++) {
        if (k === t!) lr = lr * (1.0 / f!);
        lr = lr * gamma!;
        o[k] = lr;
      }
    },
  },
  {
    name: 'ChainedScheduler (ExponentialLR + CosineAnnealingLR)',
    program: program(false,
      ['ExponentialLR', { gamma: float(0.999999) }, 0],
      ['CosineAnnealingLR', { T_max: int(STEPS), eta_min: float(1e-4) }, 0],
      ['ChainedScheduler', { schedulers: list(sched(0), sched(1)) }, null]),
    target: 2,
    p: [0.1, 0.999999, STEPS, 1e-4],
    hand: (o, [base, gamma, t, m]) => {
      let lr = base!;
      o[0] = lr;
      for (let k = 1; k < o.length; k++) {
        lr = lr * gamma!;
        lr = (1 + Math.cos(Math.PI * k / t!)) / (1 + Math.cos(Math.PI * (k - 1) / t!)) * (lr - m!) + m!;
        o[k] = lr;
      }
    },
  },
  // The other families' main schedules: each library's formula per step.
  family('transformers.get_cosine_schedule_with_warmup', { num_warmup_steps: int(10_000), num_training_steps: int(STEPS) }, (o, [base, w, t]) => {
    for (let k = 0; k < o.length; k++) {
      const f = k < w! ? k / Math.max(1, w!) : Math.max(0, 0.5 * (1 + Math.cos(Math.PI * 0.5 * 2 * ((k - w!) / Math.max(1, t! - w!)))));
      o[k] = base! * f;
    }
  }, [0.1, 10_000, STEPS]),
  family('timm.CosineLRScheduler', { t_initial: int(STEPS), lr_min: float(1e-5), warmup_t: int(10_000), warmup_lr_init: float(1e-6) }, (o, [base, t, m, w, wl]) => {
    const inc = (base! - wl!) / w!;
    for (let k = 0; k < o.length; k++) o[k] = k < w! ? wl! + k * inc : m! + 0.5 * (base! - m!) * (1 + Math.cos(Math.PI * k / t!));
  }, [0.1, STEPS, 1e-5, 10_000, 1e-6]),
  family('katsura.CosineAnnealingWarmupRestarts', { first_cycle_steps: int(100_000), max_lr: float(0.1), min_lr: float(1e-4), warmup_steps: int(1000) }, (o, [c, max, min, w]) => {
    let s = 0;
    o[0] = min!;
    for (let k = 1; k < o.length; k++) {
      if (++s >= c!) s -= c!;
      o[k] = s < w! ? (max! - min!) * s / w! + min! : min! + (max! - min!) * (1 + Math.cos(Math.PI * (s - w!) / (c! - w!))) / 2;
    }
  }, [100_000, 0.1, 1e-4, 1000]),
  family('pl_bolts.LinearWarmupCosineAnnealingLR', { warmup_epochs: int(1000), max_epochs: int(STEPS) }, (o, [base, w, m]) => {
    let lr = 0;
    o[0] = lr;
    for (let e = 1; e < o.length; e++) {
      if (e < w!) lr = lr + base! / (w! - 1);
      else if (e === w!) lr = base!;
      else lr = (1 + Math.cos(Math.PI * (e - w!) / (m! - w!))) / (1 + Math.cos(Math.PI * (e - w! - 1) / (m! - w!))) * lr;
      o[e] = lr;
    }
  }, [0.1, 1000, STEPS]),
  family('keras.CosineDecay', { initial_learning_rate: float(0.1), decay_steps: int(STEPS), alpha: float(0.01) }, (o, [init, d, a]) => {
    for (let k = 0; k < o.length; k++) o[k] = init! * ((1 - a!) * 0.5 * (1 + Math.cos(Math.PI * Math.min(k, d!) / d!)) + a!);
  }, [0.1, STEPS, 0.01]),
  family('optax.warmup_cosine_decay_schedule', { init_value: float(0), peak_value: float(0.1), warmup_steps: int(10_000), decay_steps: int(STEPS) }, (o, [peak, w, d]) => {
    const cd = d! - w!;
    for (let k = 0; k < o.length; k++) o[k] = k < w! ? peak! * k / w! : peak! * 0.5 * (1 + Math.cos(Math.PI * Math.min(k - w!, cd) / cd));
  }, [0.1, 10_000, STEPS]),
];

/** CPU time (user + system) of `fn` in ns per step: on a busy machine wall time mostly measures the neighbours. */
function time(fn: () => void): number {
  const t0 = process.cpuUsage();
  fn();
  const d = process.cpuUsage(t0);
  return ((d.user + d.system) * 1000) / STEPS;
}

/** One line per scheduler: engine ns/step, hand-loop ns/step, ratio (and a ✓ when ≤ 1.5×). */
export function runEngineBench(): string[] {
  const lines = [`engine: simulate() vs a hand-tight loop of the same formula, ${STEPS.toLocaleString('en-US')} steps, best of ${REPEATS} (CPU time)`];
  for (const c of CASES) {
    // Interleaved and best-of-N: on a shared machine the minimum is the least disturbed run.
    let engine = Infinity;
    let hand = Infinity;
    for (let r = 0; r < REPEATS; r++) {
      engine = Math.min(engine, time(() => {
        const res = simulate(c.program, c.target, { steps: STEPS });
        if (res.error) throw new Error(`${c.name}: ${res.error.type}: ${res.error.message}`);
      }));
      // Both sides produce a fresh curve: the hand loop allocates its output too.
      hand = Math.min(hand, time(() => c.hand(new Float64Array(STEPS), c.p ?? [])));
    }
    const ratio = engine / hand;
    lines.push(`  ${c.name.padEnd(54)} engine ${engine.toFixed(2).padStart(6)} ns/step   hand ${hand.toFixed(2).padStart(6)} ns/step   ` +
      `${ratio.toFixed(2)}× ${ratio <= 1.5 ? '✓' : '✗'}`);
  }
  return lines;
}
