import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cacheFileFor, codeCacheDir, contentHash, readCache, writeCache } from '../../../src/cli/codeCache';

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

  it('a new build or another Node is another file', () => {
    const a = cacheFileFor('/c', '/d/cli-main.js', 'let x = 1;');
    assert.strictEqual(a, cacheFileFor('/c', '/d/cli-main.js', 'let x = 1;'));
    assert.notStrictEqual(a, cacheFileFor('/c', '/d/cli-main.js', 'let x = 2;'), 'same length, other source');
    assert.ok(path.basename(a).includes(process.version));
  });

  it('hashes the bytes wherever they lie (an unaligned view of a buffer), every byte counting', () => {
    const whole = Buffer.from('abcdefghi');
    const unaligned = Buffer.from('xabcdefghi').subarray(1);
    assert.strictEqual(contentHash(unaligned), contentHash(whole));
    assert.strictEqual(contentHash('abcdefghi'), contentHash(whole));
    assert.notStrictEqual(contentHash('abcdefghj'), contentHash(whole), 'the last byte, past the 32-bit words');
    assert.notStrictEqual(contentHash('abcdefgh'), contentHash('abcdefgh\0'), 'the length');
    assert.match(contentHash(whole), /^[0-9a-f]{16}$/);
  });

  it('writes atomically, reads back, and replaces the older caches of the same script', () => {
    const dir = path.join(tmp, 'lr-lens', 'v8-code-cache');
    const old = cacheFileFor(dir, 'cli-main.js', 'old');
    const now = cacheFileFor(dir, 'cli-main.js', 'new');
    writeCache(old, Buffer.from('old'));
    writeCache(now, Buffer.from('new'));
    assert.deepStrictEqual(fs.readdirSync(dir), [path.basename(now)]);
    assert.strictEqual(readCache(now)?.toString(), 'new');
    assert.strictEqual(readCache(old), undefined);
    if (typeof process.getuid === 'function') assert.strictEqual(fs.statSync(dir).mode & 0o777, 0o700);
  });

  it('ignores a cache that others could have written (a writable directory or file, a symlink)', function () {
    if (typeof process.getuid !== 'function') this.skip();
    const dir = path.join(tmp, 'c');
    const file = cacheFileFor(dir, 'cli-main.js', 'a');
    writeCache(file, Buffer.from('x'));
    assert.ok(readCache(file));
    fs.chmodSync(dir, 0o777);
    assert.strictEqual(readCache(file), undefined, 'world-writable directory');
    fs.chmodSync(dir, 0o700);
    fs.chmodSync(file, 0o666);
    assert.strictEqual(readCache(file), undefined, 'world-writable file');
    fs.chmodSync(file, 0o600);
    const link = cacheFileFor(dir, 'cli-main.js', 'b');
    fs.symlinkSync(file, link);
    assert.strictEqual(readCache(link), undefined, 'symlink');
  });

  it('never throws: an unwritable place is no cache', () => {
    const blocker = path.join(tmp, 'file');
    fs.writeFileSync(blocker, '');
    assert.doesNotThrow(() => writeCache(path.join(blocker, 'sub', 'x.bin'), Buffer.from('x')));
    assert.strictEqual(readCache(path.join(blocker, 'sub', 'x.bin')), undefined);
  });
});
