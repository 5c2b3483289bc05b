/**
 * The static evaluator, table-driven: each row evaluates an expression as ExponentialLR's
 * `gamma` (after an optional prelude) and checks the engine Arg. Values are JS's own: where a
 * value is not an obvious literal, the row computes it with the same expression in this test
 * file (the real JS engine is the oracle). Kinds follow the documented int/float rule.
 */
import * as assert from 'assert';
import type { Arg } from '../../../src/engine/types';
import { evalGamma, type TsGrammar } from './typescript-helpers';

interface Row {
  title: string;
  prelude?: string;
  expr: string;
  /** Expected Arg, or a pattern the unknown reason must match. */
  want: Arg | RegExp;
  grammar?: TsGrammar;
}

const int = (value: number): Arg => ({ kind: 'int', value });
const float = (value: number): Arg => ({ kind: 'float', value });
const str = (value: string): Arg => ({ kind: 'str', value });
const bool = (value: boolean): Arg => ({ kind: 'bool', value });

const LITERALS: Row[] = [
  { title: 'int literal', expr: '100', want: int(100) },
  { title: 'float literal with .0', expr: '100.0', want: float(100) },
  { title: 'exponent literal is float', expr: '1e-3', want: float(1e-3) },
  { title: 'positive exponent is float too', expr: '1e3', want: float(1000) },
  { title: 'leading-dot float', expr: '.5', want: float(0.5) },
  { title: 'numeric separators', expr: '1_000_000', want: int(1_000_000) },
  { title: 'hex', expr: '0x1F', want: int(31) },
  { title: 'octal', expr: '0o17', want: int(15) },
  { title: 'binary', expr: '0b101', want: int(5) },
  { title: 'bigint literal', expr: '100n', want: int(100) },
  { title: 'string', expr: "'exp_range'", want: str('exp_range') },
  { title: 'string escapes', expr: '"a\\tb\\u0041"', want: str('a\tbA') },
  { title: 'template without substitutions', expr: '`triangular2`', want: str('triangular2') },
  { title: 'template with known substitutions', expr: '`tri${"angular"}${2}`', want: str('triangular2') },
  { title: 'true', expr: 'true', want: bool(true) },
  { title: 'null is None', expr: 'null', want: { kind: 'none' } },
];

const ARITHMETIC: Row[] = [
  { title: 'int + int stays int', expr: '7 + 3', want: int(10) },
  { title: 'int * float is float', expr: '2 * 0.5', want: float(1) },
  { title: '/ always gives float', expr: '6 / 2', want: float(3) },
  { title: '/ value', expr: '7 / 2', want: float(3.5) },
  { title: '% is JS remainder (sign of dividend), int', expr: '-7 % 3', want: int(-7 % 3) },
  { title: '** int ** non-negative int is int', expr: '2 ** 10', want: int(1024) },
  { title: '** with negative exponent is float', expr: '2 ** -1', want: float(0.5) },
  { title: '** with float base', expr: '0.95 ** 3', want: float(0.95 ** 3) },
  { title: '** is right-associative', expr: '2 ** 3 ** 2', want: int(512) },
  { title: 'unary minus keeps kind', expr: '-(3)', want: int(-3) },
  { title: 'unary plus of a numeric string follows the literal rule', expr: '+"5"', want: int(5) },
  { title: 'bitwise or truncates to int', expr: '7.9 | 0', want: int(7) },
  { title: 'shift', expr: '1 << 4', want: int(16) },
  { title: 'precedence', expr: '1 + 2 * 3 - 4 / 2', want: float(5) },
  { title: 'string + number concatenates', expr: '"x" + 1', want: str('x1') },
  { title: 'int overflow is not rounded silently', expr: '2 ** 10000', want: /too large/ },
  { title: 'int beyond 2^53 is not rounded silently', expr: 'Number.MAX_SAFE_INTEGER + 2', want: /too large/ },
  { title: 'float overflow is inf', expr: '1e308 * 10', want: float(Infinity) },
];

const MATH: Row[] = [
  { title: 'Math.floor gives int', expr: 'Math.floor(7 / 2)', want: int(3) },
  { title: 'Math.ceil gives int', expr: 'Math.ceil(200 * 0.75)', want: int(150) },
  { title: 'Math.round rounds half up (JS)', expr: 'Math.round(-2.5)', want: int(-2) },
  { title: 'Math.trunc', expr: 'Math.trunc(-3.7)', want: int(-3) },
  { title: 'Math.max keeps the winner\'s kind (int)', expr: 'Math.max(3, 2.5)', want: int(3) },
  { title: 'Math.max keeps the winner\'s kind (float)', expr: 'Math.max(1, 2.5)', want: float(2.5) },
  { title: 'Math.min with spread', expr: 'Math.min(...[4, 2, 9])', want: int(2) },
  { title: 'Math.abs keeps kind', expr: 'Math.abs(-3)', want: int(3) },
  { title: 'Math.pow is float (as Python math.pow)', expr: 'Math.pow(2, 3)', want: float(8) },
  { title: 'Math.cos and Math.PI', expr: '0.5 * (1 + Math.cos(Math.PI * 30 / 100))', want: float(0.5 * (1 + Math.cos(Math.PI * 30 / 100))) },
  { title: 'Math.exp / Math.log', expr: 'Math.exp(Math.log(0.1) / 100)', want: float(Math.exp(Math.log(0.1) / 100)) },
  { title: 'Math.sqrt', expr: 'Math.sqrt(16)', want: float(4) },
  { title: 'Math.random is unknown', expr: 'Math.random()', want: /random/ },
  { title: 'parseInt gives int', expr: 'parseInt("42")', want: int(42) },
  { title: 'parseFloat gives float', expr: 'parseFloat("0.5")', want: float(0.5) },
  { title: 'Number() of a float string', expr: 'Number("1e-3")', want: float(1e-3) },
  { title: 'Number.EPSILON', expr: 'Number.EPSILON', want: float(Number.EPSILON) },
];

const LOGIC: Row[] = [
  { title: 'ternary', expr: '3 > 2 ? 0.5 : 0.1', want: float(0.5) },
  { title: '|| returns the operand', expr: '0 || 0.25', want: float(0.25) },
  { title: '&& returns the operand', expr: '1 && 0.4', want: float(0.4) },
  { title: '?? skips only null/undefined', expr: '0 ?? 0.3', want: int(0) },
  { title: '?? on null', expr: 'null ?? 0.3', want: float(0.3) },
  { title: '!', expr: '!0 ? 0.6 : 0', want: float(0.6) },
  { title: 'comparison gives bool', expr: '1 < 2', want: bool(true) },
  { title: '=== on strings', expr: '"a" === "a"', want: bool(true) },
  { title: '== converts', expr: '1 == "1"', want: bool(true) },
  { title: 'null == undefined', expr: 'null == undefined', want: bool(true) },
  { title: '=== ignores int/float (one JS number)', expr: '1 === 1.0', want: bool(true) },
  { title: 'typeof', expr: 'typeof 1 === "number" ? 0.5 : 0.1', want: float(0.5) },
  { title: 'comma operator', expr: '(1, 0.7)', want: float(0.7) },
  { title: 'unknown condition, equal branches', expr: 'process.env.X ? 0.5 : 0.5', want: float(0.5) },
  { title: 'unknown condition, different branches', expr: 'process.env.X ? 0.5 : 0.1', want: /depends on `process.env.X`/ },
  { title: 'unknown left of ||', expr: 'process.env.G || 0.5', want: /`process.env.G` is set at run time/ },
];

const BINDINGS: Row[] = [
  { title: 'const chain', prelude: 'const E = 10;\nconst W = E / 2;', expr: 'W', want: float(5) },
  { title: 'let with compound assignment', prelude: 'let x = 1;\nx += 2;\nx *= 3;', expr: 'x', want: int(9) },
  { title: 'update expressions', prelude: 'let i = 0;\ni++;\n++i;', expr: 'i', want: int(2) },
  { title: '??= and ||=', prelude: 'let a = null;\na ??= 0.5;\nlet b = 0;\nb ||= 0.25;', expr: 'a + b', want: float(0.75) },
  { title: 'block scope shadows', prelude: 'const g = 0.5;\n{ const g = 0.9; }', expr: 'g', want: float(0.5) },
  { title: 'var is function-scoped', prelude: '{ var v = 0.5; }', expr: 'v', want: float(0.5) },
  { title: 'statement order: later assignment not yet seen', prelude: 'let g = 0.5;\nconst h = g;\ng = 0.1;', expr: 'h', want: float(0.5) },
  { title: 'if with a known condition', prelude: 'let g = 0.1;\nif (2 > 1) { g = 0.2; } else { g = 0.3; }', expr: 'g', want: float(0.2) },
  { title: 'else-if chain', prelude: 'const N = 7;\nlet g;\nif (N < 5) g = 0.1;\nelse if (N < 10) g = 0.2;\nelse g = 0.3;', expr: 'g', want: float(0.2) },
  { title: 'unknown condition, binding differs', prelude: 'let g = 0.1;\nif (process.env.X) { g = 0.2; }', expr: 'g', want: /`g` depends on a condition known only at run time \(`process.env.X`\)/ },
  { title: 'unknown condition, binding equal', prelude: 'let g = 0.1;\nif (process.env.X) { g = 0.5; } else { g = 0.5; }', expr: 'g', want: float(0.5) },
  { title: 'unknown condition, branch that throws does not reach', prelude: 'let g = 0.1;\nif (process.env.X) { throw new Error("no"); } else { g = 0.4; }', expr: 'g', want: float(0.4) },
  { title: 'switch', prelude: 'let g;\nswitch (2) { case 1: g = 0.1; break; case 2: g = 0.2; break; default: g = 0.3; }', expr: 'g', want: float(0.2) },
  { title: 'switch falls through', prelude: 'let g = 0;\nswitch ("a") { case "a": g += 1; case "b": g += 2; break; default: g = 9; }', expr: 'g', want: int(3) },
  { title: 'loop run concretely', prelude: 'let s = 0;\nfor (const x of [1, 2, 3]) s += x;', expr: 's', want: int(6) },
  { title: 'while loop', prelude: 'let s = 0;\nwhile (s < 5) s += 2;', expr: 's', want: int(6) },
  { title: 'for loop with push', prelude: 'const ms = [];\nfor (let i = 1; i <= 3; i++) { ms.push(i * 30); }', expr: 'ms[2] / 10', want: float(9) },
  { title: 'loop over a run-time value', prelude: 'let g = 0.5;\nfor (const a of process.argv) { g = 0.1; }', expr: 'g', want: /`g` changes in a loop/ },
  { title: 'enum', prelude: 'enum C { A = 0.5, B }', expr: 'C.A', want: float(0.5) },
  { title: 'enum auto-increment', prelude: 'enum D { A = 3, B }', expr: 'D.B', want: int(4) },
];

const DATA: Row[] = [
  { title: 'member and subscript access', prelude: 'const cfg = { a: { b: [0.1, 0.2] } };', expr: "cfg.a.b[1] + cfg['a']['b'][0]", want: float(0.1 + 0.2) },
  { title: 'computed key', prelude: 'const k = "lr";\nconst cfg = { [k]: 0.5 };', expr: 'cfg[k]', want: float(0.5) },
  { title: 'shorthand properties', prelude: 'const lr = 0.5;\nconst cfg = { lr };', expr: 'cfg.lr', want: float(0.5) },
  { title: 'object spread of a known object', prelude: 'const base = { g: 0.5, h: 1 };\nconst o = { ...base, h: 2 };', expr: 'o.g * o.h', want: float(1) },
  { title: 'object spread of a run-time value is unknown', prelude: 'const o = { ...process.env, h: 2 };', expr: 'o.g', want: /`process.env` is set at run time/ },
  { title: 'key written after an unknown spread is known', prelude: 'const o = { ...process.env, h: 0.5 };', expr: 'o.h', want: float(0.5) },
  { title: 'array spread', expr: '[...[1, 2], 3][2]', want: int(3) },
  { title: 'length', expr: '"abc".length + [1, 2].length', want: int(5) },
  { title: 'member assignment', prelude: 'const cfg = { g: 0.1 };\ncfg.g = 0.5;', expr: 'cfg.g', want: float(0.5) },
  { title: 'nested member assignment', prelude: 'const cfg = { s: { g: 0.1 } };\ncfg.s.g = 0.7;', expr: 'cfg.s.g', want: float(0.7) },
  { title: 'missing property is undefined', prelude: 'const cfg = { lr: 1 };', expr: 'cfg.gamma ?? 0.5', want: float(0.5) },
  { title: '`constructor` is just a name', prelude: 'const o = { constructor: 0.25 };', expr: 'o.constructor', want: float(0.25) },
  { title: '`constructor` of a plain object is not Object', expr: '({}).constructor ?? 0.5', want: float(0.5) },
  { title: '`__proto__` as a computed own key', prelude: "const o = { ['__proto__']: 0.5 };", expr: "o['__proto__']", want: float(0.5) },
  { title: 'toString is not looked up on real objects', prelude: 'const o = {};', expr: 'o.toString ?? 0.5', want: float(0.5) },
  { title: 'object destructuring with defaults and rename', prelude: 'const { a, b: { c = 0.5 } } = { a: 1, b: {} };', expr: 'c', want: float(0.5) },
  { title: 'array destructuring with hole and default', prelude: 'const [x, , y = 0.7] = [1, 2];', expr: 'y', want: float(0.7) },
  { title: 'rest in destructuring', prelude: 'const { g, ...rest } = { g: 1, h: 0.5 };', expr: 'rest.h', want: float(0.5) },
  { title: 'optional chaining on null', prelude: 'const o = null;', expr: 'o?.g ?? 0.5', want: float(0.5) },
  { title: 'reading a property of undefined is a TypeError', prelude: 'const o = undefined;', expr: 'o.g', want: /TypeError: Cannot read properties of undefined \(reading 'g'\)/ },
  { title: 'array map with an arrow', expr: '[1, 2, 3].map((x) => x * 0.1)[2]', want: float([1, 2, 3].map((x) => x * 0.1)[2]!) },
  { title: 'Array.from with a length', expr: 'Array.from({ length: 3 }, (_, i) => (i + 1) * 30)[2]', want: int(90) },
  { title: 'reduce', expr: '[1, 2, 3].reduce((a, b) => a + b, 0)', want: int(6) },
  { title: 'Object.freeze is transparent', expr: 'Object.freeze({ g: 0.5 }).g', want: float(0.5) },
  { title: 'list value', expr: '[0.9, 0.999]', want: { kind: 'list', items: [float(0.9), float(0.999)] } },
  { title: 'object value becomes a dict', expr: '{ a: 1 }', want: { kind: 'dict', entries: [['a', int(1)]] } },
];

const TYPES: Row[] = [
  { title: 'as const', expr: '(0.5 as const)', want: float(0.5) },
  { title: 'satisfies', expr: '(0.5 satisfies number)', want: float(0.5) },
  { title: 'non-null assertion', prelude: 'const cfg = { g: 0.5 };', expr: 'cfg!.g!', want: float(0.5) },
  { title: 'angle-bracket assertion (.ts only)', expr: '<number>0.5', want: float(0.5) },
  { title: 'typed const', prelude: 'const G: number = 0.5;', expr: 'G', want: float(0.5) },
  { title: 'TSX: as expression', expr: '(0.5 as number)', want: float(0.5), grammar: 'tsx' },
  { title: 'JS grammar', prelude: 'const G = 0.25 * 2;', expr: 'G', want: float(0.5), grammar: 'javascript' },
];

const FUNCTIONS: Row[] = [
  { title: 'function declaration called with known args', prelude: 'function half(x) { return x / 2; }', expr: 'half(1)', want: float(0.5) },
  { title: 'hoisted function declaration', prelude: 'const g = half(1);\nfunction half(x) { return x / 2; }', expr: 'g', want: float(0.5) },
  { title: 'arrow with a block body and if/else', prelude: 'const f = (x) => { if (x > 1) { return 0.2; } else { return 0.3; } };', expr: 'f(2)', want: float(0.2) },
  { title: 'default parameter', prelude: 'const f = (x, y = 0.25) => y;', expr: 'f(1)', want: float(0.25) },
  { title: 'rest parameter', prelude: 'const f = (...xs) => xs.length;', expr: 'f(1, 2, 3)', want: int(3) },
  { title: 'closure over const', prelude: 'const BASE = 0.5;\nconst f = () => BASE;', expr: 'f()', want: float(0.5) },
  { title: 'recursion', prelude: 'function fact(n) { return n <= 1 ? 1 : n * fact(n - 1); }', expr: 'fact(5)', want: int(120) },
  { title: 'unbounded recursion is a RecursionError', prelude: 'function r(n) { return r(n + 1); }', expr: 'r(0)', want: /RecursionError/ },
  { title: 'endless loop hits the budget', prelude: 'function spin() { while (true) {} }', expr: 'spin()', want: /BudgetExceeded/ },
  { title: 'a helper that fails half-way leaves no assignment behind', prelude: 'let g = 0.5;\nfunction f() { g = 0.1; return Number(process.env.X); }\nconst r = f();', expr: 'g', want: float(0.5) },
  { title: 'a helper returning from inside a loop', prelude: 'function first(xs) { for (const x of xs) { if (x > 1) return x / 10; } return 0; }', expr: 'first([1, 5, 7])', want: float(0.5) },
  { title: 'a helper reading a run-time value', prelude: 'const f = () => Number(process.env.G);', expr: 'f()', want: /`process.env.G` is set at run time/ },
];

const UNKNOWNS: Row[] = [
  { title: 'process.env', expr: 'process.env.LR', want: /^`process.env.LR` is set at run time$/ },
  { title: 'Number(process.env.…)', expr: 'Number(process.env.LR)', want: /^`process.env.LR` is set at run time$/ },
  { title: 'an imported name', prelude: "import { GAMMA } from './config';", expr: 'GAMMA', want: /^`GAMMA` is imported from '.\/config'$/ },
  { title: 'a required name', prelude: "const cfg = require('./cfg.json');", expr: 'cfg.gamma', want: /imported from '.\/cfg.json'/ },
  { title: 'a name defined nowhere', expr: 'GAMMA_FROM_NOWHERE', want: /^`GAMMA_FROM_NOWHERE` is not defined in this file$/ },
  { title: 'a property of a run-time result', prelude: 'const args = parseArgs();', expr: 'args.gamma', want: /^`args.gamma` is set at run time$/ },
  { title: 'arithmetic keeps the first reason', prelude: 'const lr = process.env.LR;', expr: '2 * lr', want: /^`process.env.LR` is set at run time$/ },
  { title: 'a syntax error elsewhere does not hide the value', prelude: 'const broken = (1 + ;\nconst G = 0.5;', expr: 'G', want: float(0.5) },
];

const TABLES: [string, Row[]][] = [
  ['literals', LITERALS], ['arithmetic and the int/float rule', ARITHMETIC], ['Math and conversions', MATH],
  ['logic', LOGIC], ['bindings and control flow', BINDINGS], ['objects and arrays', DATA], ['type syntax', TYPES],
  ['functions', FUNCTIONS], ['unknowns with reasons', UNKNOWNS],
];

describe('typescript frontend: evaluator', () => {
  for (const [name, rows] of TABLES) {
    describe(name, () => {
      for (const r of rows) {
        it(`${r.title}: ${r.expr}`, async () => {
          const { arg, reason } = await evalGamma(r.expr, r.prelude ?? '', r.grammar);
          if (r.want instanceof RegExp) {
            assert.strictEqual(arg, undefined, `expected unknown, got ${JSON.stringify(arg)}`);
            assert.match(reason ?? '', r.want);
          } else {
            assert.deepStrictEqual(arg, r.want, `reason: ${reason}`);
          }
        });
      }
    });
  }
});
