import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';

/**
 * The webview bundles src/render (except png.ts) for the browser: those files
 * may import only each other and engine types, and use no Node globals.
 */
describe('render: browser-safe modules', () => {
  const dir = path.join(__dirname, '..', '..', '..', '..', 'src', 'render');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'png.ts');

  it('finds the sources', () => {
    assert.ok(files.includes('decimate.ts') && files.includes('svg.ts'), files.join(', '));
  });

  for (const f of files) {
    it(`${f} imports nothing from Node`, () => {
      const src = fs.readFileSync(path.join(dir, f), 'utf8');
      for (const m of src.matchAll(/\b(?:import|export)\b[^'";]*?from\s+'([^']+)'/g)) {
        const spec = m[1]!;
        const ok = spec.startsWith('./') || (spec === '../engine/types' && /import type|export type/.test(m[0]));
        assert.ok(ok, `${f}: ${m[0]}`);
      }
      assert.ok(!/\brequire\(|\bBuffer\b|\bprocess\.|\b__dirname\b/.test(src), `${f} uses a Node global`);
    });
  }
});
