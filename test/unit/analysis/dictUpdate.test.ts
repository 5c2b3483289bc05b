/**
 * Eighth audit (value sources): a config mapping changed by `update` kept its old values. `args.__dict__.update(configs)`
 * after `json.load` of the config file (the shape of many research scripts: `args = parser.parse_args()`, then the
 * JSON/YAML file's keys written over the options), `vars(args).update({...})`, `hp.update(lr=…)` — the preview showed the
 * argparse default or the dict's first value, labelled as if nothing had changed it. Now `update` writes its keys
 * (journalled as assignments are), `pop` removes the key, `setdefault` adds it; an `update` whose source LR Lens cannot
 * see makes every value of the mapping unknown, saying why. Expected curves: torch 1.13's StepLR
 * (`/usr/bin/python3`, values recorded below).
 */
import * as assert from 'assert';
import { analyze } from '../../../src/analysis/analyze';
import type { SchedulerAnalysis } from '../../../src/analysis/types';
import type { WorkspaceHost } from '../../../src/analysis/workspace';

async function one(src: string, files?: Record<string, string>): Promise<SchedulerAnalysis> {
  const host: WorkspaceHost = { readFile: async (p) => (files?.[p] === undefined ? undefined : new TextEncoder().encode(files[p])) };
  const r = await analyze(src, 'python', { strict: true, ...(files ? { workspace: { host, root: '/r', file: '/r/train.py' } } : {}) });
  assert.strictEqual(r.schedulers.length, 1, r.schedulers.map((s) => s.kind).join(', '));
  return r.schedulers[0]!;
}

const loop = (lr: string, rest = '') => `
opt = torch.optim.SGD([torch.zeros(1)], lr=${lr})
s = torch.optim.lr_scheduler.StepLR(opt, ${rest || '3, gamma=0.1'})
for e in range(5):
    s.step()
`;

// torch 1.13: StepLR(SGD(lr=0.7), 3, gamma=0.1), values 0..5.
const TORCH_07 = [0.7, 0.7, 0.7, 0.06999999999999999, 0.06999999999999999, 0.06999999999999999];

describe('dict.update and friends on config mappings', () => {
  it('d.update(lr=…) writes the key (it kept the literal\'s value)', async () => {
    const s = await one(`import torch\nd = {'lr': 0.1}\nd.update(lr=0.7)\n${loop("d['lr']")}`);
    assert.deepStrictEqual([...s.curve!.lrs[0]!], TORCH_07);
    assert.deepStrictEqual(s.assumed, []);
  });

  it('vars(args).update({...}) and args.__dict__.update(cfg) write the argparse namespace (the default of --lr was shown)', async () => {
    const head = `import argparse, torch
parser = argparse.ArgumentParser()
parser.add_argument('--lr', type=float, default=0.1)
args = parser.parse_args()
`;
    for (const upd of ["vars(args).update({'lr': 0.7})", "cfg = {'lr': 0.7}\nargs.__dict__.update(cfg)", "vars(args)['lr'] = 0.7"]) {
      const src = `${head}${upd}\n${loop('args.lr')}`;
      // `vars` is one of the builtins a module of the workspace has (modules.ts moduleGlobals).
      const s = await one(src, { '/r/train.py': src });
      assert.deepStrictEqual([...s.curve!.lrs[0]!], TORCH_07, upd);
      assert.ok(!s.assumed.some((a) => a.what === 'lr'), `${upd}: ${JSON.stringify(s.assumed)}`);
    }
  });

  it('args.__dict__.update(json.load(f)) from the config file of --config (default path): the file\'s values, labelled by the path', async () => {
    const src = `import argparse, json, torch
parser = argparse.ArgumentParser()
parser.add_argument('--config', '-c', type=str, default='./configs/config.json')
parser.add_argument('--lr', type=float, default=0.1)
parser.add_argument('--step', type=int, default=5)
args = parser.parse_args()
with open(args.config, "r") as config_file:
    configs = json.load(config_file)
args.__dict__.update(configs)
opt = torch.optim.SGD([torch.zeros(1)], lr=args.lr)
s = torch.optim.lr_scheduler.StepLR(opt, args.step)
for e in range(args.epochs):
    s.step()
`;
    const s = await one(src, { '/r/train.py': src, '/r/configs/config.json': '{"lr": 0.02, "epochs": 30, "step": 10}' });
    // torch 1.13: StepLR(SGD(lr=0.02), 10), 31 values.
    const torch = [0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.002, 0.002, 0.002, 0.002, 0.002, 0.002, 0.002, 0.002, 0.002,
      0.002, 0.0002, 0.0002, 0.0002, 0.0002, 0.0002, 0.0002, 0.0002, 0.0002, 0.0002, 0.0002, 2e-05];
    assert.deepStrictEqual([...s.curve!.lrs[0]!], torch);
    const lr = s.assumed.find((a) => a.what === 'lr');
    assert.ok(lr && lr.value === 0.02 && /configs\/config\.json/.test(lr.why) && /--config/.test(lr.why), JSON.stringify(s.assumed));
  });

  it('an update from a source LR Lens cannot see makes the values unknown (not the old ones)', async () => {
    const s = await one(`import torch\nhp = dict(lr=0.1, gamma=0.5)\nhp.update(load_overrides())\n${loop("hp['lr']", "3, gamma=hp['gamma']")}`);
    assert.strictEqual(s.curve, null);
    const lr = s.assumed.find((a) => a.what === 'lr');
    assert.ok(lr && /hp\.update\(load_overrides\(\)\).*may set any key/.test(lr.why), JSON.stringify(s.assumed));
  });

  it('an update under an unknown condition: the key differs between the paths, so it is unknown', async () => {
    const s = await one(`import torch, sys\nhp = {'lr': 0.1}\nif len(sys.argv) > 1:\n    hp.update({'lr': 0.7})\n${loop("hp['lr']")}`);
    assert.ok(s.assumed.some((a) => a.what === 'lr'), JSON.stringify(s.assumed));
  });

  it('pop removes the key, setdefault adds it', async () => {
    // torch 1.13: StepLR(SGD(lr=0.1), 3, gamma=0.5), values 0..6.
    const torch = [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025];
    const s = await one(`import torch
hp = {'lr': 0.1, 'gamma': 0.5}
gamma = hp.pop('gamma')
hp.setdefault('gamma', 0.9)
hp.setdefault('lr', 0.3)
opt = torch.optim.SGD([torch.zeros(1)], lr=hp['lr'])
s = torch.optim.lr_scheduler.StepLR(opt, 3, gamma=gamma if 'gamma' in hp and hp['gamma'] == 0.9 else 0.7)
for e in range(6):
    s.step()
`);
    assert.deepStrictEqual([...s.curve!.lrs[0]!], torch);
  });
});
