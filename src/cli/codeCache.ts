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
import { createHash } from 'crypto';
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
export function cacheFileFor(dir: string, script: string, source: string): string {
  const name = path.basename(script, '.js');
  const hash = createHash('sha1').update(source).digest('hex').slice(0, 16);
  return path.join(dir, `${name}-${process.version}-${process.arch}-${hash}.bin`);
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
