/**
 * The browser tier (`npm run test:browser`): the real webview bundle in a real browser (headless Chromium
 * through playwright-core), under the panel's real HTML and CSP, with `acquireVsCodeApi` stubbed: what VS Code
 * would run, minus VS Code. Kept out of the unit tier, which needs no browser.
 * Needs Chromium (`npm test` installs Debian's through scripts/setup-e2e.sh; LR_LENS_CHROMIUM overrides the path).
 * Without it the suite fails with the reason: no test is skipped silently.
 */
import * as assert from 'assert';
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildView, curvePoints } from '../../src/extension/panelModel';
import { panelHtml } from '../../src/extension/panelHtml';
import type { FromWebview, PanelView, RenderedReport } from '../../src/protocol/protocol';
import { result, stepScheduler } from '../unit/extension/fixtures';

const ROOT = path.join(__dirname, '../../..');
const CHROMIUM = process.env.LR_LENS_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Runs in the page before the webview script: records what the webview posts and every CSP
 * violation, and stands in for VS Code's `acquireVsCodeApi`. (A string: the node-side tsconfig has no DOM types.)
 */
const INIT_SCRIPT = `
  window.__posted = [];
  window.__csp = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
  let state;
  window.acquireVsCodeApi = () => ({
    postMessage: (m) => window.__posted.push(JSON.parse(JSON.stringify(m))),
    getState: () => state,
    setState: (s) => (state = s),
  });
`;

function view(partial: Partial<PanelView> = {}): PanelView {
  const v = buildView({
    seq: 1, uri: 'file:///t.py', fileName: 't.py', result: result([stepScheduler()]), selectedId: null, pinned: false, compare: false,
    horizonOverride: null, resetZoom: true, viewport: null, columns: 800,
  });
  return { ...v, ...partial };
}

describe('webview (headless Chromium)', function () {
  this.timeout(60_000);
  let dir: string;
  let server: http.Server;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  before(async function () {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: run scripts/setup-e2e.sh (or set LR_LENS_CHROMIUM)`);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lr-lens-webview-'));
    await esbuild.build({
      entryPoints: [path.join(ROOT, 'webview/main.ts')], outfile: path.join(dir, 'webview.js'),
      bundle: true, platform: 'browser', format: 'iife', target: 'es2022', logLevel: 'silent',
    });
    server = http.createServer((req, res) => {
      const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      if (req.url === '/') {
        res.setHeader('content-type', 'text/html');
        res.end(panelHtml({ cspSource: origin, nonce: 'TEST-NONCE', scriptUri: `${origin}/webview.js`, styleUri: `${origin}/panel.css` }));
      } else if (req.url === '/webview.js') {
        res.setHeader('content-type', 'text/javascript');
        res.end(fs.readFileSync(path.join(dir, 'webview.js')));
      } else if (req.url === '/panel.css') {
        res.setHeader('content-type', 'text/css');
        res.end(fs.readFileSync(path.join(ROOT, 'media/panel.css')));
      } else if (req.url === '/favicon.ico') {
        res.statusCode = 204;
        res.end();
      } else {
        res.statusCode = 404;
        res.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
  });

  after(async () => {
    await browser?.close();
    server?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    errors.length = 0;
    page = await browser.newPage({ viewport: { width: 900, height: 500 } });
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    await page.addInitScript({ content: INIT_SCRIPT });
    await page.goto(`http://127.0.0.1:${(server.address() as { port: number }).port}/`);
    await until('ready');
  });

  afterEach(async () => {
    await page?.close();
  });

  /** Delivers a message the way VS Code does: a window `message` event carrying JSON-cloned data. */
  const send = (msg: unknown) => page.evaluate(`window.postMessage(${JSON.stringify(msg)}, '*')`);
  const posted = () => page.evaluate('window.__posted') as Promise<FromWebview[]>;
  /**
   * Waits until the webview posted more than `after` messages of `type` (with a zoomed viewport when
   * `zoomed`). A function, not a string: Playwright evals string predicates in the page, which the CSP forbids.
   */
  const until = (type: FromWebview['type'], after = 0, zoomed = false) => page.waitForFunction(
    ({ type, after, zoomed }) => (globalThis as unknown as { __posted: { type: string; viewport?: unknown }[] }).__posted
      .filter((m) => m.type === type && (!zoomed || (m.viewport !== null && m.viewport !== undefined))).length > after,
    { type, after, zoomed });
  async function nextReport(after: number): Promise<RenderedReport> {
    await until('rendered', after);
    const reports = (await posted()).filter((m): m is Extract<FromWebview, { type: 'rendered' }> => m.type === 'rendered');
    return reports[reports.length - 1]!.report;
  }
  const reportCount = async () => (await posted()).filter((m) => m.type === 'rendered').length;
  /** What the webview wrote on the canvas after its last draw (what the e2e waits on). */
  const canvasDraw = () => page.evaluate(`(() => {
    const d = document.getElementById('chart').dataset;
    return { draw: Number(d.draw), viewSeq: Number(d.viewSeq), idle: d.idle };
  })()`) as Promise<{ draw: number; viewSeq: number; idle: string | undefined }>;

  it('keeps marker labels whole inside the chart, and cuts one wider than a narrow panel with an ellipsis', async () => {
    const long = 'end of the schedule its arguments imply (last milestone × 2, from milestones=[150, 225])';
    const markers = [{ step: 0, kind: 'phase' as const, label: 'warm-up ends' }, { step: 29, kind: 'phase' as const, label: long }];
    await send({ type: 'view', view: view({ markers }) });
    let r = await nextReport(0);
    assert.strictEqual(r.markers, 2);
    assert.strictEqual(r.clippedMarkerLabels, 0, 'both labels inside the chart area');
    // A panel as narrow as a side column (the 300-epoch e2e screenshot): the long label no longer fits whole.
    await page.setViewportSize({ width: 300, height: 500 });
    let before = await reportCount();
    await send({ type: 'view', view: view({ markers, seq: 2 }) });
    r = await nextReport(before);
    assert.strictEqual(r.seq, 2);
    assert.strictEqual(r.clippedMarkerLabels, 0, 'fitted to the narrow chart');
    before = await reportCount();
    await page.click('#logY');
    r = await nextReport(before);
    assert.strictEqual(r.yScale, 'log');
    assert.strictEqual(r.clippedMarkerLabels, 0, 'and on the log scale');
  });

  it('draws a view under the strict CSP and reports what it drew', async () => {
    await send({ type: 'view', view: view() });
    const r = await nextReport(0);
    assert.strictEqual(r.selectedId, 'StepLR:3:8');
    assert.deepStrictEqual(r.series.map((s) => [s.label, s.axis, s.points, s.exact]), [['lr', 'lr', 30, true]]);
    assert.strictEqual(r.series[0]!.firstY, 0.1);
    assert.ok(Math.abs(r.series[0]!.lastY! - 0.001) < 1e-15, 'lr_29 = 0.1·0.1² (StepLR closed form)');
    assert.strictEqual(r.markers, 2);
    assert.strictEqual(r.message, null);
    const pixels = await page.evaluate(`(() => {
      const c = document.getElementById('chart');
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      const colours = new Set();
      for (let i = 0; i < d.length; i += 16) colours.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
      return colours.size;
    })()`) as number;
    assert.ok(pixels > 3, 'the canvas has a drawing on it');
    assert.deepStrictEqual(await page.evaluate('window.__csp'), [], 'no CSP violation');
    assert.deepStrictEqual(errors, []);
    assert.match(await page.textContent('#summary') ?? '', /sched = StepLR · horizon 30 steps \(step_size × 3\)/);
    const onCanvas = await canvasDraw();
    assert.ok(r.draw >= 1, `the report numbers its draw (${r.draw})`);
    assert.ok(onCanvas.draw >= r.draw && onCanvas.viewSeq === 1, `the canvas carries the draw: ${JSON.stringify(onCanvas)}`);
  });

  it('titles the x axis with what one step is (a timm schedule stepped per epoch), also in the summary', async () => {
    await send({ type: 'view', view: view({ stepLabel: 'epoch' }) });
    assert.strictEqual((await nextReport(0)).xTitle, 'epoch');
    assert.match(await page.textContent('#summary') ?? '', /horizon 30 epochs/);
    const n = await reportCount();
    await send({ type: 'view', view: view({ seq: 2 }) });
    assert.strictEqual((await nextReport(n)).xTitle, 'step');
    assert.deepStrictEqual(errors, []);
  });

  it('numbers every draw: a newer draw has a larger number, and the canvas says when no detail is pending', async () => {
    await send({ type: 'view', view: view() });
    const first = await nextReport(0);
    const n = await reportCount();
    await page.click('#logY');
    const second = await nextReport(n);
    assert.ok(second.draw > first.draw, `draw ${second.draw} after draw ${first.draw}`);
    assert.strictEqual((await canvasDraw()).draw >= second.draw, true);
    // A zoom asks the host for detail (a viewport message): the webview is not idle until the detail arrives.
    await page.focus('#chart');
    await page.keyboard.press('+');
    await until('viewport', 0, true);
    const vp = (await posted()).filter((m) => m.type === 'viewport').pop() as Extract<FromWebview, { type: 'viewport' }>;
    assert.strictEqual((await canvasDraw()).idle, 'false', 'a detail request is outstanding');
    const m = await reportCount();
    await send({ type: 'detail', seq: vp.seq, viewport: vp.viewport!, series: view().series });
    const third = await nextReport(m);
    assert.ok(third.draw > second.draw);
    assert.deepStrictEqual(await canvasDraw(), { draw: third.draw, viewSeq: 1, idle: 'true' });
  });

  it('logs and ignores malformed messages, then still draws a good one', async () => {
    for (const bad of [null, 'view', { type: 'view' }, { type: 'view', view: { ...view(), series: 'no' } }, { type: 'explode' }]) await send(bad);
    await until('log', 4);
    const logs = (await posted()).filter((m) => m.type === 'log');
    assert.ok(logs.every((m) => m.type === 'log' && m.level === 'warn' && /malformed/.test(m.message)));
    await send({ type: 'view', view: view() });
    assert.strictEqual((await nextReport(0)).series.length, 1);
    assert.deepStrictEqual(errors, []);
  });

  it('labels the assumed values in the status line', async () => {
    await send({ type: 'view', view: view({ assumed: ['lr assumed 0.003', 'T_max assumed 100', 'momentum assumed 0'], notes: ['Assumed: lr assumed 0.003 (default of --lr)'] }) });
    await nextReport(0);
    assert.match(await page.textContent('#summary') ?? '', /· lr assumed 0\.003, T_max assumed 100, \+1 assumed$/);
    assert.match(await page.textContent('#notes') ?? '', /Assumed: lr assumed 0\.003 \(default of --lr\)/);
  });

  it('shows the reason when there is no curve', async () => {
    await send({ type: 'view', view: view({ series: [], markers: [], message: 'ZeroDivisionError: integer modulo by zero' }) });
    const r = await nextReport(0);
    assert.strictEqual(r.message, 'ZeroDivisionError: integer modulo by zero');
    assert.ok(await page.isVisible('#message'));
    assert.match(await page.getAttribute('#chart', 'aria-label') ?? '', /No curve: ZeroDivisionError/);
  });

  it('switches to a log y axis from the toolbar and keeps it in its state', async () => {
    await send({ type: 'view', view: view() });
    const n = await reportCount();
    await page.click('#logY');
    const r = await nextReport(n);
    assert.strictEqual(r.yScale, 'log');
    assert.strictEqual(await page.getAttribute('#logY', 'aria-pressed'), 'true');
  });

  it('zooms from the keyboard and asks the host for detail of the visible range; stale detail is ignored', async () => {
    await send({ type: 'view', view: view() });
    await nextReport(0);
    await page.focus('#chart');
    await page.keyboard.press('+');
    await until('viewport', 0, true);
    const vp = (await posted()).filter((m) => m.type === 'viewport').pop() as Extract<FromWebview, { type: 'viewport' }>;
    assert.strictEqual(vp.seq, 1);
    assert.ok(vp.viewport!.from > 0 && vp.viewport!.to < 29, JSON.stringify(vp.viewport));
    assert.ok(vp.columns >= 50);

    const n = await reportCount();
    const detail = { label: 'lr', schedulerId: 'StepLR:3:8', group: 0, axis: 'lr', xs: [0, 1, 2], ys: [0.5, 0.5, 0.5], exact: true };
    await send({ type: 'detail', seq: 99, viewport: { from: 0, to: 2 }, series: [{ ...detail, ys: [0.7, 0.7, 0.7] }] });
    await send({ type: 'detail', seq: 1, viewport: { from: 0, to: 2 }, series: [detail] });
    const r = await nextReport(n);
    assert.strictEqual(await reportCount(), n + 1, 'the detail for another view (seq 99) was not drawn');
    assert.deepStrictEqual([r.series[0]!.points, r.series[0]!.firstY], [3, 0.5], 'the detail of the current view replaced the series');
    assert.ok(r.visible !== null, 'the zoom is kept');
  });

  it('re-reads the theme colours when VS Code switches theme (body class / variables)', async () => {
    await send({ type: 'view', view: view() });
    await nextReport(0);
    const redPixels = () => page.evaluate(`(() => {
      const c = document.getElementById('chart');
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i] > 200 && d[i + 1] < 60 && d[i + 2] < 60) n++;
      return n;
    })()`) as Promise<number>;
    assert.strictEqual(await redPixels(), 0, 'no red before the theme change');
    const n = await reportCount();
    // What VS Code does on a theme switch: new variables on <html style>, a new body class.
    await page.evaluate(`document.documentElement.style.setProperty('--vscode-charts-blue', '#ff0000');
      document.body.className = 'vscode-high-contrast';`);
    await nextReport(n);
    assert.ok(await redPixels() > 50, 'the series is redrawn in the new theme colour');
  });

  it('answers requestPng with a PNG data URL', async () => {
    await send({ type: 'view', view: view() });
    await nextReport(0);
    await send({ type: 'requestPng' });
    await until('png');
    const png = (await posted()).find((m) => m.type === 'png') as Extract<FromWebview, { type: 'png' }>;
    const bytes = Buffer.from(png.dataUrl.slice('data:image/png;base64,'.length), 'base64');
    assert.deepStrictEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  });

  it('stays interactive with a 10,000,000-step curve (the host sends it decimated)', async () => {
    const values = new Float64Array(10_000_000);
    for (let k = 0; k < values.length; k++) values[k] = 0.05 * (1 + Math.cos((Math.PI * (k % 1_000_000)) / 1_000_000));
    const points = curvePoints(values, 1600, null);
    const big = view({ series: [{ label: 'lr', schedulerId: 'x', group: 0, axis: 'lr', ...points }], markers: [] });
    // Drawn (the suite's timeout is the hang guard; speed is `npm run bench`'s): every point sent, first and last as sent.
    await send({ type: 'view', view: big });
    const r = await nextReport(0);
    assert.ok(points.xs.length <= 4 * 1600);
    assert.deepStrictEqual([r.series[0]!.points, r.series[0]!.exact], [points.xs.length, false]);
    assert.deepStrictEqual([r.series[0]!.firstY, r.series[0]!.lastY], [values[0], values[values.length - 1]]);
  });
});
