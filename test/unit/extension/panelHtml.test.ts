import * as assert from 'assert';
import { panelCsp, panelHtml } from '../../../src/extension/panelHtml';

describe('extension/panelHtml', () => {
  const html = panelHtml({
    cspSource: 'https://webview.test', nonce: 'abc123', scriptUri: 'https://webview.test/dist/webview.js', styleUri: 'https://webview.test/media/panel.css',
  });

  it('has a strict CSP: nothing by default, scripts only by nonce, no inline/eval, images only data:', () => {
    const csp = panelCsp('https://webview.test', 'abc123');
    const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k!, v]));
    assert.deepStrictEqual(directives.get('default-src'), ["'none'"]);
    assert.deepStrictEqual(directives.get('script-src'), ["'nonce-abc123'"]);
    assert.deepStrictEqual(directives.get('style-src'), ['https://webview.test', "'nonce-abc123'"]);
    assert.deepStrictEqual(directives.get('img-src'), ['https://webview.test', 'data:']);
    assert.ok(!/unsafe-(inline|eval)|https?:\/\/\*|\*/.test(csp), csp);
  });

  it('puts the CSP first in <head> and loads the one script with the nonce', () => {
    const head = html.slice(html.indexOf('<head>'), html.indexOf('</head>'));
    assert.ok(head.indexOf('Content-Security-Policy') < head.indexOf('<link'), 'CSP before any resource');
    const scripts = html.match(/<script[^>]*>/g) ?? [];
    assert.deepStrictEqual(scripts, ['<script nonce="abc123" src="https://webview.test/dist/webview.js">']);
    assert.ok(!/ on[a-z]+=/.test(html), 'no inline event handlers');
  });

  it('labels every control for keyboard and screen-reader users', () => {
    for (const id of ['scheduler', 'horizon', 'logY', 'epochs', 'momentum', 'compare', 'pin', 'resetZoom', 'png', 'csv', 'reveal', 'chart']) {
      const tag = new RegExp(`<[a-z]+ id="${id}"[^>]*>`).exec(html)?.[0];
      assert.ok(tag, `#${id} exists`);
      assert.ok(/aria-label=|title=/.test(tag), `#${id} is labelled`);
    }
    assert.ok(html.includes('tabindex="0"'), 'the chart takes focus for keyboard zoom');
  });
});
