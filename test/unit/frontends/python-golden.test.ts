import * as assert from 'assert';
import { goldenTraces } from '../../golden';
import { analyze } from './python-helpers';

const golden = goldenTraces();

describe('python frontend: golden snippets', () => {
  for (const c of golden.cases) {
    it(`${c.id}: finds ${c.kind} \`${c.variable}\` with every argument known`, async () => {
      const res = await analyze(c.source);
      // The traced object is the one bound to `variable` at the end of the snippet: the last such call.
      const found = res.calls.filter((f) => f.variable === c.variable);
      assert.ok(found.length > 0, `no call assigned to ${c.variable}: ${JSON.stringify(res.calls.map((f) => [f.kind, f.variable]))}`);
      const call = found[found.length - 1]!;
      assert.strictEqual(call.kind, c.kind);
      assert.strictEqual(call.unknownReason, null);
      assert.strictEqual(call.bindFailure, null);
      assert.notStrictEqual(call.schedulerIndex, null);
      for (const a of call.argInfo) assert.ok(a.known && !a.assumed, `${a.name} not known: ${a.reason}`);
      assert.strictEqual(res.program.schedulers[call.schedulerIndex!]!.kind, c.kind);
    });
  }
});
