/**
 * Hover on a scheduler construction (callee or any argument): curve picture, key numbers,
 * the hovered argument's value and origin, this call's problems, and a link to the panel.
 * Pictures are cached per document version, scheduler and theme kind; a theme change
 * drops the cache, so the next hover is drawn in the new colours.
 */
import * as vscode from 'vscode';
import type { SchedulerAnalysis } from '../analysis/types';
import { renderSvg, svgDataUri } from '../render/svg';
import type { ChartSeries, ThemeKind } from '../render/types';
import type { AnalysisService } from './analysisService';
import type { ConfigStore } from './configStore';
import { fromVsPosition, toVsRange } from './convert';
import { guarded } from './guard';
import { commandUri, HOVER_IMAGE, hoverMarkdown } from './hoverContent';
import { CommandId } from './ids';
import { argumentAt, schedulerAt } from './summary';

/** The render theme for VS Code's active colour theme kind. */
export function themeKind(kind: vscode.ColorThemeKind): ThemeKind {
  switch (kind) {
    case vscode.ColorThemeKind.Light: return 'light';
    case vscode.ColorThemeKind.HighContrast: return 'high-contrast';
    case vscode.ColorThemeKind.HighContrastLight: return 'high-contrast-light';
    default: return 'dark';
  }
}

/** Most pictures kept (a few per visible scheduler is plenty). */
const IMAGE_CACHE_SIZE = 64;

export class SchedulerHoverProvider implements vscode.HoverProvider, vscode.Disposable {
  private readonly images = new Map<string, string>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly analysis: AnalysisService, private readonly config: ConfigStore, private readonly log: vscode.LogOutputChannel) {
    this.disposables.push(vscode.window.onDidChangeActiveColorTheme(() => this.images.clear()));
  }

  provideHover(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    return guarded(this.log, 'hover', undefined, async () => {
      if (!this.config.current.hoverEnabled) return undefined;
      const result = await this.analysis.get(document);
      if (!result || token.isCancellationRequested) return undefined;
      const at = fromVsPosition(position);
      const s = schedulerAt(result.schedulers, at);
      if (!s) return undefined;
      const argument = argumentAt(s, at);
      const md = new vscode.MarkdownString(hoverMarkdown({
        scheduler: s,
        argument,
        imageUri: this.image(document, s),
        openCommandUri: commandUri(CommandId.OpenPreviewToSide, [document.uri.toString(), s.id]),
      }), true);
      md.isTrusted = { enabledCommands: [CommandId.OpenPreviewToSide, CommandId.OpenPreview] };
      md.supportHtml = false;
      return new vscode.Hover(md, toVsRange(argument?.range ?? s.calleeRange));
    });
  }

  /** The sparkline as a data URI, or undefined when there is no curve. */
  private image(document: vscode.TextDocument, s: SchedulerAnalysis): string | undefined {
    const curve = s.curve;
    if (!curve) return undefined;
    const theme = themeKind(vscode.window.activeColorTheme.kind);
    const key = `${document.uri.toString()}@${document.version}|${s.id}|${theme}`;
    const cached = this.images.get(key);
    if (cached) return cached;
    const multi = curve.lrs.length > 1;
    const series: ChartSeries[] = curve.lrs.map((values, g) => ({ label: multi ? `group ${g}` : 'lr', values, role: 'lr' }));
    const momentum = curve.momentum;
    for (const values of momentum?.values ?? []) series.push({ label: momentum!.label, values, role: 'momentum' });
    const svg = renderSvg({ series, markers: curve.markers }, { ...HOVER_IMAGE, theme, mode: 'sparkline' });
    const uri = svgDataUri(svg);
    if (this.images.size >= IMAGE_CACHE_SIZE) this.images.delete(this.images.keys().next().value!);
    this.images.set(key, uri);
    return uri;
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
    this.images.clear();
  }
}
