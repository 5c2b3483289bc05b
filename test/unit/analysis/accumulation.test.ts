/**
 * Gradient accumulation (issue 11): the factor is read from the condition around `scheduler.step()` and the
 * optimizer steps are counted as the loop runs them. Expected counts are computed here by brute force over
 * the loop's indices with Python's `%` (never copied from LR Lens's output).
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { analyze } from '../../../src/analysis/analyze';
import { accumulatedSteps, describeRun } from '../../../src/analysis/run';
import type { SchedulerAnalysis } from '../../../src/analysis/types';

const pyMod = (a: number, k: number) => ((a % k) + k) % k;
/** How many i in [start, start + n) pass `(i + add) % k == r` (or are the last index, when `last`). */
function brute(n: number, start: number, add: number, k: number, r: number, last = false): number {
  let c = 0;
  for (let i = start; i < start + n; i++) if (pyMod(i + add, k) === r || (last && i === start + n - 1)) c++;
  return c;
}

async function sched(src: string, assumedStepsPerEpoch?: number): Promise<SchedulerAnalysis> {
  const r = await analyze(src, 'python', { strict: true, ...(assumedStepsPerEpoch ? { assumedStepsPerEpoch } : {}) });
  assert.strictEqual(r.schedulers.length, 1);
  return r.schedulers[0]!;
}

const HEAD = 'import torch\nfrom torch.optim.lr_scheduler import CosineAnnealingLR\nopt = torch.optim.SGD(p, lr=0.1)\ns = CosineAnnealingLR(opt, T_max=1000)\n';

describe('gradient accumulation: the factor read, optimizer steps counted', () => {
  it('accumulatedSteps agrees with counting every index', () => {
    for (let k = 1; k <= 6; k++) {
      for (let n = 0; n <= 20; n++) {
        for (const start of [0, 1, 3]) {
          for (const add of [-1, 0, 1, 2]) {
            for (let r = 0; r <= k; r++) {
              for (const last of [false, true]) {
                const got = accumulatedSteps(n, start, { counter: 'i', add, every: k, residue: r, lastBatch: last });
                assert.strictEqual(got, brute(n, start, add, k, r, last), `n=${n} start=${start} add=${add} k=${k} r=${r} last=${last}`);
              }
            }
          }
        }
      }
    }
  });

  it('(i + 1) % accum == 0 over range(n) nested in the epoch loop: epochs × floor(n / accum)', async () => {
    const [epochs, n, k] = [5, 10, 4];
    const s = await sched(`${HEAD}accum = ${k}\nfor epoch in range(${epochs}):\n    for i in range(${n}):\n        loss.backward()\n        if (i + 1) % accum == 0:\n            opt.step()\n            s.step()\n`);
    assert.strictEqual(s.run?.unit, 'optimizer-step');
    assert.strictEqual(s.run?.epochs, epochs);
    assert.strictEqual(s.run?.stepsPerEpoch, brute(n, 0, 1, k, 0));
    assert.strictEqual(s.run?.steps, epochs * Math.floor(n / k));
    assert.strictEqual(s.horizon.steps, epochs * Math.floor(n / k) + 1);
    assert.deepStrictEqual(s.run?.assumed, []);
    assert.match(describeRun(s.run!), new RegExp(`${epochs} epochs × ${brute(n, 0, 1, k, 0)} optimizer steps`));
  });

  it('enumerate over a literal list, step % k == 0: the count includes index 0', async () => {
    const s = await sched(`${HEAD}data = [1, 2, 3, 4, 5, 6, 7]\nfor epoch in range(3):\n    for step, batch in enumerate(data):\n        if step % 3 == 0:\n            opt.step()\n            s.step()\n`);
    assert.strictEqual(s.run?.unit, 'optimizer-step');
    assert.strictEqual(s.run?.steps, 3 * brute(7, 0, 0, 3, 0));
  });

  it('the argparse default of --gradient_accumulation_steps counts, labelled assumed; batches assumed from the setting', async () => {
    const src = `import argparse\n${HEAD}parser = argparse.ArgumentParser()\nparser.add_argument("--gradient_accumulation_steps", type=int, default=3)\nargs = parser.parse_args()\n` +
      'for epoch in range(4):\n    for step, batch in enumerate(train_loader):\n        loss.backward()\n        if (step + 1) % args.gradient_accumulation_steps == 0:\n            opt.step()\n            s.step()\n';
    const spe = 50;
    const s = await sched(src, spe);
    assert.strictEqual(s.run?.unit, 'optimizer-step');
    assert.strictEqual(s.run?.steps, null, 'the loader\'s length is not known');
    assert.ok(s.run!.assumed.some((a) => /accumulation factor 3/.test(a) && /--gradient_accumulation_steps|default/.test(a)), s.run!.assumed.join('; '));
    // The preview: 4 epochs × the optimizer steps among the assumed batches.
    assert.strictEqual(s.horizon.steps, 4 * brute(spe, 0, 1, 3, 0) + 1);
    assert.match(s.horizon.assumed ?? '', /50 batches per epoch assumed/);
  });

  it('HF no_trainer: `step % k == 0 or step == len(loader) - 1` counts the last batch too', async () => {
    const text = fs.readFileSync(path.resolve(__dirname, '../../../../test/fixtures/loops/glue_no_trainer.py'), 'utf8');
    const r = await analyze(text, 'python', { strict: true, assumedStepsPerEpoch: 10 });
    const s = r.schedulers.find((x) => x.variable === 'lr_scheduler')!;
    assert.strictEqual(s.run?.unit, 'optimizer-step');
    // gradient_accumulation_steps = 4, 3 epochs, 10 assumed batches: 0, 4, 8 and the last (9) per epoch.
    assert.strictEqual(s.horizon.steps, 3 * brute(10, 0, 0, 4, 0, true) + 1);
  });

  it('accelerator.sync_gradients: optimizer steps, the factor unknown with why; no run-derived length', async () => {
    const s = await sched(`${HEAD}for epoch in range(3):\n    for batch in train_loader:\n        with accelerator.accumulate(model):\n            loss.backward()\n            opt.step()\n        if accelerator.sync_gradients:\n            s.step()\n`, 100);
    assert.strictEqual(s.run?.unit, 'optimizer-step');
    assert.strictEqual(s.run?.steps, null);
    assert.match(s.run!.source, /sync_gradients.*no `Accelerator\(…\)` call in this file: its gradient_accumulation_steps is not known/);
    assert.ok(!s.horizon.fromRun, 'no horizon from epochs × batches: that would overcount by the unknown factor');
  });

  it('accelerate: the factor of `Accelerator(gradient_accumulation_steps=k)` counts the syncs (every k-th call and the loader\'s last batch)', async () => {
    // accelerate's GradientState: the k-th accumulate() call of an epoch syncs when k % steps == 0, and at the end of the loader.
    for (const k of [1, 3, 4]) {
      const acc = `import torch\nfrom accelerate import Accelerator\naccelerator = Accelerator(gradient_accumulation_steps=${k})\n${HEAD.slice('import torch\n'.length)}` +
        'for epoch in range(3):\n    for i, batch in enumerate(train_loader, 1):\n        with accelerator.accumulate(model):\n            opt.step()\n            s.step()\n';
      const prepared = acc.replace('for epoch', 's = accelerator.prepare(s)\nfor epoch');
      const w = await sched(prepared, 10);
      assert.strictEqual(w.run?.unit, 'optimizer-step');
      // The loop's own index starts at 1: accelerate's count does not read it.
      assert.strictEqual(w.horizon.steps, 3 * brute(10, 0, 1, k, 0, true) + 1, `k=${k}`);
      const viaSync = prepared.replace('        with accelerator.accumulate(model):\n            opt.step()\n            s.step()\n',
        '        opt.step()\n        if accelerator.sync_gradients:\n            s.step()\n');
      assert.notStrictEqual(viaSync, prepared);
      assert.strictEqual((await sched(viaSync, 10)).horizon.steps, 3 * brute(10, 0, 1, k, 0, true) + 1, `sync k=${k}`);
    }
  });

  it('a counter that does not restart each epoch is not counted (said why)', async () => {
    const s = await sched(`${HEAD}global_step = 0\nfor epoch in range(3):\n    for i in range(10):\n        global_step += 1\n        if global_step % 4 == 0:\n            opt.step()\n            s.step()\n`);
    assert.strictEqual(s.run?.unit, 'optimizer-step');
    assert.strictEqual(s.run?.steps, null);
    assert.match(s.run!.source, /batch loop's own index/);
  });
});
