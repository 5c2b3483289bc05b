/**
 * A branch the assumed values do not take, previewed in a fork, with the very value that decided it (sixth audit).
 * `parser.add_argument('--step-size', type=int, default=None)` then `if args.step_size is not None: StepLR(optimizer,
 * step_size=args.step_size)`: LR Lens previewed the branch with step_size None and warned "TypeError … would raise if
 * step_size is None"; `elif args.milestones: MultiStepLR(optimizer, milestones=args.milestones)` drew a flat curve
 * (milestones None); `T_max=args.t_max * 2` "raises TypeError". CompVis's `self.use_scheduler = scheduler_config is
 * not None` then `if self.use_scheduler: instantiate_from_config(self.scheduler_config)` "raises TypeError: argument of
 * type 'NoneType' is not iterable". On those branches the value is never the default: torch 1.13 with arguments that
 * take them (/tmp/audit6t/truth/t03_guarded_none.py) builds and steps each scheduler without an error:
 *   --step-size 5:          StepLR            [0.1 ×5, 0.05 ×5, 0.025, …]
 *   --milestones 10 20:     MultiStepLR       [0.1 ×10, 0.01, …] (not flat)
 *   --t-max 15:             CosineAnnealingLR [0.1, 0.0997260948, …]
 * So the value is unknown there (no curve, no warning); other values keep their labelled defaults.
 */
import * as assert from 'assert';
import { byVar, run } from './pythonRun';

const args = (stepDefault: string) => `import argparse
import torch
from torch.optim.lr_scheduler import StepLR, MultiStepLR, CosineAnnealingLR
parser = argparse.ArgumentParser()
parser.add_argument('--step-size', type=int, default=${stepDefault})
parser.add_argument('--milestones', type=int, nargs='+', default=None)
parser.add_argument('--t-max', type=int, default=None)
parser.add_argument('--epochs', type=int, default=30)
args = parser.parse_args()
optimizer = torch.optim.SGD(torch.nn.Linear(2, 2).parameters(), lr=0.1)
if args.step_size is not None:
    scheduler = StepLR(optimizer, step_size=args.step_size, gamma=0.5)
elif args.milestones:
    scheduler = MultiStepLR(optimizer, milestones=args.milestones)
elif args.t_max is not None:
    scheduler = CosineAnnealingLR(optimizer, T_max=args.t_max * 2)
else:
    scheduler = None
for epoch in range(args.epochs):
    optimizer.step()
    if scheduler is not None:
        scheduler.step()
`;

describe('a branch not taken is not previewed with the value that decided it', () => {
  it('`if args.x is not None:` / `elif args.m:` with default None: no curve, no warning, the reason says why', async () => {
    const r = await run(args('None'));
    const all = r.schedulers.filter((s) => s.variable === 'scheduler');
    assert.deepStrictEqual(all.map((s) => s.kind), ['StepLR', 'MultiStepLR', 'CosineAnnealingLR']);
    for (const s of all) {
      assert.ok(!s.curve, `${s.kind} has a curve`);
      assert.deepStrictEqual(s.diagnostics.filter((d) => d.severity !== 'information').map((d) => d.code), [], s.kind);
      assert.doesNotMatch(s.error!, /raises|TypeError|NoneType/);
      assert.match(s.error!, /the branch is not taken with its assumed value \(default of --(step-size|milestones|t-max)/);
    }
  });

  it('both sides of `a is not None and b is not None`, and the `else` of `if b is None` (the condition names them)', async () => {
    const r = await run(`import argparse
import torch
from torch.optim.lr_scheduler import StepLR, MultiStepLR
parser = argparse.ArgumentParser()
parser.add_argument('--step-size', type=int, default=None)
parser.add_argument('--gamma', type=float, default=None)
parser.add_argument('--milestones', type=int, nargs='+', default=None)
args = parser.parse_args()
optimizer = torch.optim.SGD(torch.nn.Linear(2, 2).parameters(), lr=0.1)
scheduler = None
if args.step_size is not None and args.gamma is not None:
    scheduler = StepLR(optimizer, step_size=10, gamma=args.gamma)
if args.milestones is None:
    pass
else:
    scheduler = MultiStepLR(optimizer, milestones=args.milestones)
for epoch in range(30):
    optimizer.step()
    if scheduler is not None:
        scheduler.step()
`);
    for (const kind of ['StepLR', 'MultiStepLR']) {
      const s = r.schedulers.find((x) => x.kind === kind)!;
      assert.ok(!s.curve, kind);
      assert.deepStrictEqual(s.diagnostics.filter((d) => d.severity !== 'information').map((d) => d.code), [], kind);
      assert.match(s.error!, /`args\.(gamma|milestones)`/, kind);
      assert.doesNotMatch(s.error!, /NoneType|raises/, kind);
    }
  });

  it('a default that takes the branch is previewed as before (torch 1.13, t03: StepLR(5, 0.5))', async () => {
    const s = byVar(await run(args('5')), 'scheduler');
    assert.strictEqual(s.kind, 'StepLR');
    assert.deepStrictEqual([...s.curve!.lrs[0]!].slice(0, 12), [0.1, 0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.05, 0.025, 0.025]);
  });

  it('CompVis\'s flag set from `config is not None`: the config is unknown on the flag\'s branch, not None', async () => {
    const r = await run(`import torch
from torch.optim.lr_scheduler import LambdaLR
def instantiate_from_config(config):
    if not "target" in config:
        raise KeyError("Expected key \`target\` to instantiate.")
    return config["target"](**config.get("params", dict()))
class Classifier:
    def __init__(self, model, learning_rate=1e-4, scheduler_config=None):
        self.model = model
        self.learning_rate = learning_rate
        self.scheduler_config = scheduler_config
        self.use_scheduler = self.scheduler_config is not None
    def configure_optimizers(self):
        optimizer = torch.optim.AdamW(self.model.parameters(), lr=self.learning_rate)
        if self.use_scheduler:
            scheduler = instantiate_from_config(self.scheduler_config)
            return [optimizer], [{'scheduler': LambdaLR(optimizer, lr_lambda=scheduler.schedule), 'interval': 'step'}]
        return optimizer
`);
    const s = r.schedulers.find((x) => x.kind === 'LambdaLR')!;
    assert.ok(!s.curve);
    assert.doesNotMatch(s.error!, /raises|NoneType/);
    assert.match(s.error!, /`self\.scheduler_config`: the branch is not taken with its assumed value/);
  });

  it('values the condition did not read keep their labelled defaults on the branch (`elif args.sched == "cos"`: T_max = --epochs)', async () => {
    const r = await run(`import argparse
import torch
from torch.optim.lr_scheduler import StepLR, CosineAnnealingLR
parser = argparse.ArgumentParser()
parser.add_argument('--sched', default='step')
parser.add_argument('--epochs', type=int, default=4)
args = parser.parse_args()
optimizer = torch.optim.SGD(torch.nn.Linear(2, 2).parameters(), lr=0.1)
if args.sched == 'step':
    scheduler = StepLR(optimizer, step_size=2)
elif args.sched == 'cos':
    scheduler = CosineAnnealingLR(optimizer, T_max=args.epochs)
for epoch in range(args.epochs):
    optimizer.step()
    scheduler.step()
`);
    const cos = r.schedulers.find((x) => x.kind === 'CosineAnnealingLR')!;
    // torch 1.13: CosineAnnealingLR(T_max=4) on lr 0.1, 4 steps (t03, last line).
    assert.deepStrictEqual([...cos.curve!.lrs[0]!], [0.1, 0.08535533905932738, 0.05, 0.014644660940672627, 0.0]);
  });
});
