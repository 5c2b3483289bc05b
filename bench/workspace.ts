/**
 * Across files (issue 10, item 9): a training script importing three repository modules (a
 * settings module, a config dataclass module, a utilities module with classes and functions),
 * analysed warm (texts and frozen module trees cached, as in the editor after the first analysis)
 * beside the same script analysed alone (its imports unresolved). Target: ≤ 2× the single file.
 * Then the other way round: a factory module analysed with the callers the host's listing finds (the
 * same script calling it), warm, beside the module alone: what following callers costs per keystroke.
 */
import { analyze } from '../src/analysis/analyze';
import { WorkspaceCache, type WorkspaceHost } from '../src/analysis/workspace';
import { generateScript } from './analysis';

const ROOT = '/bench';

function modules(): Record<string, string> {
  const settings = ['"""Settings of the run."""', 'import os', '', 'EPOCH = 200', 'MILESTONES = [60, 120, 160]', 'GAMMA = 0.2', 'WARMUP = 5',
    'BATCH_SIZE = 128', 'LOG_DIR = os.path.join("runs", "cifar")', 'MEAN = (0.507, 0.486, 0.441)', 'STD = (0.267, 0.256, 0.276)'];
  for (let i = 0; i < 30; i++) settings.push(`OPTION_${i} = ${i} * 2 + 1`);
  const config = ['from dataclasses import dataclass, field', '', '@dataclass', 'class TrainConfig:', '    lr: float = 0.1',
    '    momentum: float = 0.9', '    weight_decay: float = 5e-4', '    epochs: int = 200', '    warmup_epochs: int = 5', '    min_lr: float = 1e-6', ''];
  for (let i = 0; i < 8; i++) config.push(`@dataclass`, `class Variant${i}(TrainConfig):`, `    lr: float = ${(0.1 / (i + 1)).toFixed(4)}`, `    epochs: int = ${100 + i * 10}`, '');
  const utils = ['import math', 'import torch', 'import torch.nn as nn', '', 'def warmup_cosine(epoch, warmup=5, total=200):', '    if epoch < warmup:',
    '        return (epoch + 1) / warmup', '    return 0.5 * (1 + math.cos(math.pi * (epoch - warmup) / (total - warmup)))', ''];
  for (let i = 0; i < 20; i++) {
    utils.push(`class Block${i}(nn.Module):`, '    def __init__(self, c=64):', '        super().__init__()', '        self.conv = nn.Conv2d(c, c, 3, padding=1)',
      '', '    def forward(self, x):', '        return torch.relu(self.conv(x)) + x', '', `def helper_${i}(x, scale=${i + 1}):`, '    return x * scale', '');
  }
  return { [`${ROOT}/conf/__init__.py`]: 'from .settings import *\n', [`${ROOT}/conf/settings.py`]: settings.join('\n') + '\n',
    [`${ROOT}/configs.py`]: config.join('\n') + '\n', [`${ROOT}/utils.py`]: utils.join('\n') + '\n' };
}

function script(): string {
  const head = ['import conf', 'from configs import TrainConfig, Variant3', 'from utils import warmup_cosine, helper_3', 'from conf import settings'];
  const body = generateScript(300).split('\n');
  body.push('cfg = TrainConfig()', 'opt_x = optim.SGD(model_1.parameters(), lr=cfg.lr, momentum=cfg.momentum)',
    'sched_x = optim.lr_scheduler.MultiStepLR(opt_x, milestones=conf.MILESTONES, gamma=conf.GAMMA)',
    'sched_y = LambdaLR(opt_x, lr_lambda=warmup_cosine)', 'sched_z = StepLR(opt_x, step_size=helper_3(10), gamma=Variant3().lr)', '');
  return [...head, ...body].join('\n');
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const REPEATS = 30;

export async function runWorkspaceBench(): Promise<string[]> {
  const files = modules();
  const text = script();
  let reads = 0;
  const host: WorkspaceHost = {
    readFile: async (p) => {
      reads++;
      return files[p] === undefined ? undefined : new TextEncoder().encode(files[p]);
    },
  };
  const cache = new WorkspaceCache();
  const workspace = { host, root: ROOT, file: `${ROOT}/train.py`, cache };
  const single: number[] = [];
  const warm: number[] = [];
  let known = [0, 0];
  for (let r = 0; r < 3; r++) {
    await analyze(text, 'python', { curvesFor: [] });
    await analyze(text, 'python', { curvesFor: [], workspace });
  }
  const coldReads = reads;
  for (let r = 0; r < REPEATS; r++) {
    let t0 = performance.now();
    const a = await analyze(text, 'python', { curvesFor: [] });
    single.push(performance.now() - t0);
    t0 = performance.now();
    const b = await analyze(text, 'python', { curvesFor: [], workspace });
    warm.push(performance.now() - t0);
    const count = (x: typeof a) => x.schedulers.filter((s) => s.variable && /^sched_[xyz]$/.test(s.variable) && !s.error).length;
    known = [count(a), count(b)];
  }
  const s = Math.min(...single);
  const w = Math.min(...warm);
  return [
    `a ${text.split('\n').length}-line script importing 3 repository modules (${Object.keys(files).length} files), best of ${REPEATS} (median):`,
    `  the script alone (imports unresolved)  ${s.toFixed(2)} ms (${median(single).toFixed(2)}); cross-file constructions known: ${known[0]}/3`,
    `  with its modules, warm                 ${w.toFixed(2)} ms (${median(warm).toFixed(2)})   ${(w / s).toFixed(2)}× (${(median(warm) / median(single)).toFixed(2)}×); target ≤ 2×; known: ${known[1]}/3`,
    `  reads: ${coldReads} on the first (cold) analysis, ${reads - coldReads} in the ${REPEATS} warm ones`,
    ...(await callersBench(files, text)),
  ];
}

/** A factory module (`def build(optimizer, epochs)`) with the script above calling it, found through the listing. */
async function callersBench(modules: Record<string, string>, script: string): Promise<string[]> {
  const factory = 'from torch.optim.lr_scheduler import CosineAnnealingLR, LinearLR, SequentialLR\n\n\n' +
    'def build(optimizer, epochs, warmup=5):\n    warm = LinearLR(optimizer, start_factor=0.1, total_iters=warmup)\n' +
    '    cos = CosineAnnealingLR(optimizer, T_max=epochs - warmup)\n    return SequentialLR(optimizer, [warm, cos], milestones=[warmup])\n';
  const files: Record<string, string> = {
    ...modules, [`${ROOT}/schedules.py`]: factory,
    [`${ROOT}/train.py`]: `from schedules import build\n${script}\nsched_w = build(opt_x, cfg.epochs)\n`,
  };
  const host: WorkspaceHost = {
    readFile: async (p) => (files[p] === undefined ? undefined : new TextEncoder().encode(files[p])),
    listFiles: async () => Object.keys(files).filter((p) => p.endsWith('.py')),
  };
  const alone: WorkspaceHost = { readFile: host.readFile };
  const cache = new WorkspaceCache();
  const file = `${ROOT}/schedules.py`;
  const times = { alone: [] as number[], callers: [] as number[] };
  let tMax: unknown;
  for (let r = 0; r < REPEATS + 3; r++) {
    let t0 = performance.now();
    await analyze(factory, 'python', { curvesFor: [], workspace: { host: alone, root: ROOT, file, cache } });
    if (r >= 3) times.alone.push(performance.now() - t0);
    t0 = performance.now();
    const b = await analyze(factory, 'python', { curvesFor: [], workspace: { host, root: ROOT, file, cache } });
    if (r >= 3) times.callers.push(performance.now() - t0);
    tMax = b.schedulers.find((s) => s.kind === 'CosineAnnealingLR')?.args['T_max'];
  }
  const a = Math.min(...times.alone);
  const c = Math.min(...times.callers);
  return [
    `a factory module called by that script (found through the listing), warm, best of ${REPEATS} (median):`,
    `  the module alone                       ${a.toFixed(2)} ms (${median(times.alone).toFixed(2)})`,
    `  with its caller evaluated              ${c.toFixed(2)} ms (${median(times.callers).toFixed(2)}); T_max from the caller: ${String(tMax)}`,
  ];
}
