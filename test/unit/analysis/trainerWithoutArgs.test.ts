/**
 * transformers' `Trainer(model=…, train_dataset=…)` without `args`: `Trainer.__init__` makes
 * `TrainingArguments(output_dir="tmp_trainer")` (transformers/trainer.py, "No `TrainingArguments` passed") and builds
 * its default schedule: linear from learning_rate 5e-5 to 0 over num_train_epochs 3 × updates per epoch, no warm-up
 * (get_linear_schedule_with_warmup: lr · max(0, (N − k) / N)). The file read "no learning-rate scheduler found".
 */
import * as assert from 'assert';
import { analyze } from '../../../src/analysis/analyze';

const S = 20;
const HEAD = 'import torch\nfrom transformers import Trainer, AutoModelForSequenceClassification\nmodel = AutoModelForSequenceClassification.from_pretrained("bert-base-uncased")\n';
const run = (src: string) => analyze(src, 'python', { strict: true, assumedStepsPerEpoch: S });

describe('a transformers Trainer given no args builds TrainingArguments\' default schedule', () => {
  it('previewed at the Trainer call: linear from 5e-5 over 3 epochs of the assumed batches', async () => {
    const r = await run(`${HEAD}trainer = Trainer(model=model, train_dataset=train_ds, eval_dataset=eval_ds)\ntrainer.train()\n`);
    assert.deepStrictEqual(r.schedulers.map((s) => s.kind), ['trainer.TrainingArguments']);
    const s = r.schedulers[0]!;
    assert.strictEqual(s.range.start.line, 3);
    const n = 3 * S;
    const lrs = Array.from(s.curve!.lrs[0]!);
    assert.strictEqual(lrs.length, n + 1);
    lrs.forEach((v, k) => assert.ok(Math.abs(v - 5e-5 * Math.max(0, (n - k) / n)) <= 1e-9 * 5e-5, `step ${k}: ${v}`));
    assert.ok(s.assumed.some((a) => a.what === 'batches per epoch' && a.value === S), JSON.stringify(s.assumed));
  });

  it('optimizers=(opt, None): on that optimizer\'s lr; optimizers=(opt, sched): none built, the given one runs', async () => {
    const opt = 'opt = torch.optim.AdamW(model.parameters(), lr=1e-4)\nsched = torch.optim.lr_scheduler.StepLR(opt, step_size=100)\n';
    const own = await run(`${HEAD}${opt}trainer = Trainer(model=model, train_dataset=ds, optimizers=(opt, None))\n`);
    const t = own.schedulers.find((s) => s.kind === 'trainer.TrainingArguments');
    assert.ok(t?.curve, JSON.stringify(own.schedulers.map((s) => [s.kind, s.error])));
    assert.strictEqual(t.curve.lrs[0]![0], 1e-4);
    const given = await run(`${HEAD}${opt}trainer = Trainer(model=model, train_dataset=ds, optimizers=(opt, sched))\n`);
    assert.deepStrictEqual(given.schedulers.map((s) => s.kind), ['StepLR']);
  });

  it('not when `args` may come from **kwargs, nor for a subclass of Trainer (its own parameters)', async () => {
    const splat = await run(`${HEAD}kw = load()\ntrainer = Trainer(model=model, **kw)\n`);
    assert.ok(!splat.schedulers.some((s) => s.kind === 'trainer.TrainingArguments'));
    const sub = await run(`${HEAD}class MyTrainer(Trainer):\n    def __init__(self, model, data):\n        super().__init__(model=model, train_dataset=data)\ntrainer = MyTrainer(model, ds)\n`);
    assert.ok(!sub.schedulers.some((s) => s.range.start.line === 7), JSON.stringify(sub.schedulers.map((s) => [s.kind, s.range.start.line])));
  });
});
