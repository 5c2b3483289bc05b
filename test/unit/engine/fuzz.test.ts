/**
 * Random arguments of every kind and type: the public entry points never throw, and the
 * result is self-consistent (error ⇔ truncated or null curves).
 */
import * as assert from 'assert';
import { defaultHorizon, plateauEnvelope, SCHEDULER_KINDS, SIGNATURES, simulate, summarize } from '../../../src/engine';
import type { Arg, SchedulerKind } from '../../../src/engine/types';
import { rng } from '../rng';
import { ProgramBuilder, sched } from './helpers';


function randomArg(r: () => number, depth = 0): Arg {
  const pick = Math.floor(r() * 11);
  const nums = [0, 1, -1, 2, 0.5, 1e-9, 1e9, 3.7, -0.25, 1 / 3, NaN, Infinity];
  const n = nums[Math.floor(r() * nums.length)]!;
  switch (pick) {
    case 0: case 1: return { kind: 'int', value: Number.isFinite(n) ? Math.round(n) : 3 };
    case 2: case 3: return { kind: 'float', value: n };
    case 4: return { kind: 'bool', value: r() < 0.5 };
    case 5: return { kind: 'str', value: ['cos', 'linear', 'min', 'triangular', 'x'][Math.floor(r() * 5)]! };
    case 6: return { kind: 'none' };
    case 7: return depth > 1 ? { kind: 'none' } : { kind: 'list', items: Array.from({ length: Math.floor(r() * 3) }, () => randomArg(r, depth + 1)) };
    case 8: return { kind: 'func', name: 'f', call: (x) => (r() < 0.02 ? NaN : 1 / (1 + Math.abs(x))) };
    case 9: return { kind: 'object', typeName: 'Tensor' };
    default: return { kind: 'scheduler', index: Math.floor(r() * 3) };
  }
}

describe('engine/fuzz: never throws', () => {
  for (const kind of SCHEDULER_KINDS) {
    it(kind, () => {
      const r = rng(kind.length * 7919 + kind.charCodeAt(0));
      for (let trial = 0; trial < 60; trial++) {
        const b = new ProgramBuilder();
        const o = b.opt(['SGD', 'Adam', 'Adagrad'][trial % 3]!, { lr: 0.1 }, trial % 4 === 0 ? [{}, { lr: 0.2 }] : null);
        b.add('StepLR', o, { step_size: { kind: 'int', value: 3 } });
        b.add('ExponentialLR', o, { gamma: { kind: 'float', value: 0.9 } });
        const args: Record<string, Arg> = {};
        for (const p of SIGNATURES[kind].params) {
          if (p.name === 'optimizer') continue;
          if (p.name === 'schedulers') args[p.name] = { kind: 'list', items: [sched(0), sched(1)] };
          else if (r() < 0.6) args[p.name] = randomArg(r);
        }
        const t = b.add(kind as SchedulerKind, kind === 'ChainedScheduler' ? null : o, args);
        const steps = 1 + Math.floor(r() * 60);
        const res = simulate(b.program, t, { steps });
        if (res.error && res.error.phase === 'construct') assert.strictEqual(res.lrs, null);
        if (res.lrs) {
          const len = res.error ? res.error.step! : steps;
          for (const a of res.lrs) assert.strictEqual(a.length, len);
          summarize(res.lrs[0]!, res.markers);
        }
        assert.ok(res.error === null || res.error.type !== 'InternalError', `${kind}: ${res.error?.message}`);
        const h = defaultHorizon(b.program, t);
        assert.ok(h.steps >= 2 && h.steps <= 1_000_000);
        if (kind === 'ReduceLROnPlateau') plateauEnvelope(b.program, t, steps);
      }
    });
  }
});
