/**
 * Paints a chart scene into an RGB pixel buffer: anti-aliased strokes (exact
 * pixel coverage of round-capped segments, accumulated per shape so joints are
 * not painted twice), filled circles, rectangles, and bitmap-font text.
 * Browser-safe, pure; the PNG encoder lives in png.ts.
 */
import { ASCENT, fontScale, glyph, measureBitmap } from './font';
import type { Scene, Shape, Stroke } from './scene';

/** An opaque RGB image, row-major, 3 bytes per pixel. */
export interface Raster {
  width: number;
  height: number;
  rgb: Uint8Array;
}

type Rgb = [number, number, number];

function parseColor(hex: string): Rgb {
  const m = /^#([0-9a-f]{6})$/i.exec(hex);
  const n = m ? parseInt(m[1]!, 16) : 0;
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** Text width at font size `size` in a picture drawn at `scale`, in scene (unscaled) px. */
export function measureRasterText(text: string, size: number, bold = false, scale = 1): number {
  return measureBitmap(text, fontScale(size * scale), bold) / scale;
}

/**
 * Per-shape coverage buffer, composited once per shape. It keeps the list of the pixels the shape covers, so
 * compositing visits those and not their bounding box (a curve across the plot covers a few percent of it).
 */
class Canvas {
  readonly rgb: Uint8Array;
  private readonly cov: Float32Array;
  /** Indices (into `cov`) of the pixels the current shape covers; a pixel may appear twice, never matters. */
  private touched = new Int32Array(4096);
  private count = 0;

  constructor(readonly w: number, readonly h: number, background: Rgb) {
    this.rgb = new Uint8Array(w * h * 3);
    // The background: one pixel, then doubling copies (a per-pixel set() from an array cost ~60 ms at 800×400).
    if (w * h > 0) {
      this.rgb.set(background, 0);
      for (let filled = 3; filled < this.rgb.length; filled *= 2) this.rgb.copyWithin(filled, 0, Math.min(filled, this.rgb.length - filled));
    }
    this.cov = new Float32Array(w * h);
  }

  /** Records coverage `c` at a pixel (max with what the shape already covers there). */
  private mark(x: number, y: number, c: number): void {
    if (x < 0 || y < 0 || x >= this.w || y >= this.h || c <= 0) return;
    this.cover(y * this.w + x, c);
  }

  /** `mark` for a pixel known to be inside the picture, by index. */
  private cover(i: number, c: number): void {
    const old = this.cov[i]!;
    if (!(c > old)) return;
    this.cov[i] = c > 1 ? 1 : c;
    if (old === 0) {
      if (this.count === this.touched.length) {
        const more = new Int32Array(this.count * 2);
        more.set(this.touched);
        this.touched = more;
      }
      this.touched[this.count++] = i;
    }
  }

  /** Blends the recorded coverage in `color` at `opacity` and clears it. */
  composite(color: Rgb, opacity = 1): void {
    const { cov, rgb, touched } = this;
    const [r, g, b] = color;
    for (let j = 0; j < this.count; j++) {
      const i = touched[j]!;
      const a = cov[i]! * opacity;
      cov[i] = 0;
      if (!(a > 0)) continue;
      const p = i * 3;
      rgb[p] = Math.round(rgb[p]! * (1 - a) + r * a);
      rgb[p + 1] = Math.round(rgb[p + 1]! * (1 - a) + g * a);
      rgb[p + 2] = Math.round(rgb[p + 2]! * (1 - a) + b * a);
    }
    this.count = 0;
  }

  /** Round-capped segment of half-width `r`: coverage is how far each pixel centre lies inside the capsule. */
  segment(ax: number, ay: number, bx: number, by: number, r: number): void {
    const dx = bx - ax, dy = by - ay;
    const len2 = dx * dx + dy * dy;
    const reach = r + 1;
    const xa = Math.max(0, Math.floor(Math.min(ax, bx) - reach)), xb = Math.min(this.w - 1, Math.ceil(Math.max(ax, bx) + reach));
    const ya = Math.max(0, Math.floor(Math.min(ay, by) - reach)), yb = Math.min(this.h - 1, Math.ceil(Math.max(ay, by) + reach));
    // Thin strokes keep their total ink: a 1 px line is never drawn fainter than its width says.
    const core = Math.max(r, 0.5);
    const gain = r < 0.5 ? r / 0.5 : 1;
    // Only pixels nearer than core + 0.5 get ink. Those farther (by a hair, so that a pixel on the very edge is
    // still computed as before) are passed over: a row whose height alone puts it that far, and, the capsule
    // being convex, the rest of a row once its run of inked pixels is behind.
    const edge = core + 0.5;
    const reachInk = edge + 1e-9;
    const far = reachInk * reachInk;
    const yLo = Math.min(ay, by), yHi = Math.max(ay, by);
    const w = this.w;
    for (let y = ya; y <= yb; y++) {
      const py = y + 0.5;
      if (py + reachInk <= yLo || py - reachInk >= yHi) continue;
      // The row's share of the projection, computed once (the same operations, so the same values).
      const along = (py - ay) * dy;
      const row = y * w;
      let inside = false;
      for (let x = xa; x <= xb; x++) {
        const px = x + 0.5;
        let t = len2 > 0 ? ((px - ax) * dx + along) / len2 : 0;
        t = t < 0 ? 0 : t > 1 ? 1 : t;
        const ex = ax + t * dx - px, ey = ay + t * dy - py;
        const d2 = ex * ex + ey * ey;
        if (d2 >= far) {
          if (inside) break;
          continue;
        }
        inside = true;
        const c = (edge - Math.sqrt(d2)) * gain;
        if (c > 0) this.cover(row + x, c);
      }
    }
  }

  /** Disc of radius `r`, or a ring of width `ring` centred on radius `r`. */
  disc(cx: number, cy: number, r: number, ring?: number): void {
    const reach = r + (ring ?? 0) + 1;
    for (let y = Math.floor(cy - reach); y <= Math.ceil(cy + reach); y++) {
      for (let x = Math.floor(cx - reach); x <= Math.ceil(cx + reach); x++) {
        const d = Math.hypot(x + 0.5 - cx, y + 0.5 - cy);
        this.mark(x, y, ring === undefined ? r + 0.5 - d : ring / 2 + 0.5 - Math.abs(d - r));
      }
    }
  }

  rect(x: number, y: number, w: number, h: number): void {
    for (let j = Math.round(y); j < Math.round(y + h); j++) for (let i = Math.round(x); i < Math.round(x + w); i++) this.mark(i, j, 1);
  }

  pixel(x: number, y: number): void {
    this.mark(x, y, 1);
  }
}

/** Splits a polyline into dash pieces `[on, off]` along its length, continuing the pattern across vertices. */
function dashed(pts: ArrayLike<number>, dash: readonly [number, number]): number[][] {
  const [on, off] = dash;
  const pieces: number[][] = [];
  let phase = 0, drawing = true, cur: number[] = [pts[0]!, pts[1]!];
  for (let i = 2; i < pts.length; i += 2) {
    let ax = pts[i - 2]!, ay = pts[i - 1]!;
    const bx = pts[i]!, by = pts[i + 1]!;
    let left = Math.hypot(bx - ax, by - ay);
    while (left > 0) {
      const room = (drawing ? on : off) - phase;
      const step = Math.min(room, left);
      const t = step / left;
      ax += (bx - ax) * t;
      ay += (by - ay) * t;
      left -= step;
      phase += step;
      if (drawing) cur.push(ax, ay);
      if (phase >= (drawing ? on : off) - 1e-9) {
        if (drawing && cur.length >= 4) pieces.push(cur);
        drawing = !drawing;
        phase = 0;
        cur = [ax, ay];
      }
    }
  }
  if (drawing && cur.length >= 4) pieces.push(cur);
  return pieces;
}

/** Nudges axis-aligned rules onto pixel centres (odd widths) or edges (even), so they stay crisp. */
function snapLine(s: Extract<Shape, { kind: 'line' }>, width: number): number[] {
  const odd = Math.round(width) % 2 === 1;
  const snap = (v: number): number => (odd ? Math.floor(v) + 0.5 : Math.round(v));
  if (s.y1 === s.y2) return [s.x1, snap(s.y1), s.x2, snap(s.y2)];
  if (s.x1 === s.x2) return [snap(s.x1), s.y1, snap(s.x2), s.y2];
  return [s.x1, s.y1, s.x2, s.y2];
}

/** Adds a polyline's coverage (dashed when the stroke says so); the caller composites. */
function addPolyline(c: Canvas, pts: ArrayLike<number>, stroke: Stroke, k: number): void {
  const r = (stroke.width * k) / 2;
  const pieces: ArrayLike<number>[] = stroke.dash && pts.length >= 4 ? dashed(pts, [stroke.dash[0] * k, stroke.dash[1] * k]) : [pts];
  for (const p of pieces) {
    if (p.length === 2) c.segment(p[0]!, p[1]!, p[0]!, p[1]!, r);
    for (let i = 2; i < p.length; i += 2) c.segment(p[i - 2]!, p[i - 1]!, p[i]!, p[i + 1]!, r);
  }
}

function drawText(c: Canvas, s: Extract<Shape, { kind: 'text' }>, k: number): void {
  const fk = fontScale(s.size * k);
  const width = measureBitmap(s.text, fk, s.bold);
  const shift = s.anchor === 'middle' ? -width / 2 : s.anchor === 'end' ? -width : 0;
  const bx = Math.round(s.x * k), by = Math.round(s.y * k);
  let pen = Math.round(shift);
  for (const ch of s.text) {
    const g = glyph(ch);
    for (let row = 0; row < g.ink.length; row++) {
      const bits = g.ink[row]!;
      for (let col = 0; col < g.width + (s.bold ? 1 : 0); col++) {
        const on = ((bits >> col) & 1) | (s.bold && col > 0 ? (bits >> (col - 1)) & 1 : 0);
        if (!on) continue;
        for (let dy = 0; dy < fk; dy++) {
          for (let dx = 0; dx < fk; dx++) {
            const u = pen + col * fk + dx; // along the text
            const v = (row - ASCENT) * fk + dy; // below the baseline
            if (s.vertical) c.pixel(bx + v, by - u - 1);
            else c.pixel(bx + u, by + v);
          }
        }
      }
    }
    pen += (g.width + 1 + (s.bold ? 1 : 0)) * fk;
  }
  c.composite(parseColor(s.color));
}

/**
 * Paints `scene` at `scale` device pixels per scene pixel (2 for a sharp
 * high-DPI picture). Transparent scenes get a white background (PNG is opaque).
 */
export function rasterize(scene: Scene, scale = 1): Raster {
  const k = Number.isFinite(scale) && scale > 0 ? Math.min(4, scale) : 1;
  const w = Math.max(1, Math.round(scene.width * k)), h = Math.max(1, Math.round(scene.height * k));
  const c = new Canvas(w, h, parseColor(scene.background ?? '#ffffff'));
  for (const s of scene.shapes) {
    switch (s.kind) {
      case 'rect':
        c.rect(s.x * k, s.y * k, s.w * k, s.h * k);
        c.composite(parseColor(s.fill), s.opacity ?? 1);
        break;
      case 'line': {
        const pts = snapLine({ ...s, x1: s.x1 * k, y1: s.y1 * k, x2: s.x2 * k, y2: s.y2 * k }, s.stroke.width * k);
        addPolyline(c, pts, s.stroke, k);
        c.composite(parseColor(s.stroke.color), s.stroke.opacity ?? 1);
        break;
      }
      case 'series':
        for (const run of s.runs) addPolyline(c, k === 1 ? run : Array.from(run, (v) => v * k), s.stroke, k);
        // One composite for all runs of a series: overlapping segments do not darken.
        c.composite(parseColor(s.stroke.color), s.stroke.opacity ?? 1);
        break;
      case 'circle':
        c.disc(s.cx * k, s.cy * k, s.r * k);
        c.composite(parseColor(s.fill));
        if (s.stroke) {
          c.disc(s.cx * k, s.cy * k, s.r * k, s.stroke.width * k);
          c.composite(parseColor(s.stroke.color), s.stroke.opacity ?? 1);
        }
        break;
      case 'text':
        drawText(c, s, k);
        break;
    }
  }
  return { width: w, height: h, rgb: c.rgb };
}
