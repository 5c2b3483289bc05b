/**
 * The preview webview's HTML, pure. Strict CSP: nothing but our own nonce'd script and the
 * stylesheet from the extension (`cspSource`); images only as data: URIs; no network.
 * The markup is static: everything dynamic is drawn by webview/main.ts.
 */

export interface PanelHtmlInput {
  /** `webview.cspSource`. */
  cspSource: string;
  /** Fresh per page load. */
  nonce: string;
  /** `asWebviewUri` of dist/webview.js and media/panel.css. */
  scriptUri: string;
  styleUri: string;
}

/** The Content-Security-Policy of the panel. */
export function panelCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

function attr(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The whole document. */
export function panelHtml(input: PanelHtmlInput): string {
  const nonce = attr(input.nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(panelCsp(input.cspSource, input.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(input.styleUri)}" nonce="${nonce}">
<title>LR Lens</title>
</head>
<body>
<header class="toolbar" role="toolbar" aria-label="Chart controls">
  <label class="field grow" title="Scheduler to plot">
    <span class="label">Scheduler</span>
    <select id="scheduler" aria-label="Scheduler"></select>
  </label>
  <button id="reveal" type="button" class="icon" title="Go to this call in the editor" aria-label="Go to this call in the editor">↗</button>
  <label class="field" title="Number of values to plot (steps); empty = what the arguments imply">
    <span class="label">Horizon</span>
    <input id="horizon" type="number" min="1" max="10000000" step="1" inputmode="numeric" placeholder="auto" aria-label="Horizon in steps (empty for automatic)">
  </label>
  <div class="group" role="group" aria-label="View">
    <button id="logY" type="button" aria-pressed="false" title="Logarithmic y axis">Log y</button>
    <button id="epochs" type="button" aria-pressed="false" title="Show the x axis in epochs (needs steps_per_epoch)">Epochs</button>
    <button id="momentum" type="button" aria-pressed="true" title="Show momentum / beta1 on a second axis">Momentum</button>
    <button id="compare" type="button" aria-pressed="false" title="Overlay every scheduler of the file">Compare</button>
    <button id="pin" type="button" aria-pressed="false" title="Keep showing this scheduler when the cursor moves">Pin</button>
  </div>
  <div class="group" role="group" aria-label="Actions">
    <button id="resetZoom" type="button" title="Reset zoom (0)">Reset zoom</button>
    <button id="png" type="button" title="Save the chart as PNG">PNG</button>
    <button id="csv" type="button" title="Save the curves as CSV (full resolution)">CSV</button>
  </div>
</header>
<main class="chart-area">
  <canvas id="chart" tabindex="0" role="img" aria-label="Learning-rate curve"></canvas>
  <div id="message" class="message" role="status" hidden></div>
</main>
<footer class="status" aria-live="polite">
  <div id="summary" class="summary"></div>
  <ul id="notes" class="notes"></ul>
</footer>
<script nonce="${nonce}" src="${attr(input.scriptUri)}"></script>
</body>
</html>`;
}

/** A fresh CSP nonce: 16 random bytes in base64 (Web Crypto: exists in Node 20 and in the web worker host). */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}
