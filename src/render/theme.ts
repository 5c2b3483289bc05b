/**
 * Colours and stroke widths per VS Code theme kind. A hover `<img>` cannot read
 * CSS variables, so the caller passes the active theme kind and we pick colours
 * that stay legible on that theme's hover background. Browser-safe, pure.
 */
import type { MarkerKind } from '../engine/types';

export type ThemeKind = 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';

export interface Palette {
  /** Chart background (full charts and PNG; sparklines stay transparent). */
  background: string;
  text: string;
  mutedText: string;
  grid: string;
  axis: string;
  /** Series colours, used in order (lr series first, momentum series after). */
  series: readonly string[];
  markers: Readonly<Record<MarkerKind, string>>;
  /** Series stroke width in px; high-contrast themes draw thicker lines. */
  lineWidth: number;
  /** Width of axes, grid and marker lines. */
  ruleWidth: number;
}

const LIGHT: Palette = {
  background: '#ffffff',
  text: '#1f2328',
  mutedText: '#59636e',
  grid: '#e4e7eb',
  axis: '#8c959f',
  series: ['#1f6feb', '#d1571b', '#1a7f37', '#8250df', '#bf3989', '#0a7ea4', '#9a6700', '#57606a'],
  markers: {
    'warmup-end': '#1a7f37', restart: '#cf222e', milestone: '#8250df',
    handoff: '#0a7ea4', phase: '#6e7781', peak: '#bc4c00',
  },
  lineWidth: 1.75,
  ruleWidth: 1,
};

const DARK: Palette = {
  background: '#1e1e1e',
  text: '#e6edf3',
  mutedText: '#9da7b3',
  grid: '#33383e',
  axis: '#6e7681',
  series: ['#4fa3ff', '#ff9a52', '#56d364', '#c297ff', '#ff7eb6', '#39c5cf', '#e3b341', '#b1bac4'],
  markers: {
    'warmup-end': '#56d364', restart: '#ff7b72', milestone: '#c297ff',
    handoff: '#39c5cf', phase: '#8b949e', peak: '#ffa657',
  },
  lineWidth: 1.75,
  ruleWidth: 1,
};

const HC_DARK: Palette = {
  background: '#000000',
  text: '#ffffff',
  mutedText: '#ffffff',
  grid: '#4d4d4d',
  axis: '#ffffff',
  series: ['#00e5ff', '#ffd600', '#ff5cf0', '#7cff4f', '#ffffff', '#ff9e3d', '#b388ff', '#ff6e6e'],
  markers: {
    'warmup-end': '#7cff4f', restart: '#ff5c5c', milestone: '#ff5cf0',
    handoff: '#00e5ff', phase: '#ffffff', peak: '#ffd600',
  },
  lineWidth: 2.75,
  ruleWidth: 1.5,
};

const HC_LIGHT: Palette = {
  background: '#ffffff',
  text: '#000000',
  mutedText: '#000000',
  grid: '#a6a6a6',
  axis: '#000000',
  series: ['#0000c8', '#b30000', '#006100', '#7a00a8', '#000000', '#8a4b00', '#005f6b', '#a3005c'],
  markers: {
    'warmup-end': '#006100', restart: '#b30000', milestone: '#7a00a8',
    handoff: '#00567a', phase: '#000000', peak: '#8a4b00',
  },
  lineWidth: 2.75,
  ruleWidth: 1.5,
};

/** The palette for a theme kind; anything unrecognised gets the light palette. */
export function palette(theme: ThemeKind | undefined): Palette {
  switch (theme) {
    case 'dark': return DARK;
    case 'high-contrast': return HC_DARK;
    case 'high-contrast-light': return HC_LIGHT;
    default: return LIGHT;
  }
}
