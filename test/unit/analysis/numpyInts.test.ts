/**
 * numpy integer scalars (`np.int64(…)`, `np.minimum` / `np.round` of ints, arithmetic on them) are not ints to
 * `isinstance(x, int)` in Python 3, which torch 1.13's OneCycleLR (total_steps, epochs, steps_per_epoch) and
 * CosineAnnealingWarmRestarts (T_0, T_mult) checks use: torch raises where a Python int would draw a curve. The
 * expected messages and values are what real torch 1.13 / numpy (/usr/bin/python3) printed, recorded here.
 */
import * as assert from 'assert';
import type { SchedulerAnalysis } from '../../../src/analysis/types';
import { byVar, run } from './pythonRun';

const script = (lines: string) => `import numpy as np
import torch
from torch.optim.lr_scheduler import OneCycleLR, CosineAnnealingWarmRestarts, StepLR
model = torch.nn.Linear(2, 2)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
n = np.int64(4)
${lines}
`;

function errorOf(s: SchedulerAnalysis): string | null {
  return s.error;
}

describe('numpy integer scalars and torch\'s isinstance(x, int) checks', () => {
  const raising: [string, string][] = [
    ['a = OneCycleLR(opt, 0.1, total_steps=n * 25)', 'ValueError: Expected positive integer total_steps, but got 100'],
    ['a = OneCycleLR(opt, 0.1, epochs=np.int32(10), steps_per_epoch=10)', 'ValueError: Expected positive integer epochs, but got 10'],
    ['a = OneCycleLR(opt, 0.1, epochs=10, steps_per_epoch=np.minimum(5, 7))', 'ValueError: Expected positive integer steps_per_epoch, but got 5'],
    ['a = CosineAnnealingWarmRestarts(opt, T_0=n)', 'ValueError: Expected positive integer T_0, but got 4'],
    ['a = CosineAnnealingWarmRestarts(opt, T_0=-n + 8)', 'ValueError: Expected positive integer T_0, but got 4'],
    ['a = CosineAnnealingWarmRestarts(opt, T_0=10, T_mult=abs(np.int32(-2)))', 'ValueError: Expected integer T_mult >= 1, but got 2'],
    ['a = CosineAnnealingWarmRestarts(opt, T_0=np.round(3))', 'ValueError: Expected positive integer T_0, but got 3'],
    // isinstance(np.float32(0.25), float) is False (np.float64 is a float subclass).
    ['a = OneCycleLR(opt, 0.1, total_steps=10, pct_start=np.float32(0.25))', 'ValueError: Expected float between 0 and 1 pct_start, but got 0.25'],
  ];
  for (const [line, want] of raising) {
    it(`\`${line.slice(4)}\` raises as torch does`, async () => {
      const a = byVar(await run(script(line)), 'a');
      assert.strictEqual(errorOf(a), want);
      assert.strictEqual(a.curve, null);
      assert.ok(a.diagnostics.some((d) => d.severity === 'error' && d.message.startsWith(want)), JSON.stringify(a.diagnostics));
    });
  }

  it('the T_0 diagnostic says why 4 is rejected (a numpy int), not "write 4, not 4"', async () => {
    const a = byVar(await run(script('a = CosineAnnealingWarmRestarts(opt, T_0=n)')), 'a');
    const d = a.diagnostics.find((x) => x.code === 'LR080');
    assert.match(d?.message ?? '', /a numpy\.int64 is not an int to isinstance: write int\(…\)/);
  });

  it('int(np.int64(…)) is a Python int: the curve torch draws (T_0 = 4: 0.1, 0.0853553391, 0.05, 0.0146446609, 0.1)', async () => {
    const a = byVar(await run(script('a = CosineAnnealingWarmRestarts(opt, T_0=int(n))')), 'a');
    assert.strictEqual(a.error, null);
    const torch = [0.1, 0.0853553391, 0.05, 0.0146446609, 0.1];
    torch.forEach((v, k) => assert.ok(Math.abs(a.curve!.lrs[0]![k]! - v) < 1e-9, `value ${k}`));
  });

  it('checks without isinstance take numpy ints as numbers (StepLR(opt, n): torch 0.1 ×4 then 0.01)', async () => {
    const a = byVar(await run(script('a = StepLR(opt, n)')), 'a');
    assert.strictEqual(a.error, null);
    assert.deepStrictEqual([...a.curve!.lrs[0]!].slice(0, 5).map((v) => Number(v.toPrecision(12))), [0.1, 0.1, 0.1, 0.1, 0.01]);
  });

  it('branches giving np.int64(4) or 4 do not agree on one value: T_0 is not known, no claim either way', async () => {
    const a = byVar(await run(script('import random\nt0 = n if random.random() < 0.5 else 4\na = CosineAnnealingWarmRestarts(opt, T_0=t0)')), 'a');
    assert.strictEqual(a.curve, null);
    assert.ok(!a.diagnostics.some((d) => d.severity === 'error'), JSON.stringify(a.diagnostics));
  });

  it('isinstance(np.int64(4), int) is False in the script too', async () => {
    const a = byVar(await run(script('k = 3 if isinstance(n, int) else 2\na = StepLR(opt, k)')), 'a');
    assert.strictEqual(a.curve!.lrs[0]![2], 0.1 * 0.1);
  });

  it('numpy\'s integer division by zero does not raise (a RuntimeWarning): unknown, not ZeroDivisionError', async () => {
    const a = byVar(await run(script('a = StepLR(opt, n // 0 + 2)')), 'a');
    assert.strictEqual(a.curve, null);
    assert.match(a.error ?? '', /numpy's division by zero/);
    assert.ok(!a.diagnostics.some((d) => d.severity === 'error'), JSON.stringify(a.diagnostics));
  });

  it('np.float64 is a float: OneCycleLR(pct_start=np.float64(0.25)) draws torch\'s curve', async () => {
    const a = byVar(await run(script('a = OneCycleLR(opt, 0.1, total_steps=10, pct_start=np.float64(0.25))')), 'a');
    assert.strictEqual(a.error, null);
    const torch = [0.0040000000000000036, 0.076, 0.09890738440717015, 0.0904508879153485];
    torch.forEach((v, k) => assert.ok(Math.abs(a.curve!.lrs[0]![k]! - v) < 1e-9, `value ${k}: ${a.curve!.lrs[0]![k]} vs torch ${v}`));
  });

  it('arithmetic on a numpy float32 is not evaluated (its rounding depends on the numpy version)', async () => {
    const a = byVar(await run(script('a = StepLR(opt, 3, gamma=np.float32(0.5) * 0.5)')), 'a');
    assert.strictEqual(a.curve, null);
    assert.match(a.error ?? '', /numpy float32/);
  });

  it('a numpy int to a negative power raises numpy\'s ValueError', async () => {
    const r = await run(script('a = StepLR(opt, 2 ** -n)'));
    const a = byVar(r, 'a');
    assert.strictEqual(a.curve, null);
    assert.match(a.error ?? '', /Integers to negative integer powers are not allowed\./);
  });
});

describe('a numpy integer 0 that torch divides by', () => {
  it('CosineAnnealingLR(opt, T_max=np.int64(0)): torch 1.13 raises `ValueError: math domain error` at step 1 (numpy\'s pi / 0 is inf), not ZeroDivisionError: unknown, no error claimed', async () => {
    const r = await run(script('a = CosineAnnealingLR(opt, T_max=n - 4)').replace('import OneCycleLR,', 'import CosineAnnealingLR, OneCycleLR,'));
    const a = byVar(r, 'a');
    assert.strictEqual(a.curve, null);
    assert.match(a.error ?? '', /numpy\.int64 0: torch divides by it/);
    assert.ok(!a.diagnostics.some((d) => d.severity === 'error' || d.message.startsWith('ZeroDivisionError')), JSON.stringify(a.diagnostics));
  });
});
