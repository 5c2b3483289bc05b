/**
 * A Keras schedule handed to the `LearningRateScheduler` callback (seventh audit: public Keras code, find_string
 * "optimizers.schedules.CosineDecayRestarts(": `callbacks = [tf.keras.callbacks.LearningRateScheduler(cdr)]`). The
 * callback calls the schedule at each epoch's start with the epoch index (Keras 3 `LearningRateScheduler.on_epoch_begin`:
 * `schedule(epoch, lr)`, and on TypeError `schedule(epoch)`), so its "steps" count epochs; LR Lens said "iterations".
 * Expected values: Keras 3 `CosineDecayRestarts.__call__` transcribed in /tmp/audit7f/truth/t06_keras_restarts.py
 * (initial 1e-3, first_decay_steps 100, t_mul 2, m_mul 0.3, alpha 0.001): 0.001 at 0, 0.0003007 at 100, 9.091e-05 at 300,
 * 2.7972999999999998e-05 at 700.
 */
import * as assert from 'assert';
import { run } from './pythonRun';

const src = (use: string) => `import tensorflow as tf

optimizer = tf.keras.optimizers.Adam(learning_rate=1e-3)
cdr = tf.keras.optimizers.schedules.CosineDecayRestarts(initial_learning_rate=1e-3, first_decay_steps=100, t_mul=2.0,
                                                        m_mul=0.3, alpha=0.001)
${use}
`;

describe('a Keras schedule in the LearningRateScheduler callback', () => {
  const HEADERS: Record<string, string> = {
    'tf.keras.callbacks.LearningRateScheduler(cdr)': '',
    'LearningRateScheduler(cdr)': 'from tensorflow.keras.callbacks import LearningRateScheduler\n',
    // The callback by the path its import resolves to, whatever the script calls it.
    'LRS(schedule=cdr)': 'from keras.callbacks import LearningRateScheduler as LRS\n',
    'keras.callbacks.LearningRateScheduler(cdr, verbose=1)': 'from tensorflow import keras\n',
  };
  for (const cb of Object.keys(HEADERS)) {
    it(`${cb}: one value per epoch (the epoch index), said so`, async () => {
      const header = HEADERS[cb]!;
      const s = (await run(src(`${header}callbacks = [${cb}]`))).schedulers[0]!;
      assert.strictEqual(s.unit, 'epoch');
      assert.ok(s.notes.some((n) => /once per epoch/.test(n)), JSON.stringify(s.notes));
      const lrs = s.curve!.lrs[0]!;
      const expect: [number, number][] = [[0, 0.001], [100, 0.0003007], [300, 9.091e-05], [700, 2.7972999999999998e-05]];
      for (const [k, v] of expect) assert.ok(Math.abs(lrs[k]! - v) <= 1e-6 * v, `${k}: ${lrs[k]} vs ${v}`);
    });
  }

  it('given to another callable of the same name: iterations, as before', async () => {
    const s = (await run(src('from mylib import LearningRateScheduler\ncallbacks = [LearningRateScheduler(cdr)]'))).schedulers[0]!;
    assert.strictEqual(s.unit, 'iteration');
  });

  it('given to the optimizer: iterations, as before', async () => {
    const s = (await run(src('opt2 = tf.keras.optimizers.Adam(learning_rate=cdr)'))).schedulers[0]!;
    assert.strictEqual(s.unit, 'iteration');
    assert.ok(!s.notes.some((n) => /once per epoch/.test(n)));
  });
});
