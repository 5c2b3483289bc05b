/**
 * SVG output: `renderSvg` for hovers (sparkline) and the webview/CLI (full),
 * `svgDataUri` for markdown images. The SVG is standalone (xmlns, no scripts,
 * no external references), every user string is XML-escaped, and coordinates
 * are rounded to 0.1 px with relative path commands to keep it small.
 * Browser-safe: no Node APIs.
 */
import { buildScene } from './chart';
import type { Scene, Shape, Stroke } from './scene';
import type { ChartInput, SvgOptions } from './types';

/**
 * Size budget of a sparkline (characters). A hover's markdown is cut at 100,000
 * characters and may hold several pictures; base64 adds a third, so 12,000
 * characters of SVG stay under 16 KB of data URI.
 */
export const SPARKLINE_BUDGET = 12_000;

const FONT = "system-ui,-apple-system,'Segoe UI',Roboto,Ubuntu,sans-serif";

/** Escapes text for XML content and double-quoted attributes; drops characters XML 1.0 forbids. */
export function escapeXml(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Approximate advance of a character in a UI sans-serif font, in em (layout only needs a fair estimate). */
function charWidth(c: string): number {
  if ('il.,:;|\'!'.includes(c)) return 0.26;
  if (c === ' ' || 'fjtrI()[]-'.includes(c)) return 0.34;
  if ('mwMW%'.includes(c)) return 0.84;
  if (c >= 'A' && c <= 'Z') return 0.68;
  return 0.6;
}

/** Estimated text width in px for the SVG's font stack. */
export function measureSvgText(text: string, size: number, bold = false): number {
  let w = 0;
  for (const c of text) w += charWidth(c);
  return w * size * (bold ? 1.06 : 1);
}

/** A number rounded to 0.1 with no trailing zeros (`12`, `12.3`, `-0.5` → `-.5`). */
function num(v: number): string {
  return tenths(Math.round(v * 10));
}

function tenths(t: number): string {
  if (t === 0) return '0';
  const a = Math.abs(t);
  const body = a % 10 === 0 ? String(a / 10) : a < 10 ? `.${a}` : `${Math.floor(a / 10)}.${a % 10}`;
  return t < 0 ? `-${body}` : body;
}

/** Appends numbers to path data, with a separator only where the syntax needs one. */
function joinNums(out: string[], nums: string[]): void {
  for (let i = 0; i < nums.length; i++) {
    const s = nums[i]!;
    const prev = i > 0 ? nums[i - 1]! : null;
    out.push(prev !== null && !s.startsWith('-') && !(s.startsWith('.') && prev.includes('.')) ? ` ${s}` : s);
  }
}

/**
 * Path data of polyline runs, in integer tenths of a pixel: relative moves,
 * `h`/`v` for axis-aligned segments, and collinear segments merged (long flat
 * stretches of a step schedule become one command). A lone point becomes a dot.
 */
export function seriesPath(runs: Float64Array[]): string {
  const out: string[] = [];
  let cx = 0, cy = 0; // current pen position in tenths (after the emitted commands)
  for (const run of runs) {
    if (run.length < 2) continue;
    const sx = Math.round(run[0]! * 10), sy = Math.round(run[1]! * 10);
    const first = out.length === 0;
    out.push(first ? 'M' : 'm');
    joinNums(out, first ? [tenths(sx), tenths(sy)] : [tenths(sx - cx), tenths(sy - cy)]);
    cx = sx;
    cy = sy;
    let dx = 0, dy = 0; // pending segment from (cx, cy)
    let segments = 0;
    const emit = (): void => {
      if (dx === 0 && dy === 0) return;
      if (dx === 0) {
        out.push('v');
        joinNums(out, [tenths(dy)]);
      } else if (dy === 0) {
        out.push('h');
        joinNums(out, [tenths(dx)]);
      } else {
        out.push('l');
        joinNums(out, [tenths(dx), tenths(dy)]);
      }
      cx += dx;
      cy += dy;
      segments++;
    };
    for (let i = 2; i < run.length; i += 2) {
      const qx = Math.round(run[i]! * 10) - (cx + dx);
      const qy = Math.round(run[i + 1]! * 10) - (cy + dy);
      if (qx === 0 && qy === 0) continue;
      const collinear = dx * qy - dy * qx === 0 && dx * qx + dy * qy > 0;
      if (collinear) {
        dx += qx;
        dy += qy;
      } else {
        emit();
        dx = qx;
        dy = qy;
      }
    }
    emit();
    if (segments === 0) out.push('h0');
  }
  return out.join('');
}

function strokeAttrs(s: Stroke): string {
  let a = ` stroke="${s.color}" stroke-width="${num(s.width)}"`;
  if (s.dash) a += ` stroke-dasharray="${num(s.dash[0])} ${num(s.dash[1])}"`;
  if (s.opacity !== undefined && s.opacity < 1) a += ` stroke-opacity="${Math.round(s.opacity * 100) / 100}"`;
  return a;
}

function sameStroke(a: Stroke, b: Stroke): boolean {
  return a.color === b.color && a.width === b.width && a.opacity === b.opacity && a.dash?.[0] === b.dash?.[0] && a.dash?.[1] === b.dash?.[1];
}

type Line = Extract<Shape, { kind: 'line' }>;

/** Consecutive lines with one stroke become one path; axis-aligned rules are drawn crisp. */
function linesPath(lines: Line[]): string {
  const d: string[] = [];
  let aligned = true;
  for (const l of lines) {
    d.push(`M${num(l.x1)} ${num(l.y1)}`);
    if (num(l.y1) === num(l.y2)) d.push(`H${num(l.x2)}`);
    else if (num(l.x1) === num(l.x2)) d.push(`V${num(l.y2)}`);
    else {
      d.push(`L${num(l.x2)} ${num(l.y2)}`);
      aligned = false;
    }
  }
  const crisp = aligned ? ' shape-rendering="crispEdges"' : '';
  return `<path d="${d.join('')}" fill="none"${strokeAttrs(lines[0]!.stroke)}${crisp}/>`;
}

function shapeSvg(s: Exclude<Shape, Line>): string {
  switch (s.kind) {
    case 'series':
      return `<path class="series" d="${seriesPath(s.runs)}" fill="none"${strokeAttrs(s.stroke)} stroke-linejoin="round" stroke-linecap="round"/>`;
    case 'rect': {
      const op = s.opacity !== undefined && s.opacity < 1 ? ` fill-opacity="${Math.round(s.opacity * 100) / 100}"` : '';
      return `<rect x="${num(s.x)}" y="${num(s.y)}" width="${num(s.w)}" height="${num(s.h)}" fill="${s.fill}"${op}/>`;
    }
    case 'circle':
      return `<circle cx="${num(s.cx)}" cy="${num(s.cy)}" r="${num(s.r)}" fill="${s.fill}"${s.stroke ? strokeAttrs(s.stroke) : ''}/>`;
    case 'text': {
      const x = num(s.x), y = num(s.y);
      const anchor = s.anchor === 'start' ? '' : ` text-anchor="${s.anchor}"`;
      const bold = s.bold ? ' font-weight="bold"' : '';
      const rot = s.vertical ? ` transform="rotate(-90 ${x} ${y})"` : '';
      return `<text x="${x}" y="${y}" font-size="${num(s.size)}" fill="${s.color}"${anchor}${bold}${rot}>${escapeXml(s.text)}</text>`;
    }
  }
}

/** Serialises a scene as a standalone SVG document. */
export function sceneToSvg(scene: Scene): string {
  const { width: w, height: h } = scene;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="${FONT}" role="img">`,
    `<title>${escapeXml(scene.description)}</title>`,
  ];
  if (scene.background) out.push(`<rect width="100%" height="100%" fill="${scene.background}"/>`);
  const shapes = scene.shapes;
  for (let i = 0; i < shapes.length; ) {
    const s = shapes[i]!;
    if (s.kind === 'line') {
      const group: Line[] = [s];
      while (i + group.length < shapes.length) {
        const next = shapes[i + group.length]!;
        if (next.kind !== 'line' || !sameStroke(next.stroke, s.stroke)) break;
        group.push(next);
      }
      out.push(linesPath(group));
      i += group.length;
    } else {
      out.push(shapeSvg(s));
      i++;
    }
  }
  out.push('</svg>');
  return out.join('');
}

/**
 * The chart as an SVG document. Sparklines are kept within `SPARKLINE_BUDGET`
 * characters by decimating more coarsely when needed (many series). Never
 * throws: unusable input gives a "no data" picture.
 */
export function renderSvg(input: ChartInput, opts: SvgOptions): string {
  try {
    let svg = sceneToSvg(buildScene(input, opts, measureSvgText));
    if (opts?.mode === 'sparkline') {
      for (let resolution = 0.5; svg.length > SPARKLINE_BUDGET && resolution >= 1 / 16; resolution /= 2) {
        svg = sceneToSvg(buildScene(input, opts, measureSvgText, resolution));
      }
    }
    return svg;
  } catch {
    // A bug must not take the hover down with it; show an honest placeholder instead.
    return sceneToSvg(buildScene({ series: [] }, opts, measureSvgText));
  }
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard base64 (with padding) of bytes; written out so it runs the same in Node and the browser. */
export function base64(bytes: Uint8Array): string {
  const out: string[] = [];
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out.push(B64[n >> 18]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]! + B64[n & 63]!);
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out.push(`${B64[n >> 18]!}${B64[(n >> 12) & 63]!}==`);
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out.push(`${B64[n >> 18]!}${B64[(n >> 12) & 63]!}${B64[(n >> 6) & 63]!}=`);
  }
  return out.join('');
}

/** `data:image/svg+xml;base64,…` of an SVG string (UTF-8), for markdown images and `<img src>`. */
export function svgDataUri(svg: string): string {
  return `data:image/svg+xml;base64,${base64(new TextEncoder().encode(String(svg ?? '')))}`;
}
