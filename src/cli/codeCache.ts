/**
 * V8's code cache for the CLI bundle on Node 20 (`module.enableCompileCache` exists only from Node 22.1):
 * the bundle is compiled through vm.Script with the bytes V8 produced on an earlier run (`cachedData`),
 * which skips parsing and compiling the functions that run used. Measured with `npm run bench` (Node 20):
 * loading dist/cli-main.js went from 11.3 ms (best of 20; median 25) to 4.6 ms (median 12).
 *
 * The cache is per user, never in a shared directory (cached bytecode runs as code): $XDG_CACHE_HOME or
 * ~/.cache (Linux), ~/Library/Caches (macOS), %LOCALAPPDATA% (Windows), then lr-lens/v8-code-cache; the
 * directory is created 0700 and used only when it is ours and not writable by others. Any problem (read-only
 * home, a full disk, a rejected cache) falls back silently to a plain compile. LR_LENS_NO_CODE_CACHE=1
 * turns it off.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** Where the cache lives for this user, or undefined (turned off, or no usable base directory). */
export function codeCacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = os.homedir()): string | undefined {
  if (env.LR_LENS_NO_CODE_CACHE) return undefined;
  const xdg = env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : undefined;
  const base = platform === 'win32' ? env.LOCALAPPDATA
    : platform === 'darwin' ? (home ? path.join(home, 'Library', 'Caches') : undefined)
      : xdg ?? (home ? path.join(home, '.cache') : undefined);
  return base && path.isAbsolute(base) ? path.join(base, 'lr-lens', 'v8-code-cache') : undefined;
}

/**
 * The cache file for `script`: its content's hash, Node's version and the CPU in the name (a new build or Node
 * is a new file; V8 itself checks only the source's length and its flags before using the bytes).
 */
export function cacheFileFor(dir: string, script: string, source: string | Uint8Array): string {
  const name = path.basename(script, '.js');
  return path.join(dir, `${name}-${process.version}-${process.arch}-${contentHash(source)}.bin`);
}

/**
 * A 64-bit content hash (two multiplicative hashes over 32-bit words, seeded with the length), in JS: loading
 * Node's crypto module for a sha1 cost the CLI about 4 ms of start-up on Node 20, this loop 2 ms for the 640 KB
 * bundle. A cache key, not a security check: the cache directory is the user's own (see readCache).
 */
export function contentHash(source: string | Uint8Array): string {
  const bytes = typeof source === 'string' ? Buffer.from(source, 'utf8') : source;
  const words = bytes.length >>> 2;
  // Int32Array needs a 4-aligned offset: copy when the view is not aligned (Buffer's pool can place it anywhere).
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : Uint8Array.from(bytes);
  const w = new Int32Array(aligned.buffer, aligned.byteOffset, words);
  let a = 0x811c9dc5 | 0;
  let b = bytes.length | 0;
  for (let i = 0; i < words; i++) {
    const c = w[i];
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 13;
  }
  for (let i = words << 2; i < bytes.length; i++) {
    a = Math.imul(a ^ bytes[i], 0x01000193);
    b = Math.imul(b ^ bytes[i], 0x5bd1e995);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}

/** true when `p` is ours and no one else can write it (POSIX); on Windows, true (per-user %LOCALAPPDATA%). */
function private_(p: string, kind: 'dir' | 'file'): boolean {
  const st = fs.lstatSync(p);
  if (kind === 'dir' ? !st.isDirectory() : !st.isFile()) return false;
  if (typeof process.getuid !== 'function') return true;
  return st.uid === process.getuid() && (st.mode & 0o022) === 0;
}

/** The cached bytes for `file`, or undefined. Never throws. */
export function readCache(file: string): Buffer | undefined {
  try {
    if (!private_(path.dirname(file), 'dir') || !private_(file, 'file')) return undefined;
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Stores `data` as `file` (atomically, replacing older caches of the same script). Never throws. */
export function writeCache(file: string, data: Buffer): void {
  try {
    const dir = path.dirname(file);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!private_(dir, 'dir')) return;
    const prefix = `${path.basename(file).split('-v')[0]}-v`;
    for (const old of fs.readdirSync(dir)) {
      if (old.startsWith(prefix) && old !== path.basename(file)) fs.rmSync(path.join(dir, old), { force: true });
    }
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, data, { mode: 0o600 });
    fs.renameSync(tmp, file);
  } catch {
    // A cache is an optimisation: no cache, no harm.
  }
}
