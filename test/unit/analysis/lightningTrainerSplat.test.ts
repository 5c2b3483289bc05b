/**
 * A Lightning Trainer built from a config LR Lens cannot read (`pl.Trainer(**cfg["trainer"])`, hydra's
 * `Trainer(**cfg.trainer)`): Python passes max_epochs / max_steps through the `**` argument, so they are not known.
 * LR Lens read the call as `Trainer()` with neither and took Lightning's default of 1000 epochs (the default applies
 * only when neither is given: loops/utilities.py `_parse_loop_limits`), drawing CosineAnnealingLR(T_max=50) over 1000
 * epochs. Now the run length is unknown, naming the `**` argument, and so is `estimated_stepping_batches`.
 */
import * as assert from 'assert';
import { run } from './pythonRun';

const lit = (sched: string) => `import yaml
import sys
import torch
import pytorch_lightning as pl
from transformers import get_cosine_schedule_with_warmup


class LitModel(pl.LightningModule):
    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=1e-3)
        return ${sched}
`;

describe('Lightning Trainer(**config)', () => {
  it('max_epochs from an unexpanded `**`: run length unknown, not Lightning\'s 1000-epoch default', async () => {
    const r = await run(`${lit('[opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=50)]')}

cfg = yaml.safe_load(open(sys.argv[1]))
trainer = pl.Trainer(**cfg["trainer"], log_every_n_steps=10)
trainer.fit(LitModel())
`);
    const s = r.schedulers[0]!;
    assert.strictEqual(s.run!.epochs, null);
    assert.strictEqual(s.run!.steps, null);
    assert.doesNotMatch(s.run!.source, /1000/);
    assert.match(s.run!.source, /max_epochs \/ max_steps are not known \(`\*\*cfg\["trainer"\]`/);
    // The preview falls back to the length the arguments imply (T_max + 1), labelled.
    assert.strictEqual(s.curve!.lrs[0]!.length, 51);
  });

  it('a `**` dict the walk reads is expanded as before (max_epochs=20)', async () => {
    const r = await run(`${lit('[opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=50)]')}

trainer_cfg = {"max_epochs": 20}
trainer = pl.Trainer(**trainer_cfg)
trainer.fit(LitModel())
`);
    assert.strictEqual(r.schedulers[0]!.run!.epochs, 20);
  });

  it('estimated_stepping_batches with Trainer(max_steps=…, **cfg): unknown (max_epochs may be in the config)', async () => {
    const r = await run(`${lit(`{"optimizer": opt, "lr_scheduler": {"scheduler": get_cosine_schedule_with_warmup(opt, 10, self.trainer.estimated_stepping_batches), "interval": "step"}}`)}

cfg = yaml.safe_load(open(sys.argv[1]))
trainer = pl.Trainer(max_steps=2000, **cfg["trainer"])
trainer.fit(LitModel())
`);
    const s = r.schedulers[0]!;
    assert.strictEqual(s.curve, null);
    assert.match(s.error ?? '', /max_epochs may come from its unexpanded argument/);
  });
});

/**
 * The same for transformers' TrainingArguments(**cfg): Trainer.create_scheduler's length is `max_steps` when > 0, else
 * num_train_epochs × updates per epoch (trainer.py), and both may be in the `**`. LR Lens's run said "3 epochs" (the
 * defaults) although no curve could be drawn.
 */
describe('transformers TrainingArguments(**config)', () => {
  const src = (call: string) => `import sys
import yaml
import torch
from transformers import Trainer, TrainingArguments, get_linear_schedule_with_warmup

cfg = yaml.safe_load(open(sys.argv[1]))
training_args = ${call}
opt = torch.optim.AdamW(torch.nn.Linear(2, 2).parameters(), lr=1e-4)
sched = get_linear_schedule_with_warmup(opt, 10, 1000)
trainer = Trainer(model=None, args=training_args, optimizers=(opt, sched))
trainer.train()
`;

  it('the length fields may come from the `**`: the given scheduler\'s run is unknown, not the 3-epoch default', async () => {
    const r = await run(src('TrainingArguments(output_dir="out", **cfg["training"])'));
    const sched = r.schedulers.find((s) => s.variable === 'sched')!;
    assert.strictEqual(sched.run!.steps, null);
    assert.strictEqual(sched.run!.epochs, null);
    assert.match(sched.run!.source, /its length is not known \(`\*\*cfg\["training"\]`/);
  });

  it('max_steps written by name decides the length whatever the `**` holds (transformers: max_steps > 0 wins)', async () => {
    const r = await run(src('TrainingArguments(output_dir="out", max_steps=500, **cfg["training"])'));
    assert.strictEqual(r.schedulers.find((s) => s.variable === 'sched')!.run!.steps, 500);
  });
});

/**
 * `self.trainer.max_epochs` / `self.trainer.max_steps` in configure_optimizers (`CosineAnnealingLR(opt,
 * T_max=self.trainer.max_epochs)`, a common Lightning line): the Trainer's own argument when the file's Trainer call
 * writes it as a number (Lightning's fit loop keeps it as given); otherwise Lightning derives it (`_parse_loop_limits`),
 * left unknown. Values: torch 1.13's CosineAnnealingLR with T_max=30 reaches eta_min 0 at epoch 30; half way it is
 * 1e-3 · ½(1 + cos(π/2)).
 */
describe('Lightning self.trainer.max_epochs / max_steps', () => {
  const src = (trainer: string) => `import torch
import pytorch_lightning as pl


class M(pl.LightningModule):
    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=1e-3)
        sch = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=self.trainer.max_epochs)
        return [opt], [sch]


trainer = ${trainer}
trainer.fit(M())
`;

  it('Trainer(max_epochs=30): T_max is 30', async () => {
    const r = await run(src('pl.Trainer(max_epochs=30)'));
    const s = r.schedulers[0]!;
    assert.deepStrictEqual(s.args.T_max, 30);
    const lrs = s.curve!.lrs[0]!;
    assert.strictEqual(lrs.length, 31);
    assert.ok(Math.abs(lrs[15]! - 1e-3 * 0.5 * (1 + Math.cos(Math.PI / 2))) < 1e-15);
    assert.ok(Math.abs(lrs[30]!) < 1e-18);
  });

  it('Trainer(max_steps=500) only: max_epochs is Lightning\'s to derive (-1 or 1000): unknown', async () => {
    const r = await run(src('pl.Trainer(max_steps=500)'));
    assert.strictEqual(r.schedulers[0]!.curve, null);
    assert.match(r.schedulers[0]!.error ?? '', /`self\.trainer\.max_epochs`: the file's `Trainer\(…\)` does not give it as a number/);
  });
});
