/**
 * A progress bar around the loop's iterable: `for epoch in tqdm(range(EPOCHS), desc="train")`, `for epoch in
 * trange(1, EPOCHS + 1)` (tqdm's own `range`). The count of such a loop was unknown ("stepped per epoch, ? epochs"),
 * so the preview fell back to the arguments' length. The bar's callee resolved to tqdm's is looked through; a
 * function of the file named `tqdm` is not. Expected values: torch 1.13 running the same loops.
 */
import * as assert from 'assert';
import { byVar, run } from './pythonRun';

const prelude = `import torch
from tqdm import tqdm, trange
from torch.optim.lr_scheduler import StepLR, MultiStepLR
m = torch.nn.Linear(2, 2)
opt = torch.optim.SGD(m.parameters(), lr=0.1)
`;
const end = (s: { curve: { lrs: ArrayLike<number>[] } | null }) => { const row = s.curve!.lrs[0]!; return row[row.length - 1]!; };

describe('a progress bar around the loop\'s iterable', () => {
  it('`tqdm(range(12), desc="train")`: 12 epochs (torch: StepLR(step_size=5) ends at 0.0010000000000000002)', async () => {
    const s = byVar(await run(`${prelude}s = StepLR(opt, step_size=5)\nfor epoch in tqdm(range(12), desc="train"):\n    opt.step()\n    s.step()\n`), 's');
    assert.strictEqual(s.run!.steps, 12);
    assert.strictEqual(end(s), 0.0010000000000000002);
  });

  it('`trange(1, 9)`: 8 epochs (torch: MultiStepLR([3, 6]) ends at 0.0010000000000000002)', async () => {
    const s = byVar(await run(`${prelude}s = MultiStepLR(opt, milestones=[3, 6])\nfor epoch in trange(1, 9):\n    opt.step()\n    s.step()\n`), 's');
    assert.strictEqual(s.run!.steps, 8);
    assert.strictEqual(end(s), 0.0010000000000000002);
  });

  it('its variable takes the range\'s values: `if epoch >= 3: s.step()` over `tqdm(range(10))` is 7 steps (torch: 7, ends at 0.00010000000000000003)', async () => {
    const s = byVar(await run(`${prelude}s = StepLR(opt, step_size=2)\nfor epoch in tqdm(range(10)):\n    opt.step()\n    if epoch >= 3:\n        s.step()\n`), 's');
    assert.strictEqual(s.run!.steps, 7);
    assert.strictEqual(end(s), 0.00010000000000000003);
  });

  it('a function of the file named `tqdm` is not taken for the progress bar', async () => {
    const s = byVar(await run(`${prelude.replace('from tqdm import tqdm, trange\n', '')}def tqdm(xs):\n    return xs[:3]\ns = StepLR(opt, step_size=5)\nfor epoch in tqdm(range(12)):\n    opt.step()\n    s.step()\n`), 's');
    assert.notStrictEqual(s.run!.steps, 12);
  });
});
