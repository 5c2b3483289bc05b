/**
 * A construction on a branch the assumed values do not take, which also sets what the loop after the `if` reads (fifth
 * audit, snap-stanford/ogb examples/lsc/pcqm4m-v2/main_gnn.py: `if args.train_subset: scheduler = StepLR(optimizer,
 * step_size=300, gamma=0.25); args.epochs = 1000`). LR Lens counted that scheduler's run with the default path's
 * `--epochs` 100: 101 flat values and a false LR023 "No decay inside the preview … shorten step_size". torch 1.13
 * (/tmp/audit5t/truth/t03_branch_sets_epochs.py) runs that branch for 1000 epochs: 0.001, then 0.00025 at 300,
 * 6.25e-05 at 600, 1.5625e-05 at 900 (and the `else` branch, the default, 100 epochs ending at 1.5625e-05).
 */
import * as assert from 'assert';
import { run } from './pythonRun';

const SRC = `import argparse
import torch
from torch.optim.lr_scheduler import StepLR

parser = argparse.ArgumentParser()
parser.add_argument('--epochs', type=int, default=100)
parser.add_argument('--train_subset', action='store_true')
args = parser.parse_args()

optimizer = torch.optim.Adam(torch.nn.Linear(2, 2).parameters(), lr=0.001)
if args.train_subset:
    scheduler = StepLR(optimizer, step_size=300, gamma=0.25)
    args.epochs = 1000
else:
    scheduler = StepLR(optimizer, step_size=30, gamma=0.25)

for epoch in range(1, args.epochs + 1):
    optimizer.step()
    scheduler.step()
`;

describe('a branch not taken that sets the run length', () => {
  it('its scheduler\'s run length is unknown (naming the assignment), no false LR023; its values are torch\'s', async () => {
    const r = await run(SRC);
    const sub = r.schedulers.find((s) => Number(s.args['step_size']) === 300)!;
    assert.strictEqual(sub.run?.steps, null);
    assert.match(sub.run!.source, /`args\.epochs` is set on this scheduler's branch \(line 13\)/);
    assert.deepStrictEqual(sub.diagnostics.filter((d) => d.severity !== 'information').map((d) => d.code), []);
    const v = sub.curve!.lrs[0]!;
    assert.deepStrictEqual([v[0], v[300], v[600], v[900]], [0.001, 0.00025, 6.25e-05, 1.5625e-05]);
  });

  it('the default path keeps its counted run (100 epochs, ending at 1.5625e-05)', async () => {
    const r = await run(SRC);
    const def = r.schedulers.find((s) => Number(s.args['step_size']) === 30)!;
    assert.strictEqual(def.run?.steps, 100);
    assert.strictEqual(def.curve!.lrs[0]!.length, 101);
    assert.strictEqual(def.curve!.lrs[0]![100], 1.5625e-05);
  });

  it('a loop inside the branch itself is counted as the branch sets it', async () => {
    const r = await run(`import argparse
import torch
from torch.optim.lr_scheduler import StepLR
parser = argparse.ArgumentParser()
parser.add_argument('--long', action='store_true')
args = parser.parse_args()
optimizer = torch.optim.Adam(torch.nn.Linear(2, 2).parameters(), lr=0.001)
if args.long:
    epochs = 40
    scheduler = StepLR(optimizer, step_size=10, gamma=0.5)
    for epoch in range(epochs):
        optimizer.step()
        scheduler.step()
`);
    assert.strictEqual(r.schedulers[0]!.run?.steps, 40);
  });
});
