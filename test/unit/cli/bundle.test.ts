/**
 * The `lr-lens` command as `npm install -g` ships it: the bundles (scripts/lib/cli-build.mjs, built here into a
 * folder of the test's own), run as whole processes. What they print and write must be what main() gives
 * in-process; the chunks (render code, config-file parsers) load only when the job needs them; the code cache
 * can make a run faster, never change or break it.
 */
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../../src/cli/cli';

const ROOT = path.join(__dirname, '..', '..', '..', '..');
// Inside the repository, so that the bundle finds the grammars in node_modules (as an unbundled run does).
const OUT = path.join(ROOT, 'out', 'cli-bundle-test');
const CLI = path.join(OUT, 'cli.js');
const fixture = (p: string) => path.join(ROOT, 'test', 'fixtures', 'repo', p);
const ONE_CYCLE = path.join(ROOT, 'examples', 'one_cycle.py');

interface Run { code: number | null; out: string; err: string; chunks: string[] }

let tmp: string;

/** Runs the bundled CLI; `chunks`: the cli-*.js files it loaded besides cli-main.js (a preloaded hook lists them). */
function cli(args: string[], env: NodeJS.ProcessEnv = {}): Run {
  const hook = path.join(tmp, 'hook.js');
  const r = spawnSync(process.execPath, ['-r', hook, CLI, ...args], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    env: { ...process.env, XDG_CACHE_HOME: path.join(tmp, 'cache'), LR_LENS_NO_CODE_CACHE: '', LR_LENS_TRACE: '', ...env },
  });
  const chunks = [...r.stderr.matchAll(/^LOADED (\S+)$/gm)].map((m) => m[1]!);
  return { code: r.status, out: r.stdout, err: r.stderr.replace(/^LOADED \S+\n/gm, ''), chunks };
}

async function inProcess(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, (s) => (out += s), (s) => (err += s));
  return { code, out, err };
}

describe('cli bundle (dist/cli.js as shipped)', function () {
  this.timeout(60_000);

  before(() => {
    fs.rmSync(OUT, { recursive: true, force: true });
    const build = `import(${JSON.stringify(path.join(ROOT, 'scripts', 'lib', 'cli-build.mjs'))}).then((m) => m.buildCli(${JSON.stringify(OUT)}))`;
    const r = spawnSync(process.execPath, ['-e', build], { cwd: ROOT, encoding: 'utf8' });
    assert.strictEqual(r.status, 0, r.stderr);
  });
  after(() => fs.rmSync(OUT, { recursive: true, force: true }));
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lr-lens-bundle-'));
    // Every chunk is read from disk once, whether by Node's require or by the launcher's code-cache loader.
    fs.writeFileSync(path.join(tmp, 'hook.js'), `
      const fs = require('fs');
      const read = fs.readFileSync;
      fs.readFileSync = function (file, ...rest) {
        const name = typeof file === 'string' ? require('path').basename(file) : '';
        if (/^cli-[\\w-]+\\.js$/.test(name) && name !== 'cli-main.js') process.stderr.write('LOADED ' + name + '\\n');
        return read.call(this, file, ...rest);
      };`);
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('analyze: the same report as main(), without the render code or the config parsers', async () => {
    const want = await inProcess('analyze', ONE_CYCLE);
    const got = cli(['analyze', ONE_CYCLE]);
    assert.strictEqual(got.code, want.code, got.err);
    assert.strictEqual(got.out, want.out);
    assert.deepStrictEqual(got.chunks, []);
  });

  it('a YAML or TOML config file loads its parser, and the values read are the same as main()\'s', async () => {
    for (const [file, chunk] of [['train_yolo.py', 'cli-yaml.js'], ['train_files.py', 'cli-smol-toml.js']] as const) {
      const want = await inProcess('analyze', fixture(file), '--json');
      const got = cli(['analyze', fixture(file), '--json']);
      assert.strictEqual(got.code, 0, got.err);
      assert.deepStrictEqual(JSON.parse(got.out), JSON.parse(want.out), file);
      assert.ok(got.chunks.includes(chunk), `${file}: ${got.chunks.join(', ')}`);
    }
  });

  it('plot: the same PNG and SVG bytes as main()', async () => {
    for (const ext of ['png', 'svg']) {
      const mine = path.join(tmp, `in-process.${ext}`);
      const theirs = path.join(tmp, `bundle.${ext}`);
      const want = await inProcess('plot', ONE_CYCLE, '--out', mine);
      const got = cli(['plot', ONE_CYCLE, '--out', theirs]);
      assert.strictEqual(got.code, 0, got.err);
      assert.strictEqual(got.out, want.out.replace(mine, theirs));
      assert.ok(fs.readFileSync(theirs).equals(fs.readFileSync(mine)), ext);
      assert.deepStrictEqual(got.chunks, ['cli-plot.js']);
    }
  });

  it('the code cache: made on the first run, used on the next, the output the same each time', () => {
    const cacheDir = path.join(tmp, 'cache', 'lr-lens', 'v8-code-cache');
    // Runs that analyse nothing leave no cache (it would hold little, and a used cache is never rewritten).
    for (const args of [['--help'], ['--version'], ['analyze'], ['analyze', ONE_CYCLE, '--help']]) cli(args);
    assert.ok(!fs.existsSync(cacheDir) || fs.readdirSync(cacheDir).length === 0);
    const first = cli(['analyze', ONE_CYCLE]);
    const files = fs.readdirSync(cacheDir);
    assert.deepStrictEqual(files.map((f) => f.replace(/-[0-9a-f]{8}-v\d.*/, '')), ['cli-main']);
    cli(['plot', ONE_CYCLE, '--out', path.join(tmp, 'p.svg')]);
    assert.deepStrictEqual(fs.readdirSync(cacheDir).map((f) => f.replace(/-[0-9a-f]{8}-v\d.*/, '')).sort(), ['cli-main', 'cli-plot'], 'the plot code has its own');
    const stamp = fs.statSync(path.join(cacheDir, files[0]!)).mtimeMs;
    const second = cli(['analyze', ONE_CYCLE]);
    assert.strictEqual(second.out, first.out);
    assert.strictEqual(fs.statSync(path.join(cacheDir, files[0]!)).mtimeMs, stamp, 'a used cache is not written again');
  });

  it('a broken, damaged or unwritable cache never breaks a run', () => {
    const want = cli(['analyze', ONE_CYCLE], { LR_LENS_NO_CODE_CACHE: '1' });
    assert.strictEqual(want.code, 0, want.err);
    // The cache's place is a file: nothing can be written there.
    const blocker = path.join(tmp, 'blocker');
    fs.writeFileSync(blocker, '');
    for (let i = 0; i < 2; i++) {
      const r = cli(['analyze', ONE_CYCLE], { XDG_CACHE_HOME: blocker });
      assert.deepStrictEqual([r.code, r.out, r.err], [0, want.out, '']);
    }
    // A damaged cache file (its V8 bytes flipped), then one cut short, then garbage.
    cli(['analyze', ONE_CYCLE]);
    const cacheDir = path.join(tmp, 'cache', 'lr-lens', 'v8-code-cache');
    const file = path.join(cacheDir, fs.readdirSync(cacheDir)[0]!);
    const bytes = fs.readFileSync(file);
    const damaged = Buffer.from(bytes);
    for (let i = damaged.length - damaged.readUInt32LE(8) + 64; i < damaged.length; i += 5) damaged[i] ^= 0xa5;
    for (const broken of [damaged, bytes.subarray(0, bytes.length >> 1), Buffer.from('not a cache')]) {
      fs.writeFileSync(file, broken, { mode: 0o600 });
      const r = cli(['analyze', ONE_CYCLE]);
      assert.deepStrictEqual([r.code, r.out, r.err], [0, want.out, '']);
    }
    // A read-only cache directory: used as it is, nothing written, no error.
    if (typeof process.getuid === 'function' && process.getuid() !== 0) {
      fs.chmodSync(cacheDir, 0o500);
      const r = cli(['analyze', ONE_CYCLE]);
      fs.chmodSync(cacheDir, 0o700);
      assert.deepStrictEqual([r.code, r.out, r.err], [0, want.out, '']);
    }
  });

  it('LR_LENS_TRACE=1 adds one line of phases on stderr and changes nothing else', () => {
    const plain = cli(['plot', ONE_CYCLE, '--out', path.join(tmp, 'a.png')]);
    const traced = cli(['plot', ONE_CYCLE, '--out', path.join(tmp, 'b.png')], { LR_LENS_TRACE: '1' });
    assert.strictEqual(traced.out, plain.out.replace('a.png', 'b.png'));
    assert.ok(fs.readFileSync(path.join(tmp, 'b.png')).equals(fs.readFileSync(path.join(tmp, 'a.png'))));
    const m = /^lr-lens trace: (.*) {2}= ([\d.]+) ms\n$/.exec(traced.err);
    assert.ok(m, traced.err);
    const phases = m[1]!.split(' · ').map((p) => p.replace(/ [\d.]+$/, ''));
    assert.deepStrictEqual(phases.map((p) => p.replace(/ \(.*\)$/, '')), ['node', 'bundle', 'arguments', 'plot code', 'analysis', 'render', 'write', 'cache saved']);
    const sum = m[1]!.split(' · ').reduce((n, p) => n + Number(/([\d.]+)$/.exec(p)![1]), 0);
    assert.ok(Math.abs(sum - Number(m[2])) < 0.1 * 8, `${sum} vs ${m[2]}`);
  });

  it('writes large output through a pipe whole, and exit codes and errors as main() does', async () => {
    // More than a pipe holds (64 KB on Linux): the reader drains it while the CLI writes.
    const steps = path.join(tmp, 'steps.py');
    fs.writeFileSync(steps, 'import torch\nopt = torch.optim.SGD(params, lr=0.1)\nsched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.99999)\n');
    const big = cli(['analyze', steps, '--json', '--steps', '200000']);
    assert.strictEqual(big.code, 0, big.err);
    assert.ok(big.out.length > 1_000_000, `${big.out.length} bytes`);
    assert.strictEqual(JSON.parse(big.out).schedulers[0].lrs[0].length, 200_000);
    const usage = cli(['analyze']);
    const want = await inProcess('analyze');
    assert.deepStrictEqual([usage.code, usage.out, usage.err], [want.code, want.out, want.err]);
  });
});
