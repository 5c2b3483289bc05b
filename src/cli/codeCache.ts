/**
 * V8's code cache for the CLI's bundles on Node 20 (`module.enableCompileCache` exists only from Node 22.1):
 * a bundle is compiled through vm.Script with the bytes V8 produced on an earlier run (`cachedData`),
 * which skips parsing and compiling the functions that run used. Measured with `npm run bench` (Node 20):
 * loading dist/cli-main.js went from 11.3 ms (best of 20; median 25) to 4.6 ms (median 12).
 *
 * One file per script: a header, the script's source bytes, then V8's bytes. The cache is used only when
 * the stored source is byte for byte the script's (V8 itself checks only the source's length and its flags);
 * comparing the two costs well under a millisecond where hashing the 640 KB bundle in JS cost about 2.5 ms of
 * every start. A damaged file is refused by V8 itself: `--verify-snapshot-checksum` is on while the cache is
 * read or written (startup.ts), so V8 writes a checksum into the bytes it produces and checks it before use.
 *
 * The cache is per user, never in a shared directory (cached bytecode runs as code): $XDG_CACHE_HOME or
 * ~/.cache (Linux), ~/Library/Caches (macOS), %LOCALAPPDATA% (Windows), then lr-lens/v8-code-cache; the
 * directory is created 0700 and used only when it is ours and not writable by others. Any problem (read-only
 * home, a full disk, a rejected or damaged cache) falls back silently to a plain compile.
 * LR_LENS_NO_CODE_CACHE=1 turns it off.
 */
import * as fs from 'fs';
import type * as Os from 'os';
import * as path from 'path';
import type * as ModuleApi from 'module';
import { Script } from 'vm';
import { withVerifiedCache } from './startup';

/**
 * Node's module system, taken from this file's own `module` rather than `require('module')`: the public module
 * loads the ES module loader and the source-map support with it (about 0.3 ms of the CLI's start-up), and the
 * two functions used here (`wrap`, `createRequire`) are the same objects either way.
 */
const Module = module.constructor as unknown as typeof ModuleApi;

/**
 * The user's home folder on POSIX: $HOME, which is what `os.homedir()` returns when it is set (without loading
 * the `os` module, about 0.2 ms of start-up); else `os.homedir()` (the password database).
 */
function homeDir(env: NodeJS.ProcessEnv): string {
  // eslint-disable-next-line no-restricted-syntax
  return env.HOME || (require('os') as typeof Os).homedir();
}

/** Where the cache lives for this user, or undefined (turned off, or no usable base directory). */
export function codeCacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home?: string): string | undefined {
  if (env.LR_LENS_NO_CODE_CACHE) return undefined;
  if (platform !== 'win32') home ??= homeDir(env);
  const xdg = env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : undefined;
  const base = platform === 'win32' ? env.LOCALAPPDATA
    : platform === 'darwin' ? (home ? path.join(home, 'Library', 'Caches') : undefined)
      : xdg ?? (home ? path.join(home, '.cache') : undefined);
  return base && path.isAbsolute(base) ? path.join(base, 'lr-lens', 'v8-code-cache') : undefined;
}

/**
 * The cache file for `script`: its name, a key of the folder it lies in (another copy of lr-lens, e.g. a global
 * install beside a project's, or another checkout, is another file: two copies sharing one file would each
 * find the other's bundle there and compile without a cache on every run, then overwrite it), Node's version
 * and the CPU (another Node is another file).
 */
export function cacheFileFor(dir: string, script: string): string {
  return path.join(dir, `${path.basename(script, '.js')}-${folderKey(path.dirname(path.resolve(script)))}-${process.version}-${process.arch}.bin`);
}

/** 8 hex digits of FNV-1a over the folder's path (a name, not a secret: the cache is checked against the source). */
function folderKey(folder: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < folder.length; i++) h = Math.imul(h ^ folder.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** "LRCC" and the format's version, then the source's length and V8's bytes' length (uint32 LE each). */
const MAGIC = 0x3143524c; // 'LRC1'
const HEADER = 12;

/** true when `p` is ours and no one else can write it (POSIX); on Windows, true (per-user %LOCALAPPDATA%). */
function private_(p: string, kind: 'dir' | 'file'): boolean {
  const st = fs.lstatSync(p);
  if (kind === 'dir' ? !st.isDirectory() : !st.isFile()) return false;
  if (typeof process.getuid !== 'function') return true;
  return st.uid === process.getuid() && (st.mode & 0o022) === 0;
}

/** V8's cached bytes stored in `file` for exactly `source`, or undefined. Never throws. */
export function readCache(file: string, source: Uint8Array): Buffer | undefined {
  try {
    if (!private_(path.dirname(file), 'dir') || !private_(file, 'file')) return undefined;
    const bytes = fs.readFileSync(file);
    if (bytes.length < HEADER || bytes.readUInt32LE(0) !== MAGIC) return undefined;
    const sourceLength = bytes.readUInt32LE(4);
    const dataLength = bytes.readUInt32LE(8);
    if (sourceLength !== source.length || bytes.length !== HEADER + sourceLength + dataLength) return undefined;
    const stored = bytes.subarray(HEADER, HEADER + sourceLength);
    if (Buffer.compare(stored, source) !== 0) return undefined;
    return bytes.subarray(HEADER + sourceLength);
  } catch {
    return undefined;
  }
}

/**
 * Stores `data` for `source` as `file` (atomically, replacing the caches of the same script for other Nodes, and
 * its caches named as before files had a folder's key). Never throws.
 */
export function writeCache(file: string, source: Uint8Array, data: Uint8Array): void {
  try {
    const dir = path.dirname(file);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!private_(dir, 'dir')) return;
    const script = path.basename(file).split('-v')[0]!;
    const prefixes = [`${script}-v`];
    const keyed = /^(.*)-[0-9a-f]{8}$/.exec(script);
    if (keyed) prefixes.push(`${keyed[1]}-v`);
    for (const old of fs.readdirSync(dir)) {
      if (prefixes.some((p) => old.startsWith(p)) && old !== path.basename(file)) fs.rmSync(path.join(dir, old), { force: true });
    }
    const header = Buffer.alloc(HEADER);
    header.writeUInt32LE(MAGIC, 0);
    header.writeUInt32LE(source.length, 4);
    header.writeUInt32LE(data.length, 8);
    const tmp = `${file}.${process.pid}.tmp`;
    const fd = fs.openSync(tmp, 'w', 0o600);
    try {
      for (const part of [header, source, data]) {
        for (let at = 0; at < part.length;) at += fs.writeSync(fd, part, at, part.length - at);
      }
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch {
    // A cache is an optimisation: no cache, no harm.
  }
}

/** A CommonJS file compiled (with the cache when it fits) and run, and what the cache did. */
export interface CachedModule {
  exports: Record<string, unknown>;
  /** 'used': compiled from the cache; 'none': no cache (or turned off); 'rejected': V8 refused the cached bytes. */
  cache: 'used' | 'none' | 'rejected';
  /**
   * Writes the cache when it was not used (after the run: it then holds the functions the run compiled).
   * V8's flags must then be as they were when the file was loaded (startup.ts).
   */
  save(): void;
}

/**
 * Loads the CommonJS file `file` as Node's require would (module wrapper, its own require), compiled with the
 * code cache in `dir` (none when undefined). Errors of the file itself propagate; the cache never adds one.
 */
export function requireCached(file: string, dir: string | undefined): CachedModule {
  const bytes = fs.readFileSync(file);
  const cacheFile = dir ? cacheFileFor(dir, file) : undefined;
  const cached = cacheFile ? readCache(cacheFile, bytes) : undefined;
  const source = bytes.toString('utf8').replace(/^#!.*/, '');
  const script = withVerifiedCache(() => new Script(Module.wrap(source), { filename: file, cachedData: cached }));
  const fn = script.runInThisContext() as (exports: object, require: NodeJS.Require, module: object, filename: string, dirname: string) => void;
  const module = { exports: {} as Record<string, unknown>, filename: file, id: file, loaded: false };
  fn.call(module.exports, module.exports, Module.createRequire(file), module, file, path.dirname(file));
  module.loaded = true;
  const cache = !cached ? 'none' : script.cachedDataRejected ? 'rejected' : 'used';
  return {
    exports: module.exports,
    cache,
    save: () => {
      if (cacheFile && cache !== 'used') writeCache(cacheFile, bytes, withVerifiedCache(() => script.createCachedData()));
    },
  };
}
