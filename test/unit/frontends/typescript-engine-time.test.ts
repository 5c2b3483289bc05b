/**
 * Engine time: the engine calls user functions (lr_lambda) after the analysis is over and
 * the syntax tree is deleted. The evaluator runs on its own IR, which holds no tree-sitter
 * node (proved at compile time below), and cannot reach the analysis (the Recorder) then.
 */
import * as assert from 'assert';
import type { Node } from '@vscode/tree-sitter-wasm';
import { PyError, type Arg } from '../../../src/engine/types';
import type { Stmt } from '../../../src/frontends/typescript/ir';
import { analyzeTs, callOf, HEADER } from './typescript-helpers';

/** T with every function removed (a tree-sitter Node has methods, so it does not survive this). */
type Plain<T> = T extends string | number | boolean | null | undefined ? T
  : T extends (...args: never[]) => unknown ? never
    : { [K in keyof T]: Plain<T[K]> };

// Compile-time proof (tsc compiles this file before mocha runs): the IR is plain data, so
// nothing the evaluator holds can point into the released tree...
export const irIsPlain = (s: Stmt): Plain<Stmt> => s;
// ...and the proof is not vacuous: a tree-sitter node is not plain data.
// @ts-expect-error a Node has methods
export const nodeIsNotPlain = (n: Node): Plain<Node> => n;

function funcArg(arg: Arg | undefined): Extract<Arg, { kind: 'func' }> {
  assert.ok(arg && arg.kind === 'func', `not a func: ${JSON.stringify(arg)}`);
  return arg;
}

describe('typescript frontend: engine-time calls', () => {
  it('run after the tree is deleted and its memory reused', async () => {
    const src = `${HEADER}const cfg = { warm: 4, decay: 0.5, every: 10 };\nfunction warm(e) { return Math.min(1, (e + 1) / cfg.warm); }\nconst s = new LambdaLR(opt, (e) => warm(e) * cfg.decay ** Math.floor(e / cfg.every));\n`;
    const res = await analyzeTs(src);
    // analyzeTs deleted the tree; parsing another file reuses the parser's memory.
    await analyzeTs(`${HEADER}${'const x = [1, 2, 3].map((v) => v * 2);\n'.repeat(200)}const t = new StepLR(opt, 30);\n`);
    const f = funcArg(callOf(res, 's').args['lr_lambda']);
    const expected = (e: number) => Math.min(1, (e + 1) / 4) * 0.5 ** Math.floor(e / 10);
    for (const e of [0, 1, 3, 9, 10, 25, 99]) assert.strictEqual(f.call(e), expected(e), `epoch ${e}`);
  });

  it('cannot record constructions or uses: what would need the analysis fails the call', async () => {
    const src = `${HEADER}const base = new StepLR(opt, 10);\nconst s = new LambdaLR(opt, (e) => { if (e >= 3) { base.step(); new ExponentialLR(opt, 0.5); } return 1; });\n`;
    const res = await analyzeTs(src);
    const f = funcArg(callOf(res, 's').args['lr_lambda']);
    const before = JSON.stringify([res.program, res.calls]);
    assert.strictEqual(f.call(2), 1);
    assert.throws(() => f.call(3), (e: unknown) => e instanceof PyError && e.type === 'UnknownValue' && /base\.step\(\)/.test(e.message));
    // Nothing recorded at engine time: the program and the calls (with their uses) are as analysed.
    assert.strictEqual(JSON.stringify([res.program, res.calls]), before);
    assert.strictEqual(callOf(res, 'base').uses.length, 1);
  });
});
