/**
 * The blog post's classes (docs/torch-schedulers.md §6): CosineAnnealingWarmUpRestarts (linear
 * warm-up from the optimizer's lr to eta_max, cosine back down, restarts whose
 * cosine part grows by T_mult and whose peak decays by gamma) and WarmupConstantSchedule.
 */
import { expectedPositiveInt, warmUpRestartsNoLastLr } from '../errors';
import { comparable, isNumeric, isInstanceInt, pyTypeName, toNumber } from '../py';
import { PyError, type Arg, type Marker, type SchedulerConstruction } from '../types';
import { Args, requireOptimizer, type BuildContext } from './base';
import { LambdaLR } from './lambda';
import { checkRestartArgs, WarmUpCosineCycles, type CyclePosition } from './warmRestarts';

/**
 * The blog's CosineAnnealingWarmUpRestarts, with its own `step` (and no `_last_lr`): the warm-up + cosine cycles of
 * warmRestarts.ts `WarmUpCosineCycles` (T_0 → firstLen, T_up → warmup, eta_max → peak, T_cur → inCycle, T_i → len).
 */
export class CosineAnnealingWarmUpRestarts extends WarmUpCosineCycles {
  readonly kind = 'CosineAnnealingWarmUpRestarts' as const;

  constructor(c: SchedulerConstruction, ctx: BuildContext) {
    const args = new Args(c.kind, c.args);
    const { t0, tMult } = checkRestartArgs(args, 'LR140');
    const upArg = args.get('T_up');
    const tUp = comparable(upArg, '<', 'int', 'T_up', 'LR140');
    if (tUp < 0 || !isInstanceInt(upArg)) throw expectedPositiveInt('T_up', upArg, 'LR140');
    super(requireOptimizer(c, ctx, args), t0, tMult, tUp, args.num('eta_max'), args.num('gamma'), args.lastEpoch());
    this.init(args.lastEpoch());
  }

  /** `T_i = (T_i - T_up) * T_mult + T_up`. */
  protected nextLen(len: number): number {
    return (len - this.warmup) * this.mult + this.warmup;
  }

  /** `n = int(math.log(epoch / T_0 * (T_mult - 1) + 1, T_mult))`, `T_cur = epoch - T_0 * (T_mult**n - 1) / (T_mult - 1)`. */
  protected position(epoch: number): CyclePosition {
    const m = this.mult;
    const n = Math.trunc(Math.log(epoch / this.firstLen * (m - 1) + 1) / Math.log(m));
    return { cycle: n, inCycle: epoch - this.firstLen * (Math.pow(m, n) - 1) / (m - 1), len: this.firstLen * Math.pow(m, n) };
  }

  override getLastLr(): void {
    throw warmUpRestartsNoLastLr();
  }

  override markers(steps: number): Marker[] {
    return this.cycleMarkers(steps, 'eta_max');
  }
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
