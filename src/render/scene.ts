/**
 * A chart as a flat list of pixel-space shapes. `chart.ts` builds it once; the
 * SVG writer serialises it and the PNG rasteriser paints it, so both outputs
 * show the same picture. Browser-safe, types only.
 */

export interface Stroke {
  /** `#rrggbb` */
  color: string;
  width: number;
  /** Dash and gap lengths in px; solid when absent. */
  dash?: readonly [number, number];
  /** 0..1, default 1. */
  opacity?: number;
}

export type Shape =
  | { kind: 'line'; x1: number; y1: number; x2: number; y2: number; stroke: Stroke }
  /** A data series: runs of interleaved (x, y) pixel coordinates; a gap between runs. */
  | { kind: 'series'; runs: Float64Array[]; stroke: Stroke; label: string }
  | { kind: 'rect'; x: number; y: number; w: number; h: number; fill: string; opacity?: number }
  | { kind: 'circle'; cx: number; cy: number; r: number; fill: string; stroke?: Stroke }
  | {
      kind: 'text'; x: number; y: number; text: string; size: number; color: string;
      /** Horizontal alignment on `x` (along the text direction when vertical). */
      anchor: 'start' | 'middle' | 'end';
      bold?: boolean;
      /** Rotated 90° counter-clockwise, reading bottom to top (y-axis captions). */
      vertical?: boolean;
    };

export interface Scene {
  width: number;
  height: number;
  /** `#rrggbb`, or null for transparent (hover sparklines). */
  background: string | null;
  /** One-line text alternative (SVG `<title>`). */
  description: string;
  shapes: Shape[];
}

/** Width in px of `text` at font size `size`; each output format supplies its own. */
export type MeasureText = (text: string, size: number, bold?: boolean) => number;
