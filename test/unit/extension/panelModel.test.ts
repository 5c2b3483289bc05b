import * as assert from 'assert';
import { buildView, curvePoints, MAX_MARKERS, pickScheduler, relocate, ViewInput } from '../../../src/extension/panelModel';
import { parseToWebview } from '../../../src/protocol/protocol';
import { result, stepLrValues, stepScheduler } from './fixtures';

function input(partial: Partial<ViewInput>): ViewInput {
  return {
    seq: 1, uri: 'file:///t.py', fileName: 't.py', result: result([stepScheduler()]), selectedId: null, pinned: false, compare: false,
    horizonOverride: null, resetZoom: true, viewport: null, columns: 800, ...partial,
  };
}

describe('extension/panelModel', () => {
  it('sends a short curve exactly, one point per step', () => {
    const view = buildView(input({}));
    assert.strictEqual(view.series.length, 1);
    const s = view.series[0]!;
    assert.ok(s.exact);
    assert.deepStrictEqual(s.xs, Array.from({ length: 30 }, (_, k) => k));
    assert.deepStrictEqual(s.ys, Array.from(stepLrValues(0.1, 10, 0.1, 30)));
    assert.deepStrictEqual(view.markers.map((m) => m.step), [10, 20]);
    assert.strictEqual(view.title, 'sched = StepLR');
    assert.strictEqual(view.message, null);
    assert.deepStrictEqual(view.horizon, { steps: 30, source: 'step_size × 3', clamped: false, override: null });
  });

  it('decimates a 10,000,000-step curve to a few points per column and keeps a one-step spike', () => {
    const n = 10_000_000;
    const values = new Float64Array(n).fill(0.01);
    values[7_654_321] = 1; // one-step spike: a naive every-k-th sampler would miss it
    // Speed is measured by `npm run bench` (bench/render.ts), not asserted here.
    const p = curvePoints(values, 800, null);
    assert.ok(!p.exact);
    assert.ok(p.xs.length <= 4 * 800, `${p.xs.length} points`);
    // The spike survives once, at its own step; every other point is the flat value, and x never goes back.
    const at = p.ys.flatMap((y, i) => (y === 1 ? [p.xs[i]] : []));
    assert.deepStrictEqual(at, [7_654_321], 'the spike survives decimation, at its step');
    assert.ok(p.ys.every((y) => y === 1 || y === 0.01), 'no value that is not in the curve');
    for (let i = 1; i < p.xs.length; i++) assert.ok(p.xs[i]! >= p.xs[i - 1]!, 'x never goes back');
    assert.strictEqual(p.xs[0], 0);
    assert.strictEqual(p.xs[p.xs.length - 1], n - 1);
  });

  it('re-decimates the visible range at full detail and keeps the overview outside it', () => {
    const values = Float64Array.from({ length: 1_000_000 }, (_, k) => k);
    const p = curvePoints(values, 500, { from: 1000, to: 1999 });
    const inside = p.xs.filter((x) => x >= 1000 && x <= 1999);
    assert.strictEqual(inside.length, 1000, 'every step of the zoomed range is a point');
    assert.ok(p.xs.some((x) => x < 1000) && p.xs.some((x) => x > 2000), 'the overview is kept around it');
    for (let i = 1; i < p.xs.length; i++) assert.ok(p.xs[i]! >= p.xs[i - 1]!, 'x never goes back');
    assert.ok(p.exact, 'the visible part is exact');
  });

  it('turns NaN into gaps (null), which survive JSON', () => {
    const p = curvePoints(Float64Array.from([1, NaN, 3]), 800, null);
    assert.deepStrictEqual(p.ys, [1, null, 3]);
  });

  it('gives every param group its own series, and momentum its own axis', () => {
    const s = stepScheduler();
    s.curve!.lrs.push(stepLrValues(0.01, 10, 0.1, 30));
    s.curve!.momentum = { label: 'momentum', values: [new Float64Array(30).fill(0.9), new Float64Array(30).fill(0.8)] };
    const view = buildView(input({ result: result([s]) }));
    assert.deepStrictEqual(view.series.map((x) => [x.label, x.axis, x.group]), [
      ['lr · group 0', 'lr', 0], ['lr · group 1', 'lr', 1], ['momentum · group 0', 'momentum', 0], ['momentum · group 1', 'momentum', 1],
    ]);
    assert.strictEqual(view.momentumLabel, 'momentum');
  });

  it('overlays every scheduler in compare mode, labelled by its title, without markers', () => {
    const a = stepScheduler(3);
    const b = stepScheduler(9, { id: 'StepLR:9:8', variable: 'other' });
    const view = buildView(input({ result: result([a, b]), compare: true, selectedId: b.id }));
    assert.deepStrictEqual(view.series.map((x) => x.label), ['sched = StepLR · lr', 'other = StepLR · lr']);
    assert.strictEqual(view.selectedId, b.id);
    assert.deepStrictEqual(view.markers, []);
  });

  it('picks the asked-for scheduler, else the first with a curve', () => {
    const broken = stepScheduler(1, { id: 'broken', curve: null, error: 'boom' });
    const ok = stepScheduler(5, { id: 'ok' });
    assert.strictEqual(pickScheduler(result([broken, ok]), null)?.id, 'ok');
    assert.strictEqual(pickScheduler(result([broken, ok]), 'broken')?.id, 'broken');
    assert.strictEqual(pickScheduler(result([broken, ok]), 'gone')?.id, 'ok');
  });

  it('explains an empty file, an error and a metric-driven scheduler', () => {
    assert.match(buildView(input({ result: result([]) })).message!, /No learning-rate scheduler/);
    const unparsable = result([], { diagnostics: [{ severity: 'information', code: 'LR000', message: 'LR Lens could not parse this file', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }] });
    assert.strictEqual(buildView(input({ result: unparsable })).message, 'LR Lens could not parse this file');
    const failing = buildView(input({ result: result([stepScheduler(3, { curve: null, error: 'ZeroDivisionError: integer modulo by zero' })]) }));
    assert.strictEqual(failing.message, 'ZeroDivisionError: integer modulo by zero');
    assert.deepStrictEqual(failing.series, []);
    const plateau = buildView(input({ result: result([stepScheduler(3, { kind: 'ReduceLROnPlateau', curve: null, explanation: 'follows a metric' })]) }));
    assert.strictEqual(plateau.message, 'follows a metric');
  });

  it('finds the shown call again after lines were inserted above it (its id changed)', () => {
    const before = stepScheduler(3, { id: 'StepLR:3:8', variable: 'b' });
    const moved = result([
      stepScheduler(1, { id: 'StepLR:1:8', variable: 'a' }),
      stepScheduler(5, { id: 'StepLR:5:8', variable: 'b' }),
      stepScheduler(9, { id: 'CosineAnnealingLR:9:8', kind: 'CosineAnnealingLR', variable: 'c' }),
    ]);
    assert.strictEqual(relocate(moved, before), 'StepLR:5:8', 'same kind and variable');
    assert.strictEqual(relocate(moved, stepScheduler(2, { id: 'StepLR:2:8', variable: null })), 'StepLR:1:8', 'else the same kind nearest by line');
    assert.strictEqual(relocate(moved, stepScheduler(5, { id: 'StepLR:5:8' })), 'StepLR:5:8', 'an id still present stays');
    assert.strictEqual(relocate(result([]), before), undefined);
    assert.strictEqual(relocate(moved, undefined), undefined);
  });

  it('caps markers and reports clamping and unknowns in the notes', () => {
    const s = stepScheduler();
    s.curve!.markers = Array.from({ length: 5000 }, (_, i) => ({ step: i, kind: 'restart' as const, label: 'restart' }));
    s.horizon = { steps: 10_000_000, source: 'panel', clamped: true };
    s.argInfo.push({ name: 'lr', range: null, text: 'args.lr', known: false, display: '0.1', assumed: true, reason: 'set at run time', isDefault: false });
    const view = buildView(input({ result: result([s]), notes: ['Horizon 1,000,000,000,000 is above the limit'] }));
    assert.strictEqual(view.markers.length, MAX_MARKERS);
    assert.deepStrictEqual(view.notes, [
      'Horizon 1,000,000,000,000 is above the limit', 'Horizon clamped to 10,000,000 steps.', 'lr: set at run time (assumed 0.1)',
    ]);
  });

  it('labels the assumed values: short in the status line, with why first in the notes', () => {
    const s = stepScheduler(3, { notes: ['torch would raise ValueError: x'], assumed: [
      { what: 'lr', value: 0.1, why: '`cfg.lr` is set at run time', placeholder: true },
      { what: 'step_size', value: 10, why: 'default of --step', param: 'step_size' },
    ] });
    const view = buildView(input({ result: result([s]) }));
    assert.deepStrictEqual(view.assumed, ['lr assumed 0.1', 'step_size assumed 10']);
    assert.deepStrictEqual(view.notes, [
      'Assumed: lr assumed 0.1 (`cfg.lr` is set at run time)', 'Assumed: step_size assumed 10 (default of --step)', 'torch would raise ValueError: x',
    ]);
    assert.deepStrictEqual(buildView(input({ result: result([stepScheduler()]) })).assumed, []);
  });

  it('knows steps per epoch only from an explicit positive integer', () => {
    assert.strictEqual(buildView(input({ result: result([stepScheduler(3, { args: { steps_per_epoch: 50 } })]) })).stepsPerEpoch, 50);
    assert.strictEqual(buildView(input({ result: result([stepScheduler(3, { args: { steps_per_epoch: 2.5 } })]) })).stepsPerEpoch, null);
    assert.strictEqual(buildView(input({})).stepsPerEpoch, null);
  });

  it('produces views the webview accepts (the protocol validator)', () => {
    const s = stepScheduler();
    s.curve!.lrs[0]![3] = NaN;
    const msg = JSON.parse(JSON.stringify({ type: 'view', view: buildView(input({ result: result([s, stepScheduler(8, { id: 'b' })]), compare: true })) }));
    assert.ok(parseToWebview(msg));
  });
});
