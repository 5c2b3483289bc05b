/**
 * "Torch raises" only when every value it depends on is known: each kind of failure is an error
 * when its values are written, a warning naming the assumption when it rests on a value the program
 * takes by default (an argparse default), information when it rests on LR Lens's own stand-in (an
 * unresolved optimizer), and still an error when the assumption is irrelevant to it.
 */
import * as assert from 'assert';
import { analyze } from '../../../src/analysis/analyze';
import type { Diagnostic, SchedulerAnalysis } from '../../../src/analysis/types';
import { show } from './helpers';

const HEAD = [
  'import argparse, torch',
  'from torch.optim import lr_scheduler as L',
  'parser = argparse.ArgumentParser()',
  'parser.add_argument("--lr", type=float, default=0.1)',
  'parser.add_argument("--step-size", type=int, default=0)',
  'parser.add_argument("--t0", type=int, default=-1)',
  'parser.add_argument("--tmax", type=int, default=0)',
  'args = parser.parse_args()',
  'model = torch.nn.Linear(2, 1)',
  '',
].join('\n');

async function scheduler(body: string, variable = 's', steps = 5): Promise<SchedulerAnalysis> {
  const r = await analyze(HEAD + body, 'python', { strict: true, steps });
  const s = r.schedulers.find((x) => x.variable === variable);
  assert.ok(s, `no ${variable}`);
  return s;
}

function one(s: SchedulerAnalysis, code: string): Diagnostic {
  const ds = s.diagnostics.filter((d) => d.code === code);
  assert.strictEqual(ds.length, 1, show(s.diagnostics));
  return ds[0]!;
}

const KNOWN_OPT = 'opt = torch.optim.SGD(model.parameters(), lr=0.1)\n';
const ASSUMED_LR_OPT = 'opt = torch.optim.SGD(model.parameters(), lr=args.lr)\n';
const UNRESOLVED_OPT = 'opt = build_optimizer(model)\n';

describe('lint: error severity only when every value the failure depends on is known', () => {
  describe('a failure of the construction\'s own argument (StepLR step_size = 0, LR020)', () => {
    it('is an error when step_size is written', async () => {
      const d = one(await scheduler(`${KNOWN_OPT}s = L.StepLR(opt, step_size=0)`), 'LR020');
      assert.strictEqual(d.severity, 'error');
      assert.ok(d.message.startsWith('ZeroDivisionError'), d.message);
      assert.ok(!d.message.includes('would raise if'), d.message);
    });
    it('is a warning naming the assumption when step_size is an argparse default', async () => {
      const s = await scheduler(`${KNOWN_OPT}s = L.StepLR(opt, step_size=args.step_size)`);
      const d = one(s, 'LR020');
      assert.strictEqual(d.severity, 'warning');
      assert.ok(d.message.includes('would raise if step_size is 0 (assumed: default of --step-size'), d.message);
      assert.deepStrictEqual(s.assumed.map((a) => [a.what, a.value, a.param]), [['step_size', 0, 'step_size']]);
    });
    it('stays an error when only the optimizer\'s lr is assumed (the lr does not enter the check)', async () => {
      const s = await scheduler(`${ASSUMED_LR_OPT}s = L.StepLR(opt, step_size=0)`);
      assert.strictEqual(one(s, 'LR020').severity, 'error');
      assert.deepStrictEqual(s.assumed.map((a) => [a.what, a.value]), [['lr', 0.1]]);
    });
  });

  describe('a construction-time check (CosineAnnealingWarmRestarts T_0 = -1, LR080)', () => {
    it('is an error when T_0 is written, with the lr assumed or the optimizer unresolved', async () => {
      for (const opt of [KNOWN_OPT, ASSUMED_LR_OPT, UNRESOLVED_OPT]) {
        const d = one(await scheduler(`${opt}s = L.CosineAnnealingWarmRestarts(opt, T_0=-1)`), 'LR080');
        assert.strictEqual(d.severity, 'error', opt);
        assert.ok(d.message.includes('Expected positive integer T_0, but got -1'), d.message);
      }
    });
    it('is a warning when T_0 is an argparse default', async () => {
      const d = one(await scheduler(`${KNOWN_OPT}s = L.CosineAnnealingWarmRestarts(opt, T_0=args.t0)`), 'LR080');
      assert.strictEqual(d.severity, 'warning');
      assert.ok(d.message.includes('would raise if T_0 is -1 (assumed: default of --t0'), d.message);
    });
  });

  describe('a check that reads the optimizer\'s param groups (two lambdas for one group, LR010)', () => {
    const body = 's = L.LambdaLR(opt, lr_lambda=[lambda e: 1.0, lambda e: 0.5])';
    it('is an error on a built optimizer, its lr assumed or not (the number of groups is known)', async () => {
      for (const opt of [KNOWN_OPT, ASSUMED_LR_OPT]) {
        const d = one(await scheduler(opt + body), 'LR010');
        assert.strictEqual(d.severity, 'error', opt);
        assert.ok(d.message.includes('Expected 1 lr_lambdas, but got 2'), d.message);
      }
    });
    it('is information naming the assumed optimizer when it is not resolved', async () => {
      const d = one(await scheduler(UNRESOLVED_OPT + body), 'LR010');
      assert.strictEqual(d.severity, 'information');
      assert.ok(d.message.includes('would raise if optimizer is SGD(lr=0.1) (assumed: not resolved'), d.message);
    });
    it('is information when the optimizer\'s arguments are not all known (its groups may be several)', async () => {
      const s = await scheduler(`groups = make_groups(model)\nopt = torch.optim.SGD(*groups, lr=0.1)\n${body}`);
      assert.ok(s.assumed.some((a) => a.what === 'optimizer' && a.value === 'SGD(…)'), JSON.stringify(s.assumed));
      assert.strictEqual(one(s, 'LR010').severity, 'information');
    });
  });

  it('rules about a group\'s lr read the structured assumption of that group only (LR141 on group 1, not on the assumed group 0)', async () => {
    const r = await analyze('import torch\nfrom cosine_annealing_warmup import CosineAnnealingWarmUpRestarts\n' +
      "opt = torch.optim.SGD([{'params': a, 'lr': cfg.x}, {'params': b, 'lr': 0.01}], lr=0.0)\n" +
      's = CosineAnnealingWarmUpRestarts(opt, T_0=50, T_up=5, eta_max=0.1)\n', 'python', { strict: true });
    const s = r.schedulers[0]!;
    assert.deepStrictEqual(s.assumed.map((a) => [a.what, a.value, a.group]), [['lr of group 0', 0.1, 0]]);
    const ds = s.diagnostics.filter((d) => d.code === 'LR141');
    assert.deepStrictEqual(ds.map((d) => /^param group 1: the optimizer's lr \(0\.01\)/.test(d.message)), [true], show(s.diagnostics));
  });

  describe('a member\'s failure inside SequentialLR (CosineAnnealingLR T_max = 0)', () => {
    const body = (tmax: string) => `${KNOWN_OPT}w = L.LinearLR(opt, total_iters=2)\nc = L.CosineAnnealingLR(opt, T_max=${tmax})\n` +
      's = L.SequentialLR(opt, [w, c], milestones=[2])';
    it('is an error when T_max is written', async () => {
      const s = await scheduler(body('0'));
      assert.ok(s.failure?.type === 'ZeroDivisionError', JSON.stringify(s.failure));
      assert.ok(s.diagnostics.some((d) => d.severity === 'error' && d.message.startsWith('ZeroDivisionError')), show(s.diagnostics));
    });
    it('is a warning naming the member\'s assumed T_max when it is an argparse default', async () => {
      const s = await scheduler(body('args.tmax'));
      assert.deepStrictEqual(s.assumed.map((a) => [a.what, a.value, a.member]), [['T_max of c', 0, 'c']]);
      const d = s.diagnostics.find((x) => x.message.startsWith('ZeroDivisionError'))!;
      assert.strictEqual(d.severity, 'warning');
      assert.ok(d.message.includes('would raise if T_max of c is 0'), d.message);
      assert.ok(!s.diagnostics.some((x) => x.severity === 'error'), show(s.diagnostics));
    });
  });
});
