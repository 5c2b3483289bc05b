/** The palette/menu/CodeLens/hover commands; thin: each delegates to the preview manager. */
import * as vscode from 'vscode';
import { describeError } from './guard';
import { CommandId } from './ids';
import type { PanelTarget } from './previewPanel';
import type { PreviewManager } from './previewManager';

/**
 * The target of an "open preview" invocation: `(uri: string, schedulerId: string)` from a
 * lens or hover link, `(uri: Uri)` from an editor/title menu, nothing from the palette.
 */
export function targetFromArgs(uri: unknown, schedulerId: unknown): PanelTarget | undefined {
  const text = uri instanceof vscode.Uri ? uri.toString() : typeof uri === 'string' && uri.length < 10_000 ? uri : undefined;
  if (!text) return undefined;
  return { uri: text, schedulerId: typeof schedulerId === 'string' && schedulerId.length < 1000 ? schedulerId : null };
}

export function registerCommands(manager: PreviewManager, log: vscode.LogOutputChannel): vscode.Disposable[] {
  const command = (id: CommandId, fn: (...args: unknown[]) => unknown) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await fn(...args);
      } catch (e) {
        log.error(`command ${id} failed: ${describeError(e)}`);
        void vscode.window.showErrorMessage(`LR Lens: ${id} failed; see the "LR Lens" output for details.`);
        return undefined;
      }
    });
  return [
    command(CommandId.OpenPreview, (uri, id) => manager.open(targetFromArgs(uri, id), false)),
    command(CommandId.OpenPreviewToSide, (uri, id) => manager.open(targetFromArgs(uri, id), true)),
    command(CommandId.TogglePin, () => manager.togglePin()),
    command(CommandId.ExportPng, () => manager.exportPng()),
    command(CommandId.ExportCsv, () => manager.exportCsv()),
    command(CommandId.LastRendered, (uri) => {
      const report = manager.lastRendered(typeof uri === 'string' ? uri : undefined);
      log.info(`last rendered: ${JSON.stringify(report ?? null)}`);
      return report ?? null;
    }),
  ];
}
