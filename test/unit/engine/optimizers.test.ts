/**
 * The torch 1.13 optimizer table (defaults checked by hand against torch 1.13.1 `optimizer.defaults`).
 */
import * as assert from 'assert';
import { makeOptimizer, OPTIMIZERS } from '../../../src/engine';

describe('engine/optimizers', () => {
  // [type, default lr (null = required), momentum in defaults, betas in defaults]
  const table: [string, number | null, number | undefined, [number, number] | undefined][] = [
    ['SGD', null, 0, undefined], ['Adam', 1e-3, undefined, [0.9, 0.999]], ['AdamW', 1e-3, undefined, [0.9, 0.999]],
    ['Adamax', 2e-3, undefined, [0.9, 0.999]], ['NAdam', 2e-3, undefined, [0.9, 0.999]], ['RAdam', 1e-3, undefined, [0.9, 0.999]],
    ['SparseAdam', 1e-3, undefined, [0.9, 0.999]], ['RMSprop', 1e-2, 0, undefined], ['Adagrad', 1e-2, undefined, undefined],
    ['Adadelta', 1.0, undefined, undefined], ['ASGD', 1e-2, undefined, undefined], ['Rprop', 1e-2, undefined, undefined],
    ['LBFGS', 1, undefined, undefined],
  ];
  for (const [type, lr, momentum, betas] of table) {
    it(`${type}: lr ${lr ?? 'required'}, momentum ${momentum ?? '-'}, betas ${betas ?? '-'}`, () => {
      const spec = OPTIMIZERS.get(type)!;
      assert.strictEqual(spec.lr, lr);
      const { optimizer, failure } = makeOptimizer(type, { lr: 0.5 }, null);
      assert.strictEqual(failure, null);
      assert.strictEqual(optimizer.groups[0]!.lr, 0.5);
      assert.strictEqual(optimizer.defaults.momentum, momentum);
      assert.deepStrictEqual(optimizer.defaults.betas, betas);
      assert.strictEqual(optimizer.groups[0]!.momentum, momentum);
    });
  }

  it('SGD without lr: torch 1.13 ValueError from add_param_group', () => {
    const { failure } = makeOptimizer('SGD', { momentum: 0.9 }, null);
    assert.deepStrictEqual(failure, {
      type: 'ValueError', message: "parameter group didn't specify a value of required optimization parameter lr", phase: 'construct', step: null, param: 'lr',
      rule: 'LR000',
    });
  });

  it('SGD without a top-level lr is fine when every group has one', () => {
    const { optimizer, failure } = makeOptimizer('SGD', { momentum: 0.9 }, [{ lr: 0.01 }, { lr: 0.1 }]);
    assert.strictEqual(failure, null);
    assert.deepStrictEqual(optimizer.groups.map((g) => [g.lr, g.momentum]), [[0.01, 0.9], [0.1, 0.9]]);
  });

  it('group keys win over kwargs, kwargs over class defaults; initial_lr is kept', () => {
    const { optimizer } = makeOptimizer('Adam', { lr: 0.1, betas: [0.8, 0.99] }, [{}, { lr: 0.2, betas: [0.5, 0.9], initial_lr: 0.3 }]);
    assert.deepStrictEqual(optimizer.groups, [
      { lr: 0.1, betas: [0.8, 0.99] },
      { lr: 0.2, betas: [0.5, 0.9], initial_lr: 0.3 },
    ]);
    assert.deepStrictEqual(optimizer.defaults.betas, [0.8, 0.99]);
  });

  const errors: [string, Parameters<typeof makeOptimizer>[1], string][] = [
    ['SGD', { lr: -1 }, 'Invalid learning rate: -1'],
    ['Adagrad', { lr: -1e-5 }, 'Invalid learning rate: -1e-05'],
    ['SGD', { lr: 0.1, momentum: -0.5 }, 'Invalid momentum value: -0.5'],
    ['RMSprop', { momentum: -1 }, 'Invalid momentum value: -1'],
    ['Adam', { lr: -0.1 }, 'Invalid learning rate: -0.1'],
    ['Adam', { betas: [1.5, 0.9] }, 'Invalid beta parameter at index 0: 1.5'],
    ['AdamW', { betas: [0.9, 1] }, 'Invalid beta parameter at index 1: 1'],
    // With the Python types known: floats keep their `.0`, ints do not.
    ['SGD', { lr: -1, ints: new Set() }, 'Invalid learning rate: -1.0'],
    ['SGD', { lr: 0.1, momentum: -2, ints: new Set(['momentum'] as const) }, 'Invalid momentum value: -2'],
    ['Adam', { betas: [0.9, 1], ints: new Set(['beta1'] as const) }, 'Invalid beta parameter at index 1: 1'],
    ['Adam', { betas: [1, 0.9], ints: new Set(['beta1'] as const) }, 'Invalid beta parameter at index 0: 1.0'],
  ];
  for (const [type, kwargs, message] of errors) {
    it(`${type} ${JSON.stringify({ ...kwargs, ints: kwargs.ints && [...kwargs.ints] })}: ValueError "${message}"`, () => {
      const { failure } = makeOptimizer(type, kwargs, null);
      assert.strictEqual(failure?.type, 'ValueError');
      assert.strictEqual(failure?.message, message);
    });
  }

  // The positional parameters after `params`, as `inspect.signature(torch.optim.<cls>)` lists them on
  // torch 1.13.1 (POSITIONAL_OR_KEYWORD, before the `*`).
  const positional: [string, string[]][] = [
    ['SGD', ['lr', 'momentum', 'dampening', 'weight_decay', 'nesterov']],
    ['Adam', ['lr', 'betas', 'eps', 'weight_decay', 'amsgrad']],
    ['AdamW', ['lr', 'betas', 'eps', 'weight_decay', 'amsgrad']],
    ['Adamax', ['lr', 'betas', 'eps', 'weight_decay', 'foreach']],
    ['NAdam', ['lr', 'betas', 'eps', 'weight_decay', 'momentum_decay', 'foreach']],
    ['RAdam', ['lr', 'betas', 'eps', 'weight_decay', 'foreach']],
    ['SparseAdam', ['lr', 'betas', 'eps', 'maximize']],
    ['RMSprop', ['lr', 'alpha', 'eps', 'weight_decay', 'momentum', 'centered', 'foreach', 'maximize', 'differentiable']],
    ['Adagrad', ['lr', 'lr_decay', 'weight_decay', 'initial_accumulator_value', 'eps', 'foreach']],
    ['Adadelta', ['lr', 'rho', 'eps', 'weight_decay', 'foreach']],
    ['ASGD', ['lr', 'lambd', 'alpha', 't0', 'weight_decay', 'foreach', 'maximize']],
    ['Rprop', ['lr', 'etas', 'step_sizes', 'foreach', 'maximize']],
    ['LBFGS', ['lr', 'max_iter', 'max_eval', 'tolerance_grad', 'tolerance_change', 'history_size', 'line_search_fn']],
  ];
  it('every torch 1.13 optimizer class has its positional parameters, in order', () => {
    assert.deepStrictEqual([...OPTIMIZERS.keys()].sort(), positional.map(([t]) => t).sort());
    for (const [type, params] of positional) assert.deepStrictEqual(OPTIMIZERS.get(type)!.params, params, type);
  });

  it('LBFGS does not check lr; unknown classes are generic optimizers', () => {
    assert.strictEqual(makeOptimizer('LBFGS', { lr: -1 }, null).failure, null);
    const lion = makeOptimizer('Lion', { lr: 1e-4, momentum: 0.9 }, null);
    assert.strictEqual(lion.failure, null);
    assert.deepStrictEqual(lion.optimizer.defaults, { lr: 1e-4 });
    assert.strictEqual(lion.optimizer.groups[0]!.momentum, undefined);
    assert.strictEqual(makeOptimizer('Lion', {}, null).failure?.type, 'UnknownLr');
  });
});
