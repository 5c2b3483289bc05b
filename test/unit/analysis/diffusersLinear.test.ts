/**
 * diffusers' own `get_linear_schedule_with_warmup` (src/diffusers/optimization.py at main 58eb52c0, since #13664) takes
 * `f_min` and `f_max`; transformers' does not. Sixth audit: huggingface/diffusers examples/cosmos/
 * train_cosmos_predict25_lora.py calls `get_linear_schedule_with_warmup(optimizer, …, f_min=args.scheduler_f_min,
 * f_max=args.scheduler_f_max)` from `diffusers.optimization`, and LR Lens bound it with transformers' signature:
 * error "TypeError: get_linear_schedule_with_warmup() got an unexpected keyword argument 'f_min'", which diffusers
 * never raises. Expected lrs: diffusers' lambda copied into torch 1.13's LambdaLR (/tmp/audit6f/truth/
 * t01_diffusers_linear_fmin_fmax.py), printed with repr.
 */
import * as assert from 'assert';
import type { AnalysisResult } from '../../../src/analysis/types';
import { byVar, run } from './pythonRun';

const all = (r: AnalysisResult) => [...r.diagnostics, ...r.schedulers.flatMap((s) => s.diagnostics)];

const close = (got: ArrayLike<number>, want: readonly number[]) => {
  assert.strictEqual(got.length, want.length, `${got.length} values: ${Array.from(got).join(', ')}`);
  Array.from(got).forEach((g, i) => assert.ok(Math.abs(g - want[i]!) <= 1e-15 * Math.abs(want[i]!) + 1e-18, `value ${i}: ${g} ≠ ${want[i]}`));
};

const script = (call: string) => `import torch
from diffusers.optimization import get_linear_schedule_with_warmup

optimizer = torch.optim.AdamW([torch.nn.Parameter(torch.zeros(1))], lr=0.1)
lr_scheduler = ${call}
for step in range(12):
    optimizer.step()
    lr_scheduler.step()
`;

describe("diffusers' get_linear_schedule_with_warmup (f_min, f_max)", () => {
  it('f_min=0.2, f_max=0.5: warm-up to 0.5 × lr, decay to the floor 0.2 × lr — no TypeError', async () => {
    const r = await run(script('get_linear_schedule_with_warmup(optimizer, num_warmup_steps=3, num_training_steps=10, f_min=0.2, f_max=0.5)'));
    const s = byVar(r, 'lr_scheduler');
    assert.strictEqual(s.kind, 'diffusers.get_linear_schedule_with_warmup');
    assert.deepStrictEqual(all(r).filter((d) => d.severity === 'error').map((d) => d.message), []);
    assert.strictEqual(s.error, null);
    close(s.curve!.lrs[0]!, [0.0, 0.016666666666666666, 0.03333333333333333, 0.05, 0.045714285714285714, 0.041428571428571426,
      0.037142857142857144, 0.032857142857142856, 0.02857142857142857, 0.024285714285714285, 0.020000000000000004,
      0.020000000000000004, 0.020000000000000004]);
  });

  it('positional last_epoch and the default f_max: no warm-up, decay to f_min=0.1', async () => {
    const r = await run(script('get_linear_schedule_with_warmup(optimizer, 0, 7, -1, 0.1)'));
    close(byVar(r, 'lr_scheduler').curve!.lrs[0]!, [0.1, 0.08714285714285713, 0.07428571428571429, 0.06142857142857142,
      0.04857142857142857, 0.03571428571428571, 0.022857142857142857, 0.010000000000000002, 0.010000000000000002,
      0.010000000000000002, 0.010000000000000002, 0.010000000000000002, 0.010000000000000002]);
  });

  it("transformers' own function still has no f_min: Python's TypeError stays", async () => {
    const r = await run(script('get_linear_schedule_with_warmup(optimizer, 3, 10, f_min=0.2)').replace('diffusers.optimization', 'transformers'));
    assert.ok(all(r).some((d) => d.severity === 'error' && /unexpected keyword argument 'f_min'/.test(d.message)),
      all(r).map((d) => d.message).join('\n'));
  });
});
