/**
 * Every string id the extension registers or matches on, in one place.
 * Keep in sync with package.json's `contributes`.
 */

/** Command ids. */
export const enum CommandId {
  /** Open (or reveal) the preview panel in the active column; args: `(uri?: string, schedulerId?: string)`. */
  OpenPreview = 'lrLens.openPreview',
  /** Open the preview panel beside the editor; same args as {@link CommandId.OpenPreview}. */
  OpenPreviewToSide = 'lrLens.openPreviewToSide',
  /** Pin the panel to the scheduler it shows (or unpin: follow the cursor again). */
  TogglePin = 'lrLens.togglePin',
  /** Save the panel's chart as a PNG file. */
  ExportPng = 'lrLens.exportPng',
  /** Save the shown curves (full resolution) as a CSV file. */
  ExportCsv = 'lrLens.exportCsv',
  /** Test hook: returns (and logs) the last `rendered` report of the panel. Hidden from the palette. */
  LastRendered = 'lrLens.test.lastRendered',
}

/** Webview panel type (also the serializer's key). */
export const enum ViewType {
  Preview = 'lrLens.preview',
}

/** Context keys set with `setContext`, used in `when` clauses. */
export const enum ContextKey {
  /** true while the active editor's document has at least one scheduler construction. */
  HasScheduler = 'lrLens.hasScheduler',
  /** true while the preview panel is pinned. */
  Pinned = 'lrLens.previewPinned',
  /** true while the preview panel is the active webview. */
  PreviewFocus = 'lrLens.previewFocus',
}

/** The settings section; every key lives under it. */
export const CONFIG_SECTION = 'lrLens';

/** The name shown as diagnostic source and output channel. */
export const DISPLAY_NAME = 'LR Lens';

/** Languages whose documents (and notebook cells) are analysed. */
export const LANGUAGE_IDS: readonly string[] = ['python', 'typescript', 'typescriptreact', 'javascript', 'javascriptreact'];

/** Where rule documentation lives, relative to the repository root. */
export const RULES_DOC_PATH = 'docs/rules.md';
