/**
 * `scheduler.load_state_dict(…)` (fifth audit: resume and fine-tune scripts). torch restores the scheduler's counter and
 * lrs from the checkpoint: /tmp/audit5t/truth/t04_load_state_dict.py restores a CosineAnnealingLR(T_max=10) saved after
 * 5 steps, and a 5-epoch loop then runs 0.05, 0.0345…, 0.0206…, 0.0095…, 0.0024…, 0.0 — the cosine ends at 0, while the
 * curve counted from the construction stops at 0.05. LR Lens drew the latter without a word and warned LR179 "T_max 10 is
 * far beyond the run … the lr never reaches eta_min", which is false for the resumed run.
 */
import * as assert from 'assert';
import type { SchedulerAnalysis } from '../../../src/analysis/types';
import { run } from './pythonRun';

const state = (s: SchedulerAnalysis) => s.assumed.find((a) => a.what === 'state');

describe('a scheduler restored with load_state_dict', () => {
  it('restored on the path taken: labelled state = as constructed, and no false LR179', async () => {
    const r = await run(`import torch
from torch import nn
optimizer = torch.optim.SGD(nn.Linear(2, 2).parameters(), lr=0.1)
scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=10)
ckpt = torch.load('resume.pth')
optimizer.load_state_dict(ckpt['optimizer'])
scheduler.load_state_dict(ckpt['scheduler'])
for epoch in range(5):
    optimizer.step()
    scheduler.step()
`);
    const s = r.schedulers[0]!;
    const a = state(s);
    assert.ok(a?.placeholder);
    assert.match(a!.why, /^`scheduler\.load_state_dict\(ckpt\['scheduler'\]\)` \(line 7\) restores the scheduler's counter and lrs from a checkpoint/);
    assert.deepStrictEqual(s.diagnostics.filter((d) => d.code === 'LR179' || d.code === 'LR173'), []);
  });

  it('under an if LR Lens cannot decide: "may restore", naming the if', async () => {
    const r = await run(`import os
import torch
from torch import nn
optimizer = torch.optim.SGD(nn.Linear(2, 2).parameters(), lr=0.1)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.5)
if os.path.exists('ckpt.pth'):
    ckpt = torch.load('ckpt.pth')
    scheduler.load_state_dict(ckpt['scheduler'])
for epoch in range(6):
    optimizer.step()
    scheduler.step()
`);
    assert.match(state(r.schedulers[0]!)!.why, /\(line 8\), under an `if`, may restore/);
  });

  it('on a --resume branch the defaults do not take: labelled with that branch, the default run\'s lints kept', async () => {
    const r = await run(`import argparse
import torch
from torch import nn
parser = argparse.ArgumentParser()
parser.add_argument('--resume', default='', type=str)
args = parser.parse_args()
optimizer = torch.optim.SGD(nn.Linear(2, 2).parameters(), lr=0.1)
scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=10)
if args.resume:
    checkpoint = torch.load(args.resume)
    scheduler.load_state_dict(checkpoint['lr_scheduler'])
for epoch in range(5):
    optimizer.step()
    scheduler.step()
`);
    const s = r.schedulers[0]!;
    assert.match(state(s)!.why, /\(line 11\) restores the scheduler from a checkpoint, on the branch `args\.resume`, not taken with the default arguments; the curve is the run without it/);
    // Without --resume the run is the 5 epochs from the construction: the cosine is cut at 50% (torch: 0.1 … 0.05).
    assert.ok(s.diagnostics.some((d) => d.code === 'LR179'));
  });

  it('no load_state_dict, no label', async () => {
    const r = await run(`import torch
from torch import nn
optimizer = torch.optim.SGD(nn.Linear(2, 2).parameters(), lr=0.1)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=2)
sd = scheduler.state_dict()
for epoch in range(4):
    optimizer.step()
    scheduler.step()
`);
    assert.strictEqual(state(r.schedulers[0]!), undefined);
  });
});
