/**
 * `while global_step < total_timesteps:` whose body adds more than 1 to the counter (seventh audit; PPO / A2C scripts
 * advance it by a rollout's `num_envs * num_steps`). LR Lens counted the bound as the passes (20,480 scheduler steps
 * instead of 20), drew a LambdaLR decay far past its end with the false LR013 "the lr is negative … the optimizer then
 * climbs the loss", and LR160 on a StepLR. Expected values: torch 1.13, /tmp/audit7t/truth/t09_while_counter.py
 * (r28: 20 passes, LambdaLR last lr 0.0, StepLR 0.003125; `done += num_steps` to 1000: 10 passes, 0.0125; `<=`: 11
 * passes, 0.0125; a counter advanced inside the rollout loop: 8 passes, which LR Lens leaves unknown, saying why).
 */
import * as assert from 'assert';
import { byVar, run } from './pythonRun';

const last = (xs: Float64Array) => xs[xs.length - 1]!;

describe('a while loop whose counter advances by k per pass', () => {
  it('RL: `global_step += batch_size` from argparse defaults: 20 passes, no LR013 / LR160', async () => {
    const r = await run(`import argparse
import torch
from torch.optim.lr_scheduler import LambdaLR, StepLR
parser = argparse.ArgumentParser()
parser.add_argument("--total-timesteps", type=int, default=20480)
parser.add_argument("--num-envs", type=int, default=8)
parser.add_argument("--num-steps", type=int, default=128)
args = parser.parse_args()
batch_size = args.num_envs * args.num_steps
num_updates = args.total_timesteps // batch_size
agent = torch.nn.Linear(4, 2)
optimizer = torch.optim.Adam(agent.parameters(), lr=3e-4)
scheduler = LambdaLR(optimizer, lambda u: 1.0 - u / num_updates)
critic_opt = torch.optim.SGD(agent.parameters(), lr=0.1)
critic_sched = StepLR(critic_opt, step_size=4, gamma=0.5)
global_step = 0
while global_step < args.total_timesteps:
    global_step += batch_size
    for epoch in range(4):
        optimizer.step()
        critic_opt.step()
    scheduler.step()
    critic_sched.step()
`);
    const s = byVar(r, 'scheduler');
    assert.strictEqual(s.run!.steps, 20);
    assert.strictEqual(last(s.curve!.lrs[0]!), 0);
    assert.deepStrictEqual(s.diagnostics.filter((d) => d.severity !== 'information').map((d) => d.code), []);
    const c = byVar(r, 'critic_sched');
    assert.strictEqual(c.run!.steps, 20);
    assert.strictEqual(last(c.curve!.lrs[0]!), 0.003125);
    assert.deepStrictEqual(c.diagnostics.filter((d) => d.severity !== 'information').map((d) => d.code), []);
    // The count rests on the argparse defaults: labelled.
    assert.ok(s.run!.assumed.some((a) => /--total-timesteps/.test(a)), JSON.stringify(s.run!.assumed));
  });

  const plain = (cond: string, add: string) => `import torch
from torch.optim.lr_scheduler import StepLR
opt = torch.optim.SGD(torch.nn.Linear(2, 2).parameters(), lr=0.1)
sched = StepLR(opt, step_size=3, gamma=0.5)
num_steps = 100
done = 0
while ${cond}:
    opt.step()
    sched.step()
    done += ${add}
`;

  it('`done += num_steps` below 1000: 10 passes (torch: last lr 0.0125)', async () => {
    const s = byVar(await run(plain('done < 1000', 'num_steps')), 'sched');
    assert.strictEqual(s.run!.steps, 10);
    assert.strictEqual(last(s.curve!.lrs[0]!), 0.0125);
  });

  it('`<=` counts the pass at the bound: 11 passes', async () => {
    const s = byVar(await run(plain('done <= 1000', '100')), 'sched');
    assert.strictEqual(s.run!.steps, 11);
  });

  it('a countdown, `while remaining > 0: … remaining -= 100`: 10 passes (torch 1.13: last_epoch 10, last lr 0.0125)', async () => {
    const s = byVar(await run(plain('remaining > 0', '1').replace('done = 0', 'remaining = 1000').replace('    done += 1\n', '    remaining -= 100\n')), 'sched');
    assert.strictEqual(s.run!.steps, 10);
    assert.strictEqual(last(s.curve!.lrs[0]!), 0.0125);
  });

  it('`+= 1` stays as before (1000 passes)', async () => {
    const s = byVar(await run(plain('done < 1000', '1')), 'sched');
    assert.strictEqual(s.run!.steps, 1000);
  });

  it('the counter advanced inside the rollout loop: the passes are not counted, saying why (torch: 8)', async () => {
    const s = byVar(await run(`import torch
from torch.optim.lr_scheduler import StepLR
optimizer = torch.optim.Adam(torch.nn.Linear(4, 2).parameters(), lr=3e-4)
scheduler = StepLR(optimizer, step_size=2, gamma=0.5)
global_step = 0
while global_step < 4096:
    for step in range(128):
        global_step += 4
    optimizer.step()
    scheduler.step()
`), 'scheduler');
    assert.strictEqual(s.run!.steps, null);
    assert.match(JSON.stringify(s.run), /`global_step \+= 4` is inside an inner loop or a condition of the loop/);
  });

  // `while step < max_steps:` around a batch loop that does `step += 1`, the scheduler stepped once per pass of the
  // `while` (after the batches, an epoch at a time). LR Lens took the bound as that step's count: "stepped per batch,
  // 1,000 steps", a cosine with T_max=20 drawn over 1,000 steps and a false LR173 (the run outlasts the schedule).
  // torch 1.13, the loader 50 batches long: 20 passes, StepLR(step_size=5, gamma=0.5) last lr 0.00625. The loader's
  // length is not known to LR Lens in real code, so neither are the passes: unknown, per epoch, saying why.
  const perPass = (loader: string) => `import torch
from torch.optim.lr_scheduler import StepLR
from torch.utils.data import DataLoader
model = torch.nn.Linear(10, 2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
scheduler = StepLR(optimizer, step_size=5, gamma=0.5)
loader = ${loader}
max_steps = 1000
step = 0
while step < max_steps:
    for batch in loader:
        optimizer.step()
        step += 1
    scheduler.step()
`;

  it('`step += 1` inside the batch loop, the scheduler stepped per pass of the `while`: per epoch, passes not counted (torch: 20 with 50 batches)', async () => {
    for (const loader of ['DataLoader(dataset, batch_size=32)', '[0] * 50']) {
      const s = byVar(await run(perPass(loader)), 'scheduler');
      assert.strictEqual(s.run!.unit, 'epoch', loader);
      assert.strictEqual(s.run!.steps, null, loader);
      assert.match(s.run!.source, /`step \+= 1` \(line 13\) is inside an inner loop, so its passes are not counted/, loader);
      assert.deepStrictEqual(s.diagnostics.filter((d) => d.severity !== 'information').map((d) => d.code), [], loader);
    }
  });

  it('the scheduler stepped beside that `step += 1` in the batch loop keeps the bound as its count (torch: 1,000 steps, last lr 0.0)', async () => {
    const s = byVar(await run(`import torch
from torch.optim.lr_scheduler import CosineAnnealingLR
model = torch.nn.Linear(10, 2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
scheduler = CosineAnnealingLR(optimizer, T_max=1000)
loader = [0] * 50
step = 0
while step < 1000:
    for batch in loader:
        optimizer.step()
        scheduler.step()
        step += 1
        if step >= 1000:
            break
`), 'scheduler');
    assert.strictEqual(s.run!.unit, 'batch');
    assert.strictEqual(s.run!.steps, 1000);
    assert.ok(Math.abs(last(s.curve!.lrs[0]!)) < 1e-12);
  });
});
