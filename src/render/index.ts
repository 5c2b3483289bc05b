/**
 * Browser-safe rendering API (hover, webview, CLI): decimation, ticks, themes
 * and SVG. The PNG encoder needs Node's zlib and is imported from './png'.
 */
export { decimate, toPolyline, type Decimated } from './decimate';
export { renderSvg, svgDataUri, SPARKLINE_BUDGET } from './svg';
export { linearAxis, logAxis, stepAxis, formatValue, formatStep, type Axis, type Tick } from './ticks';
export { palette, type Palette, type ThemeKind } from './theme';
export type { Annotations, ChartInput, ChartOptions, ChartSeries, SvgOptions } from './types';
