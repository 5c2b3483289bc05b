/**
 * `self.trainer` inside a LightningModule: the one attribute the schedule code reads from it,
 * `estimated_stepping_batches` (Lightning's `Trainer.estimated_stepping_batches`, the documented way to size a
 * per-step schedule in `configure_optimizers`). Lightning (src/lightning/pytorch/trainer/trainer.py) returns
 * `max_steps` when `max_epochs == -1`, which `_parse_loop_limits` (loops/utilities.py) sets when `max_epochs` is not
 * given and `max_steps` is; otherwise `ceil(batches / accumulate_grad_batches) × max_epochs` (capped by `max_steps`),
 * which needs the training set's length. So it is known from the file's single `Trainer(max_steps=N)` without
 * `max_epochs` (or with `max_epochs=-1`), and unknown, saying why, otherwise. `max_epochs` / `max_steps` are the
 * Trainer's own arguments when written as numbers (`T_max=self.trainer.max_epochs`).
 */
import type { Interpreter } from './interp';
import { unknown, type PyVal } from './values';

const LIGHTNING_MODULE = /(^|\.)LightningModule$/;

/** The class (a `class` value) derives from Lightning's LightningModule, through classes of the file. */
export function isLightningModule(cls: PyVal, depth = 0): boolean {
  if (depth > 8) return false;
  if (cls.k === 'ref') return LIGHTNING_MODULE.test(cls.path);
  if (cls.k !== 'class') return false;
  return (cls.bases ?? []).some((b) => isLightningModule(b, depth + 1));
}

const intOf = (v: PyVal | null): number | null => (v && v.k === 'int' ? v.v : null);

/** `self.trainer` of a LightningModule, with `estimated_stepping_batches` when the file's Trainer call decides it. */
export function lightningTrainer(I: Interpreter): PyVal {
  const trainers = I.loopFacts?.trainers ?? [];
  const t = trainers.length === 1 ? trainers[0]! : null;
  const maxSteps = intOf(t?.maxSteps ?? null);
  const epochsUnset = !!t && t.splat === undefined && (t.maxEpochs === null || t.maxEpochs.k === 'none' || intOf(t.maxEpochs) === -1);
  let esb: PyVal;
  if (t && epochsUnset && maxSteps !== null && maxSteps > 0) {
    esb = { k: 'int', v: maxSteps, ...(t.maxSteps?.assumed ? { assumed: t.maxSteps.assumed } : {}) };
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
