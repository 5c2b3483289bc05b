/**
 * Python's repr/str/type names as torch's messages print them (expected texts are what CPython 3.11 prints).
 */
import * as assert from 'assert';
import { pyRepr, pyTypeName } from '../../../src/engine';
import { pyFloat, pyMod } from '../../../src/engine/py';
import { PyError, type Arg } from '../../../src/engine/types';
import { bool, float, fn, int, list, none, str, tuple } from './helpers';

describe('engine/py', () => {
  const reprs: [Arg, string][] = [
    [int(5), '5'], [int(-3), '-3'], [int(0), '0'], [int(2 ** 53), '9007199254740992'],
    [float(2.0), '2.0'], [float(0.5), '0.5'], [float(1e-5), '1e-05'], [float(1e16), '1e+16'], [float(1e15), '1000000000000000.0'],
    [float(0.0001), '0.0001'], [float(1 / 3), '0.3333333333333333'], [float(0.1 + 0.2), '0.30000000000000004'],
    [float(-2.5e-7), '-2.5e-07'], [float(1.5e300), '1.5e+300'], [float(123456.789), '123456.789'], [float(-0.0), '-0.0'],
    [float(Infinity), 'inf'], [float(-Infinity), '-inf'], [float(NaN), 'nan'], [float(3e-4 * 0.01), '2.9999999999999997e-06'],
    [str('cos'), "'cos'"], [str("it's"), '"it\'s"'], [str('a\nb'), "'a\\nb'"], [str(''), "''"],
    [bool(true), 'True'], [bool(false), 'False'], [none, 'None'],
    [list(int(1), int(2)), '[1, 2]'], [list(), '[]'], [tuple(float(0.9), float(0.999)), '(0.9, 0.999)'], [tuple(int(1)), '(1,)'],
    [list(list(int(1)), tuple()), '[[1], ()]'], [{ kind: 'dict', entries: [['lr', float(0.1)]] }, "{'lr': 0.1}"],
  ];
  for (const [arg, text] of reprs) {
    it(`repr ${text}`, () => assert.strictEqual(pyRepr(arg), text));
  }

  const types: [Arg, string][] = [
    [int(1), 'int'], [float(1), 'float'], [str('a'), 'str'], [none, 'NoneType'], [list(), 'list'], [tuple(), 'tuple'],
    [bool(true), 'bool'], [fn('f', (x) => x), 'function'], [{ kind: 'dict', entries: [] }, 'dict'], [{ kind: 'object', typeName: 'Tensor' }, 'Tensor'],
  ];
  for (const [arg, name] of types) {
    it(`type name ${name}`, () => assert.strictEqual(pyTypeName(arg), name));
  }

  it('floored modulo and its ZeroDivisionError texts', () => {
    assert.strictEqual(pyMod(-1, 3, true), 2);
    assert.strictEqual(pyMod(1, -3, true), -2);
    assert.strictEqual(pyMod(7.5, 2.5, false), 0);
    assert.throws(() => pyMod(5, 0, true), (e: PyError) => e.type === 'ZeroDivisionError' && e.message === 'integer modulo by zero');
    assert.throws(() => pyMod(5, 0, false), (e: PyError) => e.message === 'float modulo');
  });

  it('float() of strings and non-numbers', () => {
    assert.strictEqual(pyFloat(str(' 2.5 ')), 2.5);
    assert.strictEqual(pyFloat(str('-inf')), -Infinity);
    assert.throws(() => pyFloat(str('abc')), (e: PyError) => e.type === 'ValueError' && e.message === "could not convert string to float: 'abc'");
    assert.throws(() => pyFloat(none), (e: PyError) => e.type === 'TypeError' && e.message === "float() argument must be a string or a real number, not 'NoneType'");
  });
});
