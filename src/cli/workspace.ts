/**
 * The CLI's side of reading the repository (src/analysis/workspace.ts): files through Node's `fs`,
 * and the default root, the nearest folder up from FILE that holds `.git`, `pyproject.toml`,
 * `setup.py` or `setup.cfg` (else FILE's folder). Paths given to the analysis are POSIX
 * (`C:\x` is `/C:/x`).
 */
import * as fs from 'fs';
import * as path from 'path';
import type { WorkspaceHost } from '../analysis/workspace';

const ROOT_MARKERS = ['.git', 'pyproject.toml', 'setup.py', 'setup.cfg'];

export function toPosix(p: string): string {
  const s = p.replace(/\\/g, '/');
  return /^[A-Za-z]:\//.test(s) ? `/${s}` : s;
}

export function fromPosix(p: string): string {
  return /^\/[A-Za-z]:\//.test(p) ? p.slice(1) : p;
}

/** The nearest ancestor folder of `file` holding a root marker, else the file's folder. */
export function defaultRoot(file: string): string {
  const start = path.dirname(path.resolve(file));
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (ROOT_MARKERS.some((m) => fs.existsSync(path.join(dir, m)))) return dir;
    if (path.dirname(dir) === dir) return start;
  }
}

/** Folders never searched for Python files: version control, packages, virtual environments, caches. */
const SKIPPED_DIRS = new Set(['node_modules', '__pycache__', 'site-packages', 'venv', 'wandb']);
/** Folder depth searched below the root. */
const MAX_LIST_DEPTH = 8;

/**
 * The Python files under `root` (POSIX paths), breadth first, at most `limit`: a bounded walk. Paths are joined
 * with '/' (which every platform's `fs` takes): `path.join` normalises each of the thousands of entries of a
 * repository, and cost `lr-lens analyze` about 3 of the walk's 4.5 ms on this repository (96 folders, Node 20).
 */
export function listPythonFiles(root: string, limit: number): string[] {
  const out: string[] = [];
  // Normalised once (no `..`, no trailing separator but a drive's or the file system's root).
  let level = [path.resolve(fromPosix(root))];
  for (let depth = 0; depth <= MAX_LIST_DEPTH && level.length && out.length < limit; depth++) {
    const next: string[] = [];
    for (const dir of level) {
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
      } catch {
        continue;
      }
      // A virtual environment is recognised by its marker file, whatever its name.
      if (depth > 0 && entries.some((e) => e.name === 'pyvenv.cfg')) continue;
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const prefix = /[\\/]$/.test(dir) ? dir : `${dir}/`;
      for (const e of entries) {
        if (e.name.startsWith('.')) continue;
        if (e.isDirectory()) {
          if (!SKIPPED_DIRS.has(e.name)) next.push(prefix + e.name);
        } else if (e.isFile() && e.name.endsWith('.py')) {
          out.push(toPosix(prefix + e.name));
          if (out.length >= limit) return out;
        }
      }
    }
    level = next;
  }
  return out;
}

export const nodeHost: WorkspaceHost = {
  // Read synchronously: the one-shot CLI has nothing else to do meanwhile, and each `fs.readFile` costs a
  // thread-pool round trip and a turn of the event loop (a repository's callers can be dozens of files).
  async readFile(p: string): Promise<Uint8Array | undefined> {
    try {
      return fs.readFileSync(fromPosix(p));
    } catch {
      return undefined;
    }
  },
  async listFiles(root: string, limit: number): Promise<string[]> {
    return listPythonFiles(root, limit);
  },
};
