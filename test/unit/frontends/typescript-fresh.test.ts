/**
 * TypeScript: each call of a function returns a fresh object, and an object made by code that is
 * not evaluated is unknown (never a plain object torch would reject).
 */
import * as assert from 'assert';
import { analyze } from '../../../src/analysis/analyze';

const HEAD = "import { optim, lr_scheduler as L } from 'torch';\n";

describe('frontends/typescript: fresh objects', () => {
  it('two instances built by one constructor own two optimizers (a method factory called twice)', async () => {
    const src = `${HEAD}function mk() { return new optim.Adam([], { lr: 0.1 }); }\n` +
      'class T {\n  constructor() {\n    this.a = mk();\n    this.b = mk();\n' +
      '    this.o = new L.OneCycleLR(this.b, { max_lr: 1.0, total_steps: 10 });\n    this.s = new L.StepLR(this.a, { step_size: 2 });\n  }\n}\nconst t = new T();\n';
    const r = await analyze(src, 'typescript', { strict: true, steps: 4 });
    const s = r.schedulers.find((x) => x.variable === 'this.s')!;
    // StepLR on `a` starts from a's own lr (0.1), untouched by OneCycleLR on `b`; gamma 0.1 every 2 steps.
    assert.deepStrictEqual(Array.from(s.curve!.lrs[0]!), [0.1, 0.1, 0.1 * 0.1, 0.1 * 0.1]);
  });

  it('a member of an instance of a user class is unknown, not an object torch would reject', async () => {
    const src = `${HEAD}class T {\n  constructor(o) { this.s = new L.StepLR(o, { step_size: 1 }); }\n}\n` +
      'const a = new optim.SGD([], { lr: 0.1 });\nconst t = new T(a);\nconst q = new L.SequentialLR(a, [t.s], []);\n';
    const r = await analyze(src, 'typescript', { strict: true });
    const q = r.schedulers.find((x) => x.variable === 'q')!;
    assert.strictEqual(q.failure, null, JSON.stringify(q.failure));
    assert.ok(!q.diagnostics.some((d) => d.severity === 'error'), JSON.stringify(q.diagnostics));
    assert.match(q.error ?? '', /`t\.s` is an object LR Lens does not evaluate/);
  });
});
