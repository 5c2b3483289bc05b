import * as assert from 'assert';
import { inflateSync } from 'zlib';
import { buildScene } from '../../../src/render/chart';
import { hasGlyph } from '../../../src/render/font';
import { crc32, renderPng } from '../../../src/render/png';
import { measureRasterText, rasterize } from '../../../src/render/raster';
import type { Scene } from '../../../src/render/scene';
import type { ChartInput } from '../../../src/render/types';

/** Bit-by-bit CRC-32 (no table), independent of the encoder's table-driven one. */
function slowCrc(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return (c ^ 0xffffffff) >>> 0;
}

interface Decoded {
  width: number;
  height: number;
  chunks: string[];
  /** RGB pixel at (x, y). */
  px(x: number, y: number): [number, number, number];
}

/** A minimal PNG decoder for 8-bit RGB, non-interlaced (what the encoder writes), checking every CRC. */
function decodePng(png: Uint8Array): Decoded {
  assert.deepStrictEqual(Array.from(png.subarray(0, 8)), [137, 80, 78, 71, 13, 10, 26, 10], 'signature');
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const chunks: string[] = [];
  const idat: Uint8Array[] = [];
  let width = 0, height = 0;
  for (let at = 8; at < png.length; ) {
    const len = view.getUint32(at);
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8));
    const data = png.subarray(at + 8, at + 8 + len);
    assert.strictEqual(view.getUint32(at + 8 + len), slowCrc(png.subarray(at + 4, at + 8 + len)), `CRC of ${type}`);
    chunks.push(type);
    if (type === 'IHDR') {
      width = view.getUint32(at + 8);
      height = view.getUint32(at + 12);
      assert.deepStrictEqual(Array.from(data.subarray(8)), [8, 2, 0, 0, 0], 'RGB 8-bit, no interlace');
    }
    if (type === 'IDAT') idat.push(data);
    at += 12 + len;
  }
  assert.strictEqual(chunks[0], 'IHDR');
  assert.strictEqual(chunks[chunks.length - 1], 'IEND');
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 3;
  assert.strictEqual(raw.length, height * (stride + 1));
  const img = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)]!;
    for (let i = 0; i < stride; i++) {
      const r = raw[y * (stride + 1) + 1 + i]!;
      const a = i >= 3 ? img[y * stride + i - 3]! : 0;
      const b = y > 0 ? img[(y - 1) * stride + i]! : 0;
      const c = i >= 3 && y > 0 ? img[(y - 1) * stride + i - 3]! : 0;
      const pa = Math.abs(b - c), pb = Math.abs(a - c), pc = Math.abs(a + b - 2 * c);
      const paeth = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      const pred = [0, a, b, (a + b) >> 1, paeth][f];
      assert.ok(pred !== undefined, `filter ${f}`);
      img[y * stride + i] = (r + pred!) & 255;
    }
  }
  return { width, height, chunks, px: (x, y) => [img[(y * width + x) * 3]!, img[(y * width + x) * 3 + 1]!, img[(y * width + x) * 3 + 2]!] };
}

function hex(c: string): [number, number, number] {
  const n = parseInt(c.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

const near = (a: number[], b: number[], tol = 12): boolean => a.every((v, i) => Math.abs(v - b[i]!) <= tol);

const LIGHT_BLUE = hex('#1f6feb'); // first series colour of the light palette
const WHITE: [number, number, number] = [255, 255, 255];

describe('render/png', () => {
  it('computes the standard CRC-32 check values', () => {
    assert.strictEqual(crc32(new TextEncoder().encode('123456789')), 0xcbf43926);
    assert.strictEqual(crc32(new TextEncoder().encode('IEND')), 0xae426082);
    // Long inputs take zlib's path: the same CRC as the textbook bitwise loop, at every length around the switch.
    const bitwise = (b: Uint8Array): number => {
      let c = 0xffffffff;
      for (const byte of b) {
        c ^= byte;
        for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      }
      return (c ^ 0xffffffff) >>> 0;
    };
    const bytes = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 2654435761) >>> 24);
    for (const n of [1000, 1023, 1024, 1025, 4096, 70_000]) assert.strictEqual(crc32(bytes.subarray(0, n)), bitwise(bytes.subarray(0, n)), `${n} bytes`);
    assert.strictEqual(crc32(bytes.subarray(3, 5000)), bitwise(bytes.subarray(3, 5000)), 'a view at an offset');
  });

  it('writes a valid PNG of the requested size (signature, IHDR/IDAT/IEND, CRCs, inflates)', () => {
    const v = Float64Array.from({ length: 2000 }, (_, k) => 0.1 * 0.999 ** k);
    for (const [w, h] of [[800, 400], [321, 97]]) {
      const png = decodePng(renderPng({ series: [{ label: 'lr', values: v }], title: 'Exponential' }, { width: w, height: h, theme: 'dark' }));
      assert.strictEqual(png.width, w);
      assert.strictEqual(png.height, h);
      assert.deepStrictEqual(png.chunks, ['IHDR', 'IDAT', 'IEND']);
      assert.deepStrictEqual(png.px(0, 0), hex('#1e1e1e'), 'dark background');
    }
    const hi = decodePng(renderPng({ series: [{ label: 'lr', values: v }] }, { width: 400, height: 200, theme: 'light', scale: 2 }));
    assert.deepStrictEqual([hi.width, hi.height], [800, 400]);
  });

  it('draws a one-step spike where it belongs', () => {
    const n = 1000, at = 500;
    const v = new Float64Array(n);
    v[at] = 1;
    const png = decodePng(renderPng({ series: [{ label: 's', values: v }] }, { width: 320, height: 120, theme: 'light', mode: 'sparkline', annotations: { peak: false } }));
    const blue: [number, number][] = [];
    for (let y = 0; y < png.height; y++) for (let x = 0; x < png.width; x++) if (near(png.px(x, y), LIGHT_BLUE, 40)) blue.push([x, y]);
    assert.ok(blue.length > 100, 'curve drawn');
    // The flat part spans the plot; the spike is a narrow column in the upper part at step 500 of 0..999.
    const left = Math.min(...blue.map((p) => p[0])), right = Math.max(...blue.map((p) => p[0]));
    const high = blue.filter(([, y]) => y < png.height * 0.4);
    assert.ok(high.length > 0, 'spike reaches the upper part');
    const xs = high.map((p) => p[0]);
    const expected = left + ((right - left) * at) / (n - 1);
    assert.ok(Math.max(...xs) - Math.min(...xs) <= 4, `spike ${Math.min(...xs)}..${Math.max(...xs)} is narrow`);
    assert.ok(Math.abs((Math.min(...xs) + Math.max(...xs)) / 2 - expected) <= 2, `spike at ${xs}, expected ~${expected}`);
    // Away from the spike, the upper part is background.
    assert.deepStrictEqual(png.px(Math.round(left + (right - left) * 0.25), Math.round(png.height * 0.25)), WHITE);
  });

  it('paints the curve along the scene geometry, anti-aliased', () => {
    const v = Float64Array.from({ length: 300 }, (_, k) => (k < 30 ? 0.1 * (k / 30) : 0.1 * 0.99 ** (k - 30)));
    const input: ChartInput = { series: [{ label: 'lr', values: v }], title: 'Warm-up then decay' };
    const opts = { width: 640, height: 320, theme: 'light' as const, mode: 'full' as const };
    const png = decodePng(renderPng(input, opts));
    const scene = buildScene(input, opts, (t, s, b) => measureRasterText(t, s, b));
    const series = scene.shapes.find((s) => s.kind === 'series');
    assert.ok(series && series.kind === 'series');
    let onCurve = 0, total = 0;
    for (const run of series.runs) {
      for (let i = 0; i < run.length; i += 2) {
        total++;
        if (near(png.px(Math.floor(run[i]!), Math.floor(run[i + 1]!)), LIGHT_BLUE, 60)) onCurve++;
      }
    }
    assert.ok(onCurve / total > 0.95, `${onCurve}/${total} scene points are blue`);
    // Anti-aliasing: along the slanted warm-up there are pixels between background and curve colour.
    let blended = 0;
    for (let y = 0; y < png.height; y++) {
      for (let x = 0; x < png.width; x++) {
        const p = png.px(x, y);
        if (p[2] > p[0] + 20 && !near(p, LIGHT_BLUE, 20) && !near(p, WHITE, 20)) blended++;
      }
    }
    assert.ok(blended > 50, `${blended} blended pixels`);
  });

  it('draws text (title, tick labels) with the bitmap font', () => {
    const input: ChartInput = { series: [{ label: 'lr', values: Float64Array.from({ length: 50 }, (_, k) => 0.1 - k * 1e-3) }], title: 'TITLE' };
    const withTitle = decodePng(renderPng(input, { width: 400, height: 200, theme: 'light' }));
    const without = decodePng(renderPng({ ...input, title: '' }, { width: 400, height: 200, theme: 'light' }));
    const ink = (img: Decoded, y0: number, y1: number): number => {
      let n = 0;
      for (let y = y0; y < y1; y++) for (let x = 150; x < 250; x++) if (near(img.px(x, y), hex('#1f2328'), 30)) n++;
      return n;
    };
    assert.ok(ink(withTitle, 8, 24) > 30, 'title ink at the top centre');
    assert.strictEqual(ink(without, 8, 24), 0);
    for (const ch of '0123456789.-+e%·()ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz') assert.ok(hasGlyph(ch), `glyph ${ch}`);
  });

  it('rasterises crisp axis-aligned rules and soft diagonals', () => {
    const scene: Scene = {
      width: 40, height: 40, background: '#ffffff', description: '',
      shapes: [
        { kind: 'line', x1: 5, y1: 10, x2: 35, y2: 10, stroke: { color: '#000000', width: 1 } },
        { kind: 'line', x1: 5, y1: 20, x2: 35, y2: 30, stroke: { color: '#000000', width: 1 } },
      ],
    };
    const r = rasterize(scene);
    const at = (x: number, y: number): number => r.rgb[(y * r.width + x) * 3]!;
    // The 1 px rule covers exactly one row of pixels.
    assert.strictEqual(at(20, 10), 0);
    assert.strictEqual(at(20, 9), 255);
    assert.strictEqual(at(20, 11), 255);
    // The diagonal has partially covered pixels.
    const col = Array.from({ length: 40 }, (_, y) => at(20, y)).slice(15, 35);
    assert.ok(col.some((v) => v > 20 && v < 235), `column ${col}`);
  });

  it('paints every rule and segment exactly as a pixel-by-pixel reference does (the rasteriser only skips pixels without ink)', () => {
    // The reference visits every pixel of the picture: coverage from the distance of its centre to the segment (the
    // capsule's formula), stored as float32, blended once over white. Rules are snapped as the rasteriser documents
    // (odd widths on pixel centres, even widths on edges).
    const W = 48, H = 40;
    const reference = (x1: number, y1: number, x2: number, y2: number, width: number, snapped: boolean): Uint8Array => {
      const odd = Math.round(width) % 2 === 1;
      const snap = (v: number): number => (odd ? Math.floor(v) + 0.5 : Math.round(v));
      let [ax, ay, bx, by] = [x1, y1, x2, y2];
      if (snapped && y1 === y2) [ay, by] = [snap(y1), snap(y2)];
      else if (snapped && x1 === x2) [ax, bx] = [snap(x1), snap(x2)];
      const r = width / 2, core = Math.max(r, 0.5), gain = r < 0.5 ? r / 0.5 : 1, edge = core + 0.5;
      const far = (edge + 1e-9) ** 2;
      const dx = bx - ax, dy = by - ay, len2 = dx * dx + dy * dy;
      const cov = new Float32Array(W * H);
      for (let y = 0; y < H; y++) {
        for (let x = 0; x < W; x++) {
          const px = x + 0.5, py = y + 0.5;
          let t = len2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / len2 : 0;
          t = t < 0 ? 0 : t > 1 ? 1 : t;
          const ex = ax + t * dx - px, ey = ay + t * dy - py;
          const d2 = ex * ex + ey * ey;
          const c = d2 < far ? (edge - Math.sqrt(d2)) * gain : 0;
          if (c > 0) cov[y * W + x] = Math.min(c, 1);
        }
      }
      const rgb = new Uint8Array(W * H * 3).fill(255);
      for (let i = 0; i < W * H; i++) {
        const a = cov[i]!;
        if (a > 0) for (let k = 0; k < 3; k++) rgb[i * 3 + k] = Math.round(255 * (1 - a) + 0 * a);
      }
      return rgb;
    };
    const lines: [number, number, number, number][] = [
      [4, 10, 44, 10], [4, 10.3, 44, 10.3], [3.7, 20.5, 40.2, 20.5], [-5, 2, 60, 2], [4, 39.6, 44, 39.6], // horizontal
      [10, 3, 10, 37], [17.5, 3, 17.5, 37], [22.25, 1.5, 22.25, 30.75], [0.2, -4, 0.2, 50], [47.8, 5, 47.8, 35], // vertical
      [5, 20, 35, 30], [5, 35, 40, 4.5], [20, 5, 21, 36], [3, 20, 44, 21], // diagonal, steep, shallow
      [12.3, 12.7, 12.3, 12.7], [30, 30, 30, 30], // a dot
    ];
    // As a rule (snapped), and as one segment of a curve (not snapped: a constant learning rate is a flat run).
    for (const width of [0.6, 1, 1.75, 2, 2.75, 3]) {
      for (const [x1, y1, x2, y2] of lines) {
        for (const kind of ['line', 'series'] as const) {
          const stroke = { color: '#000000', width };
          const scene: Scene = {
            width: W, height: H, background: '#ffffff', description: '',
            shapes: [kind === 'line' ? { kind, x1, y1, x2, y2, stroke } : { kind, runs: [Float64Array.of(x1, y1, x2, y2)], stroke, label: 'lr' }],
          };
          const got = rasterize(scene).rgb;
          const want = reference(x1, y1, x2, y2, width, kind === 'line');
          const diff = got.findIndex((v, i) => v !== want[i]);
          const what = `${kind} ${[x1, y1, x2, y2]} width ${width}`;
          assert.strictEqual(diff, -1, `${what}: pixel ${Math.floor(diff / 3) % W},${Math.floor(diff / 3 / W)}`);
          assert.ok(want.some((v) => v < 255), `${what} draws something`);
        }
      }
    }
  });

  it('never throws and still writes a picture for unusable input', () => {
    for (const input of [{ series: [] }, null, { series: [{ label: 'x', values: new Float64Array(3).fill(NaN) }] }] as ChartInput[]) {
      const png = decodePng(renderPng(input, { width: 200, height: 100, theme: 'high-contrast' }));
      assert.deepStrictEqual([png.width, png.height], [200, 100]);
    }
    const huge = decodePng(renderPng({ series: [] }, { width: 1e9, height: -1, theme: 'light' }));
    assert.ok(huge.width <= 8192 && huge.height >= 16);
  });
});
