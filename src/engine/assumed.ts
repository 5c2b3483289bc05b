/**
 * The default of the batches per epoch assumed when a length comes from epochs (the dataset's length is a run-time
 * value): a Trainer's `num_train_epochs`, a training loop over a loader. The setting (`Program.assumedStepsPerEpoch`,
 * from AnalyzeOptions) overrides it for both. A file of its own, importing nothing: the extension's settings read it
 * (src/extension/config.ts) without bundling the engine (the analysis runs in its worker bundle).
 */
export const ASSUMED_STEPS_PER_EPOCH = 100;
