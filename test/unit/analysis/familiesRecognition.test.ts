/**
 * The Python frontend recognises the other families' callables with any import style (docs/families.md),
 * pasted classes by name, and transformers' SchedulerType members as their values.
 */
import * as assert from 'assert';
import { analyze } from '../../../src/analysis/analyze';

const OPT = 'import torch\nopt = torch.optim.SGD(torch.nn.Linear(2, 2).parameters(), lr=0.1)\n';

const CASES: [string, string][] = [
  ['from transformers.optimization import get_cosine_schedule_with_warmup as gcs\ns = gcs(opt, 10, 100)', 'transformers.get_cosine_schedule_with_warmup'],
  ['import transformers as tr\ns = tr.get_scheduler("cosine", opt, num_warmup_steps=10, num_training_steps=100)', 'transformers.get_scheduler'],
  ['from transformers import optimization\ns = optimization.get_linear_schedule_with_warmup(opt, 10, 100)', 'transformers.get_linear_schedule_with_warmup'],
  ['from diffusers.optimization import get_scheduler\ns = get_scheduler("cosine", opt, num_warmup_steps=10, num_training_steps=100)', 'diffusers.get_scheduler'],
  ['from diffusers.optimization import get_cosine_schedule_with_warmup\ns = get_cosine_schedule_with_warmup(opt, 10, 100)', 'transformers.get_cosine_schedule_with_warmup'],
  ['from timm.scheduler.cosine_lr import CosineLRScheduler\ns = CosineLRScheduler(opt, t_initial=10)', 'timm.CosineLRScheduler'],
  ['import timm.scheduler as ts\ns = ts.StepLRScheduler(opt, decay_t=3, decay_rate=0.5)', 'timm.StepLRScheduler'],
  ['import timm\ns = timm.scheduler.PolyLRScheduler(opt, t_initial=10)', 'timm.PolyLRScheduler'],
  ['from cosine_annealing_warmup import CosineAnnealingWarmupRestarts\ns = CosineAnnealingWarmupRestarts(opt, 100)', 'katsura.CosineAnnealingWarmupRestarts'],
  ['from utils.lr import CosineAnnealingWarmupRestarts\ns = CosineAnnealingWarmupRestarts(opt, 100)', 'katsura.CosineAnnealingWarmupRestarts'],
  ['from pl_bolts.optimizers.lr_scheduler import LinearWarmupCosineAnnealingLR\ns = LinearWarmupCosineAnnealingLR(opt, 5, 50)', 'pl_bolts.LinearWarmupCosineAnnealingLR'],
  ['from tensorflow.keras.optimizers.schedules import PolynomialDecay\ns = PolynomialDecay(0.1, 100)', 'keras.PolynomialDecay'],
  ['import tensorflow as tf\ns = tf.keras.optimizers.schedules.InverseTimeDecay(0.1, 10, 0.5)', 'keras.InverseTimeDecay'],
  ['import keras\ns = keras.optimizers.schedules.CosineDecayRestarts(0.1, 100)', 'keras.CosineDecayRestarts'],
  ['import optax as ox\ns = ox.exponential_decay(0.1, 100, 0.5)', 'optax.exponential_decay'],
  ['from optax import schedules\ns = schedules.cosine_onecycle_schedule(1000, 0.1)', 'optax.cosine_onecycle_schedule'],
];

describe('the other families: recognition in Python', () => {
  for (const [src, kind] of CASES) {
    it(`${kind}: ${src.split('\n')[0]}`, async () => {
      const r = await analyze(OPT + src + '\n', 'python', { strict: true });
      const s = r.schedulers.find((x) => x.variable === 's');
      assert.ok(s, `not recognised (found ${r.schedulers.map((x) => x.kind).join(', ')})`);
      assert.strictEqual(s.kind, kind);
      assert.ok(s.curve, `no curve: ${s.error}`);
    });
  }

  it("a pasted class of another name is not katsura's", async () => {
    const r = await analyze(`${OPT}class CosineWarmup:\n    def __init__(self, optimizer, n):\n        self.n = n\ns = CosineWarmup(opt, 100)\n`, 'python', { strict: true });
    assert.deepStrictEqual(r.schedulers.map((x) => x.kind), []);
  });

  it('SchedulerType.COSINE is the name "cosine"', async () => {
    const named = await analyze(`${OPT}from transformers import get_scheduler\ns = get_scheduler("cosine", opt, num_warmup_steps=10, num_training_steps=100)\n`, 'python', { strict: true });
    const member = await analyze(`${OPT}from transformers import get_scheduler, SchedulerType\ns = get_scheduler(SchedulerType.COSINE, opt, num_warmup_steps=10, num_training_steps=100)\n`, 'python', { strict: true });
    assert.deepStrictEqual(Array.from(member.schedulers[0]!.curve!.lrs[0]!), Array.from(named.schedulers[0]!.curve!.lrs[0]!));
  });
});
