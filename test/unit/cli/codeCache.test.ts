import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cacheFileFor, codeCacheDir, readCache, writeCache } from '../../../src/cli/codeCache';

const src = (s: string) => Buffer.from(s, 'utf8');

/**
 * Runs `requireCached(script, dir)` in a fresh Node (as the launcher does: the cache is saved after the run)
 * and returns what the script printed and what the cache did.
 */
function runCached(script: string, dir: string): { out: string; cache: string } {
  const codeCache = require.resolve('../../../src/cli/codeCache');
  const program = `
    const { requireCached } = require(${JSON.stringify(codeCache)});
    const m = requireCached(${JSON.stringify(script)}, ${JSON.stringify(dir)});
    process.stdout.write(JSON.stringify({ out: m.exports.value(), cache: m.cache }));
    m.save();`;
  const r = spawnSync(process.execPath, ['-e', program], { encoding: 'utf8' });
  assert.strictEqual(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as { out: string; cache: string };
}

describe('cli/codeCache (V8 code cache of the CLI bundle)', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lr-lens-cc-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('lives in the per-user cache directory of each OS, never a relative or shared one', () => {
    assert.strictEqual(codeCacheDir({ XDG_CACHE_HOME: '/x/cache' }, 'linux', '/home/u'), path.join('/x/cache', 'lr-lens', 'v8-code-cache'));
    assert.strictEqual(codeCacheDir({ XDG_CACHE_HOME: 'relative' }, 'linux', '/home/u'), path.join('/home/u', '.cache', 'lr-lens', 'v8-code-cache'));
    assert.strictEqual(codeCacheDir({}, 'linux', '/home/u'), path.join('/home/u', '.cache', 'lr-lens', 'v8-code-cache'));
    assert.strictEqual(codeCacheDir({}, 'darwin', '/Users/u'), path.join('/Users/u', 'Library', 'Caches', 'lr-lens', 'v8-code-cache'));
    assert.strictEqual(codeCacheDir({}, 'linux', ''), undefined);
    assert.strictEqual(codeCacheDir({ XDG_CACHE_HOME: '/x' , LR_LENS_NO_CODE_CACHE: '1' }, 'linux', '/home/u'), undefined);
  });

  it('another Node is another file', () => {
    const a = cacheFileFor('/c', '/d/cli-main.js');
    assert.ok(path.basename(a).startsWith('cli-main-'));
    assert.ok(path.basename(a).includes(process.version));
  });

  it('another copy of lr-lens (another folder) is another file, and writing one keeps the other', () => {
    const dir = path.join(tmp, 'c');
    const a = cacheFileFor(dir, '/usr/lib/node_modules/lr-lens/dist/cli-main.js');
    const b = cacheFileFor(dir, '/home/u/project/node_modules/lr-lens/dist/cli-main.js');
    assert.notStrictEqual(a, b);
    assert.strictEqual(cacheFileFor(dir, '/usr/lib/node_modules/lr-lens/dist/cli-main.js'), a, 'the same copy, the same file');
    writeCache(a, src('bundle A'), src('A'));
    writeCache(b, src('bundle B'), src('B'));
    assert.strictEqual(readCache(a, src('bundle A'))?.toString(), 'A');
    assert.strictEqual(readCache(b, src('bundle B'))?.toString(), 'B');
  });

  it('gives the cached bytes only for the very source they were made from (same length, other bytes: none)', () => {
    const file = cacheFileFor(path.join(tmp, 'c'), 'cli-main.js');
    writeCache(file, src('let x = 1;'), src('V8 BYTES'));
    assert.strictEqual(readCache(file, src('let x = 1;'))?.toString(), 'V8 BYTES');
    assert.strictEqual(readCache(file, src('let x = 2;')), undefined, 'same length, another byte');
    assert.strictEqual(readCache(file, src('let x = 10;')), undefined, 'another length');
    // An unaligned view of a larger buffer is compared by its bytes.
    assert.strictEqual(readCache(file, src('xlet x = 1;').subarray(1))?.toString(), 'V8 BYTES');
  });

  it('refuses a truncated, padded or foreign file', () => {
    const file = cacheFileFor(path.join(tmp, 'c'), 'cli-main.js');
    writeCache(file, src('let x = 1;'), src('V8 BYTES'));
    const whole = fs.readFileSync(file);
    fs.writeFileSync(file, whole.subarray(0, whole.length - 1), { mode: 0o600 });
    assert.strictEqual(readCache(file, src('let x = 1;')), undefined, 'truncated');
    fs.writeFileSync(file, Buffer.concat([whole, src('!')]), { mode: 0o600 });
    assert.strictEqual(readCache(file, src('let x = 1;')), undefined, 'padded');
    fs.writeFileSync(file, src('garbage'), { mode: 0o600 });
    assert.strictEqual(readCache(file, src('let x = 1;')), undefined, 'foreign');
    fs.writeFileSync(file, Buffer.alloc(0), { mode: 0o600 });
    assert.strictEqual(readCache(file, src('let x = 1;')), undefined, 'empty');
  });

  it('writes atomically, reads back, and replaces the caches of the same script for another Node', () => {
    const dir = path.join(tmp, 'lr-lens', 'v8-code-cache');
    const now = cacheFileFor(dir, 'cli-main.js');
    const other = now.replace(`-${process.version}-`, '-v0.0.1-');
    assert.notStrictEqual(other, now);
    // Named as before caches had a folder's key: the same script, removed too.
    const unkeyed = path.join(dir, 'cli-main-v0.0.1-x64.bin');
    const elsewhere = cacheFileFor(dir, path.join(tmp, 'elsewhere', 'cli-main.js'));
    const plot = cacheFileFor(dir, 'cli-plot.js').replace(`-${process.version}-`, '-v0.0.1-');
    writeCache(other, src('a'), src('old'));
    writeCache(unkeyed, src('a'), src('old'));
    writeCache(elsewhere, src('a'), src('another copy'));
    writeCache(plot, src('a'), src('plot'));
    writeCache(now, src('a'), src('new'));
    assert.deepStrictEqual(fs.readdirSync(dir).sort(), [now, elsewhere, plot].map((f) => path.basename(f)).sort());
    assert.strictEqual(readCache(now, src('a'))?.toString(), 'new');
    if (typeof process.getuid === 'function') assert.strictEqual(fs.statSync(dir).mode & 0o777, 0o700);
  });

  it('ignores a cache that others could have written (a writable directory or file, a symlink)', function () {
    if (typeof process.getuid !== 'function') this.skip();
    const dir = path.join(tmp, 'c');
    const file = cacheFileFor(dir, 'cli-main.js');
    writeCache(file, src('a'), src('x'));
    assert.ok(readCache(file, src('a')));
    fs.chmodSync(dir, 0o777);
    assert.strictEqual(readCache(file, src('a')), undefined, 'world-writable directory');
    fs.chmodSync(dir, 0o700);
    fs.chmodSync(file, 0o666);
    assert.strictEqual(readCache(file, src('a')), undefined, 'world-writable file');
    fs.chmodSync(file, 0o600);
    const link = cacheFileFor(dir, 'other.js');
    fs.symlinkSync(file, link);
    assert.strictEqual(readCache(link, src('a')), undefined, 'symlink');
  });

  it('never throws: an unwritable place is no cache', () => {
    const blocker = path.join(tmp, 'file');
    fs.writeFileSync(blocker, '');
    assert.doesNotThrow(() => writeCache(path.join(blocker, 'sub', 'x.bin'), src('a'), src('x')));
    assert.strictEqual(readCache(path.join(blocker, 'sub', 'x.bin'), src('a')), undefined);
  });

  describe('requireCached (how the launcher loads dist/cli-main.js)', () => {
    let script: string;
    let dir: string;
    beforeEach(() => {
      script = path.join(tmp, 'bundle.js');
      dir = path.join(tmp, 'cache');
    });
    const write = (body: string) => fs.writeFileSync(script, `exports.value = () => ${body};\n`);

    it('compiles from the cache on the next run, and a new bundle of the same length runs its own code', () => {
      write("'one' + require('path').basename(__filename)");
      assert.deepStrictEqual(runCached(script, dir), { out: 'onebundle.js', cache: 'none' });
      assert.deepStrictEqual(runCached(script, dir), { out: 'onebundle.js', cache: 'used' });
      // Same length: V8 alone would take the old cache for it.
      write("'two' + require('path').basename(__filename)");
      assert.deepStrictEqual(runCached(script, dir), { out: 'twobundle.js', cache: 'none' });
      assert.deepStrictEqual(runCached(script, dir), { out: 'twobundle.js', cache: 'used' });
    });

    it('a damaged cache is refused and rewritten, never run', () => {
      write("'fine'");
      runCached(script, dir);
      const file = cacheFileFor(dir, script);
      const bytes = fs.readFileSync(file);
      // Flip bytes all through V8's part (after the header and the stored source): only its checksum can tell.
      const v8Start = bytes.length - bytes.readUInt32LE(8);
      for (let i = v8Start + 64; i < bytes.length; i += 7) bytes[i] ^= 0x55;
      fs.writeFileSync(file, bytes, { mode: 0o600 });
      assert.deepStrictEqual(runCached(script, dir), { out: 'fine', cache: 'rejected' });
      assert.deepStrictEqual(runCached(script, dir), { out: 'fine', cache: 'used' }, 'rewritten after the refusal');
    });

    it('works without a cache: turned off, or a place that cannot be written', () => {
      write("'plain'");
      const blocker = path.join(tmp, 'blocker');
      fs.writeFileSync(blocker, '');
      assert.deepStrictEqual(runCached(script, path.join(blocker, 'cache')), { out: 'plain', cache: 'none' });
      assert.deepStrictEqual(runCached(script, path.join(blocker, 'cache')), { out: 'plain', cache: 'none' });
    });
  });
});
