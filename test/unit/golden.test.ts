/**
 * The repository's golden data (test/golden) is a copy of the shared reference. When a checkout has
 * ../shared/golden beside it, the copies must be byte-identical; a fresh clone has none, and these
 * checks are then reported as skipped, with the reason, instead of passing silently.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { GOLDEN_FILES, goldenFamilies, goldenPath, goldenTraces, SHARED_GOLDEN_DIR } from '../golden';

describe('golden data in the repository', () => {
  for (const name of GOLDEN_FILES) {
    it(`test/golden/${name} is byte-identical to ../shared/golden/${name}`, function () {
      const shared = path.join(SHARED_GOLDEN_DIR, name);
      if (!fs.existsSync(shared)) {
        this.test!.title += ` (skipped: ${shared} does not exist, so there is nothing to compare with)`;
        this.skip();
      }
      assert.ok(fs.readFileSync(goldenPath(name)).equals(fs.readFileSync(shared)), `test/golden/${name} differs from ${shared}`);
    });
  }

  it('holds the PyTorch 1.13 recordings README.md describes', () => {
    for (const file of [goldenTraces(), goldenFamilies()]) {
      assert.strictEqual(file.torch_version, '1.13.0a0');
      assert.ok(new Set(file.cases.map((c) => c.id)).size === file.cases.length, 'case ids are unique');
    }
    assert.strictEqual(goldenTraces().cases.length, 77);
    assert.strictEqual(goldenFamilies().cases.length, 65);
  });
});
