/**
 * Inputs of the chart renderers (SVG for hovers and the webview, PNG for the CLI).
 * Browser-safe: types only.
 */
import type { Marker } from '../engine/types';
import type { ThemeKind } from './theme';

export type { ThemeKind } from './theme';

/** One curve: value k is the value after k scheduler steps. */
export interface ChartSeries {
  label: string;
  values: Float64Array;
  /** 'momentum' series (momentum or beta1, cycled by CyclicLR/OneCycleLR) get their own y scale, dashed. */
  role?: 'lr' | 'momentum';
}

export interface ChartInput {
  series: ChartSeries[];
  markers?: Marker[];
  title?: string;
  /** Caption of the x axis in full charts; defaults to "step". */
  xLabel?: string;
}

/** What to annotate; every flag defaults to on. */
export interface Annotations {
  /** Marker lines (full) or ticks (sparkline). */
  markers?: boolean;
  /** Marker labels in full charts (they are never drawn in sparklines). */
  markerLabels?: boolean;
  /** A dot at the peak of the first lr series (labelled in full charts). */
  peak?: boolean;
  /** A vertical cursor at this step, with the first lr series' value there. Off when absent. */
  cursor?: number;
}

export interface ChartOptions {
  /** Pixel size of the picture (clamped to 16..8192). */
  width: number;
  height: number;
  theme: ThemeKind;
  /** 'sparkline': compact hover picture, transparent background; 'full': axes, grid, legend, labels. */
  mode: 'sparkline' | 'full';
  /** Log-scaled y axis for lr series (values ≤ 0 sit on the bottom edge). */
  logY?: boolean;
  annotations?: Annotations;
}

export type SvgOptions = ChartOptions;
