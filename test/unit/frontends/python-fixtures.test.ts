/** Realistic files (test/unit/fixtures/python) with explicit expectations. */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { analyze, callOf } from './python-helpers';

// out/test/unit/language → test/unit/fixtures/python in the source tree.
const FIXTURES = path.resolve(__dirname, '../../../../test/unit/fixtures/python');
const read = (name: string) => fs.readFileSync(path.join(FIXTURES, name), 'utf8');
const info = (call: ReturnType<typeof callOf>, name: string) => call.argInfo.find((a) => a.name === name)!;

describe('python frontend: fixture files', () => {
  it('train_argparse.py: argparse defaults are labelled assumptions; a missing default makes the lambda unknown', async () => {
    const res = await analyze(read('train_argparse.py'));
    const warmup = callOf(res, 'warmup');
    const cosine = callOf(res, 'cosine');
    const seq = callOf(res, 'scheduler');
    assert.deepStrictEqual(cosine.args['T_max'], { kind: 'int', value: 85 });
    assert.strictEqual(info(cosine, 'T_max').assumed, true);
    assert.ok(info(cosine, 'T_max').origin?.includes('default of --epochs'));
    assert.deepStrictEqual(seq.args['milestones'], { kind: 'list', items: [{ kind: 'int', value: 5 }] });
    assert.strictEqual(info(seq, 'milestones').assumed, true);
    assert.deepStrictEqual([warmup.memberOf, cosine.memberOf], [seq.schedulerIndex, seq.schedulerIndex]);
    assert.deepStrictEqual(seq.uses.map((u) => u.method), ['step']);
    assert.deepStrictEqual(seq.optimizer?.groupLrs, [0.1]);
    assert.ok(seq.optimizer?.assumptions[0]?.includes('default of --lr'));
    const decay = callOf(res, 'decay');
    assert.strictEqual(decay.schedulerIndex, null);
    assert.strictEqual(decay.unknownReason, '`lr_lambda`: `<lambda>` uses `args.decay`: `args.decay` is set at run time (command-line argument)');
  });

  it('lightning_module.py: save_hyperparameters() defaults flow into configure_optimizers', async () => {
    const res = await analyze(read('lightning_module.py'));
    const s = callOf(res, 'scheduler');
    assert.deepStrictEqual(s.args['total_steps'], { kind: 'int', value: 10000 });
    assert.deepStrictEqual(s.args['max_lr'], { kind: 'float', value: 3e-4 });
    assert.deepStrictEqual(s.args['pct_start'], { kind: 'float', value: 0.1 });
    assert.ok(info(s, 'max_lr').origin?.includes('default of parameter `lr` of `__init__()`'));
    assert.strictEqual(s.optimizer?.type, 'AdamW');
    assert.deepStrictEqual(s.optimizer?.groupLrs, [3e-4]);
  });

  it('config_dataclass.py: dataclass config, helper called at module level, known branch taken, the other previewed', async () => {
    const res = await analyze(read('config_dataclass.py'));
    const m = res.calls.find((c) => c.kind === 'MultiStepLR')!;
    assert.strictEqual(m.kind, 'MultiStepLR');
    assert.deepStrictEqual(m.args['milestones'], { kind: 'list', items: [{ kind: 'int', value: 60 }, { kind: 'int', value: 90 }] });
    assert.deepStrictEqual(m.args['gamma'], { kind: 'float', value: 0.1 });
    // Two groups: lr * 10 and the top-level lr.
    assert.deepStrictEqual(m.optimizer?.groupLrs, [0.01, 0.001]);
    assert.deepStrictEqual(m.uses.map((u) => u.method), ['get_last_lr']);
    // The cosine branch does not run for this call's config: previewed all the same (issue 10, item 6), with
    // the config's epochs and the same optimizer, and labelled as the branch those values do not take.
    const cos = res.calls.find((c) => c.kind === 'CosineAnnealingLR')!;
    assert.deepStrictEqual(cos.args['T_max'], { kind: 'int', value: 120 });
    assert.deepStrictEqual(cos.optimizer?.groupLrs, [0.01, 0.001]);
    assert.deepStrictEqual(cos.branch, { note: 'on the branch `cfg.schedule == "cosine"`, not taken with the assumed values (from the call at line 33)', taken: false });
    assert.strictEqual(m.branch, undefined, 'built by the call itself, not by the walk of the branch');
  });

  it('half_typed.py: an unfinished def and call do not hide the finished construction', async () => {
    const res = await analyze(read('half_typed.py'));
    const first = callOf(res, 'first');
    assert.deepStrictEqual(first.args['gamma'], { kind: 'float', value: 0.5 });
    assert.strictEqual(res.diagnostics.length, 0);
  });
});
