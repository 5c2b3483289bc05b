/**
 * Issue 10, values through calls from the workspace's other files: a scheduler factory in
 * lib/lr_scheduler.py (adapted from real repositories: a warm-up + cosine SequentialLR helper called by
 * an accelerate train script with argparse values, and a `create_scheduler(optimizer, args)` helper
 * called by a second script that passes its argparse namespace) previews with the values its
 * callers pass, labelled "from the call at FILE:LINE". Expected curves are torch 1.13's formulas
 * computed here from the values written in the fixture files.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { analyze } from '../../../src/analysis/analyze';
import type { AnalysisResult, SchedulerAnalysis } from '../../../src/analysis/types';
import { WorkspaceCache, type WorkspaceHost } from '../../../src/analysis/workspace';
import { listPythonFiles } from '../../../src/cli/workspace';
import { cosine } from './torchFormulas';

const ROOT = path.resolve(__dirname, '../../../../test/fixtures/repo');
const LIB = 'lib/lr_scheduler.py';

/** Node's fs with a listing (the CLI's bounded walk); `overlay` replaces some files' texts; reads are counted. */
function host(opts: { list?: boolean; overlay?: Map<string, string>; reads?: string[] } = {}): WorkspaceHost {
  const h: WorkspaceHost = {
    async readFile(p) {
      opts.reads?.push(p);
      const o = opts.overlay?.get(p);
      if (o !== undefined) return new TextEncoder().encode(o);
      try {
        return fs.readFileSync(p);
      } catch {
        return undefined;
      }
    },
  };
  if (opts.list !== false) h.listFiles = async (root, limit) => listPythonFiles(root, limit);
  return h;
}

async function run(rel: string, h = host(), cache?: WorkspaceCache, steps?: number): Promise<AnalysisResult> {
  const file = path.join(ROOT, rel);
  return analyze(fs.readFileSync(file, 'utf8'), 'python', { workspace: { host: h, root: ROOT, file, cache }, strict: true, steps });
}

function byKind(r: AnalysisResult, kind: string): SchedulerAnalysis {
  const s = r.schedulers.find((x) => x.kind === kind);
  assert.ok(s, `no ${kind} in ${r.schedulers.map((x) => x.kind).join(', ')}`);
  return s;
}

/** The 1-based line of the first line of `rel` containing `text`. */
function lineOf(rel: string, text: string): number {
  const i = fs.readFileSync(path.join(ROOT, rel), 'utf8').split('\n').findIndex((l) => l.includes(text));
  assert.ok(i >= 0, `${text} in ${rel}`);
  return i + 1;
}

const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) <= 1e-12 * Math.max(1e-6, Math.abs(b)), `${what}: ${a} vs ${b}`);

describe('values through calls from other files of the workspace', () => {
  const trainCall = () => `train_flows.py:${lineOf('train_flows.py', 'lr_scheduler = create_warmup_cosine_scheduler(')}`;

  it('a factory module previews with the arguments of the train script that calls it (argparse defaults, labelled file:line)', async () => {
    const r = await run(LIB, host(), undefined, 101);
    const seq = byKind(r, 'SequentialLR');
    assert.ok(seq.curve, seq.error ?? '');
    // train_flows.py passes --epochs 100, --warmup-epochs 5, --min-lr 1e-6 (defaults) and its Adam optimizer, built
    // with lr=args.lr (--lr 1e-4): LinearLR(0.1 → 1.0 over 5 steps), then CosineAnnealingLR(T_max = 95) from 1e-4.
    const lrs = Array.from(seq.curve.lrs[0]!);
    assert.strictEqual(lrs.length, 101);
    const cos = cosine(1e-4, 95, 1e-6, 96);
    lrs.forEach((x, k) => close(x, k < 5 ? 1e-4 * (0.1 + 0.9 * k / 5) : cos[k - 5]!, `step ${k}`));
    const at = trainCall();
    const why = (opt: string) => `default of --${opt}; \`args.${opt.replace(/-/g, '_')}\` is set at run time (command-line argument); from the call at ${at}`;
    const t = seq.assumed.find((a) => a.what === 'T_max of cosine_scheduler');
    // T_max = epochs - warmup_epochs rests on both defaults, and says both.
    assert.deepStrictEqual(t && [t.value, t.why], [95, `${why('epochs')}; ${why('warmup-epochs')}`]);
    const m = seq.assumed.find((a) => a.what === 'milestones');
    assert.deepStrictEqual(m && [m.value, m.why], [[5], why('warmup-epochs')]);
    // The optimizer is the caller's, said so; its lr is --lr's default there, labelled with the file.
    const built = `train_flows.py:${lineOf('train_flows.py', 'torch.optim.Adam(')}`;
    assert.deepStrictEqual(seq.optimizer && [seq.optimizer.type, seq.optimizer.groupLrs, seq.optimizer.range], ['Adam', [1e-4], null]);
    const lr = seq.assumed.find((a) => a.what === 'lr');
    assert.deepStrictEqual(lr && [lr.value, lr.why, lr.placeholder],
      [1e-4, `default of --lr; \`args.lr\` is set at run time (command-line argument) (the Adam built in ${built})`, undefined]);
    assert.ok(seq.notes.includes(`optimizer: the Adam built in ${built}`), JSON.stringify(seq.notes));
    // The callers are dependencies: editing them re-analyses this file.
    for (const f of ['train_flows.py', 'tools/train_retrieval.py']) assert.ok(r.dependencies?.includes(path.join(ROOT, f)), f);
  });

  it('an argparse namespace passed to a helper of another module (`create_scheduler(optimizer, args)`)', async () => {
    const r = await run(LIB, host(), undefined, 41);
    const s = byKind(r, 'MultiStepLR');
    assert.deepStrictEqual(s.args, { milestones: [20, 30], gamma: 0.2 });
    Array.from(s.curve!.lrs[0]!).forEach((x, k) => close(x, 0.1 * 0.2 ** ((k >= 20 ? 1 : 0) + (k >= 30 ? 1 : 0)), `step ${k}`));
    const at = `tools/train_retrieval.py:${lineOf('tools/train_retrieval.py', 'schedules.create_scheduler(')}`;
    assert.deepStrictEqual(s.argInfo.find((a) => a.name === 'gamma')!.origin,
      `args.lr_gamma = 0.2 (assumed: default of --lr_gamma; \`args.lr_gamma\` is set at run time (command-line argument); from the call at ${at})`);
  });

  it('callers that disagree leave the parameter unknown, naming each call site and what it passes', async () => {
    const r = await run(LIB);
    const s = byKind(r, 'StepLR');
    assert.strictEqual(s.curve, null);
    const a = `train_flows.py:${lineOf('train_flows.py', 'create_step_scheduler(head_optimizer')}`;
    const b = `tools/train_retrieval.py:${lineOf('tools/train_retrieval.py', 'create_step_scheduler(optimizer')}`;
    assert.strictEqual(s.error, `\`step_size\`: parameter \`step_size\` of \`create_step_scheduler()\`: 2 call sites disagree: ${a} passes 10, ${b} passes 20`);
    assert.ok(!s.diagnostics.some((d) => d.severity === 'error'), JSON.stringify(s.diagnostics));
  });

  it('without a listing from the host, only the file\'s own calls count: the parameters are unknown', async () => {
    const r = await run(LIB, host({ list: false }));
    const cos = byKind(r, 'CosineAnnealingLR');
    assert.strictEqual(cos.curve, null);
    assert.match(cos.error ?? '', /parameter `epochs` of `create_warmup_cosine_scheduler\(\)`, set by the caller/);
  });

  it('warm: the callers are read once; a changed caller is read again and its new value used', async () => {
    const cache = new WorkspaceCache();
    const overlay = new Map<string, string>();
    const reads: string[] = [];
    const h = host({ overlay, reads });
    const first = await run(LIB, h, cache);
    assert.strictEqual(byKind(first, 'CosineAnnealingLR').args['T_max'], 95);
    reads.length = 0;
    const again = await run(LIB, h, cache);
    assert.deepStrictEqual(reads, []);
    assert.strictEqual(byKind(again, 'CosineAnnealingLR').args['T_max'], 95);
    const train = path.join(ROOT, 'train_flows.py');
    overlay.set(train, fs.readFileSync(train, 'utf8').replace('"--epochs", type=int, default=100', '"--epochs", type=int, default=300'));
    cache.invalidate(train);
    const changed = await run(LIB, h, cache);
    assert.deepStrictEqual(reads, [train]);
    assert.strictEqual(byKind(changed, 'CosineAnnealingLR').args['T_max'], 295);
  });

  it('a Lightning module\'s constructor arguments from the script that builds it (save_hyperparameters, self.hparams)', async () => {
    const r = await run('lib/lit_module.py', host(), undefined, 31);
    const s = byKind(r, 'MultiStepLR');
    // train_lit.py: LitClassifier(num_classes=100, lr=2e-4, max_epochs=EPOCHS) with EPOCHS = 30 → milestones [18, 27].
    assert.deepStrictEqual(s.args, { milestones: [18, 27], gamma: 0.1 });
    assert.deepStrictEqual(s.optimizer?.groupLrs, [2e-4]);
    Array.from(s.curve!.lrs[0]!).forEach((x, k) => close(x, 2e-4 * 0.1 ** ((k >= 18 ? 1 : 0) + (k >= 27 ? 1 : 0)), `step ${k}`));
    const at = `train_lit.py:${lineOf('train_lit.py', 'model = LitClassifier(')}`;
    assert.deepStrictEqual(s.assumed.map((a) => [a.what, a.why]), [['milestones', `from the call at ${at}`], ['lr', `from the call at ${at}`]]);
  });

  it('a call in the same file is labelled with the file too when the workspace is known', async () => {
    const r = await run('values/kwargs_model.py');
    const m = byKind(r, 'MultiStepLR');
    const outer = lineOf('values/kwargs_model.py', 'train(batch_size=64');
    const inner = lineOf('values/kwargs_model.py', 'return Model(**kwargs)');
    const lr = m.assumed.find((a) => a.what === 'lr');
    assert.strictEqual(lr?.why, `from the call at values/kwargs_model.py:${outer} (through line ${inner})`);
  });
});

describe('the CLI\'s listing of the workspace\'s Python files', () => {
  it('breadth first, sorted, bounded; skips hidden folders, node_modules, caches and virtual environments', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lr-lens-list-'));
    try {
      const put = (rel: string) => {
        fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
        fs.writeFileSync(path.join(dir, rel), '');
      };
      for (const f of ['train.py', 'b/deep/x.py', 'a/m.py', 'a/notes.txt', '.git/hooks/h.py', 'node_modules/p/q.py', 'a/__pycache__/m.py',
        'myenv/pyvenv.cfg', 'myenv/lib/site.py', '.venv/lib/v.py']) put(f);
      const posix = (rel: string) => path.join(dir, rel).replace(/\\/g, '/');
      assert.deepStrictEqual(listPythonFiles(dir, 100), [posix('train.py'), posix('a/m.py'), posix('b/deep/x.py')]);
      assert.deepStrictEqual(listPythonFiles(dir, 2), [posix('train.py'), posix('a/m.py')]);
      // The root as given (a trailing separator, a `..` segment) is normalised: the paths are those of the plain root.
      assert.deepStrictEqual(listPythonFiles(`${dir}/`, 100), listPythonFiles(dir, 100));
      assert.deepStrictEqual(listPythonFiles(path.join(dir, 'a') + '/../', 100), listPythonFiles(dir, 100));
      assert.ok(listPythonFiles(`${dir}/a/..`, 100).every((p) => !p.includes('/../') && !p.includes('//')));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
