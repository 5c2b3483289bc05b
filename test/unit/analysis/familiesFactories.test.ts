/**
 * timm's factories and Hugging Face Trainer settings through the whole analysis. Expected values are
 * computed here from the libraries' formulas (timm `scheduler_factory.py` + `cosine_lr.py`; transformers
 * `Trainer.create_scheduler`, `TrainingArguments.get_warmup_steps` and `optimization.py`), not read from our output.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { analyze } from '../../../src/analysis/analyze';
import type { SchedulerAnalysis } from '../../../src/analysis/types';
import { ASSUMED_STEPS_PER_EPOCH } from '../../../src/engine/families';

async function entry(src: string, variable: string): Promise<SchedulerAnalysis> {
  const r = await analyze(src, 'python', { strict: true });
  const s = r.schedulers.find((x) => x.variable === variable);
  assert.ok(s, `no ${variable} (found ${r.schedulers.map((x) => `${x.kind} ${x.variable}`).join(', ')})`);
  return s;
}

function assertCurve(s: SchedulerAnalysis, expected: (k: number) => number, n: number) {
  assert.ok(s.curve, `no curve: ${s.error}`);
  const got = s.curve.lrs[0]!;
  assert.ok(got.length >= n, `${got.length} values`);
  for (let k = 0; k < n; k++) {
    const e = expected(k);
    assert.ok(Math.abs(got[k]! - e) <= 1e-12 * Math.abs(e) + 1e-18, `value ${k}: expected ${e}, got ${got[k]}`);
  }
}

/** timm's cosine with a warm-up and no prefix (the factory's default), one cycle. */
const timmCosine = (lr: number, tInitial: number, lrMin: number, warmupT: number, warmupLr: number) => (t: number) => {
  if (t < warmupT) return warmupLr + t * ((lr - warmupLr) / warmupT);
  if (t >= tInitial) return lrMin;
  return lrMin + 0.5 * (lr - lrMin) * (1 + Math.cos(Math.PI * t / tInitial));
};

describe('timm factories in the analysis', () => {
  it('create_scheduler(args, optimizer) reads the argparse defaults (labelled assumed) and returns (scheduler, num_epochs)', async () => {
    const src = `
import argparse
import torch
from timm.scheduler import create_scheduler

parser = argparse.ArgumentParser()
parser.add_argument('--sched', default='cosine', type=str)
parser.add_argument('--epochs', type=int, default=50)
parser.add_argument('--warmup-epochs', type=int, default=3)
parser.add_argument('--min-lr', type=float, default=1e-5)
parser.add_argument('--warmup-lr', type=float, default=1e-6)
parser.add_argument('--data-dir', type=str)
args = parser.parse_args()
optimizer = torch.optim.AdamW(torch.nn.Linear(2, 2).parameters(), lr=5e-4)
lr_scheduler, num_epochs = create_scheduler(args, optimizer)
`;
    const s = await entry(src, 'lr_scheduler');
    assert.strictEqual(s.kind, 'timm.create_scheduler');
    assert.strictEqual(s.unit, 'epoch');
    assert.ok(s.argInfo.find((a) => a.name === 'args')?.assumed, 'the argparse defaults are labelled as assumptions');
    assertCurve(s, timmCosine(5e-4, 50, 1e-5, 3, 1e-6), 51);
  });

  it("timm train.py's pattern: create_scheduler_v2(optimizer, **scheduler_kwargs(args), updates_per_epoch=len(loader)…)", async () => {
    const src = `
import argparse
import torch
from timm.scheduler import create_scheduler_v2, scheduler_kwargs

parser = argparse.ArgumentParser()
parser.add_argument('--sched', type=str, default='cosine')
parser.add_argument('--epochs', type=int, default=40)
parser.add_argument('--warmup-epochs', type=int, default=4)
parser.add_argument('--warmup-lr', type=float, default=1e-5)
parser.add_argument('--min-lr', type=float, default=0)
parser.add_argument('--sched-on-updates', action='store_true', default=False)
args = parser.parse_args()
optimizer = torch.optim.SGD(torch.nn.Linear(2, 2).parameters(), lr=0.05, momentum=0.9)
updates_per_epoch = len(loader_train)
lr_scheduler, num_epochs = create_scheduler_v2(optimizer, **scheduler_kwargs(args, decreasing_metric=False), updates_per_epoch=updates_per_epoch)
`;
    const s = await entry(src, 'lr_scheduler');
    assert.strictEqual(s.unit, 'epoch');
    // updates_per_epoch is unknown, but timm reads it only when stepping on updates.
    assert.match(s.argInfo.find((a) => a.name === 'updates_per_epoch')?.reason ?? '', /not read: the scheduler steps on epochs/);
    assertCurve(s, timmCosine(0.05, 40, 0, 4, 1e-5), 41);
    // With --sched-on-updates its default True, the length of the loader is needed: no curve, and why.
    const onUpdates = await entry(src.replace("'--sched-on-updates', action='store_true', default=False", "'--sched-on-updates', action='store_true', default=True"), 'lr_scheduler');
    assert.strictEqual(onUpdates.curve, null);
    assert.match(onUpdates.error ?? '', /updates_per_epoch/);
  });

  it('create_scheduler_v2 with step_on_epochs=False counts optimizer updates', async () => {
    const src = `
import torch
import timm.scheduler
optimizer = torch.optim.SGD(torch.nn.Linear(2, 2).parameters(), lr=0.1)
sched, n = timm.scheduler.create_scheduler_v2(optimizer, sched="cosine", num_epochs=4, warmup_epochs=1, warmup_lr=0.001,
                                              min_lr=0.0, step_on_epochs=False, updates_per_epoch=25)
`;
    const s = await entry(src, 'sched');
    assert.strictEqual(s.unit, 'optimizer update');
    assertCurve(s, timmCosine(0.1, 100, 0, 25, 0.001), 101);
  });
});

describe('Hugging Face Trainer settings in the analysis', () => {
  const spe = ASSUMED_STEPS_PER_EPOCH;

  it('TrainingArguments: cosine with warmup_ratio over epochs × the assumed batches per epoch, said so', async () => {
    const src = `
from transformers import Trainer, TrainingArguments
training_args = TrainingArguments(output_dir=out_dir, learning_rate=2e-5, num_train_epochs=3, warmup_ratio=0.1,
                                  lr_scheduler_type="cosine", per_device_train_batch_size=16, report_to="none")
trainer = Trainer(model=model, args=training_args)
`;
    const s = await entry(src, 'training_args');
    assert.strictEqual(s.kind, 'trainer.TrainingArguments');
    assert.strictEqual(s.unit, 'optimizer update');
    const T = 3 * spe;
    const W = Math.ceil(T * 0.1);
    assert.strictEqual(s.horizon.steps, T + 1);
    const a = s.assumed.find((x) => x.what === 'batches per epoch');
    assert.ok(a && a.value === spe && a.placeholder && a.why.includes(`${T} optimizer updates`), JSON.stringify(s.assumed));
    assertCurve(s, (k) => 2e-5 * (k < W ? k / Math.max(1, W) : 0.5 * (1 + Math.cos(Math.PI * 2 * 0.5 * ((k - W) / Math.max(1, T - W))))), T + 1);
  });

  it("TrainingArguments' defaults: linear, no warm-up, lr 5e-5, 3 epochs", async () => {
    const s = await entry('import transformers\nargs = transformers.TrainingArguments("out")\n', 'args');
    const T = 3 * spe;
    assertCurve(s, (k) => 5e-5 * Math.max(0, (T - k) / Math.max(1, T)), T + 1);
  });

  it('gradient accumulation shortens the epochs; max_steps wins over epochs and needs no assumption', async () => {
    const acc = await entry('from transformers import TrainingArguments\na = TrainingArguments("o", num_train_epochs=2, gradient_accumulation_steps=3)\n', 'a');
    assert.strictEqual(acc.horizon.steps, 2 * Math.ceil(spe / 3) + 1);
    const ms = await entry('from transformers import Seq2SeqTrainingArguments\nb = Seq2SeqTrainingArguments("o", max_steps=500, warmup_steps=50)\n', 'b');
    assert.strictEqual(ms.horizon.steps, 501);
    assert.ok(!ms.assumed.some((x) => x.what === 'batches per epoch'));
    assertCurve(ms, (k) => 5e-5 * (k < 50 ? k / 50 : Math.max(0, (500 - k) / 450)), 501);
  });

  it("TRL's SFTConfig: its own lr default (2e-5) and lr_scheduler_kwargs", async () => {
    const src = 'from trl import SFTConfig\ncfg = SFTConfig(output_dir="o", max_steps=60, warmup_steps=5, lr_scheduler_type="cosine_with_min_lr", lr_scheduler_kwargs={"min_lr_rate": 0.1})\n';
    const s = await entry(src, 'cfg');
    const f = (k: number) => (k < 5 ? k / 5 : 0.5 * (1 + Math.cos(Math.PI * 2 * 0.5 * ((k - 5) / 55))) * 0.9 + 0.1);
    assertCurve(s, (k) => 2e-5 * f(k), 61);
  });

  describe('Trainer(…, optimizers=(optimizer, scheduler)) (audit P10)', () => {
    // transformers: `self.optimizer, self.lr_scheduler = optimizers`; create_optimizer builds an AdamW(lr=learning_rate) only
    // when no optimizer was given; create_scheduler calls get_scheduler(args.lr_scheduler_type, optimizer, …) only
    // `if self.lr_scheduler is None`. The Trainer steps its scheduler once per optimizer update.
    const head = `
import torch
from transformers import Trainer, TrainingArguments, get_cosine_schedule_with_warmup
model = torch.nn.Linear(4, 2)
args = TrainingArguments(output_dir="out", learning_rate=5e-5, num_train_epochs=3, warmup_steps=50)
`;

    it('(optimizer, None): the TrainingArguments schedule is built on the given optimizer, its lr per group the peak', async () => {
      const src = `${head}optimizer = torch.optim.AdamW([{"params": model.weight, "lr": 1e-4}, {"params": model.bias, "lr": 3e-4}], lr=2e-4)
trainer = Trainer(model=model, args=args, train_dataset=None, optimizers=(optimizer, None))
`;
      const s = await entry(src, 'args');
      const T = 3 * spe;
      const linear = (k: number) => (k < 50 ? k / 50 : Math.max(0, (T - k) / Math.max(1, T - 50)));
      assertCurve(s, (k) => 1e-4 * linear(k), T + 1);
      const g1 = s.curve!.lrs[1]!;
      assert.ok(Math.abs(g1[50]! - 3e-4) < 1e-18 && Math.abs(g1[100]! - 3e-4 * linear(100)) < 1e-15, `group 1: ${g1[50]}, ${g1[100]}`);
      assert.ok(s.notes.some((n) => /optimizers=\(optimizer, None\)/.test(n) && /not learning_rate/.test(n)), s.notes.join('|'));
      // Stepped by the Trainer per optimizer update over its 3 epochs; the batches per epoch assumed once.
      assert.strictEqual(s.run?.unit, 'optimizer-step');
      assert.strictEqual(s.run?.epochs, 3);
      assert.strictEqual(s.assumed.filter((a) => a.what === 'batches per epoch').length, 1);
    });

    it('(None, None) is the default: the Trainer builds its AdamW with learning_rate', async () => {
      const s = await entry(`${head}trainer = Trainer(model=model, args=args, optimizers=(None, None))\n`, 'args');
      const T = 3 * spe;
      assertCurve(s, (k) => 5e-5 * (k < 50 ? k / 50 : Math.max(0, (T - k) / Math.max(1, T - 50))), T + 1);
    });

    it('(optimizer, None) with an optimizer built by code not seen: an assumed optimizer, labelled', async () => {
      const s = await entry(`${head}trainer = Trainer(model=model, args=args, optimizers=(make_optimizer(model), None))\n`, 'args');
      assert.ok(s.assumed.some((a) => a.what === 'optimizer'), JSON.stringify(s.assumed));
    });

    it('(optimizer, scheduler): the TrainingArguments schedule is never built; the given one runs per optimizer update for the Trainer\'s length', async () => {
      const src = `${head}optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4)
scheduler = get_cosine_schedule_with_warmup(optimizer, num_warmup_steps=10, num_training_steps=200)
trainer = Trainer(model=model, args=args, optimizers=(optimizer, scheduler))
trainer.train()
`;
      const r = await analyze(src, 'python', { strict: true });
      const targs = r.schedulers.find((x) => x.variable === 'args')!;
      assert.strictEqual(targs.curve, null);
      assert.match(targs.error ?? '', /^not built: the Trainer at line 8 is given a scheduler/);
      const sched = r.schedulers.find((x) => x.variable === 'scheduler')!;
      assert.strictEqual(sched.run?.unit, 'optimizer-step');
      assert.strictEqual(sched.run?.epochs, 3);
      // 3 epochs × the assumed batches, one update per batch (gradient_accumulation_steps 1): the preview runs that long (+ value 0), labelled.
      assert.strictEqual(sched.horizon.steps, 3 * spe + 1);
      assert.ok(sched.assumed.some((a) => a.what === 'batches per epoch'));
      // max_steps wins, no assumption; accumulation divides the epochs (ceil, the last partial update counts).
      const ms = await analyze(src.replace('warmup_steps=50)', 'warmup_steps=50, max_steps=120)'), 'python', { strict: true });
      assert.strictEqual(ms.schedulers.find((x) => x.variable === 'scheduler')!.run?.steps, 120);
      const ga = await analyze(src.replace('warmup_steps=50)', 'warmup_steps=50, gradient_accumulation_steps=3)'), 'python', { strict: true });
      assert.strictEqual(ga.schedulers.find((x) => x.variable === 'scheduler')!.horizon.steps, 3 * Math.ceil(spe / 3) + 1);
    });

    it('a Trainer subclass: one overriding create_scheduler builds its own schedule (not followed, said); one overriding compute_loss is the Trainer; create_optimizer is labelled', async () => {
      const sub = (body: string) => `${head}class MyTrainer(Trainer):\n${body}\ntrainer = MyTrainer(model=model, args=args)\n`;
      const own = await entry(sub('    def create_scheduler(self, num_training_steps, optimizer=None):\n        return my_scheduler(optimizer or self.optimizer)\n'), 'args');
      assert.strictEqual(own.curve, null);
      assert.match(own.error ?? '', /`MyTrainer` .*overrides create_scheduler\(\)/);
      const T = 3 * spe;
      const linear = (k: number) => 5e-5 * (k < 50 ? k / 50 : Math.max(0, (T - k) / Math.max(1, T - 50)));
      const loss = await entry(sub('    def compute_loss(self, model, inputs, return_outputs=False):\n        return model(**inputs).loss\n'), 'args');
      assertCurve(loss, linear, T + 1);
      assert.strictEqual(loss.run?.unit, 'optimizer-step');
      const opt = await entry(sub('    def create_optimizer(self):\n        self.optimizer = build(self.model)\n        return self.optimizer\n'), 'args');
      assertCurve(opt, linear, T + 1);
      assert.match(opt.assumed.find((a) => a.what === 'optimizer')?.why ?? '', /`MyTrainer` .*overrides create_optimizer\(\)/);
    });

    it('a scheduler not known: whether the TrainingArguments schedule is built is not known, said why', async () => {
      const s = await entry(`${head}trainer = Trainer(model=model, args=args, optimizers=(optimizer, build_scheduler()))\n`, 'args');
      assert.strictEqual(s.curve, null);
      assert.match(s.error ?? '', /depends on the scheduler it is given/);
    });
  });

  describe('a TrainingArguments subclass, HfArgumentParser (audit P13)', () => {
    // transformers: HfArgumentParser builds each dataclass from the command line, its fields' defaults otherwise; the
    // Trainer reads learning_rate, lr_scheduler_type, warmup_ratio, … from the instance it is given (subclass fields
    // override TrainingArguments' own defaults).
    const fixture = fs.readFileSync(path.resolve(__dirname, '../../../../test/fixtures/families/hf_subclass_args.py'), 'utf8');
    const cosine = (lr: number, T: number, W: number) => (k: number) =>
      lr * (k < W ? k / Math.max(1, W) : 0.5 * (1 + Math.cos(Math.PI * 2 * 0.5 * ((k - W) / Math.max(1, T - W)))));

    it('stanford_alpaca / qlora layout: the Trainer call is the construction, with the subclass defaults, all labelled as assumed', async () => {
      const s = await entry(fixture, 'trainer');
      assert.strictEqual(s.kind, 'trainer.TrainingArguments');
      const T = 3 * spe; // TrainingArguments' num_train_epochs=3 × the assumed batches
      assertCurve(s, cosine(2e-4, T, Math.ceil(T * 0.03)), T + 1);
      const label = (what: string) => s.assumed.find((a) => a.what === what)?.why ?? '';
      assert.match(label('learning_rate'), /default of --learning_rate \(dataclass `TrainingArguments`, HfArgumentParser\)/);
      assert.match(label('lr_scheduler_type'), /default of --lr_scheduler_type/);
      assert.match(label('num_train_epochs'), /TrainingArguments's default 3/);
      assert.ok(s.assumed.some((a) => a.what === 'batches per epoch'));
    });

    it("transformers' own TrainingArguments through HfArgumentParser: its defaults, labelled", async () => {
      const src = fixture.replace(/@dataclass\nclass TrainingArguments\(transformers\.TrainingArguments\):[\s\S]*?\n\n\n/, '')
        .replace('(ModelArguments, DataArguments, TrainingArguments)', '(ModelArguments, DataArguments, transformers.TrainingArguments)');
      assert.ok(!src.includes('class TrainingArguments'));
      const s = await entry(src, 'trainer');
      const T = 3 * spe;
      assertCurve(s, (k) => 5e-5 * Math.max(0, (T - k) / T), T + 1);
      assert.match(s.assumed.find((a) => a.what === 'learning_rate')?.why ?? '', /TrainingArguments's default 5e-05.*command-line/);
    });

    it('qlora: max_steps and a constant schedule from Seq2SeqTrainingArguments subclass defaults (constant ignores the warm-up)', async () => {
      const src = fixture.replace('class TrainingArguments(transformers.TrainingArguments):', 'class TrainingArguments(transformers.Seq2SeqTrainingArguments):')
        .replace('default="cosine"', 'default="constant"')
        .replace('    warmup_ratio', '    max_steps: int = field(default=1000)\n    warmup_ratio');
      const s = await entry(src, 'trainer');
      assert.strictEqual(s.kind, 'trainer.Seq2SeqTrainingArguments');
      assert.strictEqual(s.horizon.steps, 1001);
      assertCurve(s, () => 2e-4, 1001);
      assert.ok(!s.assumed.some((a) => a.what === 'batches per epoch'));
      // The Trainer steps it once per optimizer update for max_steps: stepped, not "never stepped".
      assert.strictEqual(s.run?.unit, 'optimizer-step');
      assert.strictEqual(s.run?.steps, 1000);
      assert.ok(!s.diagnostics.some((d) => d.code === 'LR175'), s.diagnostics.map((d) => d.code).join(','));
    });

    it('a subclass instantiated in the file: its defaults and the given values, not assumptions', async () => {
      const src = fixture.replace(/def train\(\):[\s\S]*$/, 'args = TrainingArguments(output_dir="o", num_train_epochs=2)\ntrainer = Trainer(model=model, args=args)\n');
      const s = await entry(src, 'trainer');
      const T = 2 * spe;
      assertCurve(s, cosine(2e-4, T, Math.ceil(T * 0.03)), T + 1);
      assert.deepStrictEqual(s.assumed.map((a) => a.what), ['batches per epoch']);
    });

    it('parsed in one function and handed to the one that builds the Trainer: the defaults stay labelled as assumed', async () => {
      const src = fixture.replace('def train():\n    parser = transformers.HfArgumentParser((ModelArguments, DataArguments, TrainingArguments))\n    model_args, data_args, training_args = parser.parse_args_into_dataclasses()\n',
        'def train(model_args, data_args, training_args):\n')
        .replace('if __name__ == "__main__":\n    train()', 'def train_cli():\n    parser = transformers.HfArgumentParser((ModelArguments, DataArguments, TrainingArguments))\n' +
          '    model_args, data_args, training_args = parser.parse_args_into_dataclasses()\n    train(model_args, data_args, training_args)\n\n\n' +
          'if __name__ == "__main__":\n    train_cli()');
      assert.ok(src.includes('def train_cli'));
      const s = await entry(src, 'trainer');
      for (const what of ['learning_rate', 'lr_scheduler_type', 'warmup_ratio', 'num_train_epochs', 'max_steps', 'gradient_accumulation_steps']) {
        assert.ok(s.assumed.some((a) => a.what === what), `${what} not labelled: ${JSON.stringify(s.assumed)}`);
      }
    });

    it('with optimizers=(optimizer, None): built on that optimizer (P10 applies to the subclass too)', async () => {
      const src = fixture.replace('trainer = Trainer(model=model, tokenizer=tokenizer, args=training_args, **data_module)',
        'optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)\n    trainer = Trainer(model=model, tokenizer=tokenizer, args=training_args, optimizers=(optimizer, None), **data_module)')
        .replace('import transformers\n', 'import torch\nimport transformers\n');
      const s = await entry(src, 'trainer');
      const T = 3 * spe;
      assertCurve(s, cosine(1e-3, T, Math.ceil(T * 0.03)), T + 1);
    });
  });
});

describe('a family schedule inside torch composites', () => {
  it("a transformers LambdaLR is a SequentialLR member as in torch (SequentialLR resets to initial_lr, then the first member's initial step)", async () => {
    const src = `
import torch
from transformers import get_constant_schedule_with_warmup
from torch.optim.lr_scheduler import SequentialLR, CosineAnnealingLR
opt = torch.optim.SGD(torch.nn.Linear(2, 2).parameters(), lr=0.1)
warm = get_constant_schedule_with_warmup(opt, 10)
cos = CosineAnnealingLR(opt, T_max=90)
sched = SequentialLR(opt, [warm, cos], milestones=[10])
`;
    const r = await analyze(src, 'python', { strict: true, steps: 30 });
    const s = r.schedulers.find((x) => x.variable === 'sched')!;
    // Warm-up k/10 of 0.1 (transformers' lambda), then cos.step(0) at the milestone: CosineAnnealingLR's closed form from 0.1.
    assertCurve(s, (k) => (k < 10 ? 0.1 * (k / 10) : 0.1 * (1 + Math.cos(Math.PI * (k - 10) / 90)) / 2), 12);
  });
});
