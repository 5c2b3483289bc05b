/**
 * The `lr-lens` command line: the JSON contract, the readable summary, exit codes, notebooks
 * and plots. Runs `main()` in-process (same code path as dist/cli.js) with captured output.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { EXIT, main, parseArgs } from '../../../src/cli/cli';
import { sparkline } from '../../../src/cli/format';

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, (s) => (out += s), (s) => (err += s));
  return { code, out, err };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lr-lens-cli-'));
function file(name: string, text: string): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
}

const BLOG = `import torch
from torch.optim.lr_scheduler import StepLR

optimizer = torch.optim.SGD(params, lr=0.1)
scheduler = StepLR(optimizer,
                   step_size=3, gamma=0.5)
`;

describe('cli', () => {
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prints exactly the JSON contract', async () => {
    const r = await run('analyze', file('a.py', BLOG), '--steps', '7', '--json');
    assert.strictEqual(r.code, 0, r.err);
    const data = JSON.parse(r.out);
    assert.deepStrictEqual(Object.keys(data), ['schedulers', 'diagnostics']);
    assert.deepStrictEqual(data.diagnostics, []);
    const [s] = data.schedulers;
    assert.deepStrictEqual(Object.keys(s), ['kind', 'family', 'unit', 'variable', 'range', 'args', 'lrs', 'diagnostics', 'error', 'assumed', 'run']);
    assert.deepStrictEqual(s.assumed, []);
    assert.deepStrictEqual(Object.keys(s.run), ['unit', 'epochs', 'stepsPerEpoch', 'steps', 'source', 'stepSites', 'assumed']);
    assert.strictEqual(s.kind, 'StepLR');
    assert.strictEqual(s.family, 'torch');
    // One value per `scheduler.step()` call.
    assert.strictEqual(s.unit, 'step');
    assert.strictEqual(s.variable, 'scheduler');
    // 0-based LSP positions of the whole call `StepLR(...)`, which spans two lines.
    assert.deepStrictEqual(s.range, { start: { line: 4, character: 12 }, end: { line: 5, character: 42 } });
    assert.strictEqual(s.args.step_size, 3);
    assert.strictEqual(s.args.gamma, 0.5);
    // StepLR(3, 0.5) on lr 0.1: value k = 0.1 · 0.5^floor(k/3), k = 0..6.
    assert.deepStrictEqual(s.lrs, [[0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025]]);
    assert.strictEqual(s.error, null);
  });

  it('labels every assumed value in the JSON ({what, value, why}) and in the text output', async () => {
    const src = 'import argparse\nimport torch\nfrom torch.optim.lr_scheduler import StepLR\n' +
      'p = argparse.ArgumentParser()\np.add_argument("--step", type=int, default=2)\nargs = p.parse_args()\n' +
      'opt = torch.optim.SGD(model.parameters(), lr=cfg.lr)\nscheduler = StepLR(opt, step_size=args.step, gamma=0.5)\n';
    const r = await run('analyze', file('assumed.py', src), '--steps', '4', '--json');
    assert.strictEqual(r.code, 0, r.err);
    const [s] = JSON.parse(r.out).schedulers;
    // step_size is --step's default (2); the lr cannot be read (`cfg` is not defined), so the assumed 0.1 is used.
    assert.deepStrictEqual(s.assumed.map((a: { what: string; value: unknown }) => [a.what, a.value]), [['step_size', 2], ['lr', 0.1]]);
    assert.ok(s.assumed.every((a: { why: string }) => typeof a.why === 'string' && a.why.length > 0));
    assert.match(s.assumed[0].why, /default of --step/);
    assert.deepStrictEqual(s.lrs, [[0.1, 0.1, 0.05, 0.05]]);
    const t = await run('analyze', file('assumed.py', src), '--steps', '4');
    assert.match(t.out, /^ {2}assumed step_size = 2: default of --step/m);
    assert.match(t.out, /^ {2}assumed lr = 0\.1: /m);
  });

  it('reports an unknowable argument as lrs null with the reason', async () => {
    const src = BLOG.replace('step_size=3', 'step_size=args.step').replace('import torch\n', 'import argparse\nimport torch\nargs = argparse.ArgumentParser().parse_args()\n');
    const r = await run('analyze', file('b.py', src), '--json');
    assert.strictEqual(r.code, 0);
    const [s] = JSON.parse(r.out).schedulers;
    assert.strictEqual(s.lrs, null);
    assert.match(s.error, /args\.step/);
  });

  it('reports what torch raises as an error diagnostic with torch\'s message', async () => {
    const src = 'from torch.optim.lr_scheduler import ConstantLR\nimport torch\nopt = torch.optim.SGD(p, lr=0.1)\ns = ConstantLR(opt, factor=2.0)\n';
    const r = await run('analyze', file('c.py', src), '--json');
    const [s] = JSON.parse(r.out).schedulers;
    assert.strictEqual(s.lrs, null);
    const d = s.diagnostics.find((x: { severity: string }) => x.severity === 'error');
    assert.ok(d, 'an error diagnostic');
    assert.match(d.message, /Constant multiplicative factor expected to be between 0 and 1\./);
  });

  it('reports the run: unit, length, step sites; --steps-per-epoch sets the assumed batches per epoch', async () => {
    const src = 'import torch\nfrom torch.optim.lr_scheduler import CosineAnnealingLR\nopt = torch.optim.SGD(p, lr=0.1)\n' +
      's = CosineAnnealingLR(opt, T_max=4000)\nfor epoch in range(40):\n    for x in loader:\n        opt.step()\n        s.step()\n';
    const r = await run('analyze', file('run.py', src), '--json', '--steps-per-epoch', '50');
    assert.strictEqual(r.code, 0, r.err);
    const [s] = JSON.parse(r.out).schedulers;
    assert.deepStrictEqual(s.run, {
      unit: 'batch', epochs: 40, stepsPerEpoch: null, steps: null, source: '`for epoch in range(40)` × `for x in loader`',
      stepSites: [{ start: { line: 7, character: 8 }, end: { line: 7, character: 16 } }],
      // The run's length rests on the assumed batches per epoch: the JSON's run says so, like every view.
      assumed: ["50 batches per epoch assumed (the loop's length is not known; setting lrLens.assumedStepsPerEpoch, CLI --steps-per-epoch)"],
    });
    // 40 epochs × 50 assumed batches = 2000 step() calls → 2001 values.
    assert.strictEqual(s.lrs[0].length, 2001);
    assert.throws(() => parseArgs(['analyze', 'a.py', '--steps-per-epoch', '0']), /--steps-per-epoch/);
  });

  it('--fail-on exits 1 only when a diagnostic of that level exists', async () => {
    const warn = file('w.py', 'from torch.optim.lr_scheduler import StepLR\nimport torch\nopt = torch.optim.SGD(p, lr=0.1)\ns = StepLR(opt, step_size=5, gamma=1.5)\n');
    assert.strictEqual((await run('analyze', warn, '--fail-on', 'warning')).code, 1);
    assert.strictEqual((await run('analyze', warn, '--fail-on', 'error')).code, 0);
    assert.strictEqual((await run('analyze', file('ok.py', BLOG), '--fail-on', 'warning')).code, 0);
  });

  it('prints a readable summary with a sparkline', async () => {
    const r = await run('analyze', file('d.py', BLOG), '--steps', '12');
    assert.strictEqual(r.code, 0);
    assert.match(r.out, /d\.py:5:13 {2}StepLR {2}\(scheduler\)/);
    assert.match(r.out, /start 0\.1 · peak 0\.1 @ 0 · min 0\.0125 @ 9/);
    assert.match(r.out, /[▁▂▃▄▅▆▇█]{12}/);
  });

  it('analyses a notebook as one program and reports cell-relative positions', async () => {
    const nb = {
      cells: [
        { cell_type: 'code', source: ['import torch\n', 'opt = torch.optim.SGD(p, lr=0.2)\n'] },
        { cell_type: 'markdown', source: ['# Schedule'] },
        { cell_type: 'code', source: ['%matplotlib inline\n', 'from torch.optim.lr_scheduler import ExponentialLR\n', 's = ExponentialLR(opt, gamma=0.5)\n'] },
      ],
      nbformat: 4,
    };
    const r = await run('analyze', file('n.ipynb', JSON.stringify(nb)), '--steps', '3', '--json');
    assert.strictEqual(r.code, 0, r.err);
    const [s] = JSON.parse(r.out).schedulers;
    assert.strictEqual(s.cell, 2);
    assert.deepStrictEqual(s.range.start, { line: 2, character: 4 });
    assert.deepStrictEqual(s.lrs, [[0.2, 0.1, 0.05]]);
  });

  it('exits 2 with one line on stderr for usage errors and unreadable files', async () => {
    for (const argv of [['analyze'], ['frobnicate', 'x.py'], ['analyze', 'x.py', '--steps', '0'], ['plot', 'x.py'],
      ['analyze', path.join(dir, 'missing.py')], ['analyze', file('x.txt', 'hello')], ['analyze', file('bad.ipynb', '{"no": 1}')]]) {
      const r = await run(...argv);
      assert.strictEqual(r.code, 2, argv.join(' '));
      assert.match(r.err, /^lr-lens: /);
      assert.doesNotMatch(r.err, /\n\s+at /, 'no stack trace');
    }
  });

  it('never prints a stack trace for a file that does not parse', async () => {
    const r = await run('analyze', file('broken.py', 'def (((\n\x00\x01 StepLR(opt, ,, step_size=\n'), '--json');
    assert.strictEqual(r.code, 0);
    assert.ok(Array.isArray(JSON.parse(r.out).schedulers));
  });

  it('plots SVG and PNG files', async () => {
    const src = file('p.py', BLOG);
    const svg = path.join(dir, 'c.svg');
    const png = path.join(dir, 'c.png');
    assert.strictEqual((await run('plot', src, '--out', svg, '--steps', '20')).code, 0);
    assert.strictEqual((await run('plot', src, '--out', png, '--log')).code, 0);
    assert.match(fs.readFileSync(svg, 'utf8'), /^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.deepStrictEqual([...fs.readFileSync(png).subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const none = await run('plot', file('q.py', 'x = 1\n'), '--out', svg);
    assert.strictEqual(none.code, 2);
    assert.match(none.err, /no learning-rate scheduler found/);
  });

  it('parses options strictly', () => {
    assert.strictEqual(parseArgs(['--help']), 'help');
    assert.throws(() => parseArgs(['analyze', 'a.py', '--fail-on', 'info']), /--fail-on/);
    assert.throws(() => parseArgs(['plot', 'a.py', '--out', 'c.jpg']), /\.svg or \.png/);
  });

  it('reads every option, in any order, with = or a separate value', () => {
    assert.deepStrictEqual(parseArgs(['plot', '--steps=40', 'a.py', '--out', 'c.svg', '--scheduler', 'sched', '--log',
      '--width', '640', '--height=320', '--assumed-lr', '0.02', '--fail-on', 'error', '--json']), {
      command: 'plot', file: 'a.py', steps: 40, json: true, log: true, out: 'c.svg', scheduler: 'sched', width: 640, height: 320,
      assumedLr: 0.02, failOn: 'error',
    });
    assert.deepStrictEqual(parseArgs(['analyze', 'a.py']), { command: 'analyze', file: 'a.py', json: false, log: false, out: undefined, scheduler: undefined });
    // After --, a FILE may start with a dash.
    assert.strictEqual((parseArgs(['analyze', '--', '-odd.py']) as { file: string }).file, '-odd.py');
    assert.strictEqual(parseArgs([]), 'help');
    assert.strictEqual(parseArgs(['analyze', 'a.py', '--bogus', '-h']), 'help', '--help wins wherever it stands');
    assert.strictEqual(parseArgs(['plot', '--version']), 'version');
  });

  it('names the problem of each usage error, prints the usage and exits 2', async () => {
    const cases: [string[], RegExp][] = [
      [['analyze', 'a.py', '--bogus'], /^lr-lens: unknown option --bogus\n/],
      [['analyze', 'a.py', '-x'], /^lr-lens: unknown option -x\n/],
      [['analyze', 'a.py', '--steps'], /^lr-lens: --steps needs a value\n/],
      [['plot', 'a.py', '--out'], /^lr-lens: --out needs a value\n/],
      [['analyze', 'a.py', '--steps', '--json'], /^lr-lens: --steps needs a value \(one starting with '-' is written --steps=-…\)\n/],
      [['analyze', 'a.py', '--json=yes'], /^lr-lens: Option '--json' does not take an argument\n/],
      [['analyze', 'a.py', '--steps', '2.5'], /^lr-lens: --steps needs a whole number ≥ 1, got '2\.5'\n/],
      [['analyze', 'a.py', '--width', 'wide'], /^lr-lens: --width needs a whole number ≥ 1, got 'wide'\n/],
      [['analyze', 'a.py', '--assumed-lr', 'lots'], /^lr-lens: --assumed-lr needs a number\n/],
      [['analyze', 'a.py', 'b.py'], /^lr-lens: one FILE at a time\n/],
      [['analyze', '--json'], /^lr-lens: FILE is missing\n/],
      [['--json', 'analyze', 'a.py'], /^lr-lens: unknown command '--json'\n/],
    ];
    for (const [argv, message] of cases) {
      const r = await run(...argv);
      assert.strictEqual(r.code, EXIT.usage, argv.join(' '));
      assert.match(r.err, message, argv.join(' '));
      assert.match(r.err, /\nUsage:\n {2}lr-lens analyze FILE/, 'the usage follows the message');
      assert.strictEqual(r.out, '');
    }
  });

  it('documents every exit code in --help, and the codes are what main returns', async () => {
    const r = await run('--help');
    assert.strictEqual(r.code, 0);
    assert.deepStrictEqual(EXIT, { ok: 0, failOn: 1, usage: 2, internal: 3 });
    const section = r.out.slice(r.out.indexOf('Exit codes:'));
    for (const [code, words] of [[0, /analysed/], [1, /--fail-on matched/], [2, /usage error.*cannot be read/], [3, /internal error/]] as const) {
      assert.match(section, new RegExp(`\\n {2}${code} {2}${words.source}`), `exit code ${code}`);
    }
    const v = await run('--version');
    assert.strictEqual(v.code, 0);
    assert.match(v.out, /^lr-lens (\d+\.\d+\.\d+|unknown)\n$/);
  });

  it('--root: imports of the repository are read from the root (default: the folder with pyproject.toml)', async () => {
    const repo = path.resolve(__dirname, '../../../../test/fixtures/repo');
    const script = path.join(repo, 'tools', 'train_from_root.py');
    // Default root: test/fixtures/repo holds pyproject.toml, so `from configs.base import Defaults` resolves.
    const found = JSON.parse((await run('analyze', script, '--json', '--steps', '30')).out);
    const lrs = found.schedulers[0].lrs[0] as number[];
    // Defaults.BASE_LR = 0.1, STEP = 25, GAMMA = 0.3: torch's StepLR multiplies by gamma at step 25.
    assert.deepStrictEqual([lrs[0], lrs[24], lrs[25], lrs.length], [0.1, 0.1, 0.1 * 0.3, 30]);
    // A root where `configs/` is not: no curve, and the reason names the missing name.
    const elsewhere = JSON.parse((await run('analyze', script, '--json', '--root', path.join(repo, 'tools'))).out);
    assert.strictEqual(elsewhere.schedulers[0].lrs, null);
    assert.match(elsewhere.schedulers[0].error, /Defaults/);
    const bad = await run('analyze', script, '--root', path.join(repo, 'no-such-folder'));
    assert.strictEqual(bad.code, EXIT.usage);
    assert.match(bad.err, /--root .*not a folder/);
    assert.deepStrictEqual(parseArgs(['analyze', 'x.py', '--root', 'r']), { command: 'analyze', file: 'x.py', json: false, log: false, out: undefined, scheduler: undefined, root: 'r' });
  });

  it('draws a sparkline that keeps spikes', () => {
    const v = new Float64Array(600).fill(1);
    v[301] = 5;
    const line = sparkline(v, 60);
    assert.strictEqual([...line].length, 60);
    assert.strictEqual([...line].filter((c) => c === '█').length, 1);
  });
});
