/**
 * A fresh scheduler built after an earlier construction on the same optimizer that LR Lens could not evaluate: in
 * torch 1.13 that construction's own first step already changed the groups' lr, and the chainable schedulers'
 * values start from the current `group['lr']` (base_lrs come from initial_lr). The curve then starts from the lr
 * before the earlier one, labelled `start lr`; kinds that read only base_lrs / initial_lr are not labelled.
 * Expected lrs: what real torch 1.13 (/usr/bin/python3) printed (get_last_lr() after construction and after each
 * step(), SGD lr=0.1), recorded here; the tests need no torch.
 */
import * as assert from 'assert';
import type { SchedulerAnalysis } from '../../../src/analysis/types';
import { byVar, run } from './pythonRun';

const script = (earlier: string, target: string) => `import torch
from torch.optim.lr_scheduler import *
from mylib import get_factor, some_unknown_fn, get_t_max
model = torch.nn.Linear(2, 2)
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
warmup = ${earlier}
main = ${target}
`;

/** torch 1.13, the target built alone on the fresh optimizer (what an earlier construction that leaves the lr gives too). */
const ALONE: Record<string, [string, number[]]> = {
  CosineAnnealingLR: ['CosineAnnealingLR(opt, T_max=10)', [0.1, 0.0975528258, 0.0904508497, 0.0793892626, 0.0654508497, 0.05]],
  StepLR: ['StepLR(opt, 2, 0.5)', [0.1, 0.1, 0.05, 0.05, 0.025, 0.025]],
  ExponentialLR: ['ExponentialLR(opt, 0.9)', [0.1, 0.09, 0.081, 0.0729, 0.06561, 0.059049]],
  MultiStepLR: ['MultiStepLR(opt, [2, 4], 0.5)', [0.1, 0.1, 0.05, 0.05, 0.025, 0.025]],
  LinearLR: ['LinearLR(opt, 0.5, 1.0, 4)', [0.05, 0.0625, 0.075, 0.0875, 0.1, 0.1]],
  ConstantLR: ['ConstantLR(opt, 0.5, 3)', [0.05, 0.05, 0.05, 0.1, 0.1, 0.1]],
  PolynomialLR: ['PolynomialLR(opt, 5, 2.0)', [0.1, 0.064, 0.036, 0.016, 0.004, 0.0]],
  MultiplicativeLR: ['MultiplicativeLR(opt, lambda e: 0.9)', [0.1, 0.09, 0.081, 0.0729, 0.06561, 0.059049]],
};
/** torch 1.13, the same targets after `LinearLR(opt, start_factor=0.25, total_iters=5)`: the start lr matters. */
const AFTER_QUARTER: Record<string, number[]> = {
  CosineAnnealingLR: [0.025, 0.0243882065, 0.0226127124, 0.0198473157, 0.0163627124, 0.0125],
  StepLR: [0.025, 0.025, 0.0125, 0.0125, 0.00625, 0.00625],
  PolynomialLR: [0.025, 0.016, 0.009, 0.004, 0.001, 0.0],
};
/** torch 1.13: these read base_lrs / initial_lr only — the same values after any earlier construction. */
const UNMOVED: Record<string, [string, number[]]> = {
  LambdaLR: ['LambdaLR(opt, lambda e: 0.9 ** e)', [0.1, 0.09, 0.081, 0.0729, 0.06561, 0.059049]],
  CosineAnnealingWarmRestarts: ['CosineAnnealingWarmRestarts(opt, 3)', [0.1, 0.075, 0.025, 0.1, 0.075, 0.025]],
  OneCycleLR: ['OneCycleLR(opt, 0.1, total_steps=10)', [0.004, 0.052, 0.1, 0.0950484632, 0.0811745654, 0.0611262022]],
};

function close(s: SchedulerAnalysis, expected: number[]): void {
  const row = s.curve!.lrs[0]!;
  // The preview's length is its own (the arguments' horizon): at least 4 values, each torch's.
  assert.ok(row.length >= 4, `only ${row.length} values`);
  for (let k = 0; k < Math.min(row.length, expected.length); k++) assert.ok(Math.abs(row[k]! - expected[k]!) < 1e-9, `value ${k}: ${row[k]} vs torch ${expected[k]}`);
}
const startLr = (s: SchedulerAnalysis) => s.assumed.filter((a) => a.what === 'start lr');

describe('a scheduler built after an earlier construction LR Lens could not evaluate (start lr)', () => {
  for (const [kind, [call, lrs]] of Object.entries(ALONE)) {
    it(`${kind} after \`LinearLR(opt, start_factor=get_factor())\`: the curve from the lr before it, labelled`, async () => {
      const r = await run(script('LinearLR(opt, start_factor=get_factor(), total_iters=5)', call));
      const main = byVar(r, 'main');
      close(main, lrs);
      const a = startLr(main);
      assert.strictEqual(a.length, 1, JSON.stringify(main.assumed));
      assert.strictEqual(a[0]!.value, 'the lr before `warmup` = LinearLR (line 6)');
      assert.match(a[0]!.why, /built after `warmup` = LinearLR \(line 6\) on the same optimizer, which LR Lens does not evaluate \(`start_factor`: .*get_factor/);
      // The label matters: with start_factor 0.25 torch starts elsewhere.
      if (AFTER_QUARTER[kind]) assert.ok(Math.abs(main.curve!.lrs[0]![0]! - AFTER_QUARTER[kind]![0]!) > 0.01);
    });
  }

  it('an lr_lambda calling code LR Lens does not see (the engine cannot run its first step): labelled the same way', async () => {
    const r = await run(script('LambdaLR(opt, lambda e: some_unknown_fn(e))', 'CosineAnnealingLR(opt, T_max=10)'));
    const main = byVar(r, 'main');
    close(main, ALONE['CosineAnnealingLR']![1]);
    const a = startLr(main);
    assert.strictEqual(a.length, 1, JSON.stringify(main.assumed));
    assert.strictEqual(a[0]!.value, 'the lr before `warmup` = LambdaLR (line 6)');
    assert.match(a[0]!.why, /some_unknown_fn/);
  });

  for (const [kind, [call, lrs]] of Object.entries(UNMOVED)) {
    it(`${kind} reads base_lrs / initial_lr only: the same curve as torch's, no start lr`, async () => {
      for (const earlier of ['LinearLR(opt, start_factor=get_factor(), total_iters=5)', 'LambdaLR(opt, lambda e: some_unknown_fn(e))']) {
        const main = byVar(await run(script(earlier, call)), 'main');
        close(main, lrs);
        assert.deepStrictEqual(startLr(main), [], earlier);
      }
    });
  }

  it('an earlier construction that leaves the lr as it is (a fresh CosineAnnealingLR / StepLR, whatever its arguments): no label', async () => {
    for (const earlier of ['CosineAnnealingLR(opt, T_max=get_t_max())', 'StepLR(opt, get_t_max())', 'ExponentialLR(opt, get_factor())']) {
      const main = byVar(await run(script(earlier, ALONE['StepLR']![0])), 'main');
      close(main, ALONE['StepLR']![1]);
      assert.deepStrictEqual(startLr(main), [], earlier);
    }
    // Resumed or with an unknown last_epoch it may move the lr: labelled.
    const main = byVar(await run(script('CosineAnnealingLR(opt, T_max=10, last_epoch=get_t_max())', ALONE['StepLR']![0])), 'main');
    assert.strictEqual(startLr(main).length, 1);
  });

  it('SequentialLR sets the groups back to initial_lr: its members\' start lr is not its own (torch: same curve)', async () => {
    const r = await run(`import torch
from torch.optim.lr_scheduler import *
from mylib import get_factor
model = torch.nn.Linear(2, 2)
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
pre = LinearLR(opt, start_factor=get_factor(), total_iters=5)
a = LinearLR(opt, 0.5, total_iters=2)
b = CosineAnnealingLR(opt, 4)
seq = SequentialLR(opt, [a, b], milestones=[2])
`);
    const seq = byVar(r, 'seq');
    close(seq, [0.05, 0.075, 0.1, 0.0853553391, 0.05, 0.0146446609]);
    assert.deepStrictEqual(startLr(seq), []);
    assert.strictEqual(startLr(byVar(r, 'a')).length, 1);
  });

  it('ChainedScheduler: its members start from the lr the earlier one leaves (torch: 0.025 → … after a 0.5 factor), labelled', async () => {
    // script()'s `main` is the chain; its members follow the earlier construction `warmup`.
    const chained = (earlier: string) => run(script(earlier, 'ChainedScheduler([a, b])').replace('main = ',
      'a = ConstantLR(opt, 0.5, total_iters=2)\nb = ExponentialLR(opt, 0.9)\nmain = '));
    const chain = byVar(await chained('LambdaLR(opt, get_factor())'), 'main');
    close(chain, [0.05, 0.045, 0.081, 0.0729, 0.06561, 0.059049]);
    assert.ok(chain.assumed.some((x) => x.what.startsWith('start lr of ')), JSON.stringify(chain.assumed));
    // The same when the earlier one's lr_lambda calls code LR Lens does not see (the engine's own limit).
    const chain2 = byVar(await chained('LambdaLR(opt, lambda e: some_unknown_fn(e))'), 'main');
    close(chain2, [0.05, 0.045, 0.081, 0.0729, 0.06561, 0.059049]);
    assert.deepStrictEqual(startLr(chain2), []);
    assert.strictEqual(chain2.assumed.filter((x) => x.what === 'start lr of a').length, 1, JSON.stringify(chain2.assumed));
  });

  it('stepped after it on the branches of `if epoch < 5:` too: one start lr saying both', async () => {
    const r = await run(script('LinearLR(opt, start_factor=get_factor(), total_iters=5)', 'CosineAnnealingLR(opt, T_max=15)') + `for epoch in range(20):
    opt.step()
    if epoch < 5:
        warmup.step()
    else:
        main.step()
`);
    const a = startLr(byVar(r, 'main'));
    assert.strictEqual(a.length, 1, JSON.stringify(a));
    assert.match(a[0]!.why, /built after `warmup` = LinearLR \(line 6\).*; stepped after `warmup`/);
  });
});
