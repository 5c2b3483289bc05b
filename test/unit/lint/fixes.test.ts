/**
 * Quick fixes: each is applied to the text as an editor would; the result must equal the
 * hand-written expected source, still parse (tree-sitter: no ERROR nodes), and no longer
 * trigger the rule when analysed again.
 */
import * as assert from 'assert';
import { applyEdits } from '../../../src/lint';
import type { AnalyzeOptions } from '../../../src/analysis/types';
import { diagnosticsOf, parsesCleanly, PY, show, TS, type Lang } from './helpers';

interface FixCase {
  id: string;
  what: string;
  before: string;
  after: string;
  preferred: boolean;
  /** Which of the diagnostic's fixes (by title start); default the first. */
  title?: string;
  lang?: Lang;
  steps?: number;
}

const BLOG = 'from blog_scheduler import CosineAnnealingWarmUpRestarts\n';

const CASES: FixCase[] = [
  { id: 'LR003', what: 'remove a trailing verbose=', preferred: true,
    before: 's = L.StepLR(opt, step_size=10, verbose=True)', after: 's = L.StepLR(opt, step_size=10)' },
  { id: 'LR003', what: 'remove verbose= between arguments', preferred: true,
    before: 's = L.StepLR(opt, verbose=True, step_size=10)', after: 's = L.StepLR(opt, step_size=10)' },
  { id: 'LR003', what: 'remove verbose= on its own line (trailing comma kept)', preferred: true,
    before: 's = L.StepLR(\n    opt,\n    step_size=10,\n    verbose=True,  # print every step\n)\n',
    after: 's = L.StepLR(\n    opt,\n    step_size=10,\n)\n' },
  { id: 'LR003', what: 'remove verbose from a TS options object', preferred: true, lang: 'typescript',
    before: 'const s = new L.StepLR(opt, { step_size: 10, verbose: true });', after: 'const s = new L.StepLR(opt, { step_size: 10 });' },
  { id: 'LR090', what: 'add cycle_momentum=False', preferred: true,
    before: 's = L.CyclicLR(adam, base_lr=0.001, max_lr=0.1, step_size_up=10)',
    after: 's = L.CyclicLR(adam, base_lr=0.001, max_lr=0.1, step_size_up=10, cycle_momentum=False)' },
  { id: 'LR090', what: 'add cycle_momentum=False to a multi-line call', preferred: true,
    before: 's = L.CyclicLR(\n    adam,\n    base_lr=0.001,\n    max_lr=0.1,\n    step_size_up=10,\n)\n',
    after: 's = L.CyclicLR(\n    adam,\n    base_lr=0.001,\n    max_lr=0.1,\n    step_size_up=10,\n    cycle_momentum=False,\n)\n' },
  { id: 'LR090', what: 'turn a written cycle_momentum=True off', preferred: true,
    before: 's = L.OneCycleLR(torch.optim.Adagrad(model.parameters()), max_lr=0.1, total_steps=100, cycle_momentum=True)',
    after: 's = L.OneCycleLR(torch.optim.Adagrad(model.parameters()), max_lr=0.1, total_steps=100, cycle_momentum=False)' },
  { id: 'LR090', what: 'add cycle_momentum: false to a TS options object', preferred: true, lang: 'typescript',
    before: 'const s = new L.CyclicLR(adam, { base_lr: 0.001, max_lr: 0.1, step_size_up: 10 });',
    after: 'const s = new L.CyclicLR(adam, { base_lr: 0.001, max_lr: 0.1, step_size_up: 10, cycle_momentum: false });' },
  { id: 'LR094', what: 'keep SGD momentum 0', preferred: true,
    before: 's = L.CyclicLR(opt, 0.001, 0.1, step_size_up=10)', after: 's = L.CyclicLR(opt, 0.001, 0.1, step_size_up=10, cycle_momentum=False)' },
  { id: 'LR141', what: "replace the optimizer's lr", preferred: true,
    before: `${BLOG}o = torch.optim.Adam(model.parameters(), lr=0.01)\ns = CosineAnnealingWarmUpRestarts(o, T_0=150, T_up=10, eta_max=0.1, gamma=0.5)`,
    after: `${BLOG}o = torch.optim.Adam(model.parameters(), lr=0)\ns = CosineAnnealingWarmUpRestarts(o, T_0=150, T_up=10, eta_max=0.1, gamma=0.5)` },
  { id: 'LR141', what: "insert lr=0 into an optimizer call without one", preferred: true,
    before: `${BLOG}o = torch.optim.Adam(model.parameters())\ns = CosineAnnealingWarmUpRestarts(o, T_0=150, T_up=10)`,
    after: `${BLOG}o = torch.optim.Adam(model.parameters(), lr=0)\ns = CosineAnnealingWarmUpRestarts(o, T_0=150, T_up=10)` },
  { id: 'LR141', what: "replace the optimizer's lr (TypeScript)", preferred: true, lang: 'typescript',
    before: 'const o = optim.Adam([], { lr: 0.01 });\nconst s = new CosineAnnealingWarmUpRestarts(o, { T_0: 150, T_up: 10 });',
    after: 'const o = optim.Adam([], { lr: 0 });\nconst s = new CosineAnnealingWarmUpRestarts(o, { T_0: 150, T_up: 10 });' },
  { id: 'LR141', what: "set one param group's own lr to 0", preferred: true,
    before: `${BLOG}o = torch.optim.SGD([{'params': model.weight, 'lr': 0.01}, {'params': model.bias, 'lr': 0}], lr=0.05)\n` +
      's = CosineAnnealingWarmUpRestarts(o, T_0=10, T_up=2)',
    after: `${BLOG}o = torch.optim.SGD([{'params': model.weight, 'lr': 0}, {'params': model.bias, 'lr': 0}], lr=0.05)\n` +
      's = CosineAnnealingWarmUpRestarts(o, T_0=10, T_up=2)' },
  { id: 'LR146', what: 'lr above eta_max → lr=0', preferred: true,
    before: `${BLOG}o = torch.optim.SGD(model.parameters(), lr=0.2)\ns = CosineAnnealingWarmUpRestarts(o, T_0=10, T_up=2, eta_max=0.1)`,
    after: `${BLOG}o = torch.optim.SGD(model.parameters(), lr=0)\ns = CosineAnnealingWarmUpRestarts(o, T_0=10, T_up=2, eta_max=0.1)` },
  { id: 'LR031', what: 'sort and dedupe milestones', preferred: true,
    before: 's = L.MultiStepLR(opt, milestones=[60, 30, 60])', after: 's = L.MultiStepLR(opt, milestones=[30, 60])' },
  { id: 'LR032', what: 'drop milestone 0', preferred: true,
    before: 's = L.MultiStepLR(opt, milestones=(0, 30, 80))', after: 's = L.MultiStepLR(opt, milestones=(30, 80))' },
  { id: 'LR122', what: 'sort SequentialLR milestones', preferred: false,
    before: 'a = L.ConstantLR(opt)\nb = L.ExponentialLR(opt, 0.9)\nc = L.StepLR(opt, 3)\ns = L.SequentialLR(opt, [a, b, c], milestones=[5, 2])',
    after: 'a = L.ConstantLR(opt)\nb = L.ExponentialLR(opt, 0.9)\nc = L.StepLR(opt, 3)\ns = L.SequentialLR(opt, [a, b, c], milestones=[2, 5])' },
  { id: 'LR072', what: 'T_max = H − 1', preferred: false, steps: 30,
    before: 's = L.CosineAnnealingLR(opt, T_max=10)', after: 's = L.CosineAnnealingLR(opt, T_max=29)' },
  { id: 'LR102', what: 'pct_start=0.3', preferred: false,
    before: 's = L.OneCycleLR(opt, max_lr=0.1, total_steps=100, pct_start=1)', after: 's = L.OneCycleLR(opt, max_lr=0.1, total_steps=100, pct_start=0.3)' },
  { id: 'LR103', what: "anneal_strategy='cos'", preferred: false, title: "Set anneal_strategy='cos'",
    before: "s = L.OneCycleLR(opt, max_lr=0.1, total_steps=100, anneal_strategy='cosine')",
    after: "s = L.OneCycleLR(opt, max_lr=0.1, total_steps=100, anneal_strategy='cos')" },
  { id: 'LR106', what: 'total_steps = H − 1', preferred: false, steps: 150,
    before: 's = L.OneCycleLR(opt, max_lr=0.1, total_steps=100)', after: 's = L.OneCycleLR(opt, max_lr=0.1, total_steps=149)' },
  { id: 'LR091', what: "mode='triangular'", preferred: false, title: "Set mode='triangular'",
    before: "s = L.CyclicLR(opt, 0.001, 0.1, mode='triangle', cycle_momentum=False)", after: "s = L.CyclicLR(opt, 0.001, 0.1, mode='triangular', cycle_momentum=False)" },
  { id: 'LR093', what: 'step_size_up = step_size_down', preferred: false, title: 'Set step_size_up equal',
    before: 's = L.CyclicLR(opt, 0.001, 0.1, step_size_up=0, step_size_down=20, cycle_momentum=False)',
    after: 's = L.CyclicLR(opt, 0.001, 0.1, step_size_up=20, step_size_down=20, cycle_momentum=False)' },
  { id: 'LR093', what: 'step_size_up=2000', preferred: false, title: 'Set step_size_up=2000',
    before: 's = L.CyclicLR(opt, 0.001, 0.1, step_size_up=0, cycle_momentum=False)', after: 's = L.CyclicLR(opt, 0.001, 0.1, step_size_up=2000, cycle_momentum=False)' },
  { id: 'LR095', what: 'swap base_lr and max_lr', preferred: false,
    before: 's = L.CyclicLR(opt, base_lr=0.1, max_lr=0.01, step_size_up=10, cycle_momentum=False)',
    after: 's = L.CyclicLR(opt, base_lr=0.01, max_lr=0.1, step_size_up=10, cycle_momentum=False)' },
  { id: 'LR051', what: 'start_factor=1e-3', preferred: false,
    before: 's = L.LinearLR(opt, start_factor=0, total_iters=4)', after: 's = L.LinearLR(opt, start_factor=1e-3, total_iters=4)' },
  { id: 'LR144', what: 'read param_groups instead of get_last_lr()', preferred: true,
    before: `${BLOG}o = torch.optim.SGD(model.parameters(), lr=0)\ns = CosineAnnealingWarmUpRestarts(o, T_0=10, T_up=2)\nprint(s.get_last_lr())`,
    after: `${BLOG}o = torch.optim.SGD(model.parameters(), lr=0)\ns = CosineAnnealingWarmUpRestarts(o, T_0=10, T_up=2)\nprint([group['lr'] for group in o.param_groups])` },
  { id: 'LR002', what: 'call step() without the epoch', preferred: false,
    before: 's = L.StepLR(opt, step_size=10)\nfor epoch in range(3):\n    s.step(epoch)\n',
    after: 's = L.StepLR(opt, step_size=10)\nfor epoch in range(3):\n    s.step()\n' },
  { id: 'LR174', what: "move scheduler.step() after optimizer.step() (the optimizer line's comment stays)", preferred: true,
    before: 's = L.StepLR(opt, step_size=10)\nfor epoch in range(3):\n    for x in data:\n        loss = model(x).sum()\n        s.step()\n        loss.backward()\n        opt.step()  # update\n        opt.zero_grad()\n',
    after: 's = L.StepLR(opt, step_size=10)\nfor epoch in range(3):\n    for x in data:\n        loss = model(x).sum()\n        loss.backward()\n        opt.step()  # update\n        s.step()\n        opt.zero_grad()\n' },
  { id: 'LR174', what: 'move a per-epoch scheduler.step() after optimizer.step()', preferred: true,
    before: 's = L.ExponentialLR(opt, 0.9)\nfor epoch in range(5):\n    s.step()\n    opt.step()\nprint("done")\n',
    after: 's = L.ExponentialLR(opt, 0.9)\nfor epoch in range(5):\n    opt.step()\n    s.step()\nprint("done")\n' },
];

describe('lint quick fixes', () => {
  for (const c of CASES) {
    const lang = c.lang ?? 'python';
    const prelude = lang === 'python' ? PY : TS;
    it(`${c.id}: ${c.what}`, async () => {
      const options: AnalyzeOptions = c.steps ? { steps: c.steps } : {};
      const before = prelude + c.before;
      const diags = (await diagnosticsOf(before, lang, options)).filter((d) => d.code === c.id);
      assert.ok(diags.length, `no ${c.id}`);
      const fix = diags.flatMap((d) => d.fixes ?? []).find((f) => !c.title || f.title.startsWith(c.title));
      assert.ok(fix, `${c.id} has no fix${c.title ? ` titled ${c.title}` : ''}: ${JSON.stringify(diags.map((d) => d.fixes))}`);
      assert.strictEqual(fix!.preferred, c.preferred, fix!.title);
      const after = applyEdits(before, fix!.edits);
      assert.strictEqual(after, prelude + c.after);
      assert.ok(await parsesCleanly(after, lang), 'the fixed file does not parse');
      const again = (await diagnosticsOf(after, lang, options)).filter((d) => d.code === c.id);
      assert.strictEqual(again.length, 0, `still reported after the fix:\n  ${show(again)}`);
    });
  }
});
