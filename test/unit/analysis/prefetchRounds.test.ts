/**
 * The prefetch reads what the loader will ask for, so that one evaluation suffices. Eighth audit: the loader also
 * searches the root's `src/` (the src layout), the prefetch did not, so any import not found in the script's folder or
 * the root (every third-party package: `from sentence_transformers import …`, `from absl import app`) asked for
 * src/ candidates during the evaluation and the whole file was evaluated a second time once they were read (DeiT's
 * main.py, the sentence-transformers examples). And flax's `from configs import default` (configs/ without
 * `__init__.py`) is read before the evaluation too.
 */
import * as assert from 'assert';
import { analyze } from '../../../src/analysis/analyze';
import type { WorkspaceHost } from '../../../src/analysis/workspace';

/** The paths the host is asked for once the evaluation has started (what another evaluation round reads). */
async function lateReads(files: Record<string, string>, file: string): Promise<{ late: string[]; lrs: number[] | null }> {
  let started = false;
  const late: string[] = [];
  const host: WorkspaceHost = {
    readFile: async (p) => {
      if (started) late.push(p);
      return files[p] === undefined ? undefined : new TextEncoder().encode(files[p]);
    },
  };
  // `cancelled` is read during the evaluation and after it, before any further round's reads.
  const r = await analyze(files[file]!, 'python', { strict: true, workspace: { host, root: '/r', file }, cancelled: () => { started = true; return false; } });
  const s = r.schedulers[0];
  return { late, lrs: s?.curve ? [...s.curve.lrs[0]!] : null };
}

describe('workspace prefetch: one evaluation', () => {
  it('third-party imports (not in the workspace, not in LIBRARY_ROOTS) are all looked up before the evaluation, src/ included', async () => {
    const src = `import torch
from sentence_transformers import SentenceTransformer, losses
from absl import app, flags
import ml_collections
opt = torch.optim.SGD([torch.zeros(1)], lr=0.1)
s = torch.optim.lr_scheduler.StepLR(opt, 2)
for e in range(4):
    s.step()
`;
    const { late, lrs } = await lateReads({ '/r/train.py': src }, '/r/train.py');
    assert.deepStrictEqual(late, []);
    assert.ok(lrs);
  });

  it('`from configs import default` with configs/default.py and no configs/__init__.py: read by the prefetch', async () => {
    const src = `import torch
from configs import default
opt = torch.optim.SGD([torch.zeros(1)], lr=default.LR)
s = torch.optim.lr_scheduler.StepLR(opt, 2)
for e in range(4):
    s.step()
`;
    const { late, lrs } = await lateReads({ '/r/train.py': src, '/r/configs/default.py': 'LR = 0.5\n' }, '/r/train.py');
    assert.deepStrictEqual(late, []);
    // torch 1.13: StepLR(SGD(lr=0.5), 2), values 0..4.
    assert.deepStrictEqual(lrs, [0.5, 0.5, 0.05, 0.05, 0.005000000000000001]);
  });
});
