/**
 * A check that raises with an assumed value (fourth audit, torchreid's `build_lr_scheduler`): `if not isinstance(stepsize,
 * list): raise TypeError(…)` before `MultiStepLR(optimizer, milestones=stepsize)`, with `stepsize=1` the default. Python
 * raises the script's own TypeError at the check, so `MultiStepLR(milestones=1)` is never built: LR Lens warned LR030
 * "TypeError: 'int' object is not iterable — would raise if milestones is 1". The path that goes on is one where the run
 * passes a list, not known here: the value is unknown, with why.
 */
import * as assert from 'assert';
import { run } from './pythonRun';

describe('values a raising check read are not carried past it', () => {
  it('a factory whose isinstance check fails with the default: no LR030, milestones unknown naming the check', async () => {
    const r = await run(`import torch
from torch.optim.lr_scheduler import MultiStepLR, StepLR


def build_lr_scheduler(optimizer, lr_scheduler='single_step', stepsize=1, gamma=0.1):
    if lr_scheduler == 'single_step':
        scheduler = StepLR(optimizer, step_size=stepsize, gamma=gamma)
    elif lr_scheduler == 'multi_step':
        if not isinstance(stepsize, list):
            raise TypeError('stepsize must be a list, got {}'.format(type(stepsize)))
        scheduler = MultiStepLR(optimizer, milestones=stepsize, gamma=gamma)
    return scheduler
`);
    const multi = r.schedulers.find((s) => s.kind === 'MultiStepLR')!;
    assert.deepStrictEqual(multi.diagnostics.filter((d) => d.code === 'LR030' || d.severity !== 'information').map((d) => d.code), []);
    assert.match(multi.error ?? '', /`stepsize`: its assumed value \(default of parameter `stepsize` of `build_lr_scheduler\(\)`\) fails the check at line 9/);
    // The branch the default takes is untouched.
    const step = r.schedulers.find((s) => s.kind === 'StepLR')!;
    assert.deepStrictEqual([...step.curve!.lrs[0]!].slice(0, 3), [0.1, 0.010000000000000002, 0.0010000000000000002]);
  });

  it('a check that passes with the default keeps the value', async () => {
    const r = await run(`import torch
from torch.optim.lr_scheduler import MultiStepLR


def build(optimizer, stepsize=[2, 4]):
    if not isinstance(stepsize, list):
        raise TypeError('stepsize must be a list')
    return MultiStepLR(optimizer, milestones=stepsize, gamma=0.1)
`);
    const s = r.schedulers[0]!;
    assert.deepStrictEqual(s.curve && [...s.curve.lrs[0]!].slice(0, 5), [0.1, 0.1, 0.010000000000000002, 0.010000000000000002, 0.0010000000000000002]);
  });
});

describe('constructions on two branches of one if', () => {
  it('a scheduler LR Lens cannot evaluate on one branch does not label the other branch\'s `start lr` (never both run)', async () => {
    const src = `import torch
from torch.optim.lr_scheduler import MultiStepLR, CosineAnnealingLR, StepLR


def build(optimizer, name='single_step', milestones=None, epochs=10):
    if name == 'single_step':
        scheduler = StepLR(optimizer, step_size=epochs // 3)
    elif name == 'multi_step':
        scheduler = MultiStepLR(optimizer, milestones=milestones.split(','), gamma=0.1)
    elif name == 'cosine':
        scheduler = CosineAnnealingLR(optimizer, T_max=epochs)
    return scheduler
`;
    const cos = (await run(src)).schedulers.find((s) => s.kind === 'CosineAnnealingLR')!;
    assert.ok(!cos.assumed.some((a) => a.what === 'start lr'), JSON.stringify(cos.assumed));
    // A loop inside one branch keeps the branches apart (the loop is below the \`if\`, not around it).
    const inLoop = src.replace(`        scheduler = MultiStepLR(optimizer, milestones=milestones.split(','), gamma=0.1)`,
      `        for _ in range(2):\n            scheduler = MultiStepLR(optimizer, milestones=milestones.split(','), gamma=0.1)`);
    assert.notStrictEqual(inLoop, src);
    const looped = (await run(inLoop)).schedulers.find((s) => s.kind === 'CosineAnnealingLR')!;
    assert.ok(!looped.assumed.some((a) => a.what === 'start lr'), JSON.stringify(looped.assumed));
    // One after the other (or on two branches inside a loop), torch does start the second from the lr the first left: labelled.
    for (const body of [`s1 = MultiStepLR(optimizer, milestones=optimizer.magic, gamma=0.1)
s2 = CosineAnnealingLR(optimizer, T_max=10)
`, `for epoch in range(3):
    if epoch == 0:
        s1 = MultiStepLR(optimizer, milestones=optimizer.magic, gamma=0.1)
    else:
        s2 = CosineAnnealingLR(optimizer, T_max=10)
`]) {
      const r = await run(`import torch
from torch.optim.lr_scheduler import MultiStepLR, CosineAnnealingLR
optimizer = torch.optim.SGD(torch.nn.Linear(2, 2).parameters(), lr=0.1)
${body}`);
      const s2 = r.schedulers.find((s) => s.kind === 'CosineAnnealingLR')!;
      assert.ok(s2.assumed.some((a) => a.what === 'start lr'), `${body}\n${JSON.stringify(s2.assumed)}`);
    }
  });
});
