/**
 * Chart colours from VS Code's theme: the webview's `--vscode-*` CSS variables, re-read when
 * the theme changes (VS Code swaps the body class: vscode-light / vscode-dark /
 * vscode-high-contrast / vscode-high-contrast-light).
 */

export interface ChartTheme {
  foreground: string;
  muted: string;
  grid: string;
  background: string;
  fontFamily: string;
  fontSize: number;
  /** Series colours in order. */
  series: string[];
  /** Marker colour per engine marker kind. */
  markers: Record<string, string>;
  lineWidth: number;
  highContrast: boolean;
}

function cssVar(style: CSSStyleDeclaration, name: string, fallback: string): string {
  const v = style.getPropertyValue(name).trim();
  return v || fallback;
}

/** Reads the current theme from the body's computed style. */
export function readTheme(): ChartTheme {
  const style = getComputedStyle(document.body);
  const highContrast = document.body.classList.contains('vscode-high-contrast') || document.body.classList.contains('vscode-high-contrast-light');
  const dark = document.body.classList.contains('vscode-dark') || (highContrast && !document.body.classList.contains('vscode-high-contrast-light'));
  const foreground = cssVar(style, '--vscode-editor-foreground', dark ? '#cccccc' : '#333333');
  const v = (name: string, fallback: string) => cssVar(style, name, fallback);
  const blue = v('--vscode-charts-blue', dark ? '#4fa3ff' : '#1f6feb');
  const orange = v('--vscode-charts-orange', dark ? '#ff9a52' : '#d1571b');
  const green = v('--vscode-charts-green', dark ? '#56d364' : '#1a7f37');
  const purple = v('--vscode-charts-purple', dark ? '#c297ff' : '#8250df');
  const red = v('--vscode-charts-red', dark ? '#ff7b72' : '#cf222e');
  const yellow = v('--vscode-charts-yellow', dark ? '#e3b341' : '#9a6700');
  const muted = v('--vscode-descriptionForeground', dark ? '#9da7b3' : '#59636e');
  return {
    foreground,
    muted,
    grid: highContrast ? v('--vscode-contrastBorder', foreground) : v('--vscode-editorWidget-border', dark ? 'rgba(255,255,255,0.12)' : 'rgba(0,0,0,0.1)'),
    background: v('--vscode-editor-background', dark ? '#1e1e1e' : '#ffffff'),
    fontFamily: v('--vscode-font-family', 'system-ui, sans-serif'),
    fontSize: Number.parseFloat(v('--vscode-font-size', '13')) || 13,
    series: [blue, orange, green, purple, red, yellow, v('--vscode-terminal-ansiCyan', '#39c5cf'), muted],
    markers: { 'warmup-end': green, restart: red, milestone: purple, handoff: yellow, phase: muted, peak: orange },
    lineWidth: highContrast ? 2.5 : 1.75,
    highContrast,
  };
}

/** Calls `onChange` whenever VS Code switches theme (body class or inline variables change). */
export function watchTheme(onChange: () => void): MutationObserver {
  const observer = new MutationObserver(() => onChange());
  observer.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind', 'data-vscode-theme-id'] });
  // VS Code also rewrites the variables on <html style="…"> when a theme changes.
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style'] });
  return observer;
}
