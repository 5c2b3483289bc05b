/**
 * Saving the panel's PNG and CSV: a save dialog next to the source when it is a local file
 * (virtual and untitled documents get the workspace folder or the dialog's default), then
 * `workspace.fs`, so remote and virtual file systems work too.
 */
import * as vscode from 'vscode';
import { base64Bytes } from './bytes';
import { csvChunks, CsvInput, csvRowCount } from './csv';

/** Rows above which the user is asked first (≈ 25 bytes per row and column). */
const CONFIRM_ROWS = 1_000_000;

function defaultUri(source: vscode.Uri | undefined, fileName: string): vscode.Uri | undefined {
  const folder = source && source.scheme !== 'untitled' && source.scheme !== 'vscode-notebook-cell'
    ? vscode.Uri.joinPath(source, '..')
    : vscode.workspace.workspaceFolders?.[0]?.uri;
  return folder ? vscode.Uri.joinPath(folder, fileName) : undefined;
}

/** A file name made of safe characters only. */
export function safeFileName(stem: string, ext: string): string {
  const clean = stem.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '') || 'lr-schedule';
  return `${clean.slice(0, 80)}.${ext}`;
}

/** Decodes `data:image/png;base64,…` (already validated by the protocol) and saves it. */
export async function savePng(dataUrl: string, source: vscode.Uri | undefined, stem: string): Promise<vscode.Uri | undefined> {
  const bytes = base64Bytes(dataUrl.slice(dataUrl.indexOf(',') + 1));
  if (bytes.length < 8 || bytes[0] !== 0x89 || bytes[1] !== 0x50) {
    throw new Error('the panel sent something that is not a PNG picture');
  }
  const target = await vscode.window.showSaveDialog({
    defaultUri: defaultUri(source, safeFileName(stem, 'png')), filters: { 'PNG image': ['png'] }, title: 'Save LR schedule as PNG',
  });
  if (!target) return undefined;
  await vscode.workspace.fs.writeFile(target, bytes);
  return target;
}

/** Builds the CSV (full resolution) and saves it; asks first when it would be very large. */
export async function saveCsv(input: CsvInput, source: vscode.Uri | undefined, stem: string): Promise<vscode.Uri | undefined> {
  const rows = csvRowCount(input);
  if (rows > CONFIRM_ROWS) {
    const mb = Math.round((rows * (8 + 22 * input.columns.length)) / 1e6);
    const go = await vscode.window.showWarningMessage(
      `The CSV will have ${rows.toLocaleString('en-US')} rows (about ${mb} MB). Export anyway?`, { modal: true }, 'Export');
    if (go !== 'Export') return undefined;
  }
  const target = await vscode.window.showSaveDialog({
    defaultUri: defaultUri(source, safeFileName(stem, 'csv')), filters: { CSV: ['csv'] }, title: 'Save LR schedule as CSV',
  });
  if (!target) return undefined;
  const encoder = new TextEncoder();
  const parts = [...csvChunks(input)].map((chunk) => encoder.encode(chunk));
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    bytes.set(p, offset);
    offset += p.length;
  }
  await vscode.workspace.fs.writeFile(target, bytes);
  return target;
}
