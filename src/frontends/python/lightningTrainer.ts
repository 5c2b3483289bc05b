/**
 * `self.trainer` inside a LightningModule: the one attribute the schedule code reads from it,
 * `estimated_stepping_batches` (Lightning's `Trainer.estimated_stepping_batches`, the documented way to size a
 * per-step schedule in `configure_optimizers`). Lightning (src/lightning/pytorch/trainer/trainer.py) returns
 * `max_steps` when `max_epochs == -1`, which `_parse_loop_limits` (loops/utilities.py) sets when `max_epochs` is not
 * given and `max_steps` is; otherwise `ceil(batches / accumulate_grad_batches) × max_epochs` (capped by `max_steps`),
 * which needs the training set's length. So it is known from the file's single `Trainer(max_steps=N)` without
 * `max_epochs` (or with `max_epochs=-1`); from a written `max_epochs` with LR Lens's assumed batches per epoch, labelled
 * (`fromBatches`); unknown, saying why, otherwise. `max_epochs` / `max_steps` are the
 * Trainer's own arguments when written as numbers (`T_max=self.trainer.max_epochs`).
 */
import { joinLabels } from './access';
import type { Interpreter } from './interp';
import { batchesAssumedLabel, unknown, type PyVal } from './values';

const LIGHTNING_MODULE = /(^|\.)LightningModule$/;

/** The class (a `class` value) derives from Lightning's LightningModule, through classes of the file. */
export function isLightningModule(cls: PyVal, depth = 0): boolean {
  if (depth > 8) return false;
  if (cls.k === 'ref') return LIGHTNING_MODULE.test(cls.path);
  if (cls.k !== 'class') return false;
  return (cls.bases ?? []).some((b) => isLightningModule(b, depth + 1));
}

const intOf = (v: PyVal | null): number | null => (v && v.k === 'int' ? v.v : null);

/**
 * `estimated_stepping_batches` from the Trainer's `max_epochs` (a whole number, written), as Lightning computes it:
 * `ceil(batches / accumulate_grad_batches) × max(max_epochs, 1)`, capped by `max_steps`, with the batches per epoch
 * LR Lens's assumed number (the training loader's length, labelled as `len(train_loader)` is), fewer when
 * `limit_train_batches` is a whole number. Null when an argument it needs is not a known whole number (a fraction
 * `limit_train_batches`, an accumulation schedule, a `**kwargs` that may set them).
 */
function fromBatches(t: { maxEpochs: PyVal | null; maxSteps: PyVal | null; limitBatches: PyVal | null; accumulate: PyVal | null; splat?: string }, perEpoch: number): PyVal | null {
  if (t.splat !== undefined) return null;
  const epochs = intOf(t.maxEpochs);
  const acc = t.accumulate === null || t.accumulate.k === 'none' ? 1 : intOf(t.accumulate);
  const limit = t.limitBatches === null || t.limitBatches.k === 'none' ? null : intOf(t.limitBatches);
  const steps = t.maxSteps === null || t.maxSteps.k === 'none' ? -1 : intOf(t.maxSteps);
  if (epochs === null || epochs < 0 || acc === null || acc < 1 || steps === null || (t.limitBatches !== null && t.limitBatches.k !== 'none' && (limit === null || limit < 0))) return null;
  const batches = limit === null ? perEpoch : Math.min(perEpoch, limit);
  let n = Math.ceil(batches / acc) * Math.max(epochs, 1);
  if (steps !== -1) n = Math.min(n, steps);
  const label = batchesAssumedLabel('the training loader\'s length (Lightning\'s estimated_stepping_batches counts its batches)', perEpoch);
  const assumed = [t.maxEpochs, t.accumulate, t.maxSteps, t.limitBatches].reduce<string | undefined>((l, v) => joinLabels(l, v?.assumed), undefined);
  return { k: 'int', v: n, assumed: joinLabels(assumed, label)! };
}

/** `self.trainer` of a LightningModule, with `estimated_stepping_batches` when the file's Trainer call decides it. */
export function lightningTrainer(I: Interpreter): PyVal {
  const trainers = I.loopFacts?.trainers ?? [];
  const t = trainers.length === 1 ? trainers[0]! : null;
  const maxSteps = intOf(t?.maxSteps ?? null);
  const epochsUnset = !!t && t.splat === undefined && (t.maxEpochs === null || t.maxEpochs.k === 'none' || intOf(t.maxEpochs) === -1);
  let esb: PyVal;
  const fromEpochs = t && !epochsUnset ? fromBatches(t, I.assumedStepsPerEpoch) : null;
  if (t && epochsUnset && maxSteps !== null && maxSteps > 0) {
    esb = { k: 'int', v: maxSteps, ...(t.maxSteps?.assumed ? { assumed: t.maxSteps.assumed } : {}) };
  } else if (fromEpochs) {
    esb = fromEpochs;
  } else {
    const why = !t
      ? (trainers.length ? 'the file has several `Trainer(…)` calls' : 'no `Trainer(…)` call of the file is seen before it')
      : t.splat !== undefined && t.maxEpochs === null ? `the Trainer's max_epochs may come from its unexpanded argument (${t.splat})`
      : 'Lightning computes it from the training set\'s length (max_epochs × ceil(batches / accumulate_grad_batches), capped by max_steps)';
    esb = unknown(`\`self.trainer.estimated_stepping_batches\`: ${why}`);
  }
  // `self.trainer.max_epochs` / `max_steps` (the fit loop's limits, `T_max=self.trainer.max_epochs`): the file's Trainer
  // argument when it is written as a number; otherwise Lightning derives them (`_parse_loop_limits`: max_epochs 1000
  // or -1 depending on max_steps and a Timer callback), which is left unknown here.
  const attrs = new Map<string, PyVal>([['estimated_stepping_batches', esb]]);
  for (const [attr, val] of [['max_epochs', t?.maxEpochs ?? null], ['max_steps', t?.maxSteps ?? null]] as const) {
    if (val && val.k === 'int') attrs.set(attr, val);
  }
  return {
    k: 'ns', typeName: 'Trainer', attrs,
    missing: (attr) => (attr === 'max_epochs' || attr === 'max_steps') && t
      ? `\`self.trainer.${attr}\`: the file's \`Trainer(…)\` does not give it as a number (Lightning derives it at run time)`
      : `\`self.trainer.${attr}\` is set at run time`,
  };
}
