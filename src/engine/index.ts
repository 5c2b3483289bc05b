/**
 * The schedule engine's public surface. Pure: no `vscode`, no DOM, no I/O.
 */
export * from './types';
export { SIGNATURES, SCHEDULER_KINDS, isSchedulerKind, bindArgs, withDefaults, type Bound } from './signatures';
export { pyRepr, pyStr, pyTypeName, pyFloatRepr } from './py';
export { OPTIMIZERS, makeOptimizer, type OptimizerSpec, type OptimizerKwargs, type GroupKwargs } from './optimizers';
export { simulate, MAX_SIMULATED_STEPS } from './simulate';
export { defaultHorizon, MIN_HORIZON, MAX_HORIZON, type Horizon } from './horizon';
export { summarize } from './summary';
export { plateauEnvelope, type PlateauEnvelope } from './envelope';
