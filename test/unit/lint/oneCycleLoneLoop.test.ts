/**
 * LR170 ("a per-batch schedule stepped once per epoch … the curve stops early") on a lone loop that steps
 * OneCycleLR exactly as long as it is built (eighth audit: neergaard/coupled-generator-decomposition
 * experiments/test.py, `OneCycleLR(…, steps_per_epoch=10, epochs=1000)` stepped by `for i in range(10000)`; and
 * `epochs=E, steps_per_epoch=1` stepped once per epoch). A lone range loop is read as an epoch loop, and LR170
 * fired although the curve runs to its end. torch 1.13 (/tmp/a8t-repros/truth/t2_onecycle_lone_loop.py): 10,000
 * calls run through, the minimum 4e-7 at index 9,999; 10,001 calls raise at call 10,001 ("Tried to step 10002
 * times. The specified number of total steps is 10000"); spe=1 over 40 epochs: 40 calls, no error.
 */
import * as assert from 'assert';
import { byVar, run } from '../analysis/pythonRun';

const script = (spe: number, epochs: number, loop: number) => `import torch
model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=0.1, steps_per_epoch=${spe}, epochs=${epochs})
for i in range(${loop}):
    optimizer.step()
    scheduler.step()
`;
const codes = (s: ReturnType<typeof byVar>) => s.diagnostics.map((d) => d.code);

describe('OneCycleLR stepped by a lone loop as long as the schedule', () => {
  it('10,000 calls of a 10,000-step schedule: no LR170, the curve torch draws', async () => {
    const s = byVar(await run(script(10, 1000, 10000)), 'scheduler');
    assert.deepStrictEqual(codes(s).filter((c) => c !== 'LR096'), []);
    const lrs = s.curve!.lrs[0]!;
    assert.strictEqual(lrs.length, 10001);
    assert.ok(Math.abs(lrs[9999]! - 4e-7) < 1e-20);
    assert.ok(Math.abs(lrs[10000]! - 4.0503549222058944e-07) / 4.05e-7 < 1e-9);
  });

  it('10,001 calls: the error torch raises, and no LR170', async () => {
    const s = byVar(await run(script(10, 1000, 10001)), 'scheduler');
    const err = s.diagnostics.find((d) => d.code === 'LR172');
    assert.ok(err && err.severity === 'error' && /Tried to step 10002 times\. The specified number of total steps is 10000/.test(err.message), codes(s).join(','));
    assert.ok(!codes(s).includes('LR170'), codes(s).join(','));
  });

  it('`epochs=40, steps_per_epoch=1` stepped once per epoch for 40 epochs: no LR170', async () => {
    const s = byVar(await run(script(1, 40, 40)), 'scheduler');
    assert.ok(!codes(s).includes('LR170'), codes(s).join(','));
  });

  it('half the schedule (5,000 of 10,000 calls): LR170 still fires, saying the curve peaked (torch: max at step 2,999) and stops mid-anneal', async () => {
    const s = byVar(await run(script(10, 1000, 5000)), 'scheduler');
    const d = s.diagnostics.find((x) => x.code === 'LR170');
    assert.ok(d && /peaks at step 2,?999 and stops before annealing/.test(d.message) && !/never anneals/.test(d.message), d?.message);
  });

  it('a tenth of it (1,000 calls, before the peak): "rises and never anneals"', async () => {
    const s = byVar(await run(script(10, 1000, 1000)), 'scheduler');
    assert.ok(s.diagnostics.some((x) => x.code === 'LR170' && /rises and never anneals/.test(x.message)), codes(s).join(','));
  });
});
