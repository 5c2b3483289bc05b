/**
 * The blog post's classes (docs/torch-schedulers.md §6): CosineAnnealingWarmUpRestarts (linear
 * warm-up from the optimizer's lr to eta_max, cosine back down, restarts whose
 * cosine part grows by T_mult and whose peak decays by gamma) and WarmupConstantSchedule.
 */
import { expectedPositiveInt, warmUpRestartsNoLastLr } from '../errors';
import { comparable, isNumeric, isInstanceInt, pyDiv, pyTypeName, toNumber } from '../py';
import { PyError, type Arg, type Marker, type SchedulerConstruction } from '../types';
import { Args, LRScheduler, requireOptimizer, StepFailure, type BuildContext } from './base';
import { LambdaLR } from './lambda';
import { checkRestartArgs, restartSteps } from './warmRestarts';

/** The blog's CosineAnnealingWarmUpRestarts, with its own `step` (and no `_last_lr`). */
export class CosineAnnealingWarmUpRestarts extends LRScheduler {
  readonly kind = 'CosineAnnealingWarmUpRestarts' as const;
  readonly t0: number;
  readonly tMult: number;
  readonly tUp: number;
  readonly baseEtaMax: number;
  readonly gamma: number;
  etaMax: number;
  tI: number;
  tCur: number;
  cycle = 0;

  constructor(c: SchedulerConstruction, ctx: BuildContext) {
    const args = new Args(c.kind, c.args);
    const { t0, tMult } = checkRestartArgs(args, 'LR140');
    const upArg = args.get('T_up');
    const tUp = comparable(upArg, '<', 'int', 'T_up', 'LR140');
    if (tUp < 0 || !isInstanceInt(upArg)) throw expectedPositiveInt('T_up', upArg, 'LR140');
    super(requireOptimizer(c, ctx, args));
    this.t0 = t0;
    this.tMult = tMult;
    this.baseEtaMax = args.num('eta_max');
    this.etaMax = this.baseEtaMax;
    this.tUp = tUp;
    this.tI = t0;
    this.gamma = args.num('gamma');
    this.tCur = args.lastEpoch();
    this.init(args.lastEpoch());
  }

  /** The no-argument branch of the class's `step`. */
  private advance(): void {
    this.tCur = this.tCur + 1;
    if (this.tCur >= this.tI) {
      this.cycle += 1;
      this.tCur = this.tCur - this.tI;
      this.tI = (this.tI - this.tUp) * this.tMult + this.tUp;
    }
  }

  override step(epoch?: number): void {
    if (epoch === undefined) {
      epoch = this.lastEpoch + 1;
      this.advance();
    } else if (epoch >= this.t0) {
      if (this.tMult === 1) {
        this.tCur = epoch % this.t0;
        this.cycle = Math.floor(epoch / this.t0);
      } else {
        const n = Math.trunc(Math.log(epoch / this.t0 * (this.tMult - 1) + 1) / Math.log(this.tMult));
        this.cycle = n;
        this.tCur = epoch - this.t0 * (Math.pow(this.tMult, n) - 1) / (this.tMult - 1);
        this.tI = this.t0 * Math.pow(this.tMult, n);
      }
    } else {
      this.tI = this.t0;
      this.tCur = epoch;
    }
    this.etaMax = this.baseEtaMax * Math.pow(this.gamma, this.cycle);
    this.lastEpoch = Math.floor(epoch);
    this.applyLr();
  }

  /** get_lr for base lr `base`. */
  private value(base: number): number {
    return cawurValue(base, this.tCur, this.tUp, this.tI, this.etaMax);
  }

  protected applyLr(): void {
    const groups = this.groups;
    const values = this.baseLrs.map((b) => this.value(b));
    for (let i = 0; i < values.length; i++) groups[i]!.lr = values[i]!;
  }

  override getLastLr(): void {
    throw warmUpRestartsNoLastLr();
  }

  protected override hasKernel(): boolean {
    return true;
  }

  protected override kernel(g: number, o: Float64Array, _m: Float64Array | null, _b: boolean, from: number, to: number): number {
    const base = this.baseLrs[g]!;
    const up = this.tUp;
    const mult = this.tMult;
    let tCur = this.tCur;
    let tI = this.tI;
    let cycle = this.cycle;
    let etaMax = this.etaMax;
    let lr = this.groups[g]!.lr;
    let k = from;
    try {
      for (; k < to; k++) {
        tCur = tCur + 1;
        if (tCur >= tI) {
          cycle += 1;
          tCur = tCur - tI;
          tI = (tI - up) * mult + up;
          // eta_max = base_eta_max·gamma^cycle is recomputed every step in the class; it only changes here.
          etaMax = this.baseEtaMax * Math.pow(this.gamma, cycle);
        }
        lr = cawurValue(base, tCur, up, tI, etaMax);
        o[k] = lr;
      }
    } catch (err) {
      throw new StepFailure(k, err);
    }
    return lr;
  }

  protected override skip(count: number): void {
    for (let i = 0; i < count; i++) this.advance();
    this.etaMax = this.baseEtaMax * Math.pow(this.gamma, this.cycle);
    this.lastEpoch += count;
  }

  override markers(steps: number): Marker[] {
    const up = this.tUp;
    const restarts = restartSteps(this.t0, (len) => (len - up) * this.tMult + up, steps);
    const out: Marker[] = [];
    for (const s of [0, ...restarts]) {
      if (s > 0) out.push({ step: s, kind: 'restart', label: 'restart' });
      if (up > 0 && s + up < steps) out.push({ step: s + up, kind: 'warmup-end', label: 'warm-up end (eta_max)' });
    }
    return out;
  }
}

/** The class's get_lr for one base lr. */
function cawurValue(base: number, tCur: number, up: number, tI: number, etaMax: number): number {
  if (tCur === -1) return base;
  if (tCur < up) return (etaMax - base) * tCur / up + base;
  return base + (etaMax - base) * (1 + Math.cos(pyDiv(Math.PI * (tCur - up), tI - up))) / 2;
}

/**
 * WarmupConstantSchedule (§6.2): a LambdaLR with `k < W → float(k) / float(max(1.0, W))`, else `1.0`.
 * Its own kernel evaluates that multiplier inline.
 */
export class WarmupConstantSchedule extends LambdaLR {
  private readonly warmup: number;

  constructor(c: SchedulerConstruction, ctx: BuildContext) {
    const w = new Args(c.kind, c.args).get('warmup_steps');
    super(c, ctx, warmupLambda(w));
    this.warmup = isNumeric(w) ? toNumber(w) : NaN;
  }

  protected override hasKernel(): boolean {
    return !Number.isNaN(this.warmup);
  }

  protected override kernel(g: number, o: Float64Array, _m: Float64Array | null, _b: boolean, from: number, to: number): number {
    const w = this.warmup;
    const denom = Math.max(1.0, w);
    const base = this.baseLrs[g]!;
    let lr = this.groups[g]!.lr;
    let e = this.lastEpoch;
    for (let k = from; k < to; k++) {
      e++;
      lr = base * (e < w ? e / denom : 1.0);
      o[k] = lr;
    }
    return lr;
  }

  override markers(steps: number): Marker[] {
    const end = Math.ceil(this.warmup);
    return end > 0 && end < steps ? [{ step: end, kind: 'warmup-end', label: 'warm-up end' }] : [];
  }
}

/** The class's lr_lambda; a non-number `warmup_steps` fails at the first comparison, as in Python. */
function warmupLambda(warmup: Arg): Arg {
  if (!isNumeric(warmup)) {
    return {
      kind: 'func',
      name: 'lr_lambda',
      call: () => {
        throw new PyError('TypeError', `'<' not supported between instances of 'int' and '${pyTypeName(warmup)}'`, 'warmup_steps');
      },
    };
  }
  const w = toNumber(warmup);
  const denom = Math.max(1.0, w);
  return { kind: 'func', name: 'lr_lambda', call: (k: number) => (k < w ? k / denom : 1.0) };
}
