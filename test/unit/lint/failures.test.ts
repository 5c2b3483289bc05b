/**
 * Structured failures: lint takes a failure's rule id and argument from the engine's fields, never
 * from its text; every id the engine raises is in the catalogue; a rule that throws fails loudly in
 * strict mode and is reported (never hidden) otherwise.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { makeOptimizer } from '../../../src/engine';
import type { Arg, SimulationResult, TorchFailure } from '../../../src/engine/types';
import { CATALOGUE, failureDiagnostic, lintCall, type LintContext } from '../../../src/lint';
import type { RuleError } from '../../../src/analysis/types';
import { fakeCall } from './helpers';

const ENGINE = path.resolve(__dirname, '../../../../src/engine');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('rule ids the engine raises', () => {
  const ids = new Set(sources(ENGINE).flatMap((f) => [...fs.readFileSync(f, 'utf8').matchAll(/'(LR\d{3})'/g)].map((m) => m[1]!)));

  it('reads the ids from the engine sources', () => assert.ok(ids.size >= 30, [...ids].join(' ')));
  it('every one is in the catalogue', () => {
    assert.deepStrictEqual([...ids].filter((id) => !CATALOGUE.has(id)), []);
  });
});

/** A StepLR(opt, step_size=0) whose simulation failed with `failure`, as lint receives it. */
function stepSizeZero(failure: TorchFailure): LintContext {
  const call = fakeCall('StepLR', ['step_size']);
  const args: Record<string, Arg> = { step_size: { kind: 'int', value: 0 } };
  call.args = args;
  call.schedulerIndex = 0;
  const sim: SimulationResult = { lrs: [new Float64Array([0.1])], momentum: null, error: failure, markers: [], otherFailures: [] };
  const program = { optimizers: [makeOptimizer('SGD', { lr: 0.1 }, null).optimizer], schedulers: [{ kind: 'StepLR' as const, args, optimizer: 0 }] };
  return { call, calls: [call], program, sim, horizon: 10, text: 's = StepLR(opt, step_size=0)', strict: true };
}

describe('lint keys failures by rule id, not by text', () => {
  const base = { phase: 'step' as const, step: 1, param: 'step_size' };

  it('a reworded message keeps its rule and range', () => {
    const call = fakeCall('StepLR', ['step_size']);
    const torch = failureDiagnostic(call, { ...base, type: 'ZeroDivisionError', message: 'integer modulo by zero', rule: 'LR020' });
    const reworded = failureDiagnostic(call, { ...base, type: 'ZeroDivisionError', message: 'modulo of nothing', rule: 'LR020' });
    assert.deepStrictEqual([reworded.code, reworded.range], [torch.code, torch.range]);
    assert.deepStrictEqual([torch.code, torch.range], ['LR020', call.argInfo[0]!.range]);
  });

  it("the rule comes from the field even when the text is another rule's", () => {
    const call = fakeCall('CosineAnnealingWarmRestarts', ['T_0']);
    const d = failureDiagnostic(call, { type: 'ValueError', message: 'Expected positive integer T_0, but got 0', phase: 'construct', step: null, rule: 'LR140' });
    assert.strictEqual(d.code, 'LR140');
    // Without a parameter it points at the callee: no argument is read out of the message.
    assert.deepStrictEqual(d.range, call.calleeRange);
  });

  it("the matching rule's explanation and fixes join the failure, whatever its wording", () => {
    const failure: TorchFailure = { ...base, type: 'ZeroDivisionError', message: 'modulo of nothing', rule: 'LR020' };
    const input = stepSizeZero(failure);
    const findings = lintCall(input);
    // LR020's own finding is folded into the failure's diagnostic instead of being reported twice.
    assert.ok(!findings.some((d) => d.code === 'LR020'), JSON.stringify(findings));
    const d = failureDiagnostic(input.call, failure);
    assert.strictEqual(d.message, 'ZeroDivisionError: modulo of nothing (raised by step() call 1) — StepLR computes step % step_size; ' +
      'step_size must be a positive number of steps.');
  });

  it('a failure no rule describes leaves the findings alone (plain diagnostics, no lint bookkeeping)', () => {
    const input = stepSizeZero({ ...base, type: 'ZeroDivisionError', message: 'integer modulo by zero', rule: 'LR000' });
    const ds = lintCall(input);
    assert.ok(ds.some((d) => d.code === 'LR020'));
    for (const d of ds) assert.deepStrictEqual(Object.keys(d).filter((k) => !['severity', 'code', 'message', 'range', 'fixes'].includes(k)), []);
  });
});

/** A construction on which the CosineAnnealingWarmUpRestarts rule throws (its `uses` hold a hole). */
function breaking(): LintContext {
  const call = fakeCall('CosineAnnealingWarmUpRestarts', ['T_0']);
  call.unknownReason = 'T_0 is unknown';
  (call as unknown as { uses: unknown }).uses = [null];
  return { call, calls: [call], program: { optimizers: [], schedulers: [] }, sim: null, horizon: 10, text: '' };
}

describe('a rule that throws', () => {
  it('fails loudly in strict mode, naming the rule and the construction', () => {
    assert.throws(() => lintCall({ ...breaking(), strict: true }), (e: Error) => /rule LR140\/.*LR146 threw on CosineAnnealingWarmUpRestarts at line 2/.test(e.message));
  });

  it('is reported to onRuleError otherwise, and the other rules still report', () => {
    const errors: RuleError[] = [];
    const ds = lintCall({ ...breaking(), onRuleError: (e) => errors.push(e) });
    assert.deepStrictEqual(errors.map((e) => [e.rules.includes('LR141'), e.kind, e.at.line]), [[true, 'CosineAnnealingWarmUpRestarts', 1]]);
    assert.ok(errors[0]!.error instanceof TypeError);
    assert.ok(ds.some((d) => d.code === 'LR000'), JSON.stringify(ds));
  });

  it('goes to console.error when the host gives no callback', () => {
    const logged: unknown[][] = [];
    const original = console.error;
    console.error = (...a: unknown[]) => { logged.push(a); };
    try {
      lintCall(breaking());
    } finally {
      console.error = original;
    }
    assert.strictEqual(logged.length, 1);
    assert.match(String(logged[0]![0]), /^LR Lens lint: rule LR140\/.* threw on CosineAnnealingWarmUpRestarts .*\(skipped\): TypeError/);
  });
});
