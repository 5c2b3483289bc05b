/**
 * Mutable optimizer state shared by every scheduler built on it, exactly like
 * torch's `optimizer.param_groups` dicts: a key that torch would not have is
 * `undefined` here (reading it is a KeyError in torch).
 */
import type { OptimizerInit } from './types';

/** One param group. A class with a fixed shape keeps property access monomorphic in the hot loops. */
export class Group {
  lr: number;
  initialLr: number | undefined;
  momentum: number | undefined;
  /** `betas` is stored as two numbers; `hasBetas` says whether the key exists. */
  hasBetas: boolean;
  beta1: number;
  beta2: number;
  /** Keys written by OneCycleLR. */
  maxLr: number | undefined = undefined;
  minLr: number | undefined = undefined;
  maxMomentum: number | undefined = undefined;
  baseMomentum: number | undefined = undefined;

  constructor(lr: number, initialLr: number | undefined, momentum: number | undefined, betas: [number, number] | undefined) {
    this.lr = lr;
    this.initialLr = initialLr;
    this.momentum = momentum;
    this.hasBetas = betas !== undefined;
    this.beta1 = betas ? betas[0] : NaN;
    this.beta2 = betas ? betas[1] : NaN;
  }
}

/** An optimizer during one simulation. */
export class OptState {
  readonly groups: Group[];
  /** `'momentum' in optimizer.defaults` / `'betas' in optimizer.defaults`. */
  readonly momentumInDefaults: boolean;
  readonly betasInDefaults: boolean;

  constructor(readonly index: number, readonly init: OptimizerInit) {
    this.groups = init.groups.map((g) => new Group(g.lr, g.initial_lr, g.momentum, g.betas));
    this.momentumInDefaults = init.defaults.momentum !== undefined;
    this.betasInDefaults = init.defaults.betas !== undefined;
  }

  get type(): string {
    return this.init.type;
  }
}
