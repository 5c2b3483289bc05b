/**
 * A `while` loop whose condition says neither epoch nor batch (`while True:`) is named by what its body counts at its
 * top level: ultralytics' trainer (`while True: … self.scheduler.step() … epoch += 1; if epoch >= self.epochs: break`)
 * steps its scheduler once per epoch (it was said to be "per batch"); a loop counting `step += 1` stays per batch.
 */
import * as assert from 'assert';
import { byVar, run } from './pythonRun';

const script = (counter: string, inner: boolean) => `import torch
from torch.optim.lr_scheduler import StepLR
model = torch.nn.Linear(2, 2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
scheduler = StepLR(optimizer, step_size=3)
${counter} = 0
while True:
${inner ? '    for i in range(4):\n        optimizer.step()\n' : '    optimizer.step()\n'}    scheduler.step()
    ${counter} += 1
    if ${counter} >= 10:
        break
`;

describe('a `while True:` loop is an epoch or a batch loop by the counter its body adds to', () => {
  it('`epoch += 1` around the batches: per epoch', async () => {
    const s = byVar(await run(script('epoch', true)), 'scheduler');
    assert.strictEqual(s.run?.unit, 'epoch');
  });

  it('`step += 1`: per batch, as before', async () => {
    const s = byVar(await run(script('step', false)), 'scheduler');
    assert.strictEqual(s.run?.unit, 'batch');
  });

  it('a condition that says the unit keeps deciding it (`while epoch < 10:` counting `step += 1` too)', async () => {
    const src = script('epoch', true).replace('while True:', 'while epoch < 10:').replace('    epoch += 1\n', '    epoch += 1\n    step = 0\n    step += 1\n');
    const s = byVar(await run(src), 'scheduler');
    assert.strictEqual(s.run?.unit, 'epoch');
  });
});
