/**
 * The CLI's side of reading the repository (src/analysis/workspace.ts): files through Node's `fs`,
 * and the default root, the nearest folder up from FILE that holds `.git`, `pyproject.toml`,
 * `setup.py` or `setup.cfg` (else FILE's folder). Paths given to the analysis are POSIX
 * (`C:\x` is `/C:/x`).
 */
import * as fs from 'fs';
import * as path from 'path';
import type { WorkspaceHost } from '../analysis/workspace';
import { readFileBytes } from '../frontends/nodeGrammars';

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

export const nodeHost: WorkspaceHost = {
  async readFile(p: string): Promise<Uint8Array | undefined> {
    try {
      return await readFileBytes(fromPosix(p));
    } catch {
      return undefined;
    }
  },
};
