/**
 * Hover over a CosineAnnealingWarmUpRestarts(...) call: a picture of the curve as a data: SVG plus the key
 * numbers. Expected values come from the blog example in docs/torch-schedulers.md (T_0 150, T_up 10,
 * gamma 0.5, optimizer lr 0): the curve starts at 0 and peaks at eta_max = 0.1 at step 10.
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { activate, closeAll, hoverText, openFixture, rangeOf, waitFor, WAIT_MS } from './helpers';

suite('hover', () => {
  suiteSetup(activate);
  suiteTeardown(closeAll);

  test('hover on the scheduler call shows an SVG image and the peak lr', async () => {
    const { document: doc } = await openFixture('warmup_restarts.py');
    const callee = rangeOf(doc, 'CosineAnnealingWarmUpRestarts(', 'scheduler =');
    const at = callee.start.translate(0, 5);
    // The first analysis may still be running: re-ask until a hover with an image arrives.
    const text = await waitFor(async () => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, at);
      const t = hoverText(hovers ?? []);
      return /data:image\/svg\+xml/.test(t) ? t : undefined;
    }, vscode.languages.onDidChangeDiagnostics, WAIT_MS, 'no hover with a data:image/svg+xml picture on the CosineAnnealingWarmUpRestarts call');
    // The picture must be a decodable data URI, not an empty one.
    const uri = /data:image\/svg\+xml(;base64)?,([^)"'\s|]+)/.exec(text);   // the markdown adds |width=…,height=…
    assert.ok(uri, 'data URI not found');
    const svg = uri[1] ? new TextDecoder().decode(Uint8Array.from(atob(uri[2]), (c) => c.charCodeAt(0))) : decodeURIComponent(uri[2]);
    assert.match(svg, /<svg[\s>]/, 'the data URI does not decode to an SVG document');
    assert.match(svg, /<(path|polyline)\b/, 'the SVG has no curve (path/polyline)');
    // Key numbers: peak 0.1 (= eta_max, reached at the end of the 10-step warm-up).
    const withoutImages = text.replace(/data:image\/[^)"'\s]+/g, '');
    assert.match(withoutImages, /(^|[^\d.])0\.10*(?![\d])|1(\.0+)?e-0?1/, `peak lr 0.1 not in the hover text:\n${withoutImages}`);
  });

  test('the hover is compact: picture, numbers, the warning, then the panel link', async () => {
    const { document: doc } = await openFixture('warmup_restarts_nonzero.py');
    const at = rangeOf(doc, 'CosineAnnealingWarmUpRestarts(', 'scheduler =').start.translate(0, 5);
    const text = await waitFor(async () => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, at);
      const t = hoverText(hovers ?? []);
      return /data:image\/svg\+xml/.test(t) && /LR141/.test(t) ? t : undefined;
    }, vscode.languages.onDidChangeDiagnostics, WAIT_MS, 'no hover with a picture and the LR141 warning');
    const indexOf = (re: RegExp): number => {
      const i = text.search(re);
      assert.ok(i >= 0, `${re} not in the hover:\n${text}`);
      return i;
    };
    const order = [indexOf(/data:image\/svg\+xml/), indexOf(/peak \*\*/), indexOf(/LR141/), indexOf(/Open in the LR Lens panel/)];
    assert.deepStrictEqual([...order].sort((a, b) => a - b), order, `hover order is not picture < numbers < warning < link:\n${text}`);
    assert.match(text.trimStart(), /^!\[/, `the hover does not open with the picture:\n${text.slice(0, 200)}`);
    // Everything before the link fits a short hover: the picture plus at most a handful of text lines.
    const head = text.slice(0, order[3]).replace(/data:image\/[^)"'\s]+/g, '').split('\n').filter((l) => l.trim());
    assert.ok(head.length <= 5, `${head.length} non-empty lines before the panel link:\n${head.join('\n')}`);
  });

  test('a curve on argparse defaults: the hover labels each assumed value under the numbers', async () => {
    const { document: doc } = await openFixture('assumed_lr.py');
    const at = rangeOf(doc, 'ExponentialLR(', 'scheduler =').start.translate(0, 5);
    const text = await waitFor(async () => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, at);
      const t = hoverText(hovers ?? []);
      return /peak \*\*/.test(t) ? t : undefined;
    }, vscode.languages.onDidChangeDiagnostics, WAIT_MS, 'no hover with key numbers on the ExponentialLR call');
    // The defaults of --lr (3e-3) and --lr_decay_rate (0.98) are what the preview uses, each labelled.
    assert.match(text, /Assumed `lr = 0\.003`: default of --lr/, text);
    assert.match(text, /Assumed `gamma = 0\.98`: default of --lr\\?_decay\\?_rate/, text);
    assert.ok(text.search(/Assumed `lr/) > text.search(/peak \*\*/), `the assumption is not under the numbers:\n${text}`);
  });

  test('no LR Lens hover away from scheduler calls', async () => {
    const { document: doc } = await openFixture('warmup_restarts.py');
    const pos = rangeOf(doc, 'model.parameters()').start;
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, pos);
    assert.ok(!/data:image\/svg\+xml/.test(hoverText(hovers ?? [])), 'an lr picture appeared on `model.parameters()`');
  });
});
