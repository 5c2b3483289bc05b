/**
 * Fourth audit, other families (timm, pl_bolts, Lightning, transformers/TRL): what LR Lens says about real
 * training code of those libraries. Fixtures are short adaptations of public scripts; expected values come
 * from the libraries' own source (cited per case) and Python 3.11's messages, not from our output.
 */
import * as assert from 'assert';
import { analyze } from '../../../src/analysis/analyze';
import type { SchedulerAnalysis } from '../../../src/analysis/types';

async function all(src: string): Promise<SchedulerAnalysis[]> {
  return (await analyze(src, 'python', { strict: true })).schedulers;
}
async function one(src: string, variable: string): Promise<SchedulerAnalysis> {
  const ss = await all(src);
  const s = ss.find((x) => x.variable === variable);
  assert.ok(s, `no ${variable} (found ${ss.map((x) => `${x.kind} ${x.variable}`).join(', ')})`);
  return s;
}
const codes = (s: SchedulerAnalysis) => s.diagnostics.map((d) => `${d.code}:${d.severity}`);

/**
 * timm/scheduler/scheduler.py (huggingface/pytorch-image-models): `def step(self, epoch: int, metric: float = None)`,
 * `def step_update(self, num_updates: int, metric: float = None)` — both required. Python 3.11 on a call without
 * them: "Scheduler.step() missing 1 required positional argument: 'epoch'" (the qualname of the defining class).
 */
const TIMM = {
  stepMissing: "TypeError: Scheduler.step() missing 1 required positional argument: 'epoch'",
  updateMissing: "TypeError: Scheduler.step_update() missing 1 required positional argument: 'num_updates'",
};

const timmLoop = (stepCall: string, extra = '') => `
import torch
from timm.scheduler import CosineLRScheduler

model = torch.nn.Linear(2, 2)
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
num_epochs = 20
scheduler = CosineLRScheduler(optimizer, t_initial=num_epochs, lr_min=1e-6, warmup_t=3, warmup_lr_init=1e-5${extra})
for epoch in range(num_epochs):
    for x in range(10):
        optimizer.step()
    val_loss = 0.5
    ${stepCall}
`;

describe('audit 4 (families): timm step() arguments (LR177)', () => {
  it('step() without the epoch: timm raises TypeError on the first call — an error, not a normal run', async () => {
    const s = await one(timmLoop('scheduler.step()'), 'scheduler');
    const d = s.diagnostics.find((x) => x.code === 'LR177');
    assert.ok(d, codes(s).join(','));
    assert.strictEqual(d.severity, 'error');
    assert.ok(d.message.includes(TIMM.stepMissing), d.message);
    assert.strictEqual(d.range.start.line + 1, 13);
    // The advice is timm's call, not "step() without arguments".
    assert.match(d.message, /step\(epoch \+ 1\)/);
  });

  it('step(metric=val_loss): the metric keyword does not bind the epoch — the same TypeError', async () => {
    const s = await one(timmLoop('scheduler.step(metric=val_loss)'), 'scheduler');
    const d = s.diagnostics.find((x) => x.code === 'LR177');
    assert.ok(d && d.severity === 'error' && d.message.includes(TIMM.stepMissing), codes(s).join(','));
  });

  it('step_update() without the update count (t_in_epochs=False): TypeError too', async () => {
    const src = timmLoop('scheduler.step_update()', ', t_in_epochs=False');
    const s = await one(src, 'scheduler');
    const d = s.diagnostics.find((x) => x.code === 'LR177');
    assert.ok(d && d.severity === 'error' && d.message.includes(TIMM.updateMissing), codes(s).join(','));
  });

  it('step(val_loss): a warning whose fix passes the epoch first (timm has no step() without arguments)', async () => {
    const s = await one(timmLoop('scheduler.step(val_loss)'), 'scheduler');
    const d = s.diagnostics.find((x) => x.code === 'LR177');
    assert.ok(d && d.severity === 'warning', codes(s).join(','));
    assert.match(d.message, /step\(epoch \+ 1, val_loss\)/);
    assert.doesNotMatch(d.message, /without arguments/);
  });

  it('quiet on the calls timm documents: step(epoch + 1), step(epoch + 1, val_loss), step(epoch=…), step_update(num_updates=…)', async () => {
    for (const call of ['scheduler.step(epoch + 1)', 'scheduler.step(epoch + 1, val_loss)', 'scheduler.step(epoch=epoch + 1, metric=val_loss)']) {
      const s = await one(timmLoop(call), 'scheduler');
      assert.ok(!s.diagnostics.some((x) => x.code === 'LR177'), `${call}: ${codes(s).join(',')}`);
    }
    const s = await one(timmLoop('scheduler.step_update(num_updates=epoch * 10)', ', t_in_epochs=False'), 'scheduler');
    assert.ok(!s.diagnostics.some((x) => x.code === 'LR177'), codes(s).join(','));
  });

  it('torch: step(metric=val_loss) is not "a metric as the epoch" (the keyword is not the epoch)', async () => {
    const src = timmLoop('scheduler.step(metric=val_loss)').replace('from timm.scheduler import CosineLRScheduler', 'from torch.optim.lr_scheduler import StepLR')
      .replace(/CosineLRScheduler\(.*\)/, 'StepLR(optimizer, step_size=5)');
    const s = await one(src, 'scheduler');
    assert.ok(!s.diagnostics.some((x) => x.code === 'LR177' && /becomes the epoch/.test(x.message)), codes(s).join(','));
  });
});

/**
 * A call Python rejects as written (binding TypeError) depends on no assumed value. timm 0.4.x's
 * CosineLRScheduler was `(optimizer, t_initial, t_mul=1., lr_min=0., decay_rate=1., warmup_t=0, warmup_lr_init=0,
 * warmup_prefix=False, cycle_limit=0, …)`; timm 1.0's (timm/scheduler/cosine_lr.py) is `(optimizer, t_initial,
 * lr_min=0., cycle_mul=1., cycle_decay=1., cycle_limit=1, warmup_t=0, …)`: `decay_rate=` raises only with the newer
 * one. Fixture: a public VTAB fine-tuning script (timm CosineLRScheduler(…, decay_rate=0.1), `--lr` default 1e-3).
 */
describe('audit 4 (families): binding TypeErrors from the call as written', () => {
  const vtab = (kw: string) => `
import torch as th
from argparse import ArgumentParser
from timm.scheduler import CosineLRScheduler

parser = ArgumentParser()
parser.add_argument("--lr", default=1e-3, type=float)
args = parser.parse_args()
optimizer = th.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-4)
scheduler = CosineLRScheduler(optimizer, t_initial=100, warmup_t=10, lr_min=1e-5, warmup_lr_init=1e-6, ${kw})
`;

  it('a keyword older timm took (decay_rate): a warning saying which timm raises, never "would raise if lr is 0.001"', async () => {
    const s = await one(vtab('decay_rate=0.1'), 'scheduler');
    const d = s.diagnostics.find((x) => x.code === 'LR000' && /unexpected keyword argument 'decay_rate'/.test(x.message));
    assert.ok(d, codes(s).join(','));
    assert.strictEqual(d.severity, 'warning');
    assert.doesNotMatch(d.message, /would raise if lr/);
    assert.match(d.message, /cycle_decay/);
    assert.match(d.message, /0\.4/);
    // The entry's own reason says the same (the CLI's "no curve:" line and the hover).
    assert.match(s.error ?? '', /older releases \(timm 0\.4/);
  });

  it('t_mul (also renamed, to cycle_mul): the same warning', async () => {
    const s = await one(vtab('t_mul=1.0'), 'scheduler');
    const d = s.diagnostics.find((x) => x.code === 'LR000');
    assert.ok(d && d.severity === 'warning' && /cycle_mul/.test(d.message), codes(s).join(','));
  });

  it('a keyword no timm takes (warmup_epochs): an error whatever the assumed lr, without a "would raise if" condition', async () => {
    const s = await one(vtab('warmup_epochs=5'), 'scheduler');
    const d = s.diagnostics.find((x) => x.code === 'LR000');
    assert.ok(d, codes(s).join(','));
    assert.strictEqual(d.severity, 'error');
    assert.strictEqual(d.message, "TypeError: CosineLRScheduler.__init__() got an unexpected keyword argument 'warmup_epochs'");
  });

  it('a keyword read out of a **dict keeps its hedge (what the dict holds may rest on assumptions)', async () => {
    const src = vtab('warmup_t_=0').replace(', warmup_t_=0)', ', **cfg)').replace('optimizer = th', 'cfg = dict(warmup_epochs=5)\noptimizer = th');
    const s = await one(src, 'scheduler');
    const d = s.diagnostics.find((x) => x.code === 'LR000');
    assert.ok(d && d.severity !== 'error', codes(s).join(','));
  });
});

/**
 * pl_bolts' LinearWarmupCosineAnnealingLR(optimizer, warmup_epochs, max_epochs, …) (Lightning-Universe/lightning-bolts
 * src/pl_bolts/optimizers/lr_scheduler.py) names its lengths in epochs; its docstring's "default case" steps it once
 * per epoch (`for epoch in range(40): … scheduler.step()` with max_epochs=40). Stepped so, or by Lightning's default
 * interval "epoch" for as many epochs as max_epochs, it is not "a per-batch schedule stepped once per epoch", and one
 * value of its curve is an epoch, not an optimizer update.
 */
describe('audit 4 (families): pl_bolts stepped per epoch as its docstring does', () => {
  const docLoop = (maxEpochs: number) => `
import torch
from pl_bolts.optimizers.lr_scheduler import LinearWarmupCosineAnnealingLR

layer = torch.nn.Linear(10, 1)
optimizer = torch.optim.Adam(layer.parameters(), lr=0.02)
scheduler = LinearWarmupCosineAnnealingLR(optimizer, warmup_epochs=10, max_epochs=${maxEpochs})
for epoch in range(40):
    optimizer.step()
    scheduler.step()
`;
  const lightning = (maxEpochs: number) => `
import pytorch_lightning as pl
import torch
from pl_bolts.optimizers.lr_scheduler import LinearWarmupCosineAnnealingLR


class SelfSupervised(pl.LightningModule):
    def configure_optimizers(self):
        optimizer = torch.optim.Adam(self.parameters(), lr=1e-3)
        scheduler = LinearWarmupCosineAnnealingLR(optimizer, warmup_epochs=10, max_epochs=${maxEpochs})
        return [optimizer], [scheduler]


trainer = pl.Trainer(max_epochs=100)
trainer.fit(SelfSupervised())
`;

  it('the docstring loop (max_epochs=40 over 40 epochs): no LR170, one value per epoch', async () => {
    const s = await one(docLoop(40), 'scheduler');
    assert.strictEqual(s.run?.unit, 'epoch');
    assert.ok(!s.diagnostics.some((d) => d.code === 'LR170'), codes(s).join(','));
    assert.strictEqual(s.unit, 'epoch');
    assert.strictEqual(s.horizon.steps, 41);
  });

  it('max_epochs far beyond the epochs run (4000 over 40): LR170 still fires', async () => {
    const s = await one(docLoop(4000), 'scheduler');
    assert.ok(s.diagnostics.some((d) => d.code === 'LR170'), codes(s).join(','));
  });

  it('Lightning, interval "epoch", max_epochs equal to Trainer(max_epochs=100): no LR178, one value per epoch', async () => {
    const s = await one(lightning(100), 'scheduler');
    assert.ok(!s.diagnostics.some((d) => d.code === 'LR178'), codes(s).join(','));
    assert.strictEqual(s.unit, 'epoch');
  });

  it('Lightning, max_epochs=5000 over 100 epochs: LR178 says the lengths may count batches', async () => {
    const s = await one(lightning(5000), 'scheduler');
    const d = s.diagnostics.find((x) => x.code === 'LR178');
    assert.ok(d && /max_epochs=5000 is more than the 100 epochs/.test(d.message), codes(s).join(','));
  });

  it('transformers stepped per epoch keeps LR178 (its lengths count optimizer updates)', async () => {
    const src = lightning(100).replace('from pl_bolts.optimizers.lr_scheduler import LinearWarmupCosineAnnealingLR', 'from transformers import get_linear_schedule_with_warmup')
      .replace('LinearWarmupCosineAnnealingLR(optimizer, warmup_epochs=10, max_epochs=100)', 'get_linear_schedule_with_warmup(optimizer, 10, 100)');
    const s = await one(src, 'scheduler');
    assert.ok(s.diagnostics.some((d) => d.code === 'LR178'), codes(s).join(','));
  });
});

/**
 * TRL's trainers other than SFT: `DPOConfig`, `KTOConfig`, `GRPOConfig`, `RLOOConfig`, `RewardConfig` are
 * TrainingArguments (trl/trainer/base_config.py `_BaseConfig(TrainingArguments)`) whose only schedule-related override
 * is the lr default (trl/trainer/dpo_config.py 1e-6, grpo_config.py 1e-6, reward_config.py 1e-4), and their trainers
 * subclass transformers' Trainer (trl/trainer/base_trainer.py), whose create_scheduler builds
 * get_scheduler(lr_scheduler_type, …, num_warmup_steps=ceil(max_steps × warmup_ratio), num_training_steps=max_steps).
 * They were not recognised (no construction at all). Expected curves from transformers' lambdas.
 */
describe('audit 4 (families): TRL configs beyond SFTConfig', () => {
  it('DPOConfig (TRL quickstart): lr 1e-6, linear decay over 3 epochs × 100 assumed batches', async () => {
    const src = `
from datasets import load_dataset
from transformers import AutoModelForCausalLM, AutoTokenizer
from trl import DPOConfig, DPOTrainer

model = AutoModelForCausalLM.from_pretrained("Qwen/Qwen2-0.5B-Instruct")
tokenizer = AutoTokenizer.from_pretrained("Qwen/Qwen2-0.5B-Instruct")
train_dataset = load_dataset("trl-lib/ultrafeedback_binarized", split="train")
training_args = DPOConfig(output_dir="Qwen2-0.5B-DPO", logging_steps=10)
trainer = DPOTrainer(model=model, args=training_args, processing_class=tokenizer, train_dataset=train_dataset)
trainer.train()
`;
    const s = await one(src, 'training_args');
    assert.strictEqual(s.kind, 'trainer.DPOConfig');
    const lrs = s.curve!.lrs[0]!;
    assert.strictEqual(lrs.length, 301);
    // get_linear_schedule_with_warmup, w = 0, T = 300: max(0, (T − s) / max(1, T − w)).
    for (const k of [0, 1, 150, 299, 300]) assert.ok(Math.abs(lrs[k]! - 1e-6 * (300 - k) / 300) < 1e-18, `${k}: ${lrs[k]}`);
    assert.ok(s.assumed.some((a) => a.what === 'batches per epoch'));
  });

  it('GRPOConfig(warmup_ratio=0.1, lr_scheduler_type="cosine"), 1 epoch: 10 warm-up updates to 1e-6, then the cosine', async () => {
    const src = `
from trl import GRPOConfig, GRPOTrainer
training_args = GRPOConfig(output_dir="out", num_train_epochs=1, warmup_ratio=0.1, lr_scheduler_type="cosine")
trainer = GRPOTrainer(model="Qwen/Qwen2-0.5B-Instruct", reward_funcs=reward_len, args=training_args, train_dataset=dataset)
trainer.train()
`;
    const s = await one(src, 'training_args');
    const lrs = s.curve!.lrs[0]!;
    const T = 100;
    const w = Math.ceil(T * 0.1);
    const cosine = (k: number) => (k < w ? k / Math.max(1, w) : Math.max(0, 0.5 * (1 + Math.cos(Math.PI * 0.5 * 2 * ((k - w) / Math.max(1, T - w))))));
    for (const k of [0, 5, 10, 55, 100]) assert.ok(Math.abs(lrs[k]! - 1e-6 * cosine(k)) < 1e-18, `${k}: ${lrs[k]} vs ${1e-6 * cosine(k)}`);
  });

  it('RewardConfig(max_steps=500): lr 1e-4 over exactly 500 updates', async () => {
    const src = `
from trl import RewardConfig, RewardTrainer
training_args = RewardConfig(output_dir="rm", max_steps=500)
trainer = RewardTrainer(model=model, args=training_args, train_dataset=dataset)
trainer.train()
`;
    const s = await one(src, 'training_args');
    assert.strictEqual(s.curve!.lrs[0]![0], 1e-4);
    assert.strictEqual(s.horizon.steps, 501);
    assert.strictEqual(s.curve!.lrs[0]![500], 0);
  });
});

/**
 * Lightning's `self.trainer.estimated_stepping_batches` (src/lightning/pytorch/trainer/trainer.py): `max_steps` when
 * `max_epochs == -1`, which loops/utilities.py `_parse_loop_limits` sets when max_epochs is not given and max_steps
 * is; else ceil(batches / accumulate_grad_batches) × max_epochs (capped by max_steps), which needs the data's length.
 */
describe('audit 4 (families): Lightning estimated_stepping_batches', () => {
  const src = (trainer: string) => `
import lightning as L
import torch
from transformers import get_cosine_schedule_with_warmup


class LitModel(L.LightningModule):
    def configure_optimizers(self):
        optimizer = torch.optim.AdamW(self.parameters(), lr=3e-4)
        scheduler = get_cosine_schedule_with_warmup(optimizer, num_warmup_steps=50, num_training_steps=self.trainer.estimated_stepping_batches)
        return {"optimizer": optimizer, "lr_scheduler": {"scheduler": scheduler, "interval": "step"}}


trainer = ${trainer}
trainer.fit(LitModel(), train_loader)
`;

  it('Trainer(max_steps=2000) without max_epochs: num_training_steps is 2000 (transformers cosine, warm-up 50)', async () => {
    const s = await one(src('L.Trainer(max_steps=2000, accumulate_grad_batches=4)'), 'scheduler');
    assert.ok(s.curve, s.error ?? '');
    const lrs = s.curve.lrs[0]!;
    const w = 50;
    const T = 2000;
    const f = (k: number) => (k < w ? k / w : Math.max(0, 0.5 * (1 + Math.cos(Math.PI * 0.5 * 2 * ((k - w) / (T - w))))));
    for (const k of [0, 25, 50, 1000, 2000]) assert.ok(Math.abs(lrs[k]! - 3e-4 * f(k)) < 1e-17, `${k}: ${lrs[k]} vs ${3e-4 * f(k)}`);
  });

  it('with max_epochs: ceil(batches / accumulate_grad_batches) × max_epochs over the assumed 100 batches, capped by max_steps, labelled', async () => {
    for (const [t, n] of [['L.Trainer(max_epochs=3)', 300], ['L.Trainer(max_epochs=3, max_steps=2000)', 300],
      ['L.Trainer(max_epochs=30, max_steps=2000, accumulate_grad_batches=8)', 390], ['L.Trainer(max_epochs=100, max_steps=2000)', 2000],
      ['L.Trainer(max_epochs=5, limit_train_batches=40)', 200], ['L.Trainer(max_epochs=2, accumulate_grad_batches=3)', 68]] as const) {
      const s = await one(src(t), 'scheduler');
      const a = s.assumed.find((x) => x.what === 'num_training_steps');
      assert.deepStrictEqual(a && [a.value, /taken as 100 batches per epoch/.test(a.why)], [n, true], t);
      assert.ok(s.curve, `${t}: ${s.error}`);
      // transformers' cosine with 50 warm-up steps over n: 0 at the end.
      assert.ok(Math.abs(s.curve.lrs[0]![n]!) < 1e-20, `${t}: ends at 0`);
    }
  });

  it('with a fraction of the batches (limit_train_batches=0.25) or a **kwargs that may set them: unknown, saying so', async () => {
    for (const t of ['L.Trainer(max_epochs=3, limit_train_batches=0.25)', 'L.Trainer(max_epochs=3, **cfg)']) {
      const s = await one(src(t), 'scheduler');
      assert.strictEqual(s.curve, null, t);
      assert.match(s.error ?? '', /estimated_stepping_batches`/, t);
    }
  });
});

/**
 * timm's schedulers are stateless: `step(epoch)` writes the lr of the schedule at `epoch`, `step_update(num_updates)` at
 * `num_updates` (timm/scheduler/scheduler.py), whatever the count of calls. DeiT-style loops call `step(epoch)` at the end
 * of each epoch (0, 1, …), one behind `step(epoch + 1)`. CosineLRScheduler (cosine_lr.py `_get_lr`, warmup_prefix=False,
 * cycle_limit=1): t < warmup_t → warmup_lr_init + t·(base − warmup_lr_init)/warmup_t; t < t_initial →
 * lr_min + ½(base − lr_min)(1 + cos(π t / t_initial)); else lr_min.
 */
describe('audit 4 (families): timm reads its schedule at the step() argument', () => {
  const f = (t: number) => {
    const base = 1e-3; const lrMin = 1e-6; const wT = 3; const wInit = 1e-5; const T = 20;
    if (t < wT) return wInit + t * ((base - wInit) / wT);
    if (t < T) return lrMin + 0.5 * (base - lrMin) * (1 + Math.cos(Math.PI * t / T));
    return lrMin;
  };
  const close = (a: number, b: number) => Math.abs(a - b) <= 1e-15 + 1e-12 * Math.abs(b);

  it('step(epoch) at the end of each epoch: value i is the schedule at i − 1, ending at f(19), not lr_min', async () => {
    const s = await one(timmLoop('scheduler.step(epoch)'), 'scheduler');
    const lrs = s.curve!.lrs[0]!;
    assert.strictEqual(lrs.length, 21);
    for (let i = 1; i <= 20; i++) assert.ok(close(lrs[i]!, f(i - 1)), `${i}: ${lrs[i]} vs ${f(i - 1)}`);
    assert.ok(!close(lrs[20]!, 1e-6));
    assert.ok(s.notes.some((n) => /timm reads its schedule at the argument/.test(n)), s.notes.join(' | '));
  });

  it('step(epoch + 1) (timm train.py): value i is f(i), no assumption about the argument', async () => {
    const s = await one(timmLoop('scheduler.step(epoch + 1, val_loss)'), 'scheduler');
    const lrs = s.curve!.lrs[0]!;
    for (let i = 1; i <= 20; i++) assert.ok(close(lrs[i]!, f(i)), `${i}: ${lrs[i]} vs ${f(i)}`);
    assert.ok(!s.assumed.some((a) => a.what === 'step argument'), JSON.stringify(s.assumed));
  });

  it('an update count set per epoch and never incremented (a public trainer): the argument is labelled, not taken as the call count', async () => {
    const src = `
import torch
from timm.scheduler import CosineLRScheduler

model_cl = torch.nn.Linear(2, 2)
optimizer_cl = torch.optim.AdamW(model_cl.parameters(), lr=1e-3)
num_epochs = 10
training_generator = list(range(50))
scheduler_cl = CosineLRScheduler(optimizer_cl, t_initial=num_epochs * len(training_generator), lr_min=1e-6,
                                 warmup_t=50, warmup_lr_init=1e-5, t_in_epochs=False)
for epoch in range(num_epochs):
    num_updates = epoch * len(training_generator)
    for batch in training_generator:
        optimizer_cl.step()
        scheduler_cl.step_update(num_updates=num_updates)
`;
    const s = await one(src, 'scheduler_cl');
    const a = s.assumed.find((x) => x.what === 'step argument');
    assert.ok(a && a.placeholder && /step_update\(num_updates=num_updates\)/.test(a.why), JSON.stringify(s.assumed));
  });
});

/**
 * TRL's `TrlParser(HfArgumentParser)` (trl/scripts/utils.py): `parse_args_and_config()` reads an optional `--config`
 * YAML file into the dataclasses' defaults, then `parse_args_into_dataclasses()`. The shape of TRL's trl/scripts/sft.py
 * had no construction; its SFTConfig defaults (lr 2e-5, linear, 3 epochs) are labelled with both sources.
 */
describe('audit 4 (families): TrlParser.parse_args_and_config', () => {
  it('SFTConfig from TrlParser: the Trainer schedule, every field labelled as settable by the command line or --config', async () => {
    const src = `
from datasets import load_dataset
from trl import ModelConfig, ScriptArguments, SFTConfig, SFTTrainer, TrlParser


def main(script_args, training_args, model_args):
    dataset = load_dataset(script_args.dataset_name, name=script_args.dataset_config)
    trainer = SFTTrainer(model=model_args.model_name_or_path, args=training_args, train_dataset=dataset[script_args.dataset_train_split])
    trainer.train()


if __name__ == "__main__":
    parser = TrlParser((ScriptArguments, SFTConfig, ModelConfig))
    script_args, training_args, model_args = parser.parse_args_and_config()
    main(script_args, training_args, model_args)
`;
    const s = await one(src, 'trainer');
    assert.strictEqual(s.kind, 'trainer.SFTConfig');
    const lrs = s.curve!.lrs[0]!;
    // linear, no warm-up, 3 epochs × 100 assumed batches: 2e-5 · (300 − k) / 300.
    for (const k of [0, 150, 300]) assert.ok(Math.abs(lrs[k]! - 2e-5 * (300 - k) / 300) < 1e-18, `${k}: ${lrs[k]}`);
    const lr = s.assumed.find((a) => a.what === 'learning_rate');
    assert.ok(lr && /--config. YAML file, TrlParser/.test(lr.why), JSON.stringify(s.assumed));
  });
});
