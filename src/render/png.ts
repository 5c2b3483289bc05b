/**
 * PNG output for the CLI (`lr-lens plot --out curve.png`). Node-only: it uses
 * `zlib.deflateSync`, so it is kept apart from the browser-safe renderers.
 */
import { deflateSync, gzipSync } from 'zlib';
import { buildScene } from './chart';
import { measureRasterText, rasterize, type Raster } from './raster';
import type { ChartInput, ChartOptions } from './types';

export interface PngOptions extends Omit<ChartOptions, 'mode'> {
  /** Defaults to 'full' (the CLI plot). */
  mode?: ChartOptions['mode'];
  /** Device pixels per chart pixel: 2 gives a sharp picture for high-DPI screens (1..4, default 1). */
  scale?: number;
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/**
 * CRC-32 (ISO 3309, as PNG chunks use it). Long inputs (a chart's IDAT) go through zlib: a gzip member's trailer
 * holds the CRC-32 of its data, the same CRC, computed natively; stored (level 0) it is a copy. The JS loop runs
 * interpreted in a one-shot `lr-lens plot`, about 1 ms for a 17 KB IDAT.
 */
export function crc32(bytes: Uint8Array): number {
  if (bytes.length >= 1024) {
    const gz = gzipSync(bytes, { level: 0 });
    return gz.readUInt32LE(gz.length - 8);
  }
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

const SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];

/**
 * The deflate level, chosen by measurement (`npm run bench`, an 800×400 chart, 960 KB of scanlines):
 * level 9 took 10.5 ms for 11.4 KB, level 6 1.9 ms for 14.6 KB, level 4 1.4 ms for 15.1 KB, level 3 0.6 ms
 * for 19.6 KB, level 1 0.5 ms for 20.6 KB. Levels 1–3 use zlib's fast matcher, 4–9 its lazy one: level 3
 * compresses best of the fast ones, 3× faster than 6 for 5 KB more, in a command (`lr-lens plot`) whose
 * whole run is about 100 ms and whose start-up is the goal (issue 13).
 */
export const PNG_DEFLATE_LEVEL = 3;

/** Encodes an RGB raster as an 8-bit truecolour PNG (one IDAT, filter "none" on every row). */
export function encodePng(img: Raster, level = PNG_DEFLATE_LEVEL): Uint8Array {
  const { width: w, height: h, rgb } = img;
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, w);
  v.setUint32(4, h);
  ihdr.set([8, 2, 0, 0, 0], 8); // bit depth 8, colour type 2 (RGB), deflate, adaptive filters, no interlace
  const raw = new Uint8Array(h * (1 + w * 3));
  for (let y = 0; y < h; y++) raw.set(rgb.subarray(y * w * 3, (y + 1) * w * 3), y * (1 + w * 3) + 1);
  const parts = [Uint8Array.from(SIGNATURE), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level })), chunk('IEND', new Uint8Array(0))];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * The chart (full by default) as PNG bytes: the same scene as `renderSvg`,
 * painted with anti-aliased strokes and the built-in bitmap font. Never throws:
 * unusable input gives a "no data" picture.
 */
export function renderPng(input: ChartInput, opts: PngOptions): Uint8Array {
  const chart: ChartOptions = { ...opts, mode: opts?.mode ?? 'full' };
  const scale = typeof opts?.scale === 'number' && opts.scale >= 1 ? Math.min(4, opts.scale) : 1;
  const measure = (t: string, size: number, bold?: boolean): number => measureRasterText(t, size, bold, scale);
  try {
    return encodePng(rasterize(buildScene(input, chart, measure), scale));
  } catch {
    return encodePng(rasterize(buildScene({ series: [] }, chart, measure), scale));
  }
}
