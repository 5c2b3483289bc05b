/**
 * Analysis speed: a generated 5,000-line training script, whole analysis beside the bare
 * tree-sitter parse of the same text. Target: analysis ≤ 3× the parse.
 */
import { analyze } from '../src/analysis/analyze';
import { useNodeGrammars } from '../src/frontends/nodeGrammars';
import { loadParser, parseWith } from '../src/frontends/parser';

useNodeGrammars();

/** A realistic, long training script: config constants, helpers, models, optimizers and schedulers. */
export function generateScript(lines: number): string {
  const out: string[] = [
    'import math',
    'import torch',
    'import torch.nn as nn',
    'import torch.optim as optim',
    'from torch.optim.lr_scheduler import CosineAnnealingLR, LambdaLR, OneCycleLR, StepLR, SequentialLR, LinearLR',
    '',
    'EPOCHS = 90',
    'WARMUP = 5',
    'STEPS_PER_EPOCH = 500',
    'cfg = {"lr": 0.1, "momentum": 0.9, "weight_decay": 5e-4, "gamma": 0.1}',
    '',
  ];
  let i = 0;
  while (out.length < lines) {
    i++;
    out.push(
      `class Block${i}(nn.Module):`,
      `    """Residual block number ${i}."""`,
      `    def __init__(self, c=${16 + (i % 8) * 8}):`,
      '        super().__init__()',
      '        self.conv = nn.Conv2d(c, c, 3, padding=1)',
      '        self.bn = nn.BatchNorm2d(c)',
      '',
      '    def forward(self, x):',
      '        y = torch.relu(self.bn(self.conv(x)))',
      '        return x + y',
      '',
      `def warmup_${i}(epoch):`,
      '    if epoch < WARMUP:',
      '        return (epoch + 1) / WARMUP',
      `    return 0.5 * (1 + math.cos(math.pi * (epoch - WARMUP) / (EPOCHS - WARMUP)))`,
      '',
      `model_${i} = nn.Sequential(Block${i}(), nn.Flatten(), nn.LazyLinear(10))`,
      `opt_${i} = optim.SGD(model_${i}.parameters(), lr=cfg["lr"] * ${1 + (i % 3)}, momentum=cfg["momentum"])`,
    );
    switch (i % 4) {
      case 0: out.push(`sched_${i} = CosineAnnealingLR(opt_${i}, T_max=EPOCHS * STEPS_PER_EPOCH)`); break;
      case 1: out.push(`sched_${i} = LambdaLR(opt_${i}, lr_lambda=warmup_${i})`); break;
      case 2: out.push(`sched_${i} = OneCycleLR(opt_${i}, max_lr=0.1, epochs=EPOCHS, steps_per_epoch=STEPS_PER_EPOCH)`); break;
      default: out.push(`sched_${i} = StepLR(opt_${i}, step_size=30, gamma=cfg["gamma"])`);
    }
    out.push('');
  }
  out.push(
    'def train(loader):',
    '    for epoch in range(EPOCHS):',
    '        for x, y in loader:',
    '            loss = nn.functional.cross_entropy(model_1(x), y)',
    '            opt_1.zero_grad()',
    '            loss.backward()',
    '            opt_1.step()',
    '        sched_1.step()',
  );
  return out.slice(0, Math.max(lines, out.length)).join('\n') + '\n';
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const REPEATS = 15;

export async function runAnalysisBench(): Promise<string[]> {
  const text = generateScript(5000);
  const lineCount = text.split('\n').length;
  const parser = await loadParser('python');
  const parseTimes: number[] = [];
  const analyzeTimes: number[] = [];
  let schedulers = 0;
  // Warm up both paths (JIT, wasm), then interleave them. As in the engine bench, the best run is the
  // figure (on a shared machine the others mostly measure the neighbours); the medians are printed too.
  for (let r = 0; r < 3; r++) parseWith(parser, text)?.delete();
  for (let r = 0; r < 3; r++) await analyze(text, 'python', { curvesFor: [] });
  for (let r = 0; r < REPEATS; r++) {
    let t0 = performance.now();
    parseWith(parser, text)?.delete();
    parseTimes.push(performance.now() - t0);
    t0 = performance.now();
    // Curves are simulated on demand (the editor asks for the ones in view); the bench measures
    // the analysis every keystroke pays: parse + find + evaluate + lint.
    const res = await analyze(text, 'python', { curvesFor: [] });
    analyzeTimes.push(performance.now() - t0);
    schedulers = res.schedulers.length;
  }
  const p = Math.min(...parseTimes);
  const a = Math.min(...analyzeTimes);
  const pm = median(parseTimes);
  const am = median(analyzeTimes);
  return [
    `analysis of a generated ${lineCount}-line training script (${schedulers} schedulers, ${text.length} chars), best of ${REPEATS} (median):`,
    `  bare tree-sitter parse  ${p.toFixed(1)} ms (${pm.toFixed(1)})`,
    `  whole analysis          ${a.toFixed(1)} ms (${am.toFixed(1)})   ${(a / p).toFixed(2)}× the parse (${(am / pm).toFixed(2)}×); target ≤ 3×`,
  ];
}
