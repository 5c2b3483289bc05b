/**
 * LR188 / LR189 (issue 12) through the whole analysis on realistic loops (test/fixtures/loops): the
 * family's schedule as the script steps it. Expected findings come from reading the scripts against
 * transformers / accelerate / timm / Lightning semantics, not from our output. Also: a Trainer's
 * assumed batches per epoch follows the same setting as the loop analysis.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { analyze } from '../../../src/analysis/analyze';
import type { AnalyzeOptions, SchedulerAnalysis } from '../../../src/analysis/types';
import { CATALOGUE } from '../../../src/lint/catalogue';
import { runSteps } from '../../../src/analysis/run';

// out/test/unit/lint → test/fixtures/loops in the source tree.
const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/loops');
const read = (name: string) => fs.readFileSync(path.join(FIXTURES, name), 'utf8');

async function all(src: string, opts: AnalyzeOptions = {}): Promise<SchedulerAnalysis[]> {
  return (await analyze(src, 'python', { strict: true, ...opts })).schedulers;
}
async function one(src: string, variable: string, opts: AnalyzeOptions = {}): Promise<SchedulerAnalysis> {
  const ss = await all(src, opts);
  const s = ss.find((x) => x.variable === variable);
  assert.ok(s, `no ${variable} (found ${ss.map((x) => `${x.kind} ${x.variable}`).join(', ')})`);
  return s;
}
const codes = (s: SchedulerAnalysis) => s.diagnostics.map((d) => d.code);
const lineOf = (s: SchedulerAnalysis, code: string) => s.diagnostics.find((d) => d.code === code)!.range.start.line + 1;

describe('family loop rules LR188, LR189', () => {
  it('both are in the catalogue as warnings', () => {
    assert.strictEqual(CATALOGUE.get('LR188')?.severity, 'warning');
    assert.strictEqual(CATALOGUE.get('LR189')?.severity, 'warning');
  });

  describe('LR188: num_training_steps counts batches under gradient accumulation', () => {
    const src = read('hf_accum_no_trainer.py');

    it('fires on the run_glue_no_trainer shape, on num_training_steps, with the fix dividing by the accumulation steps', async () => {
      const s = await one(src, 'lr_scheduler');
      assert.strictEqual(s.run?.unit, 'optimizer-step');
      const d = s.diagnostics.find((x) => x.code === 'LR188');
      assert.ok(d, codes(s).join(','));
      assert.strictEqual(d.severity, 'warning');
      assert.strictEqual(lineOf(s, 'LR188'), 17);
      // The fixture sets gradient_accumulation_steps = 4.
      assert.match(d.message, /every 4 batches/);
      assert.strictEqual(d.fixes?.[0]?.edits[0]?.newText, 'math.ceil(len(train_dataloader) / gradient_accumulation_steps) * num_train_epochs');
    });

    it('quiet when the length counts optimizer updates, as the HF script does', async () => {
      const fixed = src.replace('num_training_steps=len(train_dataloader) * num_train_epochs',
        'num_training_steps=math.ceil(len(train_dataloader) / gradient_accumulation_steps) * num_train_epochs');
      assert.notStrictEqual(fixed, src);
      assert.ok(!codes(await one(fixed, 'lr_scheduler')).includes('LR188'));
      // Through a variable computed that way (num_update_steps_per_epoch, max_train_steps).
      const viaVars = src.replace('num_training_steps=len(train_dataloader) * num_train_epochs', 'num_training_steps=max_train_steps')
        .replace('accelerator = Accelerator', 'num_update_steps_per_epoch = math.ceil(len(train_dataloader) / gradient_accumulation_steps)\n' +
          'max_train_steps = num_train_epochs * num_update_steps_per_epoch\naccelerator = Accelerator');
      assert.ok(!codes(await one(viaVars, 'lr_scheduler')).includes('LR188'));
    });

    it('quiet without accumulation: the scheduler stepped every batch, the length in batches is right', async () => {
      const perBatch = src.replace(/        if \(step \+ 1\) % gradient_accumulation_steps == 0 or step == len\(train_dataloader\) - 1:\n            optimizer\.step\(\)\n            lr_scheduler\.step\(\)\n            optimizer\.zero_grad\(\)/,
        '        optimizer.step()\n        lr_scheduler.step()\n        optimizer.zero_grad()');
      assert.notStrictEqual(perBatch, src);
      const s = await one(perBatch, 'lr_scheduler');
      assert.strictEqual(s.run?.unit, 'batch');
      assert.ok(!codes(s).includes('LR188'));
    });

    it('accelerate: stepped inside `with accelerator.accumulate(model)`, the length a variable counting batches', async () => {
      const acc = `
import torch
from accelerate import Accelerator
from transformers import get_cosine_schedule_with_warmup

accelerator = Accelerator(gradient_accumulation_steps=8)
optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4)
max_train_steps = args.num_train_epochs * len(train_dataloader)
lr_scheduler = get_cosine_schedule_with_warmup(optimizer, num_warmup_steps=500, num_training_steps=max_train_steps)
model, optimizer, train_dataloader, lr_scheduler = accelerator.prepare(model, optimizer, train_dataloader, lr_scheduler)

for epoch in range(args.num_train_epochs):
    for batch in train_dataloader:
        with accelerator.accumulate(model):
            loss = model(**batch).loss
            accelerator.backward(loss)
            optimizer.step()
            lr_scheduler.step()
            optimizer.zero_grad()
`;
      const s = await one(acc, 'lr_scheduler');
      assert.strictEqual(s.run?.unit, 'optimizer-step');
      const d = s.diagnostics.find((x) => x.code === 'LR188');
      assert.ok(d, codes(s).join(','));
      assert.match(d.message, /= args\.num_train_epochs \* len\(train_dataloader\)/);
      // Not written as the expression: no quick fix.
      assert.ok(!d.fixes?.length);
      // Not handed to accelerator.prepare: a plain scheduler, stepped every batch — the length in batches is right.
      const unprepared = acc.replace('model, optimizer, train_dataloader, lr_scheduler = accelerator.prepare(model, optimizer, train_dataloader, lr_scheduler)',
        'model, optimizer, train_dataloader = accelerator.prepare(model, optimizer, train_dataloader)');
      assert.notStrictEqual(unprepared, acc);
      const u = await one(unprepared, 'lr_scheduler');
      assert.strictEqual(u.run?.unit, 'batch');
      assert.ok(!codes(u).includes('LR188'));
    });

    describe('the accumulation factor decides (audit P8)', () => {
      // accelerate's example / diffusers' shape: `with accelerator.accumulate(model)`, the length in batches.
      const accelerate = (accel: string, extra = '') => `
import argparse, os, torch
from accelerate import Accelerator
from transformers import get_linear_schedule_with_warmup
parser = argparse.ArgumentParser()
parser.add_argument("--gradient_accumulation_steps", type=int, default=1)${extra}
args = parser.parse_args()
accelerator = ${accel}
model = torch.nn.Linear(4, 2)
train_dataloader = torch.utils.data.DataLoader(list(range(1000)), batch_size=10)
optimizer = torch.optim.AdamW(model.parameters(), lr=2e-5)
num_epochs = 3
lr_scheduler = get_linear_schedule_with_warmup(optimizer, num_warmup_steps=100, num_training_steps=len(train_dataloader) * num_epochs)
model, optimizer, train_dataloader, lr_scheduler = accelerator.prepare(model, optimizer, train_dataloader, lr_scheduler)
for epoch in range(num_epochs):
    for step, batch in enumerate(train_dataloader):
        with accelerator.accumulate(model):
            optimizer.step()
            lr_scheduler.step()
            optimizer.zero_grad()
`;

      it('Accelerator() without a factor: accelerate steps every batch (its default 1), so no LR188; the run counts every batch, labelled', async () => {
        const s = await one(accelerate('Accelerator()'), 'lr_scheduler');
        assert.ok(!codes(s).includes('LR188'), codes(s).join(','));
        assert.strictEqual(s.run?.unit, 'optimizer-step');
        assert.ok(s.run?.assumed.some((a) => /factor 1/.test(a) && /ACCELERATE_GRADIENT_ACCUMULATION_STEPS/.test(a)), s.run?.assumed.join('|'));
        // 3 epochs × 100 assumed batches, one optimizer update per batch.
        assert.strictEqual(runSteps(s.run!, 100)?.steps, 3 * 100);
      });

      it('the factor from --gradient_accumulation_steps: quiet with its default 1, a warning naming the assumed default when it is 4', async () => {
        const viaArgs = 'Accelerator(gradient_accumulation_steps=args.gradient_accumulation_steps)';
        assert.ok(!codes(await one(accelerate(viaArgs), 'lr_scheduler')).includes('LR188'));
        const four = await one(accelerate(viaArgs).replace('default=1)', 'default=4)'), 'lr_scheduler');
        const d = four.diagnostics.find((x) => x.code === 'LR188');
        assert.ok(d, codes(four).join(','));
        assert.strictEqual(d.severity, 'warning');
        assert.match(d.message, /every 4 batches/);
        assert.match(d.message, /4 assumed: default of --gradient_accumulation_steps/);
        // accelerate syncs every 4th batch and at the end of the loader: ceil(100 / 4) = 25 updates per epoch.
        assert.strictEqual(runSteps(four.run!, 100)?.steps, 3 * 25);
      });

      it('an unknown factor: information only, saying it applies if the factor is > 1 and why it is unknown', async () => {
        const s = await one(accelerate('Accelerator(gradient_accumulation_steps=int(os.environ["GA_STEPS"]))'), 'lr_scheduler');
        const d = s.diagnostics.find((x) => x.code === 'LR188');
        assert.ok(d, codes(s).join(','));
        assert.strictEqual(d.severity, 'information');
        assert.match(d.message, /if gradient_accumulation_steps > 1: its value is not known/);
      });

      it('a GradientAccumulationPlugin: the factor is not read, information only', async () => {
        const s = await one(accelerate('Accelerator(gradient_accumulation_plugin=plugin)'), 'lr_scheduler');
        assert.strictEqual(s.diagnostics.find((x) => x.code === 'LR188')?.severity, 'information');
      });

      it('a modulo test whose factor is --gradient_accumulation_steps with default 1: quiet', async () => {
        const src = read('hf_accum_no_trainer.py').replace('gradient_accumulation_steps = 4',
          'import argparse\nparser = argparse.ArgumentParser()\nparser.add_argument("--gradient_accumulation_steps", type=int, default=1)\n' +
          'args = parser.parse_args()\ngradient_accumulation_steps = args.gradient_accumulation_steps');
        assert.ok(src.includes('args.gradient_accumulation_steps'));
        assert.ok(!codes(await one(src, 'lr_scheduler')).includes('LR188'));
        assert.ok(codes(await one(src.replace('default=1)', 'default=2)'), 'lr_scheduler')).includes('LR188'));
      });

      it('`if accelerator.sync_gradients:` reads the same factor', async () => {
        const sync = accelerate('Accelerator(gradient_accumulation_steps=8)').replace(
          '        with accelerator.accumulate(model):\n            optimizer.step()\n            lr_scheduler.step()\n            optimizer.zero_grad()',
          '        optimizer.step()\n        if accelerator.sync_gradients:\n            lr_scheduler.step()');
        const s = await one(sync, 'lr_scheduler');
        assert.match(s.diagnostics.find((x) => x.code === 'LR188')?.message ?? '', /every 8 batches/);
        assert.ok(!codes(await one(sync.replace('gradient_accumulation_steps=8', 'gradient_accumulation_steps=1'), 'lr_scheduler')).includes('LR188'));
      });
    });

    it('only for transformers / diffusers schedules (a torch LambdaLR under accumulation is not judged)', async () => {
      assert.ok(!codes(await one(read('glue_no_trainer.py'), 'lr_scheduler')).includes('LR188'));
    });
  });

  describe('LR189: a timm scheduler stepped the way it ignores', () => {
    const src = read('timm_train.py');

    it('t_in_epochs=True (default) stepped only with step_update(): fires at the call; the step_update use is a step site', async () => {
      const s = await one(src, 'lr_scheduler');
      assert.deepStrictEqual((s.run?.stepSites ?? []).map((r) => r.start.line + 1), [19]);
      assert.ok(!codes(s).includes('LR175'), 'step_update() is a step: not "never stepped"');
      const d = s.diagnostics.find((x) => x.code === 'LR189');
      assert.ok(d, codes(s).join(','));
      assert.strictEqual(d.severity, 'warning');
      assert.strictEqual(lineOf(s, 'LR189'), 19);
      assert.match(d.message, /step_update\(\) does nothing/);
      // The ignored calls do not set the run: the preview keeps the schedule's own length in epochs (t_initial + 1).
      assert.strictEqual(s.run?.unit, 'unknown');
      assert.strictEqual(s.horizon.steps, 100 + 1);
    });

    it('quiet with t_in_epochs=False (step_update is then the way), and with step(epoch + 1) per epoch as timm train.py does', async () => {
      const updates = src.replace('warmup_lr_init=1e-4)', 'warmup_lr_init=1e-4, t_in_epochs=False)');
      assert.notStrictEqual(updates, src);
      const u = await one(updates, 'lr_scheduler');
      assert.ok(!codes(u).includes('LR189'));
      assert.strictEqual(u.run?.unit, 'batch');
      const both = src.replace('    train_one_epoch(epoch, model, loader_train, optimizer, lr_scheduler=lr_scheduler)\n',
        '    train_one_epoch(epoch, model, loader_train, optimizer, lr_scheduler=lr_scheduler)\n    lr_scheduler.step(epoch + 1)\n');
      assert.notStrictEqual(both, src);
      const s = await one(both, 'lr_scheduler');
      assert.ok(!codes(s).includes('LR189'), codes(s).join(','));
      // The per-epoch step() sets the run: 100 epochs (the loop), not epochs × batches.
      assert.strictEqual(s.run?.unit, 'epoch');
      assert.strictEqual(s.run?.epochs, 100);
      assert.strictEqual(s.horizon.steps, 100 + 1);
      // step_update per batch beside step per epoch is timm's intended use, not "stepped twice".
      assert.ok(!codes(s).includes('LR176'), codes(s).join(','));
    });

    it('t_in_epochs=False stepped only with step(epoch): fires', async () => {
      const epochs = src.replace('warmup_lr_init=1e-4)', 'warmup_lr_init=1e-4, t_in_epochs=False)')
        .replace('lr_scheduler.step_update(num_updates=num_updates)', 'pass')
        .replace('    train_one_epoch(epoch, model, loader_train, optimizer, lr_scheduler=lr_scheduler)\n',
          '    train_one_epoch(epoch, model, loader_train, optimizer, lr_scheduler=lr_scheduler)\n    lr_scheduler.step(epoch + 1)\n');
      const s = await one(epochs, 'lr_scheduler');
      const d = s.diagnostics.find((x) => x.code === 'LR189');
      assert.ok(d, codes(s).join(','));
      assert.match(d.message, /t_in_epochs=False: CosineLRScheduler\.step\(epoch\) does nothing/);
    });

    it('quiet, and no call said to do nothing, when the construction does not bind or t_in_epochs is unknown', async () => {
      // Swin-Transformer lr_scheduler.py:24: `CosineLRScheduler(optimizer, t_initial=…, t_mul=1., …, t_in_epochs=False)`,
      // written for timm 0.4.12 (`t_mul`); timm 1.0 raises TypeError on `t_mul`, so which method acts is not known
      // from timm's own signature: not "t_in_epochs=True (timm's default)".
      const tMul = src.replace('warmup_lr_init=1e-4)', 'warmup_lr_init=1e-4, t_mul=1., t_in_epochs=False)');
      assert.notStrictEqual(tMul, src);
      const s = await one(tMul, 'lr_scheduler');
      assert.match(s.error ?? '', /unexpected keyword argument 't_mul'/);
      assert.ok(!codes(s).includes('LR189'), codes(s).join(','));
      assert.ok(!(s.run?.source ?? '').includes('does nothing'), s.run?.source);
      const unknownFlag = src.replace('warmup_lr_init=1e-4)', 'warmup_lr_init=1e-4, t_in_epochs=unknown_flag())');
      assert.notStrictEqual(unknownFlag, src);
      const u = await one(unknownFlag, 'lr_scheduler');
      assert.ok(!codes(u).includes('LR189'), codes(u).join(','));
      assert.ok(!(u.run?.source ?? '').includes('does nothing'), u.run?.source);
      assert.deepStrictEqual((u.run?.stepSites ?? []).map((r) => r.start.line + 1), [19]);
    });

    it('Lightning: a timm scheduler from configure_optimizers raises unless the module overrides lr_scheduler_step', async () => {
      const ss = (await all(read('lightning_timm.py'))).filter((x) => x.kind === 'timm.CosineLRScheduler');
      assert.strictEqual(ss.length, 2);
      const [plain, stepped] = ss as [SchedulerAnalysis, SchedulerAnalysis];
      const d = plain.diagnostics.find((x) => x.code === 'LR189');
      assert.ok(d, codes(plain).join(','));
      assert.match(d.message, /MisconfigurationException: The provided lr scheduler `CosineLRScheduler` doesn't follow PyTorch's LRScheduler API/);
      assert.ok(!codes(stepped).includes('LR189'), 'SteppedModule defines lr_scheduler_step');
    });

    it('Lightning: quiet when a base class not in the file might define lr_scheduler_step', async () => {
      const src2 = read('lightning_timm.py').replace('class VitModule(pl.LightningModule):', 'class VitModule(BaseVitModule):');
      const plain = (await all(src2)).find((x) => x.kind === 'timm.CosineLRScheduler')!;
      assert.ok(!codes(plain).includes('LR189'));
    });
  });
});

describe('a Trainer follows the assumed batches per epoch setting', () => {
  const src = 'from transformers import TrainingArguments\nargs = TrainingArguments("out", num_train_epochs=3, gradient_accumulation_steps=4)\n';

  it('assumedStepsPerEpoch 40: 3 epochs × ceil(40 / 4) updates, labelled with the value', async () => {
    const s = await one(src, 'args', { assumedStepsPerEpoch: 40 });
    assert.strictEqual(s.horizon.steps, 3 * Math.ceil(40 / 4) + 1);
    const a = s.assumed.find((x) => x.what === 'batches per epoch');
    assert.ok(a && a.value === 40 && a.placeholder && /--steps-per-epoch/.test(a.why), JSON.stringify(s.assumed));
  });

  it('the default is the loop analysis default (100)', async () => {
    const s = await one(src, 'args');
    assert.strictEqual(s.horizon.steps, 3 * 25 + 1);
    assert.strictEqual(s.assumed.find((x) => x.what === 'batches per epoch')?.value, 100);
  });
});
