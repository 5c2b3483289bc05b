/**
 * A warm-up stepped per batch on the first epoch only (`if epoch == 0: warm.step()`, torchvision's detection
 * `train_one_epoch` written in one function), built before a MultiStepLR on the same optimizer that the loop steps once
 * per epoch after it (the loops audit's /tmp/w3.py). Every warm-up step comes before the MultiStepLR's first, so torch
 * runs the MultiStepLR from the lr the warm-up leaves. LR Lens replayed the LinearLR's construction alone: the
 * MultiStepLR read 2e-5 → 2e-7, 1000× too low for the whole run, unlabelled.
 * Expected: torch 1.13 (Debian's python3-torch), `main_sched.get_last_lr()[0]` after each epoch of the same loop:
 * 0.020000000000000007 for epochs 1–15, then 0.002000000000000001 (16–21) and 0.0002000000000000001 (22–26). Value 0
 * (before the first epoch) is the lr after the warm-up's 100 steps here, said in a note; torch's get_last_lr() right
 * after the construction is 2e-5, the warm-up's start.
 */
import * as assert from 'assert';
import { byVar, run } from './pythonRun';

const src = (warmCond: string, order: 'after' | 'before', inner = 'for i in range(100):') => `import torch
optimizer = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9)
warm = torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=0.001, total_iters=99)
main_sched = torch.optim.lr_scheduler.MultiStepLR(optimizer, milestones=[16, 22], gamma=0.1)
for epoch in range(26):
${order === 'before' ? '    main_sched.step()\n' : ''}    ${inner}
        optimizer.step()
        if ${warmCond}:
            warm.step()
${order === 'after' ? '    main_sched.step()\n' : ''}`;

const TORCH = [0.020000000000000007, 0.002000000000000001, 0.0002000000000000001];
const torchAt = (k: number) => (k < 16 ? TORCH[0]! : k < 22 ? TORCH[1]! : TORCH[2]!);

describe('a first-epoch warm-up built before the main scheduler: the main curve runs from the lr it leaves', () => {
  for (const cond of ['epoch == 0', '0 == epoch', 'epoch < 1']) {
    it(`\`if ${cond}: warm.step()\` per batch, then main_sched.step() per epoch: torch's values`, async () => {
      const s = byVar(await run(src(cond, 'after')), 'main_sched');
      const lrs = Array.from(s.curve!.lrs[0]!);
      assert.strictEqual(lrs.length, 27);
      // Value 0 is the lr the warm-up's 100 steps leave, the same 0.020000000000000007 torch's warm.get_last_lr() gives then.
      lrs.forEach((v, k) => assert.strictEqual(v, torchAt(k), `epoch ${k}`));
      assert.ok(s.notes.some((n) => /runs after `warm` \(line 3\).*after its 100 step\(\) calls/.test(n)), JSON.stringify(s.notes));
    });
  }

  it('not when the warm-up also steps in later epochs (`epoch < 5`: the two take turns), nor when the main steps first', async () => {
    for (const text of [src('epoch < 5', 'after'), src('epoch == 0', 'before')]) {
      const s = byVar(await run(text), 'main_sched');
      assert.ok(!s.notes.some((n) => /runs after `warm`/.test(n)), JSON.stringify(s.notes));
    }
  });

  it('over a data loader (the warm-up\'s step count not known): labelled, from the lr at the main one\'s construction', async () => {
    const text = 'from torch.utils.data import DataLoader\ntrain_loader = DataLoader(ds, batch_size=4)\n' + src('epoch == 0', 'after', 'for x in train_loader:');
    const s = byVar(await run(text), 'main_sched');
    const a = s.assumed.find((x) => x.what === 'start lr');
    assert.ok(a && /stepped after `warm`/.test(a.why) && a.placeholder, JSON.stringify(s.assumed));
  });
});
