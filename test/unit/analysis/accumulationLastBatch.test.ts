/**
 * Gradient accumulation flushing the last, partial group: `(i + 1) % accum == 0 or (i + 1) == len(train_loader)`
 * (eighth audit; the Kaggle-kernel form of transformers' no_trainer `step == len(train_dataloader) - 1`). Only
 * `i == len(…) - 1` was read, so this run's length was "not known" and OneCycleLR's overrun was missed. Expected
 * values: torch 1.13, /tmp/a8t-repros/truth/t3_accum_last_batch.py: 50 batches, accum 4 → 13 steps per epoch;
 * OneCycleLR built for 4 * 50 // 4 = 50 steps raises at step() call 51 ("Tried to step 52 times. The specified
 * number of total steps is 50"), 51 values, lr[49] 1.2e-10 and lr[50] 3.6659099945650954e-08 for group 0.
 */
import * as assert from 'assert';
import { byVar, run } from './pythonRun';

const script = (cond: string) => `import torch, torch.nn as nn
CFG = {"epochs": 4, "accum": 4, "lr": 3e-4, "n_batches": 50}
model = nn.Linear(8, 1)
optimizer = torch.optim.AdamW([{"params": [model.weight], "lr": CFG["lr"] / 10}, {"params": [model.bias]}], lr=CFG["lr"])
train_loader = [None] * CFG["n_batches"]
num_steps = CFG["epochs"] * len(train_loader) // CFG["accum"]
scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=[CFG["lr"] / 10, CFG["lr"]], total_steps=num_steps, pct_start=0.1)
for epoch in range(CFG["epochs"]):
    for i, batch in enumerate(train_loader):
        loss = model(torch.randn(2, 8)).sum() / CFG["accum"]
        loss.backward()
        if ${cond}:
            optimizer.step()
            optimizer.zero_grad()
            scheduler.step()
`;

describe('accumulation with `or (i + 1) == len(loader)`', () => {
  for (const cond of ['(i + 1) % CFG["accum"] == 0 or (i + 1) == len(train_loader)', '(i + 1) % CFG["accum"] == 0 or len(train_loader) == i + 1']) {
    it(`${cond}: 13 steps per epoch, torch's ValueError at call 51`, async () => {
      const s = byVar(await run(script(cond)), 'scheduler');
      assert.strictEqual(s.run!.stepsPerEpoch, 13);
      assert.strictEqual(s.run!.steps, 52);
      const err = s.diagnostics.find((d) => d.code === 'LR172');
      assert.ok(err && err.severity === 'error' && /Tried to step 52 times\. The specified number of total steps is 50/.test(err.message), JSON.stringify(s.diagnostics));
      const lrs = s.curve!.lrs[0]!;
      assert.strictEqual(lrs.length, 51);
      assert.ok(Math.abs(lrs[49]! - 1.2e-10) / 1.2e-10 < 1e-9 && Math.abs(lrs[50]! - 3.6659099945650954e-08) / 3.67e-8 < 1e-9);
    });
  }

  it('the last-batch test on another counter is not read as this one', async () => {
    const s = byVar(await run(script('(i + 1) % CFG["accum"] == 0 or (epoch + 1) == len(train_loader)')), 'scheduler');
    assert.strictEqual(s.run!.steps, null);
    assert.ok(!s.diagnostics.some((d) => d.code === 'LR172' && d.severity === 'error'), JSON.stringify(s.diagnostics));
  });
});
