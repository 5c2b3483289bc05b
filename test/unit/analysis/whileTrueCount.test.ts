/**
 * `while True:` ended by the body's last statement, `if counter >= bound: break`, the counter advanced once per pass
 * before it (eighth audit, karpathy/minGPT mingpt/trainer.py `run()`: `self.iter_num += 1` then `if
 * config.max_iters is not None and self.iter_num >= config.max_iters: break`; nanoGPT's `if iter_num > max_iters`;
 * ultralytics' trainer). The loop's length was "not known" and the preview fell back to 99 steps. Expected values:
 * torch 1.13, running the same loops (/tmp/a8t-repros/truth/t1_while_true.py): minGPT shape with max_iters 12 →
 * 12 step() calls, lrs 1e-4 … 5e-4 reached at index 4; counter 2 += 2 with `> 15` → 7 calls, StepLR(3, 0.5) 0.025.
 */
import * as assert from 'assert';
import { byVar, run } from './pythonRun';

const last = (xs: Float64Array) => xs[xs.length - 1]!;

const mingpt = (tail: string) => `import torch
class C:
    max_iters = 12
    learning_rate = 5e-4
    warmup = 5
def run(config, model, loader):
    optimizer = torch.optim.AdamW(model.parameters(), lr=config.learning_rate, betas=(0.9, 0.95))
    sched = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda it: min(1.0, (it + 1) / config.warmup))
    iter_num = 0
    data_iter = iter(loader)
    while True:
        try:
            batch = next(data_iter)
        except StopIteration:
            data_iter = iter(loader)
            batch = next(data_iter)
        optimizer.step()
        sched.step()
${tail}
run(C(), torch.nn.Linear(2, 2), [1, 2, 3])
`;
const COUNTED = `        iter_num += 1
        if config.max_iters is not None and iter_num >= config.max_iters:
            break`;

describe('`while True:` ended by a counted `if … : break`', () => {
  it('minGPT trainer: 12 passes, the curve torch draws', async () => {
    const s = byVar(await run(mingpt(COUNTED)), 'sched');
    assert.strictEqual(s.run!.steps, 12);
    const lrs = s.curve!.lrs[0]!;
    assert.strictEqual(lrs.length, 13);
    assert.ok(Math.abs(lrs[0]! - 1e-4) < 1e-18 && Math.abs(lrs[4]! - 5e-4) < 1e-18 && last(lrs) === 5e-4);
    assert.ok(!s.assumed.some((a) => /run length/.test(a.what)), JSON.stringify(s.assumed));
  });

  it('`>` and a counter advanced by 2 from 2: 7 passes (nanoGPT shape)', async () => {
    const s = byVar(await run(`import torch
opt = torch.optim.SGD(torch.nn.Linear(2, 2).parameters(), lr=0.1)
s = torch.optim.lr_scheduler.StepLR(opt, step_size=3, gamma=0.5)
it = 2
while True:
    opt.step()
    s.step()
    it += 2
    if it > 15:
        break
`), 's');
    assert.strictEqual(s.run!.steps, 7);
    assert.ok(Math.abs(last(s.curve!.lrs[0]!) - 0.025) < 1e-15);
  });

  it('not counted: a `continue` skips the counter; the check not last; the counter reset; an `and` operand not known true', async () => {
    const withContinue = mingpt(`        if batch == 2:
            continue
${COUNTED}`);
    assert.strictEqual(byVar(await run(withContinue), 'sched').run!.steps, null);
    const notLast = mingpt(`        iter_num += 1
        if iter_num >= config.max_iters:
            break
        print(iter_num)`);
    assert.strictEqual(byVar(await run(notLast), 'sched').run!.steps, null);
    const reset = mingpt(`        if batch == 3:
            iter_num = 0
${COUNTED}`);
    assert.strictEqual(byVar(await run(reset), 'sched').run!.steps, null);
    const unknownGuard = mingpt(COUNTED.replace('config.max_iters is not None', 'config.flag'));
    assert.strictEqual(byVar(await run(unknownGuard), 'sched').run!.steps, null);
  });

  it('another `break` (early stopping) makes the count a maximum, as for any loop', async () => {
    const early = mingpt(`        if batch is None:
            break
${COUNTED}`);
    const s = byVar(await run(early), 'sched');
    assert.strictEqual(s.run!.steps, null);
    assert.ok(/at most 12 passes/.test(JSON.stringify(s.run)), JSON.stringify(s.run));
  });
});
