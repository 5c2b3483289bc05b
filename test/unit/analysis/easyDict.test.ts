/**
 * EasyDict configs (research code: py-faster-rcnn's `lib/config.py` `__C = edict(); __C.TRAIN = edict(); __C.TRAIN.LR =
 * 0.001`, and `cfg = EasyDict(yaml.safe_load(f))`): an attribute dict whose stored dicts become EasyDicts
 * (easydict/__init__.py: `__setattr__` converts dict values, `__setitem__` is `__setattr__`, `update` sets each key).
 * Every value read through one was "an object made by code LR Lens does not evaluate". Expected curves: MultiStepLR's
 * closed form `lr · gamma^(number of milestones ≤ k)`.
 */
import * as assert from 'assert';
import { analyze } from '../../../src/analysis/analyze';
import type { SchedulerAnalysis } from '../../../src/analysis/types';
import type { WorkspaceHost } from '../../../src/analysis/workspace';

const multiStep = (lr: number, milestones: number[], gamma: number, n: number) =>
  Array.from({ length: n }, (_, k) => lr * gamma ** milestones.filter((m) => m <= k).length);

function close(s: SchedulerAnalysis, want: number[]): void {
  assert.ok(s.curve, s.error ?? '');
  const got = Array.from(s.curve.lrs[0]!);
  assert.strictEqual(got.length, want.length);
  got.forEach((v, k) => assert.ok(Math.abs(v - want[k]!) <= 1e-12 * want[k]!, `step ${k}: ${v} vs ${want[k]}`));
}

async function one(src: string): Promise<SchedulerAnalysis> {
  const r = await analyze(src, 'python', { strict: true });
  assert.strictEqual(r.schedulers.length, 1);
  return r.schedulers[0]!;
}

const TAIL = 'optimizer = torch.optim.SGD(model.parameters(), lr=cfg.TRAIN.LR)\n' +
  'scheduler = torch.optim.lr_scheduler.MultiStepLR(optimizer, milestones=cfg.TRAIN.STEPS, gamma=cfg["TRAIN"].get("GAMMA", 0.1))\n' +
  'for epoch in range(cfg.TRAIN.EPOCHS):\n    scheduler.step()\n';

describe('EasyDict configs are attribute dicts LR Lens reads', () => {
  it('built field by field (py-faster-rcnn\'s config.py shape)', async () => {
    const s = await one('import torch\nfrom easydict import EasyDict as edict\n__C = edict()\ncfg = __C\n__C.TRAIN = edict()\n' +
      '__C.TRAIN.LR = 0.01\n__C.TRAIN.EPOCHS = 12\n__C.TRAIN.STEPS = [4, 8]\n' + TAIL);
    close(s, multiStep(0.01, [4, 8], 0.1, 13));
  });

  it('from a nested dict (dicts become EasyDicts), keys by subscript, update, keyword arguments', async () => {
    const s = await one('import torch\nimport easydict\ncfg = easydict.EasyDict({"TRAIN": {"LR": 0.1, "EPOCHS": 10}}, NAME="r50")\n' +
      'cfg.TRAIN.update({"STEPS": [3, 6], "GAMMA": 0.5})\ncfg["TRAIN"]["LR"] = 0.2\n' + TAIL);
    close(s, multiStep(0.2, [3, 6], 0.5, 11));
    assert.deepStrictEqual(s.args.gamma, 0.5);
  });

  it('a key it does not hold is unknown, saying so (not a KeyError: it may be set at run time)', async () => {
    const s = await one('import torch\nfrom easydict import EasyDict\ncfg = EasyDict({"TRAIN": {"LR": 0.1, "EPOCHS": 3}})\n' + TAIL);
    assert.strictEqual(s.curve, null);
    assert.match(s.error ?? '', /`STEPS` is not a key of the EasyDict LR Lens built/);
    assert.ok(!s.diagnostics.some((d) => d.severity === 'error'), JSON.stringify(s.diagnostics));
  });

  it('from a YAML file of the workspace: EasyDict(yaml.safe_load(f))', async () => {
    const files: Record<string, string> = {
      '/r/configs/res50.yaml': 'TRAIN:\n  LR: 0.05\n  EPOCHS: 40\n  STEPS: [20, 30]\n  GAMMA: 0.2\n',
      '/r/train.py': 'import yaml\nimport torch\nfrom easydict import EasyDict\n\ndef load_cfg(path):\n    with open(path) as f:\n' +
        '        return EasyDict(yaml.safe_load(f))\n\ncfg = load_cfg("configs/res50.yaml")\n' + TAIL,
    };
    const host: WorkspaceHost = { readFile: async (p) => (files[p] === undefined ? undefined : new TextEncoder().encode(files[p])) };
    const r = await analyze(files['/r/train.py']!, 'python', { strict: true, workspace: { host, root: '/r', file: '/r/train.py' } });
    close(r.schedulers[0]!, multiStep(0.05, [20, 30], 0.2, 41));
  });
});
