/**
 * The common optimizer helper that splits the parameters for weight decay (`def get_optimizer(model, lr, wd): for
 * name, p in model.named_parameters(): …; return AdamW([{"params": decay, …}, {"params": no_decay, …}], lr=lr)`).
 * Its call could not run to the end (the loop over the model's parameters), so the optimizer was "not resolved" and
 * an SGD(lr=0.1) with one group was assumed, although the lr is passed and the groups are written. It is walked
 * instead, as the same code at module level is. Expected values: torch 1.13 running the same program (2 groups;
 * lr 0.0005, 0.0004998768868112501, …, 0.00025050000000000007 at 50, 1e-06 at 100).
 */
import * as assert from 'assert';
import { byVar, run } from './pythonRun';

const src = (extra = '') => `import torch
from torch.optim.lr_scheduler import CosineAnnealingLR

def get_optimizer(model, lr=1e-3, wd=1e-4):
    decay, no_decay = [], []
    for name, p in model.named_parameters():
        (no_decay if p.ndim <= 1 else decay).append(p)
${extra}    return torch.optim.AdamW([{"params": decay, "weight_decay": wd}, {"params": no_decay, "weight_decay": 0.0}], lr=lr)

model = torch.nn.Linear(10, 2)
optimizer = get_optimizer(model, lr=5e-4)
scheduler = CosineAnnealingLR(optimizer, T_max=100, eta_min=1e-6)
for epoch in range(100):
    optimizer.step()
    scheduler.step()
`;

describe('an optimizer helper that cannot run to the end is walked', () => {
  it('two groups at the lr passed, nothing assumed; torch\'s values', async () => {
    const s = byVar(await run(src()), 'scheduler');
    assert.deepStrictEqual(s.assumed, []);
    assert.strictEqual(s.curve!.lrs.length, 2);
    const row = s.curve!.lrs[0]!;
    for (const [k, v] of [[0, 0.0005], [1, 0.0004998768868112501], [50, 0.00025050000000000007], [100, 1e-06]] as const) {
      assert.ok(Math.abs(row[k]! - v) <= 1e-12 * v, `${k}: ${row[k]}`);
    }
  });

  it('a helper that also names a schedule is not walked for its value (its construction is found where the file\'s functions are walked)', async () => {
    const r = await run(src('    _unused = "lr_scheduler"\n'));
    assert.ok(byVar(r, 'scheduler').assumed.some((a) => /not resolved/.test(a.why ?? JSON.stringify(a))), JSON.stringify(byVar(r, 'scheduler').assumed));
  });
});
