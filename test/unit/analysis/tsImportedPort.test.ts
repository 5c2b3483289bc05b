/**
 * A torch scheduler name imported in TS/JS from a module that is not torch's notation (sixth audit). jehaad1/Deepbox
 * (`import { OneCycleLR, StepLR, LinearLR } from "deepbox/optim"`, docs/examples/16-lr-schedulers/index.ts) is a
 * "PyTorch-inspired" library whose classes are not torch's: its constructors do not step (every value comes one step
 * late), its OneCycleLR is another formula, its LinearLR takes any positive endFactor. LR Lens drew torch's curves
 * with nothing said and claimed an error "ValueError: Ending multiplicative factor expected to be between 0 and 1."
 * Expected values: Deepbox's src/optim/schedulers.ts @ 916421f bundled with esbuild and run in node
 * (/tmp/audit6f/truth/deepbox/t03_deepbox.ts, t03c.ts): LinearLR(startFactor 1, endFactor 10, totalIters 5) on lr 0.01
 * runs to 0.1 without raising; StepLR(stepSize 3, gamma 0.5) on 0.1 gives 0.1 ×4 then 0.05 — torch 1.13's gives 0.1 ×3.
 */
import * as assert from 'assert';
import { analyze } from '../../../src/analysis/analyze';

const ts = (src: string) => analyze(src, 'typescript', { strict: true });
const PORT = `import { Adam, LinearLR, StepLR } from "deepbox/optim";
declare const params: unknown[];
const opt = new Adam(params, { lr: 0.01 });
`;

describe('TS/JS: a torch scheduler name imported from another module (a port LR Lens does not read)', () => {
  it('a value torch rejects but the port accepts (Deepbox LinearLR endFactor 10): no error, the stand-in named', async () => {
    const r = await ts(`${PORT}const warm = new LinearLR(opt, { startFactor: 1.0, endFactor: 10.0, totalIters: 5 });\n`);
    const s = r.schedulers.find((x) => x.variable === 'warm')!;
    const ds = [...r.diagnostics, ...s.diagnostics];
    assert.deepStrictEqual(ds.filter((d) => d.severity === 'error' || d.severity === 'warning').map((d) => d.message), []);
    assert.ok(ds.some((d) => /would raise if class is torch's LinearLR/.test(d.message)), ds.map((d) => d.message).join('\n'));
  });

  it('the curve (torch\'s, not the port\'s: Deepbox steps one value late) carries the class assumption', async () => {
    const r = await ts(`${PORT}const s = new StepLR(opt, { stepSize: 3, gamma: 0.5 });\n`);
    const s = r.schedulers.find((x) => x.variable === 's')!;
    const cls = s.assumed.find((a) => a.what === 'class');
    assert.ok(cls, JSON.stringify(s.assumed));
    assert.strictEqual(cls.value, "torch's StepLR");
    assert.match(cls.why, /imported from `deepbox\/optim`, which LR Lens does not read/);
    assert.strictEqual(cls.placeholder, true);
  });

  it('require() of another module is the same assumption', async () => {
    const r = await ts(`const { SGD, StepLR } = require("deepbox/optim");\nconst opt = new SGD([], { lr: 0.1 });\nconst s = new StepLR(opt, { stepSize: 3 });\n`);
    assert.ok(r.schedulers.find((x) => x.variable === 's')!.assumed.some((a) => a.what === 'class'));
  });

  it("a module named for torch ('torch-ts', 'torch') is LR Lens's notation for torch itself: no assumption, torch's errors stay errors", async () => {
    for (const mod of ['torch-ts', 'torch', '@acme/torch']) {
      const r = await ts(`import { optim, LinearLR } from "${mod}";\nconst opt = optim.SGD([], { lr: 0.1 });\nconst s = new LinearLR(opt, { start_factor: 1.0, end_factor: 10.0, total_iters: 5 });\n`);
      const s = r.schedulers.find((x) => x.variable === 's')!;
      assert.deepStrictEqual(s.assumed.filter((a) => a.what === 'class'), [], mod);
      assert.ok(s.diagnostics.some((d) => d.severity === 'error' && /Ending multiplicative factor/.test(d.message)), mod);
    }
  });
});
