import * as assert from 'assert';
import {
  describeMessage, FromWebview, isWebviewState, PanelView, parseFromWebview, parseToWebview, RenderedReport, ToWebview,
} from '../../../src/protocol/protocol';

function view(partial: Partial<PanelView> = {}): PanelView {
  return {
    seq: 3, uri: 'file:///t.py', fileName: 't.py', title: 'sched = StepLR',
    schedulers: [{ id: 'StepLR:3:8', label: 'sched = StepLR (line 4)' }], selectedId: 'StepLR:3:8', pinned: false, compare: false,
    horizon: { steps: 30, source: 'step_size × 3', clamped: false, override: null }, stepsPerEpoch: null, stepsPerEpochAssumed: false, stepLabel: 'step', momentumLabel: null,
    series: [{ label: 'lr', schedulerId: 'StepLR:3:8', group: 0, axis: 'lr', xs: [0, 1, 2], ys: [0.1, 0.1, null], exact: true }],
    markers: [{ step: 10, kind: 'milestone', label: 'decay' }], notes: ['an assumption'], assumed: ['lr assumed 0.1'], message: null, resetZoom: true, viewport: null,
    ...partial,
  };
}

const report: RenderedReport = {
  seq: 3, draw: 7, uri: 'file:///t.py', selectedId: null, compare: false, yScale: 'log', xUnit: 'step', xTitle: 'step',
  series: [{ label: 'lr', axis: 'lr', points: 3, exact: true, firstY: 0.1, lastY: null }], markers: 0, clippedMarkerLabels: 0, visible: { from: 0, to: 2 }, message: null,
};

/** A JSON round trip: what postMessage actually delivers. */
const wire = <T>(v: T): unknown => JSON.parse(JSON.stringify(v));

describe('extension/protocol', () => {
  describe('host → webview', () => {
    const good: ToWebview[] = [
      { type: 'view', view: view() },
      { type: 'view', view: view({ horizon: null, selectedId: null, message: 'no scheduler', series: [], schedulers: [] }) },
      { type: 'detail', seq: 3, viewport: { from: 10, to: 20 }, series: view().series },
      { type: 'requestPng' },
    ];
    for (const msg of good) {
      it(`accepts a well-formed ${msg.type}`, () => assert.deepStrictEqual(parseToWebview(wire(msg)), wire(msg)));
    }

    const bad: [string, unknown][] = [
      ['null', null],
      ['a string', 'view'],
      ['an array', [{ type: 'view' }]],
      ['an unknown type', { type: 'explode' }],
      ['a prototype key as type', { type: '__proto__' }],
      ['a view without its view', { type: 'view' }],
      ['a view with a missing field', { type: 'view', view: { ...view(), notes: undefined } }],
      ['xs and ys of different lengths', { type: 'view', view: view({ series: [{ ...view().series[0]!, xs: [0, 1] }] }) }],
      ['a string among the points', { type: 'detail', seq: 1, viewport: { from: 0, to: 1 }, series: [{ ...view().series[0]!, xs: [0, '1', 2] }] }],
      ['a negative seq', { type: 'detail', seq: -1, viewport: { from: 0, to: 1 }, series: [] }],
      ['an inverted viewport', { type: 'detail', seq: 1, viewport: { from: 5, to: 1 }, series: [] }],
      ['a bad axis', { type: 'view', view: view({ series: [{ ...view().series[0]!, axis: 'z' as 'lr' }] }) }],
    ];
    for (const [what, msg] of bad) {
      it(`rejects ${what}`, () => assert.strictEqual(parseToWebview(msg), null));
    }
  });

  describe('webview → host', () => {
    const good: FromWebview[] = [
      { type: 'ready' },
      { type: 'select', id: 'StepLR:3:8' },
      { type: 'setPinned', pinned: true },
      { type: 'setCompare', compare: false },
      { type: 'setHorizon', steps: null },
      { type: 'setHorizon', steps: 1_000_000_000_000 },
      { type: 'viewport', seq: 2, viewport: { from: 0.5, to: 99.5 }, columns: 640 },
      { type: 'viewport', seq: 2, viewport: null, columns: 640 },
      { type: 'png', dataUrl: 'data:image/png;base64,iVBORw0KGgo=' },
      { type: 'exportCsv' },
      { type: 'reveal', id: 'x' },
      { type: 'rendered', report },
      { type: 'log', level: 'warn', message: 'hm' },
    ];
    for (const msg of good) {
      it(`accepts a well-formed ${msg.type}`, () => assert.deepStrictEqual(parseFromWebview(wire(msg)), wire(msg)));
    }

    const bad: [string, unknown][] = [
      ['undefined', undefined],
      ['a number', 42],
      ['no type', { id: 'x' }],
      ['a select without id', { type: 'select' }],
      ['a non-boolean pin', { type: 'setPinned', pinned: 'yes' }],
      ['a fractional horizon', { type: 'setHorizon', steps: 2.5 }],
      ['an unsafe horizon', { type: 'setHorizon', steps: 1e300 }],
      ['a NaN horizon (JSON null is fine, NaN is not)', { type: 'setHorizon', steps: NaN }],
      ['a PNG that is not a PNG data URL', { type: 'png', dataUrl: 'javascript:alert(1)' }],
      ['a rendered report with a bad scale', { type: 'rendered', report: { ...report, yScale: 'cubic' } }],
      ['a rendered report without its draw number', { type: 'rendered', report: { ...report, draw: undefined } }],
      ['a log with a bad level', { type: 'log', level: 'panic', message: 'x' }],
      ['an inherited type', Object.create({ type: 'ready' })],
    ];
    for (const [what, msg] of bad) {
      it(`rejects ${what}`, () => assert.strictEqual(parseFromWebview(msg), null));
    }
  });

  it('validates persisted webview state', () => {
    const state = { uri: null, selectedId: null, pinned: false, compare: false, horizonOverride: 100, yScale: 'log', xUnit: 'epoch', showMomentum: true };
    assert.ok(isWebviewState(state));
    assert.ok(!isWebviewState({ ...state, horizonOverride: -1 }));
    assert.ok(!isWebviewState({ ...state, xUnit: 'hour' }));
    assert.ok(!isWebviewState(undefined));
  });

  it('describes rejected messages briefly, without their payload', () => {
    const d = describeMessage({ type: 'view', view: { secret: 'x'.repeat(10_000) } });
    assert.ok(d.length < 100, d);
    assert.match(d, /"view"/);
    assert.strictEqual(describeMessage(null), 'null');
    assert.strictEqual(describeMessage(7), 'number');
  });
});
