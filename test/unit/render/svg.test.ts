import * as assert from 'assert';
import type { Marker } from '../../../src/engine/types';
import { renderSvg, seriesPath, svgDataUri, SPARKLINE_BUDGET } from '../../../src/render/svg';
import type { ChartInput, SvgOptions } from '../../../src/render/types';
import { rng } from '../rng';
import { checkXml, type XmlElement } from './xmlCheck';

const SPARK: SvgOptions = { width: 320, height: 120, theme: 'light', mode: 'sparkline' };
const FULL: SvgOptions = { width: 800, height: 400, theme: 'light', mode: 'full' };

/** Cosine annealing from `lr` to 0 over n steps (the formula, not our engine). */
function cosine(n: number, lr = 0.1): Float64Array {
  return Float64Array.from({ length: n }, (_, k) => (lr * (1 + Math.cos((Math.PI * k) / Math.max(1, n - 1)))) / 2);
}

/** Absolute points of a path that uses M/m/L/l/H/h/V/v (what the writer emits). */
function pathPoints(d: string): [number, number][] {
  const tokens = d.match(/[MmLlHhVv]|-?(?:\d+\.?\d*|\.\d+)/g) ?? [];
  const pts: [number, number][] = [];
  let x = 0, y = 0, cmd = '';
  for (let i = 0; i < tokens.length; ) {
    if (/[A-Za-z]/.test(tokens[i]!)) cmd = tokens[i++]!;
    const n = (): number => Number(tokens[i++]);
    switch (cmd) {
      case 'M': case 'L': x = n(); y = n(); break;
      case 'm': case 'l': x += n(); y += n(); break;
      case 'H': x = n(); break;
      case 'h': x += n(); break;
      case 'V': y = n(); break;
      case 'v': y += n(); break;
      default: throw new Error(`unexpected ${cmd}`);
    }
    pts.push([x, y]);
  }
  return pts;
}

function seriesPaths(els: XmlElement[]): XmlElement[] {
  return els.filter((e) => e.name === 'path' && e.attrs.get('class') === 'series');
}

function texts(els: XmlElement[]): string[] {
  return els.filter((e) => e.name === 'text').map((e) => e.text);
}

describe('render/svg', () => {
  it('writes a well-formed standalone SVG of the requested size, in both modes and every theme', () => {
    for (const mode of ['sparkline', 'full'] as const) {
      for (const theme of ['light', 'dark', 'high-contrast', 'high-contrast-light'] as const) {
        const svg = renderSvg({ series: [{ label: 'g0', values: cosine(500) }], title: 'Cosine' }, { width: 333, height: 177, theme, mode });
        const els = checkXml(svg);
        const root = els[0]!;
        assert.strictEqual(root.name, 'svg');
        assert.strictEqual(root.attrs.get('xmlns'), 'http://www.w3.org/2000/svg');
        assert.strictEqual(root.attrs.get('width'), '333');
        assert.strictEqual(root.attrs.get('height'), '177');
        assert.strictEqual(root.attrs.get('viewBox'), '0 0 333 177');
      }
    }
  });

  it('has no scripts, event handlers or external references', () => {
    const svg = renderSvg({ series: [{ label: 'x', values: cosine(100) }], markers: [{ step: 10, kind: 'milestone', label: 'm' }], title: 't' }, FULL);
    for (const el of checkXml(svg)) {
      assert.notStrictEqual(el.name, 'script');
      assert.notStrictEqual(el.name, 'image');
      assert.notStrictEqual(el.name, 'foreignObject');
      for (const [k, v] of el.attrs) {
        assert.ok(!/^on/i.test(k) && !/href$/i.test(k), `attribute ${k}`);
        if (k !== 'xmlns') assert.ok(!/url\(|https?:|javascript:/i.test(v), `${k}="${v}"`);
      }
    }
  });

  it('escapes user strings (title, labels, markers)', () => {
    const evil = `<script>alert("x")</script> & 'q' ]]> \u0001`;
    const input: ChartInput = {
      series: [{ label: evil, values: cosine(50) }, { label: 'b&b', values: cosine(50, 0.05) }],
      markers: [{ step: 20, kind: 'restart', label: '<b>' }],
      title: evil,
      xLabel: 'epoch <n>',
    };
    for (const opts of [FULL, SPARK]) {
      const svg = renderSvg(input, opts);
      const els = checkXml(svg);
      assert.ok(!svg.includes('<script'), 'raw <script');
      assert.ok(!svg.includes('<b>'));
      assert.ok(!svg.includes('\u0001'), 'control characters are dropped');
      if (opts === FULL) {
        const t = texts(els);
        assert.ok(t.includes('b&b'), 'legend label decoded back');
        assert.ok(t.includes('<b>'), 'marker label decoded back');
        assert.ok(t.includes('epoch <n>'));
        assert.ok(t.some((s) => s.startsWith('<script>alert("x")')), 'title decoded back');
      }
    }
  });

  it('draws exactly one path per series, lr and momentum', () => {
    for (const count of [1, 2, 5]) {
      const series = Array.from({ length: count }, (_, i) => ({ label: `g${i}`, values: cosine(300, 0.1 / (i + 1)) }));
      const withMomentum = [...series, { label: 'momentum', values: cosine(300).map((v) => 0.95 - v), role: 'momentum' as const }];
      for (const opts of [FULL, SPARK]) {
        assert.strictEqual(seriesPaths(checkXml(renderSvg({ series }, opts))).length, count);
        assert.strictEqual(seriesPaths(checkXml(renderSvg({ series: withMomentum }, opts))).length, count + 1);
      }
    }
  });

  it('keeps every series point inside the picture, and a one-step spike reaches the top of the plot', () => {
    const n = 1_000_000;
    const v = new Float64Array(n).fill(0.01);
    const spikeAt = 612_345;
    v[spikeAt] = 1;
    for (const opts of [FULL, SPARK]) {
      const els = checkXml(renderSvg({ series: [{ label: 's', values: v }] }, { ...opts, annotations: { peak: false } }));
      const pts = pathPoints(seriesPaths(els)[0]!.attrs.get('d')!);
      for (const [x, y] of pts) assert.ok(x >= 0 && x <= opts.width && y >= 0 && y <= opts.height, `point ${x},${y}`);
      const top = Math.min(...pts.map((p) => p[1]));
      const flat = Math.max(...pts.map((p) => p[1]));
      assert.ok(flat - top > opts.height * 0.5, `spike height ${flat - top}`);
      const xs = pts.filter((p) => p[1] === top).map((p) => p[0]);
      const left = Math.min(...pts.map((p) => p[0])), right = Math.max(...pts.map((p) => p[0]));
      const expected = left + ((right - left) * spikeAt) / (n - 1);
      assert.ok(xs.every((x) => Math.abs(x - expected) < 1.5), `spike at x=${xs}, expected ~${expected}`);
    }
  });

  it('stays small for 10,000,000 points (sparkline data URI well under 20 KB)', function () {
    this.timeout(20_000);
    const n = 10_000_000;
    const v = new Float64Array(n);
    const rand = rng(3);
    // Worst case for size: noise in every column, plus restarts.
    for (let i = 0; i < n; i++) v[i] = (1e-3 * (1 + Math.cos((Math.PI * (i % 2_500_000)) / 2_500_000))) / 2 + rand() * 1e-5;
    const markers: Marker[] = Array.from({ length: 3 }, (_, i) => ({ step: (i + 1) * 2_500_000, kind: 'restart', label: 'restart' }));
    const spark = renderSvg({ series: [{ label: 'lr', values: v }], markers }, SPARK);
    assert.ok(svgDataUri(spark).length < 16_000, `sparkline data URI ${svgDataUri(spark).length} chars`);
    const full = renderSvg({ series: [{ label: 'lr', values: v }], markers, title: 'restarts' }, FULL);
    assert.ok(full.length < 40_000, `full SVG ${full.length} chars`);
    checkXml(spark);
    checkXml(full);
  });

  it('keeps a sparkline of many noisy series within its budget', () => {
    const rand = rng(5);
    const series = Array.from({ length: 12 }, (_, g) => ({ label: `g${g}`, values: Float64Array.from({ length: 20_000 }, () => rand() * (g + 1)) }));
    const svg = renderSvg({ series }, SPARK);
    assert.ok(svg.length <= SPARKLINE_BUDGET, `${svg.length} chars`);
    assert.strictEqual(seriesPaths(checkXml(svg)).length, 12);
  });

  it('picks different colours for light and dark themes, and thicker lines for high contrast', () => {
    const input: ChartInput = { series: [{ label: 'a', values: cosine(100) }] };
    const stroke = (theme: SvgOptions['theme'], attr: string): string =>
      seriesPaths(checkXml(renderSvg(input, { ...SPARK, theme })))[0]!.attrs.get(attr)!;
    const textFill = (theme: SvgOptions['theme']): string =>
      checkXml(renderSvg(input, { ...SPARK, theme })).find((e) => e.name === 'text')!.attrs.get('fill')!;
    assert.notStrictEqual(stroke('light', 'stroke'), stroke('dark', 'stroke'));
    assert.notStrictEqual(textFill('light'), textFill('dark'));
    for (const hc of ['high-contrast', 'high-contrast-light'] as const) {
      assert.ok(Number(stroke(hc, 'stroke-width')) > Number(stroke('light', 'stroke-width')));
    }
    // The full chart paints its theme background; the hover sparkline stays transparent.
    const bg = (opts: SvgOptions): string | undefined => checkXml(renderSvg(input, opts)).find((e) => e.name === 'rect')?.attrs.get('fill');
    assert.notStrictEqual(bg({ ...FULL, theme: 'light' }), bg({ ...FULL, theme: 'dark' }));
    assert.strictEqual(bg(SPARK), undefined);
  });

  it('labels a log axis with decades', () => {
    // Exponential decay 0.1 · 0.9^k over 60 steps: 0.1 down to ~1.8e-4 (hand-computed: 0.9^59 ≈ 0.0020).
    const v = Float64Array.from({ length: 60 }, (_, k) => 0.1 * 0.9 ** k);
    const els = checkXml(renderSvg({ series: [{ label: 'exp', values: v }] }, { ...FULL, logY: true }));
    const t = texts(els);
    for (const label of ['1e-4', '1e-3', '1e-2', '1e-1']) assert.ok(t.includes(label), `missing ${label} in ${t}`);
    assert.ok(t.includes('learning rate (log)'));
    // Decades are evenly spaced on a log axis.
    const ys = ['1e-4', '1e-3', '1e-2', '1e-1'].map((l) => Number(els.find((e) => e.name === 'text' && e.text === l)!.attrs.get('y')));
    const gaps = ys.slice(1).map((y, i) => ys[i]! - y);
    assert.ok(gaps.every((g) => Math.abs(g - gaps[0]!) < 0.3), `gaps ${gaps}`);
  });

  it('draws zeros on a log axis at the bottom edge instead of failing', () => {
    const v = Float64Array.from({ length: 100 }, (_, k) => (k < 10 ? 0.01 * k : 0.1 * 0.95 ** (k - 10)));
    const svg = renderSvg({ series: [{ label: 'warm', values: v }] }, { ...FULL, logY: true });
    const pts = pathPoints(seriesPaths(checkXml(svg))[0]!.attrs.get('d')!);
    assert.ok(pts.every(([x, y]) => Number.isFinite(x) && Number.isFinite(y)));
    assert.ok(!svg.includes('NaN') && !svg.includes('Infinity'));
  });

  it('draws a readable picture for odd data and never throws', () => {
    const cases: [string, ChartInput][] = [
      ['empty', { series: [] }],
      ['empty values', { series: [{ label: 'e', values: new Float64Array(0) }] }],
      ['all NaN', { series: [{ label: 'n', values: new Float64Array(10).fill(NaN) }] }],
      ['constant', { series: [{ label: 'c', values: new Float64Array(10).fill(0.1) }] }],
      ['constant zero', { series: [{ label: 'z', values: new Float64Array(10) }] }],
      ['negative', { series: [{ label: 'neg', values: Float64Array.from([-1, -2, -3, 5]) }] }],
      ['infinities', { series: [{ label: 'inf', values: Float64Array.from([0.1, Infinity, 0.05, -Infinity, NaN, 0.01]) }] }],
      ['single value', { series: [{ label: '1', values: Float64Array.from([0.3]) }] }],
      ['markers out of range', { series: [{ label: 'm', values: cosine(10) }], markers: [{ step: -5, kind: 'restart', label: 'x' }, { step: 1e9, kind: 'peak', label: 'y' }, { step: NaN, kind: 'phase', label: 'z' }] }],
      ['garbage', { series: [null, { label: 3, values: 'abc' }, { values: cosine(5) }] } as unknown as ChartInput],
      ['null input', null as unknown as ChartInput],
    ];
    const optsList: SvgOptions[] = [
      FULL, SPARK, { ...FULL, logY: true }, { ...SPARK, logY: true },
      { width: NaN, height: -5, theme: 'bogus', mode: 'full' } as unknown as SvgOptions,
      { width: 1e9, height: 3, theme: 'dark', mode: 'sparkline' },
    ];
    for (const [name, input] of cases) {
      for (const opts of optsList) {
        let svg = '';
        assert.doesNotThrow(() => (svg = renderSvg(input, opts)), name);
        const els = checkXml(svg);
        assert.ok(!/NaN|Infinity/.test(els.map((e) => [...e.attrs.values()].join(' ')).join(' ')), `${name}: NaN in attributes`);
      }
    }
    assert.ok(texts(checkXml(renderSvg({ series: [] }, FULL))).includes('no data'));
    assert.doesNotThrow(() => checkXml(renderSvg(cases[3]![1], null as unknown as SvgOptions)), 'null options');
    assert.ok(texts(checkXml(renderSvg(cases[2]![1], SPARK))).includes('no finite values'));
    // A constant series still gets a curve and a y axis with several labels.
    const constant = checkXml(renderSvg(cases[3]![1], FULL));
    assert.strictEqual(seriesPaths(constant).length, 1);
    assert.ok(texts(constant).filter((s) => /^[\d.]+$/.test(s)).length >= 3);
  });

  it('labels markers in full charts and ticks them in sparklines', () => {
    const markers: Marker[] = [{ step: 100, kind: 'warmup-end', label: 'warm-up end' }, { step: 600, kind: 'milestone', label: 'milestone 600' }];
    const full = checkXml(renderSvg({ series: [{ label: 'a', values: cosine(1000) }], markers }, FULL));
    assert.ok(texts(full).includes('warm-up end') && texts(full).includes('milestone 600'));
    const noLabels = checkXml(renderSvg({ series: [{ label: 'a', values: cosine(1000) }], markers }, { ...FULL, annotations: { markerLabels: false } }));
    assert.ok(!texts(noLabels).includes('warm-up end'));
    const spark = renderSvg({ series: [{ label: 'a', values: cosine(1000) }], markers }, SPARK);
    const bare = renderSvg({ series: [{ label: 'a', values: cosine(1000) }], markers }, { ...SPARK, annotations: { markers: false } });
    assert.ok(!texts(checkXml(spark)).includes('warm-up end'), 'sparklines carry no marker text');
    assert.ok(spark.length > bare.length, 'marker ticks are drawn');
  });

  it('draws a cursor with the value at that step', () => {
    // cosine(501, 0.1) at step 250 is 0.1 · (1 + cos(π/2)) / 2 = 0.05.
    const els = checkXml(renderSvg({ series: [{ label: 'a', values: cosine(501) }] }, { ...FULL, annotations: { cursor: 250 } }));
    assert.ok(texts(els).includes('step 250: 0.05'), texts(els).join('|'));
    const off = checkXml(renderSvg({ series: [{ label: 'a', values: cosine(501) }] }, { ...FULL, annotations: { cursor: 9999 } }));
    assert.ok(!texts(off).some((t) => t.startsWith('step ')), 'a cursor outside the curve is not drawn');
  });

  it('writes compact relative path data that round-trips to the rounded points', () => {
    const runs = [Float64Array.from([10, 20, 11, 20, 12, 20, 12, 25.04, 13.5, 19.96]), Float64Array.from([50, 50])];
    const d = seriesPath(runs);
    assert.deepStrictEqual(pathPoints(d), [[10, 20], [12, 20], [12, 25], [13.5, 20], [50, 50], [50, 50]]);
    assert.ok(d.endsWith('h0'), 'a lone point is drawn as a dot');
  });

  it('encodes a data URI as base64 UTF-8', () => {
    const svg = renderSvg({ series: [{ label: 'η → ∞ ✓', values: cosine(20) }, { label: 'b', values: cosine(20) }] }, FULL);
    const uri = svgDataUri(svg);
    assert.ok(uri.startsWith('data:image/svg+xml;base64,'));
    const b64 = uri.slice('data:image/svg+xml;base64,'.length);
    assert.match(b64, /^[A-Za-z0-9+/]*={0,2}$/);
    assert.strictEqual(Buffer.from(b64, 'base64').toString('utf8'), svg);
    for (const s of ['', 'a', 'ab', 'abc', 'abcd']) assert.strictEqual(svgDataUri(s).split(',')[1], Buffer.from(s).toString('base64'));
  });
});

describe('render/svg test helper: checkXml', () => {
  it('rejects what is not well-formed', () => {
    for (const bad of ['<a><b></a></b>', '<a>x & y</a>', '<a t="<"/>', '<a t=x/>', '<a>', '<a/><b/>', '<a/>tail', '<a t="1"t="2"/>', '<a t="1" t="2"/>', '<a>&bogus;</a>']) {
      assert.throws(() => checkXml(bad), Error, bad);
    }
    const els = checkXml('<a k="&quot;&#65;"><b>1 &lt; 2</b></a>');
    assert.strictEqual(els[0]!.attrs.get('k'), '"A');
    assert.strictEqual(els[1]!.text, '1 < 2');
  });
});
