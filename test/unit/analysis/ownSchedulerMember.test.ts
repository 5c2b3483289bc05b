/**
 * SequentialLR / ChainedScheduler with a member that is the repository's own scheduler class (seventh audit):
 * `build_lrs` in m872384296/causal_transformer `utils/lr_scheduler.py` (and the pytorch-cifar100 shape) hands a
 * `WarmUpLR(_LRScheduler)` instance to SequentialLR. LR Lens said "error: AttributeError: 'WarmUpLR' object has no
 * attribute 'optimizer'"; torch's base class gives the instance its optimizer, and torch 1.13 builds and runs both
 * composites (/tmp/audit7t/truth/t02_own_class_member.py: SequentialLR uses 0.0, 0.0333…, 0.0667…, 0.1, 0.09755…;
 * ChainedScheduler 0.0, 0.03, 0.06, 0.09). A member of a plain class (no torch base) does raise
 * AttributeError("'Plain' object has no attribute 'optimizer'") in the same run: that error stays.
 */
import * as assert from 'assert';
import { byVar, run } from './pythonRun';

const head = `import torch
from torch.optim.lr_scheduler import _LRScheduler, CosineAnnealingLR, SequentialLR, ChainedScheduler, ExponentialLR
class WarmUpLR(_LRScheduler):
    def __init__(self, optimizer, total_iters, last_epoch=-1):
        self.total_iters = total_iters
        super().__init__(optimizer, last_epoch)
    def get_lr(self):
        return [b * self.last_epoch / (self.total_iters + 1e-8) for b in self.base_lrs]
class Plain:
    def __init__(self, n):
        self.n = n
opt = torch.optim.SGD(torch.nn.Linear(2, 2).parameters(), lr=0.1)
`;
const loop = `for epoch in range(6):
    opt.step()
    scheduler.step()
`;

describe('a composite scheduler with a member of the repository\'s own scheduler class', () => {
  for (const [what, build] of [
    ['SequentialLR', 'scheduler = SequentialLR(opt, schedulers=[WarmUpLR(opt, 3), CosineAnnealingLR(opt, T_max=10)], milestones=[3])'],
    ['SequentialLR built in a factory', 'def build_lrs(optimizer, milestone, T_max):\n    s1 = WarmUpLR(optimizer, milestone)\n    s2 = CosineAnnealingLR(optimizer, T_max=T_max)\n    return SequentialLR(optimizer, schedulers=[s1, s2], milestones=[milestone])\nscheduler = build_lrs(opt, 3, 10)'],
    ['ChainedScheduler', 'scheduler = ChainedScheduler([WarmUpLR(opt, 3), ExponentialLR(opt, 0.9)])'],
  ] as const) {
    it(`${what}: no "torch raises" error (torch 1.13 builds and runs it); no curve, saying why`, async () => {
      const r = await run(`${head}${build}\n${loop}`);
      const s = r.schedulers.find((x) => x.kind === (what.startsWith('Chained') ? 'ChainedScheduler' : 'SequentialLR'));
      assert.ok(s, r.schedulers.map((x) => x.kind).join(', '));
      assert.deepStrictEqual(s.diagnostics.filter((d) => d.severity === 'error' || d.severity === 'warning').map((d) => d.code), []);
      assert.ok(!s.curve, 'the own class\'s lr is not computed: no curve');
      assert.doesNotMatch(s.error ?? '', /AttributeError|raises/);
      assert.match(s.error ?? '', /`WarmUpLR` is the repository's own scheduler class \(a subclass of torch's `_LRScheduler`\)/);
    });
  }

  it('a member of a plain class (no torch base): torch 1.13 raises AttributeError, and LR Lens still says so', async () => {
    const r = await run(`${head}scheduler = SequentialLR(opt, schedulers=[Plain(3), CosineAnnealingLR(opt, T_max=10)], milestones=[3])\n${loop}`);
    const s = byVar(r, 'scheduler');
    assert.match(s.error ?? '', /AttributeError: 'Plain' object has no attribute 'optimizer'/);
  });
});
