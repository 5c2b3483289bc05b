/**
 * A lambda that reads an instance's state through one of its methods (seventh audit): habitat-lab's PPO trainers
 * build `LambdaLR(optimizer, lr_lambda=lambda x: 1 - self.percent_done())`, where `percent_done()` reads
 * `self.num_steps_done`, which the training loop advances. LR Lens drew a flat line (the lambda at one state of the
 * walk, which does not follow the loop through the calls it cannot evaluate); torch 1.13 lowers the lr at every update (/tmp/audit7t/truth/t08_habitat_percent_done.py: 0.00025,
 * 0.000225, …, 2.5e-05). Which value each call sees depends on when it steps: unknown, saying so. The control (a
 * method of an instance the loop leaves alone) keeps its curve, torch's 0.025, 0.05, 0.075, 0.1, 0.1, 0.1, 0.1.
 */
import * as assert from 'assert';
import { byVar, run } from './pythonRun';

describe('a lambda reading instance state through a method', () => {
  it('habitat-lab\'s `lambda x: 1 - self.percent_done()` with the loop advancing the state: no flat curve, unknown saying why', async () => {
    const r = await run(`import torch
from torch.optim.lr_scheduler import LambdaLR
class PPOTrainer:
    def __init__(self, total_num_steps=1000, num_steps=100):
        self.total_num_steps = total_num_steps
        self.num_steps = num_steps
        self.num_steps_done = 0
        self.optimizer = torch.optim.Adam([torch.zeros(2, requires_grad=True)], lr=2.5e-4)
    def percent_done(self):
        return self.num_steps_done / self.total_num_steps
    def is_done(self):
        return self.percent_done() >= 1.0
    def train(self):
        lr_scheduler = LambdaLR(optimizer=self.optimizer, lr_lambda=lambda x: 1 - self.percent_done())
        while not self.is_done():
            self.optimizer.step()
            lr_scheduler.step()
            self.num_steps_done += self.num_steps
PPOTrainer().train()
`);
    const s = byVar(r, 'lr_scheduler');
    assert.ok(!s.curve, `a curve was drawn: ${s.curve ? [...s.curve.lrs[0]!].slice(0, 4).join(', ') : ''}`);
    assert.match(s.error ?? '', /reads `self\.num_steps_done` \(through `self\.percent_done\(\)`\), which `PPOTrainer\.train` \(line 18\) changes as the run goes/);
  });

  it('a bound method as lr_lambda reading a counter another method advances (`self.updates += 1`): unknown too', async () => {
    const r = await run(`import torch
from torch.optim.lr_scheduler import LambdaLR
class Agent:
    def __init__(self, total):
        self.total = total
        self.updates = 0
        self.opt = torch.optim.SGD([torch.zeros(2, requires_grad=True)], lr=0.1)
        self.sched = LambdaLR(self.opt, self.lr_lambda)
    def lr_lambda(self, step):
        return 1 - self.updates / self.total
    def update(self):
        self.opt.step()
        self.sched.step()
        self.updates += 1
agent = Agent(10)
for i in range(10):
    agent.update()
`);
    const s = r.schedulers[0]!;
    assert.ok(!s.curve);
    assert.match(s.error ?? '', /reads `self\.updates`, which `Agent\.update` \(line 14\) changes as the run goes/);
  });

  it('control: a setting assigned in another method (`self.total = …`, not a counter) keeps the curve', async () => {
    const r = await run(`import torch
from torch.optim.lr_scheduler import LambdaLR
class Trainer:
    def __init__(self):
        self.opt = torch.optim.SGD([torch.zeros(2, requires_grad=True)], lr=0.1)
        self.warmup = 1
    def setup(self, warmup):
        self.warmup = warmup
    def train(self):
        sched = LambdaLR(self.opt, lr_lambda=lambda x: min(1.0, (x + 1) / self.warmup))
        for step in range(6):
            self.opt.step()
            sched.step()
t = Trainer()
t.setup(4)
t.train()
`);
    const s = byVar(r, 'sched');
    assert.ok(s.curve, s.error ?? '');
    // torch 1.13 (t08's control, the same λ): 0.025, 0.05, 0.075, 0.1, …
    assert.deepStrictEqual([...s.curve.lrs[0]!], [0.025, 0.05, 0.07500000000000001, 0.1, 0.1, 0.1, 0.1]);
  });

  it('control: a method of an instance the loop does not change keeps torch\'s curve', async () => {
    const r = await run(`import torch
from torch.optim.lr_scheduler import LambdaLR
class Trainer:
    def __init__(self, warmup):
        self.warmup = warmup
        self.opt = torch.optim.SGD([torch.zeros(2, requires_grad=True)], lr=0.1)
    def factor(self, x):
        return min(1.0, (x + 1) / self.warmup)
    def train(self):
        sched = LambdaLR(self.opt, lr_lambda=lambda x: self.factor(x))
        for step in range(6):
            self.opt.step()
            sched.step()
Trainer(4).train()
`);
    const s = byVar(r, 'sched');
    assert.ok(s.curve, s.error ?? '');
    assert.deepStrictEqual([...s.curve.lrs[0]!], [0.025, 0.05, 0.07500000000000001, 0.1, 0.1, 0.1, 0.1]);
  });
});
