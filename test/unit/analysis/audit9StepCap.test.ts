/**
 * Ninth audit, transformers `examples/pytorch/language-modeling/run_clm_no_trainer.py` (3c354ea): the loop over the
 * data ends with `if completed_steps >= args.max_train_steps: break`. With gradient accumulation the assumed batches
 * per epoch counted more optimizer steps (11 an epoch with 38 batches and k = 4) than the break lets through
 * (`max_train_steps = epochs * ceil(len / k)` = 30): the preview claimed 33 steps. A counter advanced with the
 * scheduler's steps and checked after them caps the run at its bound when the bound is reached in the last epoch (also
 * diffusers' `if accelerator.sync_gradients: global_step += 1`); any other `break` of a loop whose length is assumed
 * leaves the run's length unknown (the arguments' is shown). Expected values: torch 1.13's LambdaLR with transformers'
 * linear lambda; step counts worked out from the loop as Python runs it.
 */
import * as assert from 'assert';
import { onlyScheduler, valuesAt } from './pythonRun';

const only = onlyScheduler;
const values = valuesAt;

const CLM = (tail: string) => `import argparse, math
import torch
from torch.utils.data import DataLoader
from transformers import get_scheduler

parser = argparse.ArgumentParser()
parser.add_argument("--num_train_epochs", type=int, default=3)
parser.add_argument("--max_train_steps", type=int, default=None)
parser.add_argument("--gradient_accumulation_steps", type=int, default=4)
args = parser.parse_args()
train_dataloader = DataLoader(train_dataset, shuffle=True, batch_size=8)
optimizer = torch.optim.AdamW(model.parameters(), lr=5e-5)
model, optimizer, train_dataloader = accelerator.prepare(model, optimizer, train_dataloader)
num_update_steps_per_epoch = math.ceil(len(train_dataloader) / args.gradient_accumulation_steps)
if args.max_train_steps is None:
    args.max_train_steps = args.num_train_epochs * num_update_steps_per_epoch
lr_scheduler = get_scheduler(name="linear", optimizer=optimizer, num_warmup_steps=0, num_training_steps=args.max_train_steps)
completed_steps = 0
for epoch in range(args.num_train_epochs):
    for step, batch in enumerate(train_dataloader):
        if step % args.gradient_accumulation_steps == 0 or step == len(train_dataloader) - 1:
            optimizer.step()
            lr_scheduler.step()
            optimizer.zero_grad()
            completed_steps += 1
${tail}`;

describe('ninth audit: a loop over the data ended by a counter of the steps', () => {
  it('run_clm_no_trainer: the loop over the data ends at `completed_steps >= max_train_steps`: the run is that bound (torch\'s curve)', async () => {
    const s = await only(CLM('        if completed_steps >= args.max_train_steps:\n            break\n'), 38);
    // max_train_steps = 3 × ceil(38 / 4) = 30; 11 optimizer steps an epoch, so the break ends the third epoch at 30.
    values(s, [[0, 5e-05], [1, 4.8333333333333334e-05], [10, 3.3333333333333335e-05], [20, 1.6666666666666667e-05], [30, 0]], 31);
    assert.ok(s.horizon.fromRun, JSON.stringify(s.horizon));
    assert.match(s.horizon.source, /ended by `if completed_steps >= args\.max_train_steps: break` \(line 26\) after 30 steps/);
    assert.match(s.horizon.assumed ?? '', /38 batches per epoch assumed/);
  });

  it('a bound reached before the last epoch: each later epoch may step once more before its check, so no run length', async () => {
    const src = CLM('        if completed_steps >= args.max_train_steps:\n            break\n').replace('default=None)', 'default=15)');
    const s = await only(src, 38);
    // The arguments' length (num_training_steps = 15): LR Lens does not claim the run's.
    assert.strictEqual(s.curve!.lrs[0]!.length, 16);
    assert.ok(!s.horizon.fromRun, JSON.stringify(s.horizon));
  });

  it('a counter that does not count the steps (advanced on every batch): the break may end the loop anywhere, no assumed length', async () => {
    const src = CLM('        batches_seen += 1\n        if batches_seen >= args.max_train_steps:\n            break\n').replace('completed_steps = 0\n', 'completed_steps = 0\nbatches_seen = 0\n');
    const s = await only(src, 38);
    assert.strictEqual(s.curve!.lrs[0]!.length, 31);
    assert.ok(!s.horizon.fromRun, JSON.stringify(s.horizon));
    const len = s.assumed.find((x) => x.what === 'run length');
    assert.ok(len, JSON.stringify(s.assumed));
    assert.match(len.why, /may end early, at the `break` on line 29/);
  });

  it('diffusers: the counter advanced under `if accelerator.sync_gradients:` beside `with accelerator.accumulate(…)` counts the steps', async () => {
    const src = `import math
import torch
from torch.utils.data import DataLoader
from accelerate import Accelerator
from diffusers.optimization import get_scheduler

accelerator = Accelerator(gradient_accumulation_steps=4)
train_dataloader = DataLoader(train_dataset, shuffle=True, batch_size=8)
optimizer = torch.optim.AdamW(unet.parameters(), lr=1e-4)
num_update_steps_per_epoch = math.ceil(len(train_dataloader) / 4)
max_train_steps = 50
num_train_epochs = math.ceil(max_train_steps / num_update_steps_per_epoch)
lr_scheduler = get_scheduler("constant", optimizer=optimizer)
unet, optimizer, train_dataloader, lr_scheduler = accelerator.prepare(unet, optimizer, train_dataloader, lr_scheduler)
global_step = 0
for epoch in range(0, num_train_epochs):
    for step, batch in enumerate(train_dataloader):
        with accelerator.accumulate(unet):
            accelerator.backward(loss)
            optimizer.step()
            lr_scheduler.step()
            optimizer.zero_grad()
        if accelerator.sync_gradients:
            global_step += 1
        if global_step >= max_train_steps:
            break
`;
    // 38 batches, k = 4: 10 updates an epoch, 5 epochs; the bound 50 is reached at the end of the fifth.
    const s = await only(src, 38);
    assert.strictEqual(s.curve!.lrs[0]!.length, 51);
    assert.ok(s.horizon.fromRun, JSON.stringify(s.horizon));
    const shorter = await only(src.replace('max_train_steps = 50', 'max_train_steps = 45'), 38);
    // ceil(45 / 10) = 5 epochs; the bound 45 is reached in the fifth: 45 steps.
    assert.strictEqual(shorter.curve!.lrs[0]!.length, 46);
    assert.match(shorter.horizon.source, /after 45 steps/);
  });

  it('without the break the assumed batches count the loop: 11 optimizer steps an epoch with 38 batches (every 4th and the last)', async () => {
    const s = await only(CLM(''), 38);
    assert.ok(s.curve, s.error ?? '');
    assert.strictEqual(s.curve.lrs[0]!.length, 3 * 11 + 1);
  });
});
