/**
 * `scheduler.last_epoch = k` after the construction (fourth audit): Ultralytics' `scheduler.last_epoch = start_epoch - 1  # do
 * not move` (yolov3/yolov5/yolov7 train.py) and hand-written resumes. torch sets the counter and each step() counts on from it,
 * so the curve is one epoch later (k = -1) or starts mid-schedule (k > 0). Expected lrs: real torch 1.13 (Debian python3-torch)
 * running the same scripts (/tmp/audit4t/truth/r_le_cases.py in the audit), recorded here; the tests need no torch.
 */
import * as assert from 'assert';
import { byVar, run } from './pythonRun';

const TORCH = {
  /** LambdaLR(lf) with Ultralytics' one_cycle lf (lrf 0.01, 10 epochs), SGD lr 0.01, last_epoch = -1, 10 epochs. */
  ultralytics: [0.01, 0.01, 0.009757729755661011, 0.00905463412215599, 0.007959536998847742, 0.006579634122155991, 0.0050500000000000015,
    0.0035203658778440107, 0.0021404630011522597, 0.00104536587784401, 0.00034227024433898913],
  /** CosineAnnealingLR(T_max=10), SGD lr 0.1, last_epoch = 4, `for epoch in range(4, 10)`. */
  resume4: [0.1, 0.07639320225002104, 0.05278640450004207, 0.0314904045920625, 0.014589803375031553, 0.003738949449484945, 0.0],
};

const close = (got: readonly number[], want: number[]) => {
  assert.strictEqual(got.length, want.length, `${got.length} values, torch ${want.length}`);
  got.forEach((v, k) => assert.ok(Math.abs(v - want[k]!) <= 1e-12 * Math.abs(want[k]!) + 1e-18, `value ${k}: ${v} vs torch ${want[k]}`));
};

describe('scheduler.last_epoch = k written after the construction', () => {
  it('Ultralytics: `scheduler.last_epoch = start_epoch - 1` makes the curve one epoch later, as torch runs it', async () => {
    const s = byVar(await run(`import math
import torch
from torch.optim import lr_scheduler

def one_cycle(y1=0.0, y2=1.0, steps=100):
    return lambda x: ((1 - math.cos(x * math.pi / steps)) / 2) * (y2 - y1) + y1

epochs, start_epoch = 10, 0
model = torch.nn.Linear(2, 2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.937, nesterov=True)
lf = one_cycle(1, 0.01, epochs)
scheduler = lr_scheduler.LambdaLR(optimizer, lr_lambda=lf)
scheduler.last_epoch = start_epoch - 1  # do not move
for epoch in range(start_epoch, epochs):
    optimizer.step()
    scheduler.step()
`), 'scheduler');
    assert.strictEqual(s.run?.steps, 10);
    close([...s.curve!.lrs[0]!], TORCH.ultralytics);
    assert.ok(s.notes.some((n) => /`scheduler\.last_epoch = start_epoch - 1` \(line 13\) sets the scheduler's counter to -1/.test(n)), s.notes.join('\n'));
  });

  it('a resume by hand (`last_epoch = start_epoch`): the cosine ends at T_max with the run, and no LR179 "far beyond the run"', async () => {
    const r = await run(`import torch
from torch.optim.lr_scheduler import CosineAnnealingLR
model = torch.nn.Linear(2, 2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
scheduler = CosineAnnealingLR(optimizer, T_max=10)
start_epoch = 4
scheduler.last_epoch = start_epoch
for epoch in range(start_epoch, 10):
    optimizer.step()
    scheduler.step()
`);
    const s = byVar(r, 'scheduler');
    close([...s.curve!.lrs[0]!], TORCH.resume4);
    assert.deepStrictEqual(s.diagnostics.map((d) => d.code), []);
  });

  it('a value from argparse is applied and labelled with its default', async () => {
    const s = byVar(await run(`import argparse, torch
from torch.optim.lr_scheduler import CosineAnnealingLR
parser = argparse.ArgumentParser()
parser.add_argument('--start-epoch', type=int, default=4)
args = parser.parse_args()
optimizer = torch.optim.SGD(torch.nn.Linear(2, 2).parameters(), lr=0.1)
scheduler = CosineAnnealingLR(optimizer, T_max=10)
scheduler.last_epoch = args.start_epoch
for epoch in range(args.start_epoch, 10):
    optimizer.step()
    scheduler.step()
`), 'scheduler');
    close([...s.curve!.lrs[0]!], TORCH.resume4);
    const a = s.assumed.find((x) => x.what === 'last_epoch');
    assert.strictEqual(a?.value, 4);
    assert.match(a!.why, /default of --start-epoch/);
  });

  it('a write it cannot place (under an if, in the loop, in another function, unknown value) is labelled, and keeps LR179 silent', async () => {
    const head = `import torch
from torch.optim.lr_scheduler import CosineAnnealingLR
optimizer = torch.optim.SGD(torch.nn.Linear(2, 2).parameters(), lr=0.1)
`;
    const cases: [string, RegExp][] = [
      [`scheduler = CosineAnnealingLR(optimizer, T_max=10)
if torch.cuda.is_available():
    scheduler.last_epoch = 4
for epoch in range(4, 10):
    optimizer.step()
    scheduler.step()
`, /under an `if`/],
      [`scheduler = CosineAnnealingLR(optimizer, T_max=10)
for epoch in range(4, 10):
    optimizer.step()
    scheduler.step()
    scheduler.last_epoch = epoch
`, /inside a loop/],
      [`scheduler = CosineAnnealingLR(optimizer, T_max=10)
state = torch.load('last.pt')
scheduler.last_epoch = state['epoch']
for epoch in range(4, 10):
    optimizer.step()
    scheduler.step()
`, /its value is not known/],
      [`def build():
    return CosineAnnealingLR(optimizer, T_max=10)
def setup(s):
    s.last_epoch = 4
scheduler = build()
setup(scheduler)
for epoch in range(4, 10):
    optimizer.step()
    scheduler.step()
`, /another function/],
    ];
    for (const [body, why] of cases) {
      const r = await run(head + body);
      const s = r.schedulers[0]!;
      const a = s.assumed.find((x) => x.what === 'last_epoch');
      assert.ok(a, `no last_epoch label for:\n${body}\n${JSON.stringify(s.assumed)}`);
      assert.strictEqual(a.value, 'as constructed');
      assert.match(a.why, why);
      assert.ok(!s.diagnostics.some((d) => d.code === 'LR179'), `LR179 on:\n${body}`);
    }
  });

  it('a write on an if-branch the defaults do not take (`if args.resume:`) records nothing', async () => {
    const s = byVar(await run(`import argparse, torch
from torch.optim.lr_scheduler import StepLR
parser = argparse.ArgumentParser()
parser.add_argument('--resume', default='')
args = parser.parse_args()
optimizer = torch.optim.SGD(torch.nn.Linear(2, 2).parameters(), lr=0.1)
scheduler = StepLR(optimizer, step_size=2, gamma=0.5)
if args.resume:
    scheduler.last_epoch = torch.load(args.resume)['epoch']
for epoch in range(6):
    optimizer.step()
    scheduler.step()
`), 'scheduler');
    assert.deepStrictEqual([...s.curve!.lrs[0]!], [0.1, 0.1, 0.05, 0.05, 0.025, 0.025, 0.0125]);
  });
});
