/**
 * The blog post's CosineAnnealingWarmUpRestarts (semantics.md §6.1): linear
 * warm-up from the optimizer's lr to eta_max, cosine back down, restarts whose
 * cosine part grows by T_mult and whose peak decays by gamma.
 */
import { comparable, isPyInt, pyDiv } from '../py';
import { PyError, type Marker, type SchedulerConstruction } from '../types';
import { Args, fmt, LRScheduler, requireOptimizer, StepFailure, type BuildContext, type MomentumOut } from './base';
import { checkRestartArgs, restartSteps } from './warmRestarts';

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
    const { t0, tMult } = checkRestartArgs(args);
    const upArg = args.get('T_up');
    const tUp = comparable(upArg, '<', 'int', 'T_up');
    if (tUp < 0 || !isPyInt(upArg)) throw new PyError('ValueError', `Expected positive integer T_up, but got ${fmt(upArg)}`, 'T_up');
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
    const tCur = this.tCur;
    if (tCur === -1) return base;
    if (tCur < this.tUp) return (this.etaMax - base) * tCur / this.tUp + base;
    return base + (this.etaMax - base) * (1 + Math.cos(pyDiv(Math.PI * (tCur - this.tUp), this.tI - this.tUp))) / 2;
  }

  protected applyLr(): void {
    const groups = this.groups;
    const values = this.baseLrs.map((b) => this.value(b));
    for (let i = 0; i < values.length; i++) groups[i]!.lr = values[i]!;
  }

  override getLastLr(): void {
    throw new PyError('AttributeError', "'CosineAnnealingWarmUpRestarts' object has no attribute '_last_lr'");
  }

  override run(out: Float64Array[], mom: MomentumOut | null, from: number, to: number): void {
    if (mom) return super.run(out, mom, from, to);
    const groups = this.groups;
    const base = this.baseLrs;
    const n = out.length;
    let k = from;
    try {
      for (; k < to; k++) {
        this.advance();
        this.etaMax = this.baseEtaMax * Math.pow(this.gamma, this.cycle);
        for (let g = 0; g < n; g++) {
          const v = this.value(base[g]!);
          groups[g]!.lr = v;
          out[g]![k] = v;
        }
        this.lastEpoch++;
      }
    } catch (err) {
      throw new StepFailure(k, err);
    }
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
