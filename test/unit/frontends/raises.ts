/** Shared by the frontend tests: `f` raises the Python exception `type` with `message` (exact text or pattern). */
import * as assert from 'assert';
import { PyError } from '../../../src/engine/types';

export function raises(f: () => unknown, type: string, message: string | RegExp): void {
  assert.throws(f, (e: unknown) => {
    assert.ok(e instanceof PyError, `not a PyError: ${String(e)}`);
    assert.strictEqual(e.type, type);
    if (typeof message === 'string') assert.strictEqual(e.message, message);
    else assert.match(e.message, message);
    return true;
  });
}
