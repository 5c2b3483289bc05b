/**
 * Across files and config files (issue 10, items 4 and 5): the fixture repository under
 * test/fixtures/repo (a CIFAR-style `conf` package, a config dataclass module, a package with
 * relative imports, a YOLO-style hyp YAML read through an argparse default, JSON, TOML, a Hydra
 * app with a defaults list, a script using `sys.path.insert`). Each pattern's expected curve is
 * computed here from torch 1.13's own formulas (docs/torch-schedulers.md) on the values written in
 * the fixture files, never copied from our output.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { analyze } from '../../../src/analysis/analyze';
import type { AnalysisResult, SchedulerAnalysis } from '../../../src/analysis/types';
import { WorkspaceCache, type WorkspaceHost } from '../../../src/analysis/workspace';
import { cosine } from './torchFormulas';

const ROOT = path.resolve(__dirname, '../../../../test/fixtures/repo');

/** Node's fs, counting reads. */
function fsHost(reads: string[] = []): WorkspaceHost {
  return {
    async readFile(p) {
      reads.push(p);
      try {
        return fs.readFileSync(p);
      } catch {
        return undefined;
      }
    },
  };
}

async function run(rel: string, cache?: WorkspaceCache, host = fsHost()): Promise<AnalysisResult> {
  const file = path.join(ROOT, rel);
  return analyze(fs.readFileSync(file, 'utf8'), 'python', { workspace: { host, root: ROOT, file, cache }, strict: true });
}

function sched(r: AnalysisResult, variable: string): SchedulerAnalysis {
  const s = r.schedulers.find((x) => x.variable === variable);
  assert.ok(s, `no scheduler ${variable} in ${r.schedulers.map((x) => x.variable).join(', ')}`);
  return s;
}

function assertCurve(s: SchedulerAnalysis, expected: number[]): void {
  assert.ok(s.curve, `${s.kind}: no curve (${s.error})`);
  const got = Array.from(s.curve.lrs[0]!);
  assert.strictEqual(got.length, expected.length, 'horizon');
  got.forEach((v, k) => assert.ok(Math.abs(v - expected[k]!) <= 1e-12 * Math.abs(expected[k]!) + 1e-300, `step ${k}: ${v} ≠ ${expected[k]}`));
}

/** torch's chainable StepLR / MultiStepLR / ExponentialLR: the lr is multiplied by gamma at each decay epoch. */
function decays(lr: number, gamma: number, n: number, decayAt: (k: number) => boolean): number[] {
  const out: number[] = [];
  for (let k = 0; k < n; k++) {
    if (k > 0 && decayAt(k)) lr = lr * gamma;
    out.push(lr);
  }
  return out;
}


/** The 1-based line of the first line of `rel` starting with `prefix` (for origin labels). */
function lineOf(rel: string, prefix: string): number {
  return fs.readFileSync(path.join(ROOT, rel), 'utf8').split('\n').findIndex((l) => l.startsWith(prefix)) + 1;
}

describe('workspace: other modules and config files', () => {
  it('a package attribute set from another module (CIFAR-100 layout: conf/__init__.py copies conf/global_settings.py)', async () => {
    const r = await run('train_cifar.py');
    const s = sched(r, 'train_scheduler');
    // MILESTONES = [60, 120, 160], gamma 0.2, lr 0.1; the horizon is the run: `for epoch in range(1, settings.EPOCH + 1)`
    // with EPOCH = 200 (conf/global_settings.py) steps it 200 times → 201 values.
    assertCurve(s, decays(0.1, 0.2, 201, (k) => [60, 120, 160].includes(k)));
    assert.strictEqual(s.run?.unit, 'epoch');
    assert.strictEqual(s.run?.epochs, 200);
    const m = s.argInfo.find((a) => a.name === 'milestones')!;
    assert.strictEqual(m.origin, `settings.MILESTONES = [60, 120, 160] (conf/global_settings.py:${lineOf('conf/global_settings.py', 'MILESTONES')})`);
    assert.ok(r.dependencies?.includes(path.join(ROOT, 'conf/global_settings.py')), 'the settings module is a dependency');
  });

  it('without a workspace the same file has no curve and says why', async () => {
    const r = await analyze(fs.readFileSync(path.join(ROOT, 'train_cifar.py'), 'utf8'), 'python', { strict: true });
    const s = sched(r, 'train_scheduler');
    assert.strictEqual(s.curve, null);
    assert.match(s.error ?? '', /settings/);
  });

  it('a config dataclass with its defaults, class constants, functions and a submodule of a package (relative imports inside)', async () => {
    const r = await run('train_configs.py');
    // OptimConfig(lr=1e-3); warmup_factor(step) = (step + 1) / WARMUP_STEPS below 10 steps, then 1.0 (pkg/constants.py).
    const warm = Array.from({ length: 100 }, (_, k) => 1e-3 * (k < 10 ? (k + 1) / 10 : 1.0));
    assertCurve(sched(r, 'warmup'), warm);
    // Defaults.BASE_LR = 0.1, STEP = 25, GAMMA = 0.3 (class attributes of configs/base.py).
    const step = sched(r, 'step');
    assertCurve(step, decays(0.1, 0.3, step.curve!.lrs[0]!.length, (k) => k % 25 === 0));
    assert.strictEqual(step.argInfo.find((a) => a.name === 'gamma')!.origin, `Defaults.GAMMA = 0.3 (configs/base.py:${lineOf('configs/base.py', '    GAMMA')})`);
    // cosine_factor: warm-up, then a half cosine over TOTAL_STEPS - WARMUP_STEPS, on lr 0.5.
    const cos = Array.from({ length: 100 }, (_, k) => 0.5 * (k < 10 ? (k + 1) / 10 : 0.5 * (1.0 + Math.cos(Math.PI * ((k - 10) / 90)))));
    assertCurve(sched(r, 'cosine'), cos);
    // `from pkg import constants as C`: pkg/__init__.py's `from . import constants`; DECAY = 0.95 on lr 0.2.
    const decay = sched(r, 'decay');
    assertCurve(decay, decays(0.2, 0.95, decay.curve!.lrs[0]!.length, () => true));
  });

  it('a folder added with sys.path.insert(0, os.path.join(os.path.dirname(__file__), …))', async () => {
    const r = await run('tools/train_syspath.py');
    const s = sched(r, 'scheduler');
    assertCurve(s, decays(0.1, 0.8, s.curve!.lrs[0]!.length, (k) => k % 7 === 0));
    assert.match(s.argInfo.find((a) => a.name === 'step_size')!.origin ?? '', /\(third\/extlib\/ext_consts\.py:1\)$/);
  });

  it('absolute imports resolve from the root, not only from the script folder', async () => {
    const r = await run('tools/train_from_root.py');
    const s = sched(r, 'scheduler');
    assertCurve(s, decays(0.1, 0.3, s.curve!.lrs[0]!.length, (k) => k % 25 === 0));
  });

  it('a YAML hyp file named by an argparse default built from Path(__file__): the values are labelled assumed', async () => {
    const r = await run('train_yolo.py');
    const s = sched(r, 'scheduler');
    // hyp.scratch.yaml: lr0 0.01, lrf 0.1; epochs = the default of --epochs, 300; lf is YOLO's linear ramp.
    const lf = (x: number) => (1 - x / 300) * (1.0 - 0.1) + 0.1;
    assertCurve(s, Array.from({ length: 100 }, (_, k) => 0.01 * lf(k)));
    const opt = s.argInfo.find((a) => a.name === 'optimizer')!;
    assert.strictEqual(opt.assumed, true, 'the lr read through an assumed path is an assumption');
    // The label is a structured assumption (every view and the JSON show it): the optimizer's lr, with the file and flag.
    assert.ok(s.assumed.some((a) => a.what === 'lr' && a.value === 0.01 && a.why.includes('data/hyps/hyp.scratch.yaml') && a.why.includes('--hyp')),
      JSON.stringify(s.assumed));
  });

  it('Path(p).is_file() / os.path.exists(p): true for a file of the workspace (YOLOv7\'s check_file(opt.hyp)), unknown for one outside it', async () => {
    const r = await run('train_check_file.py');
    const s = sched(r, 'scheduler');
    const lf = (x: number) => (1 - x / 300) * (1.0 - 0.1) + 0.1;
    assertCurve(s, Array.from({ length: 100 }, (_, k) => 0.01 * lf(k)));
    // runs/last.pt is not in the repository: not False, unknown.
    const g = sched(r, 'gamma_sched');
    assert.strictEqual(g.curve, null);
    assert.match(g.error ?? g.explanation ?? JSON.stringify(g.argInfo), /whether it exists is known at run time/);
  });

  it('JSON through json.load(open(os.path.join(HERE, …))) and TOML through tomllib.load, labelled with file and key', async () => {
    const r = await run('train_files.py');
    const a = sched(r, 'sched_a');
    assertCurve(a, decays(0.001, 0.9, a.curve!.lrs[0]!.length, (k) => k % 10 === 0));
    assert.strictEqual(a.argInfo.find((x) => x.name === 'gamma')!.origin, 'config["scheduler"]["gamma"] = 0.9 (data/train.json: scheduler.gamma)');
    const b = sched(r, 'sched_b');
    assertCurve(b, decays(0.05, 0.5, b.curve!.lrs[0]!.length, (k) => k % 30 === 0));
    assert.strictEqual(b.argInfo.find((x) => x.name === 'step_size')!.origin, 'train_cfg["step_size"] = 30 (pyproject.toml: tool.train.step_size)');
    assert.strictEqual(b.args.step_size, 30);
  });

  it('an optimizer lr read from a config or another module carries its origin like the scheduler arguments', async () => {
    const files = await run('train_files.py');
    const a = sched(files, 'sched_a');
    assert.deepStrictEqual(a.optimizer?.groupLrs, [0.001]);
    assert.ok(a.notes.includes('opt_a: lr = config["optimizer"]["lr"] = 0.001 (data/train.json: optimizer.lr)'), JSON.stringify(a.notes));
    assert.strictEqual(a.argInfo.find((x) => x.name === 'optimizer')!.origin, 'opt_a (lr = config["optimizer"]["lr"] = 0.001 (data/train.json: optimizer.lr))');
    const b = sched(files, 'sched_b');
    assert.ok(b.notes.includes('opt_b: lr = train_cfg["lr"] = 0.05 (pyproject.toml: tool.train.lr)'), JSON.stringify(b.notes));
    const configs = await run('train_configs.py');
    const step = sched(configs, 'step');
    assert.ok(step.notes.includes(`opt2: lr = Defaults.BASE_LR = 0.1 (configs/base.py:${lineOf('configs/base.py', '    BASE_LR')})`), JSON.stringify(step.notes));
    // An lr written in the file itself (a literal, or `OptimConfig(lr=1e-3)` of this file) has no such note.
    assert.ok(!sched(configs, 'cosine').notes.some((n) => n.startsWith('opt3:')), JSON.stringify(sched(configs, 'cosine').notes));
    assert.ok(!sched(configs, 'warmup').notes.some((n) => n.startsWith('optimizer:')), JSON.stringify(sched(configs, 'warmup').notes));
  });

  it("Hydra's @hydra.main composes config.yaml with its defaults list (optimizer/adam.yaml, scheduler/cosine.yaml)", async () => {
    const r = await run('hydra_app/train.py');
    const s = sched(r, 'scheduler');
    // lr 3e-4 (OmegaConf reads `3e-4` as a float), T_max 50, eta_min 1e-6; the horizon is torch's default for T_max.
    assertCurve(s, cosine(3e-4, 50, 1e-6, s.curve!.lrs[0]!.length));
    assert.strictEqual(s.argInfo.find((a) => a.name === 'T_max')!.origin, 'cfg.scheduler.T_max = 50 (hydra_app/conf/scheduler/cosine.yaml: T_max)');
  });

  it('OmegaConf.load: attribute and item access, paths relative to the root or built from __file__', async () => {
    const r = await run('hydra_app/train_omegaconf.py');
    const s = sched(r, 'scheduler');
    assertCurve(s, cosine(3e-4, 50, 1e-6, s.curve!.lrs[0]!.length));
  });

  it("PyYAML's YAML 1.1 numbers: `1e-1` without a dot is a string for yaml.safe_load, a float for OmegaConf", async () => {
    const py = [
      'import torch, yaml',
      'from omegaconf import OmegaConf',
      'a = yaml.safe_load("g: 1e-1\\nh: 1.0e-1\\nn: 3")',
      'b = OmegaConf.create(yaml.safe_load("g: 0.5"))',
      'opt = torch.optim.SGD([], lr=0.1)',
      's1 = torch.optim.lr_scheduler.StepLR(opt, step_size=a["n"], gamma=a["g"])',
      's2 = torch.optim.lr_scheduler.StepLR(opt, step_size=a["n"], gamma=a["h"])',
      's3 = torch.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=b.g)',
    ].join('\n');
    const file = path.join(ROOT, 'inline.py');
    const r = await analyze(py, 'python', { workspace: { host: fsHost(), root: ROOT, file } });
    assert.strictEqual(sched(r, 's1').argInfo.find((a) => a.name === 'gamma')!.display, "'1e-1'");
    assert.strictEqual(sched(r, 's2').argInfo.find((a) => a.name === 'gamma')!.display, '0.1');
    assert.strictEqual(sched(r, 's2').argInfo.find((a) => a.name === 'step_size')!.display, '3');
    assert.strictEqual(sched(r, 's3').argInfo.find((a) => a.name === 'gamma')!.display, '0.5');
  });

  it('a module or config that is missing is unknown with the reason, never a guess', async () => {
    const py = [
      'import torch, yaml',
      'from .nowhere import GAMMA',
      'with open("missing.yaml") as f:',
      '    hyp = yaml.safe_load(f)',
      'opt = torch.optim.SGD([], lr=0.1)',
      's1 = torch.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=GAMMA)',
      's2 = torch.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=hyp["gamma"])',
    ].join('\n');
    const r = await analyze(py, 'python', { workspace: { host: fsHost(), root: ROOT, file: path.join(ROOT, 'inline.py') }, strict: true });
    assert.strictEqual(sched(r, 's1').curve, null);
    assert.match(sched(r, 's1').error ?? '', /nowhere/);
    assert.strictEqual(sched(r, 's2').curve, null);
    assert.match(sched(r, 's2').error ?? '', /missing\.yaml.*not found/);
  });

  it('only files inside the root are read, whatever path the script names', async () => {
    const reads: string[] = [];
    const py = [
      'import sys, torch, yaml',
      'sys.path.append("/usr/lib/python3/dist-packages")',
      'from secrets_mod import GAMMA',
      'cfg = yaml.safe_load(open("/etc/hyp.yaml"))',
      'other = yaml.safe_load(open("../outside.yaml"))',
      'opt = torch.optim.SGD([], lr=0.1)',
      's = torch.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=cfg["gamma"])',
    ].join('\n');
    const r = await analyze(py, 'python', { workspace: { host: fsHost(reads), root: ROOT, file: path.join(ROOT, 'inline.py') }, strict: true });
    assert.ok(reads.every((p) => p.startsWith(`${ROOT}/`) && !p.includes('/../')), reads.join('\n'));
    assert.match(sched(r, 's').error ?? '', /\/etc\/hyp\.yaml.*not found/);
  });

  it('a scheduler built inside another module is previewed at this file\'s call, with its values, never at that module\'s positions', async () => {
    const files: Record<string, string> = {
      '/r/main.py': [
        'import torch',
        'from helpers import make',
        'opt = torch.optim.SGD([], lr=0.1)',
        's = make(opt, 3)',
        'w = make(torch.optim.SGD([], lr=0.5), 0, kind="restarts")',
        'for epoch in range(8):',
        '    s.step()',
        '    w.step()',
        '',
      ].join('\n'),
      '/r/helpers.py': [
        'import torch',
        'def make(opt, n, kind="step"):',
        '    if kind == "step":',
        '        return torch.optim.lr_scheduler.StepLR(opt, n)',
        '    return torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=n)',
        '',
      ].join('\n'),
    };
    const host: WorkspaceHost = { readFile: async (p) => (files[p] === undefined ? undefined : new TextEncoder().encode(files[p])) };
    const r = await analyze(files['/r/main.py']!, 'python', { workspace: { host, root: '/r', file: '/r/main.py' }, strict: true });
    const s = sched(r, 's');
    // At main.py's `make(opt, 3)` (line 4), stepped by its loop: torch's StepLR(step_size=3, gamma=0.1) on lr 0.1.
    assert.deepStrictEqual(s.range, { start: { line: 3, character: 4 }, end: { line: 3, character: 16 } });
    assertCurve(s, decays(0.1, 0.1, 9, (k) => k % 3 === 0));
    assert.ok(s.notes.some((n) => n.includes('the StepLR written in helpers.py:4, built by this call of `make()`')), s.notes.join('\n'));
    // The other call takes the other branch: torch raises for T_0 = 0, said at this file's call (no quick fix, which
    // would edit helpers.py).
    const w = sched(r, 'w');
    assert.strictEqual(w.kind, 'CosineAnnealingWarmRestarts');
    assert.match(w.failure?.message ?? '', /Expected positive integer T_0, but got 0/);
    const d = w.diagnostics.find((x) => x.severity === 'error');
    assert.ok(d, JSON.stringify(w.diagnostics));
    assert.deepStrictEqual(d.range, w.range);
    assert.strictEqual(d.fixes, undefined);
  });

  it('a builder of another module choosing on a config it cannot read: each branch\'s scheduler at the call, stepped by the loop after it', async () => {
    // Swin-Transformer: main.py `lr_scheduler = build_scheduler(config, optimizer, len(data_loader_train))` in `main(config)`,
    // lr_scheduler.py `lr_scheduler = None; if config.TRAIN.LR_SCHEDULER.NAME == 'cosine': lr_scheduler = CosineLRScheduler(…)
    // elif … == 'step': …; return lr_scheduler`, config from yacs. Before: "no learning-rate scheduler found" (the call
    // stopped at the `if`), then "never stepped" (its value depends on the branch).
    const files: Record<string, string> = {
      '/r/main.py': [
        'import torch',
        'from lr_scheduler import build_scheduler',
        'from config import get_config',
        'def main(config):',
        '    opt = torch.optim.SGD([], lr=0.1)',
        '    lr_scheduler = build_scheduler(config, opt, 2)',
        '    for epoch in range(4):',
        '        opt.step()',
        '        lr_scheduler.step()',
        'main(get_config())',
        '',
      ].join('\n'),
      '/r/lr_scheduler.py': [
        'from torch.optim.lr_scheduler import CosineAnnealingLR, StepLR',
        'def build_scheduler(config, optimizer, n_iter_per_epoch):',
        '    num_steps = int(4 * n_iter_per_epoch)',
        '    lr_scheduler = None',
        '    if config.NAME == "cosine":',
        '        lr_scheduler = CosineAnnealingLR(optimizer, T_max=num_steps)',
        '    elif config.NAME == "step":',
        '        lr_scheduler = StepLR(optimizer, step_size=3, gamma=0.5)',
        '    return lr_scheduler',
        '',
      ].join('\n'),
    };
    const host: WorkspaceHost = { readFile: async (p) => (files[p] === undefined ? undefined : new TextEncoder().encode(files[p])) };
    const r = await analyze(files['/r/main.py']!, 'python', { workspace: { host, root: '/r', file: '/r/main.py' }, strict: true });
    assert.deepStrictEqual(r.schedulers.map((x) => [x.kind, x.variable, x.range.start.line + 1]), [['CosineAnnealingLR', 'lr_scheduler', 6], ['StepLR', 'lr_scheduler', 6]]);
    const [cos, step] = r.schedulers as [SchedulerAnalysis, SchedulerAnalysis];
    for (const s of [cos, step]) {
      assert.ok(!s.diagnostics.some((d) => d.code === 'LR175'), `${s.kind}: ${s.diagnostics.map((d) => d.code).join(',')}`);
      assert.deepStrictEqual(s.run?.stepSites?.map((x) => x.start.line + 1), [9]);
      assert.strictEqual(s.run?.steps, 4);
    }
    assert.ok(cos.notes.some((n) => n.includes('the CosineAnnealingLR written in lr_scheduler.py:6, built by this call of `build_scheduler()`')), cos.notes.join('\n'));
    // torch 1.13: CosineAnnealingLR(T_max=8) and StepLR(3, 0.5) on lr 0.1, values 0…4 (the loop's 4 steps).
    assertCurve(cos, cosine(0.1, 8, 0, 9).slice(0, 5));
    assertCurve(step, decays(0.1, 0.5, 5, (k) => k % 3 === 0));
  });

  it('a builder of another module returning (scheduler, lf), unpacked at the call: the scheduler\'s name is its place in the tuple, not "never stepped"', async () => {
    // YOLOv6: yolov6/solver/build.py `scheduler = LambdaLR(optimizer, lr_lambda=lf); return scheduler, lf`, engine.py
    // `lr_scheduler, lf = build_lr_scheduler(cfg, optimizer, epochs); return lr_scheduler, lf` in a static method.
    const files: Record<string, string> = {
      '/r/engine.py': [
        'import torch',
        'from build import build_lr_scheduler',
        'def get_lr_scheduler(cfg, optimizer, epochs):',
        '    lr_scheduler, lf = build_lr_scheduler(cfg, optimizer, epochs)',
        '    return lr_scheduler, lf',
        'opt = torch.optim.SGD([], lr=0.1)',
        'lf0, sched = None, None',
        'for epoch in range(5):',
        '    opt.step()',
        '',
      ].join('\n'),
      '/r/build.py': [
        'import torch',
        'def build_lr_scheduler(cfg, optimizer, epochs):',
        '    if cfg.solver.lr_scheduler == "Cosine":',
        '        lf = lambda x: 1.0 - x / epochs',
        '    elif cfg.solver.lr_scheduler == "Constant":',
        '        lf = lambda x: 1.0',
        '    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_lambda=lf)',
        '    return scheduler, lf',
        '',
      ].join('\n'),
    };
    const host: WorkspaceHost = { readFile: async (p) => (files[p] === undefined ? undefined : new TextEncoder().encode(files[p])) };
    const r = await analyze(files['/r/engine.py']!, 'python', { workspace: { host, root: '/r', file: '/r/engine.py' }, strict: true });
    assert.deepStrictEqual(r.schedulers.map((x) => [x.kind, x.variable, x.range.start.line + 1]), [['LambdaLR', 'lr_scheduler', 4]]);
    const s = r.schedulers[0]!;
    assert.ok(!s.diagnostics.some((d) => d.code === 'LR175'), s.diagnostics.map((d) => d.code).join(','));
    assert.match(s.run?.source ?? '', /the return of `get_lr_scheduler\(\)`/);
  });

  it('a factory of another module returning a SequentialLR: the sequence at this file\'s call, its members inside it', async () => {
    const files: Record<string, string> = {
      '/r/main.py': 'import torch\nfrom sched import warm_cosine\nopt = torch.optim.SGD([], lr=0.1)\ns = warm_cosine(opt, 2, 6)\n',
      '/r/sched.py': [
        'from torch.optim.lr_scheduler import LinearLR, CosineAnnealingLR, SequentialLR',
        'def warm_cosine(opt, warmup, epochs):',
        '    w = LinearLR(opt, start_factor=0.5, total_iters=warmup)',
        '    c = CosineAnnealingLR(opt, T_max=epochs - warmup)',
        '    return SequentialLR(opt, [w, c], milestones=[warmup])',
        '',
      ].join('\n'),
    };
    const host: WorkspaceHost = { readFile: async (p) => (files[p] === undefined ? undefined : new TextEncoder().encode(files[p])) };
    const r = await analyze(files['/r/main.py']!, 'python', { workspace: { host, root: '/r', file: '/r/main.py' }, strict: true });
    assert.deepStrictEqual(r.schedulers.map((x) => x.kind), ['SequentialLR']);
    const s = r.schedulers[0]!;
    assert.strictEqual(s.variable, 's');
    // torch 1.13: LinearLR 0.5 -> 1 over 2 steps, then at the milestone CosineAnnealingLR(T_max=4) restarts from 0.1.
    const lrs = Array.from(s.curve!.lrs[0]!.slice(0, 7));
    const expected = [0.05, 0.075, 0.1, 0.1 * (1 + Math.cos(Math.PI / 4)) / 2, 0.1 * (1 + Math.cos(Math.PI / 2)) / 2, 0.1 * (1 + Math.cos(3 * Math.PI / 4)) / 2, 0];
    lrs.forEach((v, k) => assert.ok(Math.abs(v - expected[k]!) <= 1e-12, `value ${k}: ${v} ≠ ${expected[k]}`));
  });

  it('warm: a cached workspace reads nothing again; an invalidated file is read again and its new value used', async () => {
    const files: Record<string, string> = {
      '/r/main.py': 'import torch\nfrom conf import STEP\nopt = torch.optim.SGD([], lr=0.1)\ns = torch.optim.lr_scheduler.StepLR(opt, STEP)\n',
      '/r/conf.py': 'STEP = 3\n',
    };
    const reads: string[] = [];
    const host: WorkspaceHost = {
      readFile: async (p) => {
        reads.push(p);
        return files[p] === undefined ? undefined : new TextEncoder().encode(files[p]);
      },
    };
    const cache = new WorkspaceCache();
    const go = () => analyze(files['/r/main.py']!, 'python', { workspace: { host, root: '/r', file: '/r/main.py', cache }, strict: true });
    const first = await go();
    assert.strictEqual(first.schedulers[0]!.args.step_size, 3);
    assert.ok(reads.includes('/r/conf.py'));
    reads.length = 0;
    await go();
    assert.deepStrictEqual(reads, [], 'nothing read when warm');
    files['/r/conf.py'] = 'STEP = 5\n';
    cache.invalidate('/r/conf.py');
    const third = await go();
    assert.deepStrictEqual(reads, ['/r/conf.py']);
    assert.strictEqual(third.schedulers[0]!.args.step_size, 5);
  });

  it('a submodule is an attribute of its package once imported (`from .settings import *` in conf/__init__.py)', async () => {
    const files: Record<string, string> = {
      '/r/conf/__init__.py': 'from .settings import *\n',
      '/r/conf/settings.py': 'G = 0.5\nS = 3\n',
      '/r/main.py': 'import torch\nimport conf\nopt = torch.optim.SGD([], lr=0.1)\ns = torch.optim.lr_scheduler.StepLR(opt, conf.S, gamma=conf.settings.G)\n',
    };
    const host: WorkspaceHost = { readFile: async (p) => (files[p] === undefined ? undefined : new TextEncoder().encode(files[p])) };
    const r = await analyze(files['/r/main.py']!, 'python', { workspace: { host, root: '/r', file: '/r/main.py' }, strict: true });
    assert.deepStrictEqual(r.schedulers[0]!.args, { step_size: 3, gamma: 0.5 });
  });

  it('import cycles and deep chains stop without crashing; the module partly defined is used', async () => {
    const files: Record<string, string> = {
      '/r/main.py': 'import torch\nimport a\nopt = torch.optim.SGD([], lr=0.1)\ns = torch.optim.lr_scheduler.StepLR(opt, a.X, gamma=a.b.Y)\n',
      '/r/a.py': 'import b\nX = 4\n',
      '/r/b.py': 'import a\nY = 0.5\nZ = a.X if hasattr(a, "X") else 1\n',
    };
    const host: WorkspaceHost = { readFile: async (p) => (files[p] === undefined ? undefined : new TextEncoder().encode(files[p])) };
    const r = await analyze(files['/r/main.py']!, 'python', { workspace: { host, root: '/r', file: '/r/main.py' }, strict: true });
    const s = r.schedulers[0]!;
    assert.deepStrictEqual([s.args.step_size, s.args.gamma], [4, 0.5]);
  });

  it('the listing of Python files is kept across edits of files it does not hold, and dropped when a Python file is created', async () => {
    let listed = 0;
    const host: WorkspaceHost = {
      readFile: async () => undefined,
      listFiles: async () => { listed++; return ['/r/a.py', '/r/b.py']; },
    };
    const cache = new WorkspaceCache();
    assert.deepStrictEqual(await cache.listing(host, '/r'), ['/r/a.py', '/r/b.py']);
    await cache.listing(host, '/r');
    assert.strictEqual(listed, 1, 'listed once');
    // Typing in a file the listing does not hold (another root, a venv, past the limit): no re-listing per keystroke.
    cache.invalidate('/elsewhere/scratch.py');
    cache.invalidate('/r/a.py');
    await cache.listing(host, '/r');
    assert.strictEqual(listed, 1, 'edits keep the listing');
    cache.invalidate('/r/new.py', true);
    await cache.listing(host, '/r');
    assert.strictEqual(listed, 2, 'a created Python file drops it');
  });
});
