/** The one-shot CLI's V8 flags (src/cli/startup.ts): set for real, without printing a warning. */
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as path from 'path';

const STARTUP = path.join(__dirname, '..', '..', '..', 'src', 'cli', 'startup.js');

describe('cli start-up flags', () => {
  it('sets a V8 flag (natives syntax then compiles) without a warning', () => {
    // A process of its own: the flag must not leak into the test runner.
    const script = `
      const { setV8Flags } = require(${JSON.stringify(STARTUP)});
      let before;
      try { new Function('return %IsSmi(1)'); before = 'compiled'; } catch (e) { before = e.name; }
      setV8Flags(['--allow-natives-syntax']);
      const after = new Function('return %IsSmi(1)')();
      console.log(JSON.stringify({ before, after }));`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    assert.strictEqual(r.status, 0, r.stderr);
    assert.deepStrictEqual(JSON.parse(r.stdout), { before: 'SyntaxError', after: true });
    assert.strictEqual(r.stderr, '');
  });
});
