/**
 * The optimizer's lr written by hand outside loops before the scheduler's first step (fifth audit): akamaster/
 * pytorch_resnet_cifar10's `trainer.py` builds `MultiStepLR(optimizer, milestones=[100, 150])`, then for resnet110/1202
 * sets `param_group['lr'] = args.lr*0.1` as a one-epoch warm-up "then switch back". LR Lens drew 0.1 → 0.001 without a
 * word; in torch MultiStepLR's step() goes on from the group's lr, so the run stays at 0.01 until the milestone (the
 * warm-up never switches back). A write before the construction changed the start lr unseen as well.
 * Expected values: torch 1.13, /tmp/audit5t/truth/t02_lr_written_before_run.py:
 *   A MultiStepLR([4,7]), 0.01 written after:  [0.01, 0.01, 0.01, 0.01, 0.001, 0.001, 0.001, 0.0001, …]
 *   B LambdaLR(0.9**e), 0.01 written after:    [0.01, 0.09000000000000001, 0.08100000000000002, 0.0729]
 *   C StepLR(10), 0.05 written before:         [0.05, 0.005, 0.0005, 5e-05] every 10 steps
 *   D OneCycleLR(max_lr=1, total_steps=10), written before or not: [0.040000000000000036, 0.52, 1.0]
 */
import * as assert from 'assert';
import type { SchedulerAnalysis } from '../../../src/analysis/types';
import { byVar, run } from './pythonRun';

const head = `import torch
from torch import nn
from torch.optim import lr_scheduler as L
optimizer = torch.optim.SGD(nn.Linear(2, 2).parameters(), lr=0.1, momentum=0.9)
`;
const loop = (n: number) => `for epoch in range(${n}):
    optimizer.step()
    scheduler.step()
`;
const startLr = (s: SchedulerAnalysis) => s.assumed.find((a) => a.what === 'start lr');
const lr190 = (s: SchedulerAnalysis) => s.diagnostics.filter((d) => d.code === 'LR190');

describe('the lr written by hand before the run', () => {
  it('after a MultiStepLR is built (akamaster\'s warm-up, under an if): labelled start lr, and LR190 says it carries through the run', async () => {
    const s = byVar(await run(`${head}scheduler = L.MultiStepLR(optimizer, milestones=[4, 7], last_epoch=-1)
arch = 'resnet110'
if arch in ['resnet1202', 'resnet110']:
    for param_group in optimizer.param_groups:
        param_group['lr'] = 0.1 * 0.1
${loop(10)}`), 'scheduler');
    // The curve is the construction's (0.1 …), torch's run starts at 0.01: so it must be labelled.
    assert.strictEqual(s.curve!.lrs[0]![0], 0.1);
    const a = startLr(s);
    assert.ok(a?.placeholder);
    assert.match(a!.why, /`param_group\['lr'\] = 0\.1 \* 0\.1` \(line 9\), under an `if` \(line 7\), sets the lr after MultiStepLR is built: each step\(\) of MultiStepLR goes on from the written lr/);
    const d = lr190(s);
    assert.deepStrictEqual(d.map((x) => x.range.start.line + 1), [9]);
    assert.match(d[0]!.message, /never switches back/);
  });

  it('after a LambdaLR is built: labelled (value 0 differs), no LR190, and the values from the first step() are torch\'s', async () => {
    const s = byVar(await run(`${head}scheduler = L.LambdaLR(optimizer, lambda e: 0.9 ** e)
for g in optimizer.param_groups:
    g['lr'] = 0.01
${loop(3)}`), 'scheduler');
    assert.deepStrictEqual([...s.curve!.lrs[0]!].slice(1), [0.09000000000000001, 0.08100000000000002, 0.0729]);
    assert.match(startLr(s)!.why, /the lr before the first step\(\) is the written one \(LambdaLR's step\(\) sets its own again\)/);
    assert.deepStrictEqual(lr190(s), []);
  });

  it('before a StepLR is built: labelled (torch builds it on the written lr), no LR190', async () => {
    const s = byVar(await run(`${head}optimizer.param_groups[0]['lr'] = 0.05
scheduler = L.StepLR(optimizer, step_size=10)
${loop(30)}`), 'scheduler');
    assert.match(startLr(s)!.why, /`optimizer\.param_groups\[0\]\['lr'\] = 0\.05` \(line 5\) sets the lr after the optimizer is built: torch builds StepLR on the written lr/);
    assert.deepStrictEqual(lr190(s), []);
  });

  it('before a OneCycleLR is built: not labelled (its construction sets the lr from max_lr), the curve is torch\'s', async () => {
    const s = byVar(await run(`${head}for g in optimizer.param_groups:
    g['lr'] = 0.01
scheduler = L.OneCycleLR(optimizer, max_lr=1.0, total_steps=10)
${loop(2)}`), 'scheduler');
    assert.strictEqual(startLr(s), undefined);
    assert.deepStrictEqual([...s.curve!.lrs[0]!], [0.040000000000000036, 0.52, 1.0]);
  });

  it('a write after the loop, or on another optimizer, is not about this run', async () => {
    const r = await run(`import torch
from torch import nn
from torch.optim import lr_scheduler as L
other = torch.optim.SGD(nn.Linear(2, 2).parameters(), lr=0.1)
optimizer = torch.optim.SGD(nn.Linear(2, 2).parameters(), lr=0.1)
scheduler = L.StepLR(optimizer, step_size=2)
for g in other.param_groups:
    g['lr'] = 0.5
${loop(4)}for g in optimizer.param_groups:
    g['lr'] = 0.001
`);
    const s = byVar(r, 'scheduler');
    assert.strictEqual(startLr(s), undefined);
    assert.deepStrictEqual(lr190(s), []);
  });
});
