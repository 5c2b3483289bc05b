/**
 * User control and robustness: suppression comments, per-rule settings, torch failures
 * mapped to their rule ids (checked against the real PyTorch errors of the golden traces),
 * and lint never throwing.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { toFailure } from '../../../src/engine/build';
import { expectedPositiveInt, overstepped } from '../../../src/engine/errors';
import { applyRuleSettings, applySuppressions, CATALOGUE, failureDiagnostic, implementedRules, lintCall } from '../../../src/lint';
import type { Diagnostic, Range, RuleError } from '../../../src/analysis/types';
import { goldenTraces } from '../../golden';
import { diagnosticsOf, fakeCall, PY, show, TS } from './helpers';

const BLOG = 'from blog_scheduler import CosineAnnealingWarmUpRestarts\no = torch.optim.Adam(model.parameters(), lr=0.01)\n';
const CAWUR = 's = CosineAnnealingWarmUpRestarts(o, T_0=150, T_up=10, eta_max=0.1, gamma=0.5)';

const codes = (ds: Diagnostic[]) => ds.map((d) => d.code).sort();

describe('lint suppression comments', () => {
  it('reports LR141 without a comment (baseline)', async () => {
    assert.ok(codes(await diagnosticsOf(PY + BLOG + CAWUR)).includes('LR141'));
  });
  it('# lr-lens: ignore[LR141] on the diagnostic\'s line silences it', async () => {
    const text = PY + BLOG.replace('lr=0.01)', 'lr=0.01)  # lr-lens: ignore[LR141]') + CAWUR;
    assert.ok(!codes(await diagnosticsOf(text)).includes('LR141'));
  });
  it('# lr-lens: ignore[LR141] on the line where the call starts silences it', async () => {
    const text = PY + BLOG + CAWUR + '  # lr-lens: ignore[LR141]';
    assert.ok(!codes(await diagnosticsOf(text)).includes('LR141'));
  });
  it('other ids in the brackets do not silence LR141', async () => {
    const text = PY + BLOG + CAWUR + '  # lr-lens: ignore[LR145, LR003]';
    assert.ok(codes(await diagnosticsOf(text)).includes('LR141'));
  });
  it('a bare ignore silences every rule on that line', async () => {
    const text = PY + 's = L.StepLR(opt, step_size=0, verbose=True)  # lr-lens: ignore\n';
    const cs = codes(await diagnosticsOf(text));
    assert.ok(!cs.includes('LR003') && !cs.includes('LR020'), cs.join(', '));
  });
  it('ids are case-insensitive and a list can name several', async () => {
    const text = PY + 's = L.StepLR(opt, step_size=0, verbose=True)  # lr-lens: ignore[lr003,LR020]\n';
    const cs = codes(await diagnosticsOf(text));
    assert.ok(!cs.includes('LR003') && !cs.includes('LR020'), cs.join(', '));
  });
  it('the marker inside a string is not a comment', async () => {
    const text = PY + 's = L.StepLR(opt, step_size=10, verbose="# lr-lens: ignore")\n';
    assert.ok(codes(await diagnosticsOf(text)).includes('LR003'));
  });
  it('// lr-lens: ignore[LR003] works in TypeScript', async () => {
    const fire = TS + 'const s = new L.StepLR(opt, { step_size: 10, verbose: true });\n';
    assert.ok(codes(await diagnosticsOf(fire, 'typescript')).includes('LR003'));
    const quiet = TS + 'const s = new L.StepLR(opt, { step_size: 10, verbose: true }); // lr-lens: ignore[LR003]\n';
    assert.ok(!codes(await diagnosticsOf(quiet, 'typescript')).includes('LR003'));
  });
  it('a comment on another line does not silence', async () => {
    const text = PY + '# lr-lens: ignore[LR003]\n\ns = L.StepLR(opt, step_size=10, verbose=True)\n';
    assert.ok(codes(await diagnosticsOf(text)).includes('LR003'));
  });
  it('applySuppressions works on plain diagnostics with and without the call range', () => {
    const r = (line: number): Range => ({ start: { line, character: 4 }, end: { line, character: 8 } });
    const ds: Diagnostic[] = [{ severity: 'warning', code: 'LR141', message: 'm', range: r(1) }];
    const text = 's = X(  # lr-lens: ignore[LR141]\n  o)\n';
    assert.strictEqual(applySuppressions(ds, text).length, 1);
    assert.strictEqual(applySuppressions(ds, text, { start: { line: 0, character: 4 }, end: { line: 1, character: 4 } }).length, 0);
  });
});

describe('lint rule settings', () => {
  const text = PY + 's = L.StepLR(opt, step_size=10, verbose=True)\n';
  it("'off' removes a rule's diagnostics", async () => {
    assert.ok(codes(await diagnosticsOf(text)).includes('LR003'));
    assert.ok(!codes(await diagnosticsOf(text, 'python', { rules: { LR003: 'off' } })).includes('LR003'));
  });
  it('a severity replaces the rule\'s own', async () => {
    const ds = await diagnosticsOf(text, 'python', { rules: { lr003: 'error' } });
    assert.strictEqual(ds.find((d) => d.code === 'LR003')?.severity, 'error');
  });
  it('leaves other rules and junk settings alone', () => {
    const ds: Diagnostic[] = [
      { severity: 'warning', code: 'LR003', message: 'a', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } },
      { severity: 'error', code: 'LR020', message: 'b', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } },
    ];
    const out = applyRuleSettings(ds, { LR020: 'hint', LR003: 'loud' as never, __proto__: 'off' as never });
    assert.deepStrictEqual(out.map((d) => [d.code, d.severity]), [['LR003', 'warning'], ['LR020', 'hint']]);
    assert.strictEqual(applyRuleSettings(ds, undefined), ds);
  });
});

describe('torch failures map to their rule ids (golden PyTorch errors)', () => {
  const cases = goldenTraces().cases.filter((c) => c.expect_error);
  // The rule for each real torch error, from docs/torch-schedulers.md §7.
  const expected: Record<string, string> = {
    custom_err_t0_zero: 'LR140', custom_err_tmult_half: 'LR140', constantlr_err_factor: 'LR040', linearlr_err_start_gt1: 'LR050',
    cyclic_err_adam_default_momentum: 'LR090', onecycle_err_overstep: 'LR106',
  };
  it('covers every golden error case', () => {
    assert.deepStrictEqual(cases.map((c) => c.id).sort(), Object.keys(expected).sort());
  });
  for (const c of cases) {
    it(`${c.id} → ${expected[c.id]}, once, as an error with torch's text`, async () => {
      const ds = await diagnosticsOf(c.source, 'python', { steps: c.steps });
      const mine = ds.filter((d) => d.code === expected[c.id]);
      assert.strictEqual(mine.length, 1, show(ds));
      assert.strictEqual(mine[0]!.severity, 'error');
      assert.ok(mine[0]!.message.includes(`${c.error!.type}: ${c.error!.message}`), mine[0]!.message);
      assert.ok(!ds.some((d) => d.code === 'LR000' && d.severity === 'error'), show(ds));
    });
  }
  it('maps CosineAnnealingWarmRestarts T_0 and OneCycleLR overstep without a source', () => {
    const call = fakeCall('CosineAnnealingWarmRestarts', ['T_0']);
    const d = failureDiagnostic(call, toFailure(expectedPositiveInt('T_0', { kind: 'int', value: 0 }, 'LR080'), 'construct', null));
    assert.deepStrictEqual([d.code, d.severity, d.range], ['LR080', 'error', call.argInfo[0]!.range]);
    const o = fakeCall('OneCycleLR', []);
    const d2 = failureDiagnostic(o, toFailure(overstepped(12, '10'), 'step', 11));
    assert.deepStrictEqual([d2.code, d2.range], ['LR106', o.calleeRange]);
    assert.ok(d2.message.includes('step() call 11'));
  });
  it('a failure caused by an assumed value is information, not an error', () => {
    const call = fakeCall('StepLR', ['step_size']);
    call.argInfo[0]!.known = false;
    call.argInfo[0]!.assumed = true;
    const d = failureDiagnostic(call, { type: 'ZeroDivisionError', message: 'integer modulo by zero', phase: 'step', step: 1, param: 'step_size', rule: 'LR020' });
    assert.deepStrictEqual([d.code, d.severity], ['LR020', 'information']);
  });
});

describe('lint never throws', () => {
  it('survives a malformed construction and returns plain data', () => {
    const call = fakeCall('CosineAnnealingWarmUpRestarts', ['T_0']);
    (call as unknown as { args: unknown }).args = { T_0: { kind: 'int', value: 5 }, eta_max: null };
    (call as unknown as { uses: unknown }).uses = [null];
    const errors: RuleError[] = [];
    const ds = lintCall({ call, calls: [call], program: { optimizers: [], schedulers: [] }, sim: null, horizon: NaN, text: '', onRuleError: (e) => errors.push(e) });
    assert.ok(Array.isArray(ds));
    // The rules that broke on it are skipped, and said.
    assert.ok(errors.length > 0 && errors.every((e) => e.kind === 'CosineAnnealingWarmUpRestarts'), String(errors.length));
  });
  it('handles hostile argument names', () => {
    const call = fakeCall('StepLR', ['__proto__', 'constructor']);
    assert.doesNotThrow(() => lintCall({ call, calls: [call], program: { optimizers: [], schedulers: [] }, sim: null, horizon: 10, text: 'x', strict: true }));
  });
});

describe('the catalogue is complete and documented', () => {
  const semantics = fs.readFileSync(path.resolve(__dirname, '../../../../docs/torch-schedulers.md'), 'utf8');
  const table = semantics.slice(semantics.indexOf('## 7. Lint rules'));
  const specIds = [...new Set([...table.matchAll(/^\| (LR\d{3}) \|/gm)].map((m) => m[1]!))].sort();
  const doc = fs.readFileSync(path.resolve(__dirname, '../../../../docs/rules.md'), 'utf8');

  it('reads the §7 table', () => assert.ok(specIds.length >= 70, String(specIds.length)));
  it('implements every rule of docs/torch-schedulers.md §7', () => {
    const implemented = new Set(implementedRules());
    assert.deepStrictEqual(specIds.filter((id) => !implemented.has(id)), []);
  });
  it('gives every rule the severity of §7', () => {
    const rows = [...table.matchAll(/^\| (LR\d{3}) \|[^|]*\| (error|warning|info|error\/warning) \|/gm)];
    assert.strictEqual(rows.length, specIds.length, 'every row has a severity');
    for (const m of rows) {
      const want = m[2] === 'info' ? 'information' : m[2] === 'error/warning' ? 'error' : m[2];
      assert.strictEqual(CATALOGUE.get(m[1]!)?.severity, want, m[1]);
    }
  });
  it('documents every rule under its anchor in docs/rules.md', () => {
    for (const id of [...CATALOGUE.keys()]) {
      assert.ok(doc.includes(`<a id="${id.toLowerCase()}"></a>${id}`), `no anchor for ${id}`);
      assert.ok(doc.includes(`[${id}](#${id.toLowerCase()})`), `no index row for ${id}`);
    }
  });
});

describe('unknown arguments are never an error', () => {
  const snippets = [
    's = L.CosineAnnealingWarmRestarts(opt, T_0=cfg.T0, T_mult=cfg.mult)',
    's = L.OneCycleLR(opt, max_lr=0.1, total_steps=len(loader) * EPOCHS)',
    's = L.StepLR(opt, step_size=args.step, gamma=args.gamma)',
    'o = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=args.m)\ns = L.CyclicLR(o, base_lr=0.001, max_lr=0.1, step_size_up=10)',
    'o = make_optimizer(model)\ns = L.CyclicLR(o, base_lr=0.001, max_lr=0.1, step_size_up=10)',
    'from blog_scheduler import CosineAnnealingWarmUpRestarts\no = torch.optim.Adam(model.parameters(), lr=args.lr)\n' +
      's = CosineAnnealingWarmUpRestarts(o, T_0=150, T_up=10, eta_max=0.1)',
    's = L.MultiStepLR(opt, milestones=args.milestones)',
    'a = L.ConstantLR(opt)\ns = L.SequentialLR(opt, schedulers=[a, get_other(opt)], milestones=[args.m])',
  ];
  for (const src of snippets) {
    it(src.split('\n').pop()!, async () => {
      const ds = await diagnosticsOf(PY + src);
      const errors = ds.filter((d) => d.severity === 'error' || d.code === 'LR141');
      assert.deepStrictEqual(errors, [], show(errors));
    });
  }
});
