/**
 * The other families' rules LR180–LR187 through the whole analysis: each fires on the program it is
 * about and stays quiet on the corrected one. The errors are the libraries' own (type and text as
 * docs/families.md quotes them from their sources).
 */
import * as assert from 'assert';
import { analyze } from '../../../src/analysis/analyze';
import type { Diagnostic } from '../../../src/analysis/types';

async function diagnostics(src: string, variable = 'scheduler'): Promise<Diagnostic[]> {
  const r = await analyze(src, 'python', { strict: true });
  const s = r.schedulers.find((x) => x.variable === variable);
  assert.ok(s, `no construction ${variable} (found ${r.schedulers.map((x) => x.variable).join(', ')})`);
  return s.diagnostics;
}

const codes = (ds: Diagnostic[]) => ds.map((d) => d.code);

const KATSURA = (lr: string, warmup = 10) => `
import torch
from cosine_annealing_warmup import CosineAnnealingWarmupRestarts
optimizer = torch.optim.SGD(torch.nn.Linear(2, 2).parameters(), lr=${lr})
scheduler = CosineAnnealingWarmupRestarts(optimizer, first_cycle_steps=100, max_lr=0.1, min_lr=0.001, warmup_steps=${warmup})
`;
const HF = (fn: string, extra: string, lr = '5e-5') => `
import torch
import transformers
optimizer = torch.optim.AdamW(torch.nn.Linear(2, 2).parameters(), lr=${lr})
scheduler = transformers.${fn}(optimizer, ${extra})
`;
const TIMM = (extra: string) => `
import torch
from timm.scheduler import CosineLRScheduler
optimizer = torch.optim.SGD(torch.nn.Linear(2, 2).parameters(), lr=0.1)
scheduler = CosineLRScheduler(optimizer, t_initial=50, warmup_t=20, warmup_lr_init=1e-4${extra})
`;

describe('family rules LR180–LR187', () => {
  it('LR180: katsura overwrites the optimizer lr with min_lr (information), quiet when they agree', async () => {
    const fired = (await diagnostics(KATSURA('0.1'))).find((d) => d.code === 'LR180');
    assert.ok(fired);
    assert.strictEqual(fired.severity, 'information');
    assert.match(fired.message, /lr \(0\.1\) is ignored/);
    assert.ok(!codes(await diagnostics(KATSURA('0.001'))).includes('LR180'));
  });

  it('LR181: warmup_steps >= first_cycle_steps is the class\'s AssertionError', async () => {
    const d = (await diagnostics(KATSURA('0.001', 100))).find((x) => x.code === 'LR181');
    assert.ok(d);
    assert.strictEqual(d.severity, 'error');
    assert.match(d.message, /^AssertionError: /);
    assert.ok(!codes(await diagnostics(KATSURA('0.001', 99))).includes('LR181'));
  });

  it('LR182: lr_end >= the optimizer lr is transformers\' ValueError; with an unknown optimizer it is only information', async () => {
    const src = HF('get_polynomial_decay_schedule_with_warmup', 'num_warmup_steps=10, num_training_steps=100, lr_end=1e-4');
    const d = (await diagnostics(src)).find((x) => x.code === 'LR182');
    assert.ok(d);
    assert.strictEqual(d.severity, 'error');
    assert.strictEqual(d.message, 'ValueError: lr_end (0.0001) must be smaller than initial lr (5e-05)');
    assert.ok(!codes(await diagnostics(src.replace('lr_end=1e-4', 'lr_end=1e-6'))).includes('LR182'));
    const unknownOpt = src.replace(/optimizer = .*\n/, 'optimizer = build_optimizer(cfg)\n').replace('lr_end=1e-4', 'lr_end=0.5');
    const soft = (await diagnostics(unknownOpt)).find((x) => x.code === 'LR182');
    assert.ok(soft, 'reported with the assumed optimizer');
    assert.strictEqual(soft.severity, 'information');
  });

  it('LR183: a warm-up longer than training (swapped?) with a swap fix; quiet the right way round', async () => {
    const src = HF('get_linear_schedule_with_warmup', 'num_warmup_steps=1000, num_training_steps=100');
    const d = (await diagnostics(src)).find((x) => x.code === 'LR183');
    assert.ok(d);
    assert.strictEqual(d.severity, 'warning');
    const fix = d.fixes?.find((f) => /Swap/.test(f.title));
    assert.ok(fix);
    assert.deepStrictEqual(fix.edits.map((e) => e.newText), ['100', '1000']);
    assert.ok(!codes(await diagnostics(HF('get_linear_schedule_with_warmup', 'num_warmup_steps=100, num_training_steps=1000'))).includes('LR183'));
    // Through get_scheduler too.
    assert.ok(codes(await diagnostics(HF('get_scheduler', '"cosine", num_warmup_steps=500, num_training_steps=200').replace('(optimizer, "cosine"', '("cosine", optimizer'))).includes('LR183'));
  });

  it('LR184: cosine_with_min_lr needs min_lr or min_lr_rate', async () => {
    const src = HF('get_cosine_with_min_lr_schedule_with_warmup', 'num_warmup_steps=10, num_training_steps=100');
    const d = (await diagnostics(src)).find((x) => x.code === 'LR184');
    assert.ok(d);
    assert.strictEqual(d.severity, 'error');
    assert.match(d.message, /One of min_lr or min_lr_rate should be set/);
    assert.ok(!codes(await diagnostics(src.replace('num_training_steps=100', 'num_training_steps=100, min_lr_rate=0.1'))).includes('LR184'));
  });

  it('LR185: timm warm-up without the prefix drops where it ends; warmup_prefix=True is quiet and the fix', async () => {
    const d = (await diagnostics(TIMM(''))).find((x) => x.code === 'LR185');
    assert.ok(d);
    assert.strictEqual(d.severity, 'warning');
    assert.ok(d.fixes?.some((f) => f.edits.some((e) => /warmup_prefix=True/.test(e.newText))));
    assert.ok(!codes(await diagnostics(TIMM(', warmup_prefix=True'))).includes('LR185'));
    assert.ok(!codes(await diagnostics(TIMM('').replace('warmup_t=20', 'warmup_t=0'))).includes('LR185'));
  });

  it('LR186: Keras PiecewiseConstantDecay lengths', async () => {
    const src = 'import keras\nscheduler = keras.optimizers.schedules.PiecewiseConstantDecay([100, 200], [0.1, 0.01])\n';
    const d = (await diagnostics(src)).find((x) => x.code === 'LR186');
    assert.ok(d);
    assert.strictEqual(d.severity, 'error');
    assert.match(d.message, /^ValueError: The length of boundaries should be 1 less than the length of values/);
    assert.ok(!codes(await diagnostics(src.replace('[0.1, 0.01]', '[0.1, 0.01, 0.001]'))).includes('LR186'));
  });

  it('LR187: optax warm-up cosine with no decay left after the warm-up', async () => {
    const src = 'import optax\nscheduler = optax.warmup_cosine_decay_schedule(0.0, 1e-3, warmup_steps=500, decay_steps=400)\n';
    const d = (await diagnostics(src)).find((x) => x.code === 'LR187');
    assert.ok(d);
    assert.strictEqual(d.severity, 'error');
    assert.strictEqual(d.message, 'ValueError: The cosine_decay_schedule requires positive decay_steps, got decay_steps=-100.');
    assert.ok(!codes(await diagnostics(src.replace('decay_steps=400', 'decay_steps=5000'))).includes('LR187'));
  });

  // Fifth audit (a public TF script: `CosineDecay(lr, epochs*N//batch_size, warmup_steps=5*N//batch_size)`): Keras'
  // CosineDecay.__call__ takes the warm-up branch only when warmup_target is not None, so the curve is the plain cosine
  // from initial_learning_rate over decay_steps, clamped there: 1e-3 · ½(1 + cos(π·k/1000)).
  it('LR191: Keras CosineDecay warmup_steps without warmup_target is ignored (no warm-up, horizon decay_steps + 1)', async () => {
    const src = 'import tensorflow as tf\nscheduler = tf.keras.optimizers.schedules.CosineDecay(1e-3, 1000, warmup_steps=500)\n';
    const r = await analyze(src, 'python', { strict: true });
    const s = r.schedulers[0]!;
    const d = s.diagnostics.find((x) => x.code === 'LR191');
    assert.ok(d);
    assert.strictEqual(d.severity, 'warning');
    assert.match(d.message, /^warmup_steps=500 without warmup_target: Keras ignores the warm-up/);
    const lrs = s.curve!.lrs[0]!;
    assert.strictEqual(lrs.length, 1001);
    for (const k of [0, 250, 500, 1000]) assert.ok(Math.abs(lrs[k]! - 1e-3 * 0.5 * (1 + Math.cos(Math.PI * k / 1000))) < 1e-18, `${k}`);
    assert.ok(!codes(await diagnostics(src.replace('warmup_steps=500', 'warmup_steps=500, warmup_target=1e-2'))).includes('LR191'));
    assert.ok(!codes(await diagnostics(src.replace(', warmup_steps=500', ''))).includes('LR191'));
  });
});
