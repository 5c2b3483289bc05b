/**
 * A LambdaLR whose lambda is a method that calls one its class inherits from a base of the file (sixth audit):
 * CompVis latent-diffusion / stable-diffusion's `LambdaLinearScheduler(LambdaWarmUpCosineScheduler2)` overrides
 * `schedule`, which calls the base's `self.find_in_interval(n)`; `LambdaLR(opt, lr_lambda=scheduler.schedule)`.
 * LR Lens said "`LambdaLinearScheduler().find_in_interval` is set at run time" (the lookup read the instance's own
 * class only) and drew nothing. An `__init__` that stopped early (numpy on a list) left its attributes "set at run
 * time" too, instead of saying why.
 * Expected values: torch 1.13, /tmp/audit6t/truth/t02_inherited_method.py.
 */
import * as assert from 'assert';
import { byVar, run } from './pythonRun';

const head = `import torch
from torch.optim.lr_scheduler import LambdaLR
opt = torch.optim.SGD(torch.nn.Linear(2, 2).parameters(), lr=0.1)
class WarmupBase:
    def __init__(self, warm_up_steps, f_start, f_max):
        self.warm = warm_up_steps; self.f_start = f_start; self.f_max = f_max
    def warm_value(self, n):
        return (self.f_max - self.f_start) / self.warm * n + self.f_start
    def schedule(self, n):
        return self.warm_value(n) if n < self.warm else self.f_max
    def __call__(self, n):
        return self.schedule(n)
class WarmupHalf(WarmupBase):
    def schedule(self, n):
        if n < self.warm:
            return self.warm_value(n)
        return self.f_max * 0.5
`;
const loop = `for step in range(8):
    opt.step()
    sched.step()
`;
// torch 1.13 (t02): both the instance (the base's __call__ → the subclass's schedule) and the bound method.
const HALF = [0.010000000000000002, 0.0325, 0.05500000000000001, 0.07750000000000001, 0.05, 0.05, 0.05, 0.05, 0.05];

describe('methods inherited from a base class of the file', () => {
  it('an instance as lr_lambda: its base\'s __call__ runs the subclass\'s schedule, which calls an inherited method', async () => {
    const s = byVar(await run(`${head}sched = LambdaLR(opt, lr_lambda=WarmupHalf(4, 0.1, 1.0))\n${loop}`), 'sched');
    assert.ok(!s.error, s.error ?? '');
    assert.deepStrictEqual([...s.curve!.lrs[0]!], HALF);
  });

  it('a bound method of the subclass as lr_lambda (latent-diffusion\'s `lr_lambda=scheduler.schedule`)', async () => {
    const s = byVar(await run(`${head}sched = LambdaLR(opt, lr_lambda=WarmupHalf(4, 0.1, 1.0).schedule)\n${loop}`), 'sched');
    assert.deepStrictEqual([...s.curve!.lrs[0]!], HALF);
  });

  it('cycles found by an inherited method from lists built in the base\'s __init__ (LambdaLinearScheduler\'s shape)', async () => {
    const s = byVar(await run(`import torch
from torch.optim.lr_scheduler import LambdaLR
opt = torch.optim.SGD(torch.nn.Linear(2, 2).parameters(), lr=0.1)
class Cycles:
    def __init__(self, warm, cycle_lengths):
        self.warm = warm; self.cycle_lengths = cycle_lengths
        self.cum = [0]
        for c in cycle_lengths: self.cum.append(self.cum[-1] + c)
    def find_in_interval(self, n):
        interval = 0
        for cl in self.cum[1:]:
            if n <= cl: return interval
            interval += 1
class Linear(Cycles):
    def schedule(self, n):
        cycle = self.find_in_interval(n)
        n = n - self.cum[cycle]
        if n < self.warm[cycle]: return (n + 1) / self.warm[cycle]
        return (self.cycle_lengths[cycle] - n) / self.cycle_lengths[cycle]
sched = LambdaLR(opt, lr_lambda=Linear([2, 2], [5, 5]).schedule)
${loop}`), 'sched');
    // torch 1.13 (t02, "cycles").
    assert.deepStrictEqual([...s.curve!.lrs[0]!], [0.05, 0.1, 0.06, 0.04000000000000001, 0.020000000000000004, 0.0, 0.1, 0.06, 0.04000000000000001]);
  });

  it('an attribute an __init__ that stopped early never set says why (numpy on a list), not "set at run time"', async () => {
    const s = byVar(await run(`import numpy as np
import torch
from torch.optim.lr_scheduler import LambdaLR
opt = torch.optim.SGD(torch.nn.Linear(2, 2).parameters(), lr=0.1)
class Sched:
    def __init__(self, cycle_lengths):
        self.cum_cycles = np.cumsum([0] + list(cycle_lengths))
    def __call__(self, n):
        return 1.0 if n <= self.cum_cycles[-1] else 0.5
sched = LambdaLR(opt, lr_lambda=Sched([10]))
${loop}`), 'sched');
    assert.ok(!s.curve);
    assert.match(s.error!, /`Sched\(\)\.cum_cycles` is not known: `Sched\.__init__` was not evaluated to the end \(.*numpy\.cumsum.*not evaluated/);
    assert.doesNotMatch(s.error!, /set at run time/);
  });

  it('not for a class deriving from a library class: a missing attribute may come from there (nn.Module\'s `training`)', async () => {
    const s = byVar(await run(`import numpy as np
import torch
from torch.optim.lr_scheduler import LambdaLR
class Net(torch.nn.Module):
    def __init__(self, sizes):
        super().__init__()
        self.cum = np.cumsum(sizes)
net = Net([1, 2])
opt = torch.optim.SGD(net.parameters(), lr=0.1)
sched = LambdaLR(opt, lambda e: 0.9 ** e if net.training else 1.0)
${loop}`), 'sched');
    assert.ok(!s.curve);
    assert.match(s.error!, /`Net\(\)\.training`/);
    assert.doesNotMatch(s.error!, /__init__` was not evaluated to the end/);
  });
});
