/**
 * Builds the simulated object for one construction of the program (throws the
 * PyError torch's constructor would raise).
 */
import { UNCLAIMED } from '../errors';
import { blamed, PyError, type SchedulerConstruction } from '../types';
import type { BuildContext, Scheduler } from './base';
import { CosineAnnealingWarmUpRestarts, WarmupConstantSchedule } from './blog';
import { ChainedScheduler, SequentialLR } from './composite';
import { CosineAnnealingLR } from './cosine';
import { CyclicLR } from './cyclic';
import { ExponentialLR, PolynomialLR } from './decay';
import { ConstantLR, LinearLR } from './factor';
import { LambdaLR, MultiplicativeLR } from './lambda';
import { OneCycleLR } from './oneCycle';
import { ReduceLROnPlateau } from './plateau';
import { MultiStepLR, StepLR } from './step';
import { CosineAnnealingWarmRestarts } from './warmRestarts';

export { Scheduler, StepFailure, type BuildContext, type MomentumOut } from './base';
export { ReduceLROnPlateau } from './plateau';

/**
 * torch's constructor for `c.kind` on the shared state in `ctx`. What it raises carries the rule of the
 * check that raised it; a class that files every other failure under one rule (UNCLAIMED) gives it here.
 */
export function constructScheduler(c: SchedulerConstruction, ctx: BuildContext): Scheduler {
  try {
    return construct(c, ctx);
  } catch (e) {
    throw blamed(e, UNCLAIMED[c.kind]);
  }
}

function construct(c: SchedulerConstruction, ctx: BuildContext): Scheduler {
  switch (c.kind) {
    case 'LambdaLR': return new LambdaLR(c, ctx);
    case 'WarmupConstantSchedule': return new WarmupConstantSchedule(c, ctx);
    case 'MultiplicativeLR': return new MultiplicativeLR(c, ctx);
    case 'StepLR': return new StepLR(c, ctx);
    case 'MultiStepLR': return new MultiStepLR(c, ctx);
    case 'ConstantLR': return new ConstantLR(c, ctx);
    case 'LinearLR': return new LinearLR(c, ctx);
    case 'ExponentialLR': return new ExponentialLR(c, ctx);
    case 'PolynomialLR': return new PolynomialLR(c, ctx);
    case 'CosineAnnealingLR': return new CosineAnnealingLR(c, ctx);
    case 'CosineAnnealingWarmRestarts': return new CosineAnnealingWarmRestarts(c, ctx);
    case 'CyclicLR': return new CyclicLR(c, ctx);
    case 'OneCycleLR': return new OneCycleLR(c, ctx);
    case 'SequentialLR': return new SequentialLR(c, ctx);
    case 'ChainedScheduler': return new ChainedScheduler(c, ctx);
    case 'ReduceLROnPlateau': return new ReduceLROnPlateau(c, ctx);
    case 'CosineAnnealingWarmUpRestarts': return new CosineAnnealingWarmUpRestarts(c, ctx);
    default: throw new PyError('NotImplementedError', `LR Lens does not simulate ${String((c as { kind: unknown }).kind)}`);
  }
}
