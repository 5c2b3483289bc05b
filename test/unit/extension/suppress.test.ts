import * as assert from 'assert';
import { ignoreEdit } from '../../../src/extension/suppress';

/** Applies a single-line edit to a line. */
function apply(line: string, e: NonNullable<ReturnType<typeof ignoreEdit>>): string {
  return line.slice(0, e.range.start.character) + e.newText + line.slice(e.range.end.character);
}

describe('extension/suppress', () => {
  const cases: [string, string, string, string][] = [
    ['python', 'sched = StepLR(opt, 0)', 'LR020', 'sched = StepLR(opt, 0)  # lr-lens: ignore[LR020]'],
    ['python', 'sched = StepLR(opt, 0)   ', 'LR020', 'sched = StepLR(opt, 0)  # lr-lens: ignore[LR020]'],
    ['python', 'x = f(a)  # lr-lens: ignore[LR003]', 'LR020', 'x = f(a)  # lr-lens: ignore[LR003, LR020]'],
    ['python', 'x = f(a)  # lr-lens: ignore[]', 'LR020', 'x = f(a)  # lr-lens: ignore[LR020]'],
    ['python', 'x = f(a)  # keep this', 'LR020', 'x = f(a)  # keep this  # lr-lens: ignore[LR020]'],
    ['typescript', 'const s = new StepLR(opt, { step_size: 0 });', 'LR020', 'const s = new StepLR(opt, { step_size: 0 });  // lr-lens: ignore[LR020]'],
    ['javascriptreact', 'f(x)', 'LR001', 'f(x)  // lr-lens: ignore[LR001]'],
  ];
  for (const [lang, before, rule, after] of cases) {
    it(`${lang}: ${JSON.stringify(before)} → ${JSON.stringify(after)}`, () => {
      const e = ignoreEdit(before, 7, rule, lang);
      assert.ok(e);
      assert.strictEqual(e.range.start.line, 7);
      assert.strictEqual(apply(before, e), after);
    });
  }

  it('offers nothing when the rule is already ignored, after a line continuation, or for an unknown language', () => {
    assert.strictEqual(ignoreEdit('f(a)  # lr-lens: ignore[lr020]', 0, 'LR020', 'python'), null);
    assert.strictEqual(ignoreEdit('x = f(a, \\', 0, 'LR020', 'python'), null);
    assert.strictEqual(ignoreEdit('x', 0, 'LR020', 'rust'), null);
  });
});
