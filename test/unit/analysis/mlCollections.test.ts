/**
 * ml_collections (eighth audit, google/flax examples: wmt/, lm1b/, ppo/): `configs/default.py`'s `get_config()` builds a
 * `ml_collections.ConfigDict()` field by field; `main.py` declares `config_flags.DEFINE_config_file('config',
 * 'configs/default.py')` and passes `FLAGS.config` to `train.train_and_evaluate(config, workdir)`, whose optax schedules
 * read `config.learning_rate`, `config.warmup_steps`. Every ConfigDict was "made by code LR Lens does not evaluate" and
 * `FLAGS.config` "an absl flag no file LR Lens read declares", so no schedule of those examples was previewed. Now a
 * ConfigDict is an attribute bag (ml_collections/config_dict/config_dict.py at 5f7343a: dicts given to it become
 * ConfigDicts, `update` recurses into ConfigDict fields) and a config flag's value is its default file's `get_config()`,
 * labelled as a default the command line may change. Expected values: optax's formulas (optax/schedules/_schedule.py,
 * docs/families.md): linear_schedule `init + (end − init) · min(count, T) / T`; cosine_decay_schedule
 * `init · 0.5 · (1 + cos(π · min(count, T) / T))`.
 */
import * as assert from 'assert';
import { analyze } from '../../../src/analysis/analyze';
import type { SchedulerAnalysis } from '../../../src/analysis/types';
import type { WorkspaceHost } from '../../../src/analysis/workspace';

async function run(files: Record<string, string>, file: string): Promise<SchedulerAnalysis[]> {
  const host: WorkspaceHost = { readFile: async (p) => (files[p] === undefined ? undefined : new TextEncoder().encode(files[p])) };
  return (await analyze(files[file]!, 'python', { strict: true, workspace: { host, root: '/r', file } })).schedulers;
}

const DEFAULT = `import ml_collections


def get_config():
  """Get the default hyperparameter configuration."""
  config = ml_collections.ConfigDict()
  config.learning_rate = 0.002
  config.warmup_steps = 1000
  config.num_train_steps = 500_000
  config.optim = {'end': 0.0001}
  return config
`;

const MAIN = (define: string) => `from absl import app
from absl import flags
from ml_collections import config_flags
import optax

FLAGS = flags.FLAGS
${define}


def main(argv):
  config = FLAGS.config
  warmup = optax.linear_schedule(init_value=0.0, end_value=config.learning_rate, transition_steps=config.warmup_steps)
  decay = optax.cosine_decay_schedule(config['learning_rate'], config.num_train_steps, alpha=config.optim.end / config.learning_rate)


if __name__ == '__main__':
  app.run(main)
`;

describe('ml_collections: ConfigDict and config flags', () => {
  it('DEFINE_config_file with configs/default.py: FLAGS.config is its get_config(), each value labelled as the flag\'s default', async () => {
    const main = MAIN("config_flags.DEFINE_config_file('config', 'configs/default.py', 'File path to the training hyperparameter configuration.', lock_config=True)");
    const ss = await run({ '/r/main.py': main, '/r/configs/default.py': DEFAULT }, '/r/main.py');
    const warmup = ss.find((s) => s.variable === 'warmup');
    assert.ok(warmup?.curve, JSON.stringify(ss.map((s) => [s.variable, s.error])));
    const lrs = warmup.curve.lrs[0]!;
    for (const k of [0, 1, 500, 1000, 1100]) assert.ok(Math.abs(lrs[k]! - 0.002 * Math.min(k, 1000) / 1000) < 1e-15, `${k}: ${lrs[k]}`);
    const a = warmup.assumed.find((x) => x.what === 'end_value');
    assert.ok(a && a.value === 0.002 && /config flag --config/.test(a.why) && /configs\/default\.py/.test(a.why), JSON.stringify(warmup.assumed));
    // A dict set on a ConfigDict is a ConfigDict (`config.optim.end`); `config['learning_rate']` is the same field.
    const decay = ss.find((s) => s.variable === 'decay');
    assert.ok(decay?.curve, JSON.stringify(decay?.error));
    const T = 500_000;
    const alpha = 0.0001 / 0.002;
    for (const k of [0, 250_000, T]) {
      const want = 0.002 * ((1 - alpha) * 0.5 * (1 + Math.cos(Math.PI * Math.min(k, T) / T)) + alpha);
      assert.ok(Math.abs(decay.curve.lrs[0]![k]! - want) <= 1e-12 * want, `${k}: ${decay.curve.lrs[0]![k]} vs ${want}`);
    }
  });

  it('DEFINE_config_file without a default: the config is the command line\'s, unknown with that reason', async () => {
    const main = MAIN("config_flags.DEFINE_config_file('config', None, 'File path to the training hyperparameter configuration.')");
    const ss = await run({ '/r/main.py': main, '/r/configs/default.py': DEFAULT }, '/r/main.py');
    const warmup = ss.find((s) => s.variable === 'warmup')!;
    assert.strictEqual(warmup.curve, null);
    assert.ok(/given on the command line/.test(warmup.error ?? ''), warmup.error ?? '');
  });

  it('DEFINE_config_dict and `_CONFIG.value`; ConfigDict({...}) converts nested dicts; update recurses into a ConfigDict field', async () => {
    const main = `from absl import app
from ml_collections import config_dict, config_flags
import optax


def get_config():
  return config_dict.ConfigDict({'schedule': {'init': 0.1, 'steps': 10, 'end': 0.0}, 'seed': 0})


_CONFIG = config_flags.DEFINE_config_dict('config', get_config())


def main(argv):
  config = _CONFIG.value
  config.update({'schedule': {'steps': 20}})
  sched = optax.linear_schedule(config.schedule.init, config.schedule.get('end', 1.0), config.schedule['steps'])


if __name__ == '__main__':
  app.run(main)
`;
    const ss = await run({ '/r/main.py': main }, '/r/main.py');
    const s = ss.find((x) => x.variable === 'sched');
    assert.ok(s?.curve, JSON.stringify(ss.map((x) => [x.variable, x.error])));
    const lrs = s.curve.lrs[0]!;
    // init 0.1 (kept by the recursive update), end 0.0, 20 steps.
    for (const k of [0, 5, 10, 20]) assert.ok(Math.abs(lrs[k]! - (0.1 + (0 - 0.1) * Math.min(k, 20) / 20)) < 1e-15, `${k}: ${lrs[k]}`);
    assert.ok(s.assumed.some((a) => a.what === 'init_value' && /DEFINE_config_dict/.test(a.why)), JSON.stringify(s.assumed));
  });

  it('`from configs import default` with configs/ a folder without __init__.py (flax\'s train_test.py): its get_config() is read', async () => {
    const src = `from configs import default
import optax

config = default.get_config()
sched = optax.cosine_decay_schedule(config.learning_rate, 100)
`;
    const ss = await run({ '/r/train_test.py': src, '/r/configs/default.py': DEFAULT }, '/r/train_test.py');
    const s = ss.find((x) => x.variable === 'sched');
    assert.ok(s?.curve, JSON.stringify(ss.map((x) => [x.variable, x.error])));
    assert.strictEqual(s.curve.lrs[0]![0], 0.002);
    assert.deepStrictEqual(s.assumed, []);
  });
});
