/**
 * An `lr_lambda` that keeps state between its calls (src/frontends/python/keptState.ts) has no curve: torch calls it
 * once per param group at every step, so what it returns depends on how many calls came before. The two-group counter
 * below gives, in torch 1.13 (Debian python3-torch, the script kept in the session's truth folder), group 0
 * 0.9, 0.729, 0.59049 and group 1 0.81, 0.6561, 0.531441: the groups interleave, which the engine (a group's steps
 * before the next group's) does not. Writes never read back, reads only printed, and a function's own dicts keep the
 * curve; latent-diffusion's LambdaWarmUpCosineScheduler (it stores `self.last_lr` for its log) is checked against
 * its formula.
 */
import * as assert from 'assert';
import { run } from './pythonRun';

const HEAD = `import math
import torch
from torch.optim.lr_scheduler import LambdaLR
`;
const TAIL = (lambda: string) => `
opt = torch.optim.SGD([{'params': [torch.zeros(1)]}, {'params': [torch.zeros(1)]}], lr=1.0)
scheduler = LambdaLR(opt, lr_lambda=${lambda})
for epoch in range(3):
    opt.step()
    scheduler.step()
`;

async function reasonOf(src: string): Promise<string> {
  const r = await run(src);
  const s = r.schedulers[0]!;
  assert.strictEqual(s.curve, null, 'a curve was drawn');
  // Not a claim that torch raises: information only.
  assert.ok(s.diagnostics.every((d) => d.severity === 'information'), JSON.stringify(s.diagnostics));
  return s.error ?? '';
}

describe('an lr_lambda keeping state between its calls', () => {
  it('a counter in a global list: no curve, the statement named', async () => {
    const reason = await reasonOf(`${HEAD}counter = [0]
def f(e):
    counter[0] += 1
    return 0.9 ** counter[0]
${TAIL('f')}`);
    assert.match(reason, /`f` keeps state between its calls \(`counter\[0\] \+= 1`\)/);
  });

  it('an instance counting its calls (`self.calls += 1` in `__call__`)', async () => {
    const reason = await reasonOf(`${HEAD}class Counting:
    def __init__(self):
        self.calls = 0
    def __call__(self, e):
        self.calls += 1
        return 0.99 ** self.calls
${TAIL('Counting()')}`);
    assert.match(reason, /keeps state between its calls \(`self\.calls \+= 1`\)/);
  });

  it('a value left by the previous call read inside `math.log` (a maths call, not a message)', async () => {
    const reason = await reasonOf(`${HEAD}class Prev:
    def __init__(self):
        self.v = 0
    def __call__(self, e):
        r = 1 / (1 + math.log(self.v + 1))
        self.v = e
        return r
${TAIL('Prev()')}`);
    assert.match(reason, /\(`self\.v = e`\)/);
  });

  it('a `global` name written and read back, and a list added to and measured', async () => {
    const g = await reasonOf(`${HEAD}t = 0
def f(e):
    global t
    t = t + 1
    return 1 / t
${TAIL('f')}`);
    assert.match(g, /\(`t = t \+ 1`\)/);
    const l = await reasonOf(`${HEAD}seen = []
def f(e):
    seen.append(e)
    return 1 / len(seen)
${TAIL('f')}`);
    assert.match(l, /\(`seen\.append\(e\)`\)/);
  });

  it("a write never read back (latent-diffusion's `self.last_lr`, read only by its print): torch's values", async () => {
    const r = await run(`${HEAD}import numpy as np
class LambdaWarmUpCosineScheduler:
    def __init__(self, warm_up_steps, lr_min, lr_max, lr_start, max_decay_steps, verbosity_interval=0):
        self.lr_warm_up_steps = warm_up_steps
        self.lr_start = lr_start
        self.lr_min = lr_min
        self.lr_max = lr_max
        self.lr_max_decay_steps = max_decay_steps
        self.last_lr = 0.
        self.verbosity_interval = verbosity_interval

    def schedule(self, n, **kwargs):
        if self.verbosity_interval > 0:
            if n % self.verbosity_interval == 0: print(f"current step: {n}, recent lr-multiplier: {self.last_lr}")
        if n < self.lr_warm_up_steps:
            lr = (self.lr_max - self.lr_start) / self.lr_warm_up_steps * n + self.lr_start
            self.last_lr = lr
            return lr
        else:
            t = (n - self.lr_warm_up_steps) / (self.lr_max_decay_steps - self.lr_warm_up_steps)
            t = min(t, 1.0)
            lr = self.lr_min + 0.5 * (self.lr_max - self.lr_min) * (
                    1 + np.cos(t * np.pi))
            self.last_lr = lr
            return lr

    def __call__(self, n, **kwargs):
        return self.schedule(n,**kwargs)

opt = torch.optim.AdamW([torch.zeros(1, requires_grad=True)], lr=1e-4)
scheduler = LambdaLR(opt, lr_lambda=LambdaWarmUpCosineScheduler(10, 0.1, 1.0, 1e-6, 50))
for step in range(60):
    opt.step()
    scheduler.step()
`);
    const lrs = r.schedulers[0]!.curve!.lrs[0]!;
    assert.strictEqual(lrs.length, 61);
    // The class's own formula, independently: warm-up from lr_start to lr_max over 10 steps, then a cosine to lr_min at 50.
    const mult = (n: number) => n < 10 ? (1 - 1e-6) / 10 * n + 1e-6 : 0.1 + 0.5 * 0.9 * (1 + Math.cos(Math.min((n - 10) / 40, 1) * Math.PI));
    for (const k of [0, 1, 9, 10, 11, 30, 50, 60]) assert.ok(Math.abs(lrs[k]! - 1e-4 * mult(k)) <= 1e-12 * 1e-4, `value ${k}: ${lrs[k]}`);
    // torch 1.13 (the truth script): 1e-10, 1.000009e-05, …, 9.986128001799075e-05 at 11.
    assert.ok(Math.abs(lrs[11]! - 9.986128001799075e-05) < 1e-18);
  });

  it("a function's own dict, and a value written then read back in the same call: the curve", async () => {
    const r = await run(`${HEAD}class Warm:
    def __init__(self):
        self.lr = 1.0
    def __call__(self, e):
        self.lr = 0.5 ** e
        return self.lr
def g(e):
    d = {}
    d['f'] = 0.5 ** e
    return d['f']
opt = torch.optim.SGD([torch.zeros(1)], lr=1.0)
a = LambdaLR(opt, lr_lambda=Warm())
opt2 = torch.optim.SGD([torch.zeros(1)], lr=1.0)
b = LambdaLR(opt2, lr_lambda=g)
`);
    for (const s of r.schedulers) assert.deepStrictEqual(Array.from(s.curve!.lrs[0]!.slice(0, 4)), [1, 0.5, 0.25, 0.125], s.variable ?? '');
  });

  it('a function returning a name from another module or a run-time object: unknown, not a TypeError', async () => {
    // `warm` a tensor (torch multiplies a float by it), `magic` whatever the other module makes it.
    for (const body of ['return magic', 'return warm']) {
      const reason = await reasonOf(`${HEAD}from somewhere import magic
warm = torch.linspace(0, 1, 10)[0]
def f(e):
    ${body}
${TAIL('f')}`);
      assert.doesNotMatch(reason, /TypeError/);
      assert.match(reason, /another module|run-time object/, reason);
    }
  });
});
