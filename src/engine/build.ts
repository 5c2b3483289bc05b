/**
 * Constructs a program's schedulers in program order on fresh optimizer state,
 * as running the script would, recording which constructions raise.
 */
import { buildFamilyMember, isFamilyConstruction, notATorchScheduler } from './families/program';
import { constructScheduler, type BuildContext, type Scheduler } from './schedulers';
import { OptState } from './state';
import { isOwnLimit, NO_RULE, PyError, type Arg, type Program, type TorchFailure } from './types';

/** The outcome of building a program for one target. */
export interface Built {
  /** The target's object, or null when its construction raised (`targetFailure`). */
  target: Scheduler | null;
  targetFailure: TorchFailure | null;
  otherFailures: { index: number; failure: TorchFailure }[];
  /** Every object built, by construction index (the target's included). */
  objects: ReadonlyMap<number, Scheduler>;
}

/**
 * A thrown value as torch's failure, with the rule its throw site gave it (NO_RULE for LR Lens's
 * own limits and for errors no check claims); anything that is not a PyError is our bug, reported as such.
 */
export function toFailure(e: unknown, phase: 'construct' | 'step', step: number | null): TorchFailure {
  if (e instanceof PyError) {
    const rule = isOwnLimit(e.type) ? NO_RULE : e.rule ?? NO_RULE;
    const f: TorchFailure = { type: e.type, message: e.message, phase, step, rule };
    if (e.param !== undefined) f.param = e.param;
    return f;
  }
  const message = e instanceof Error ? e.message : String(e);
  return { type: 'InternalError', message: `LR Lens engine error: ${message}`, phase, step, rule: NO_RULE };
}

/** The optimizer a construction acts on (ChainedScheduler: its first member's). */
export function optimizerOf(program: Program, index: number, depth = 0): number | null {
  const c = program.schedulers[index];
  if (!c) return null;
  if (c.optimizer !== null) return c.optimizer;
  if (c.kind !== 'ChainedScheduler' || depth > 32) return null;
  const list = ownArg(c.args, 'schedulers');
  const first = list?.kind === 'list' ? list.items[0] : undefined;
  return first?.kind === 'scheduler' ? optimizerOf(program, first.index, depth + 1) : null;
}

/** `args[name]` without reaching into the prototype chain. */
function ownArg(args: Record<string, Arg>, name: string): Arg | undefined {
  return Object.prototype.hasOwnProperty.call(args, name) ? args[name] : undefined;
}

/** Indices of the schedulers a SequentialLR/ChainedScheduler refers to. */
export function memberIndices(program: Program, index: number): number[] {
  const c = program.schedulers[index];
  if (!c || (c.kind !== 'SequentialLR' && c.kind !== 'ChainedScheduler')) return [];
  const list = ownArg(c.args, 'schedulers');
  if (list?.kind !== 'list') return [];
  return list.items.flatMap((a) => (a.kind === 'scheduler' ? [a.index] : []));
}

/**
 * Which constructions run: `include` when given (plus the target), otherwise every
 * construction on the target's optimizer; always with the members of selected composites.
 */
function selection(program: Program, target: number, include?: number[]): number[] {
  const chosen = new Set<number>([target]);
  if (include) {
    for (const i of include) if (program.schedulers[i]) chosen.add(i);
  } else {
    const opt = optimizerOf(program, target);
    if (opt !== null) program.schedulers.forEach((_, i) => { if (optimizerOf(program, i) === opt) chosen.add(i); });
  }
  const stack = [...chosen];
  while (stack.length) {
    for (const m of memberIndices(program, stack.pop()!)) {
      if (!chosen.has(m) && program.schedulers[m]) {
        chosen.add(m);
        stack.push(m);
      }
    }
  }
  return [...chosen].sort((a, b) => a - b);
}

/** Builds the selected constructions in program order. Never throws. */
export function buildProgram(program: Program, target: number, include?: number[]): Built {
  const opts = new Map<number, OptState>();
  const built = new Map<number, Scheduler>();
  const failed = new Map<number, unknown>();
  const building = new Set<number>();
  /** Family constructions built for their effect on the groups that are no torch object (timm, Keras, optax). */
  const notTorch = new Set<number>();

  const ctx: BuildContext = {
    optimizer(i: number): OptState {
      let o = opts.get(i);
      if (!o) {
        const init = program.optimizers[i];
        if (!init) throw new PyError('NameError', `optimizer #${i} is not defined`);
        o = new OptState(i, init);
        opts.set(i, o);
      }
      return o;
    },
    scheduler(i: number): Scheduler {
      const done = built.get(i);
      if (done) return done;
      if (failed.has(i)) throw failed.get(i);
      const c = program.schedulers[i];
      if (c && isFamilyConstruction(c) && notTorch.has(i)) throw notATorchScheduler(c);
      // A member referenced before its own turn (not possible in Python, tolerated here).
      const s = buildOne(i);
      if (!s) throw notATorchScheduler(c as Parameters<typeof notATorchScheduler>[0]);
      return s;
    },
  };

  /** The opaque constructions (Program.opaque) not yet applied, in program order. */
  const pending = [...(program.opaque ?? [])].sort((a, b) => a.before - b.before);
  /** Runs the opaque constructions written before scheduler i: each sets initial_lr where it is missing (setdefault). */
  function opaqueBefore(i: number): void {
    while (pending.length && pending[0]!.before <= i) {
      const o = pending.shift()!;
      if (!program.optimizers[o.optimizer]) continue;
      for (const g of ctx.optimizer(o.optimizer).groups) if (g.initialLr === undefined) g.initialLr = g.lr;
    }
  }

  function buildOne(i: number): Scheduler | null {
    opaqueBefore(i);
    const c = program.schedulers[i];
    if (!c || building.has(i)) throw new PyError('NameError', `scheduler #${i} is not defined`);
    building.add(i);
    try {
      const s = isFamilyConstruction(c) ? buildFamilyMember(c, ctx) : constructScheduler(c, ctx);
      if (s) built.set(i, s);
      else notTorch.add(i);
      return s;
    } catch (e) {
      failed.set(i, e);
      throw e;
    } finally {
      building.delete(i);
    }
  }

  for (const i of selection(program, target, include)) {
    if (built.has(i) || failed.has(i) || notTorch.has(i)) continue;
    try {
      buildOne(i);
    } catch {
      // recorded in `failed`
    }
  }
  const otherFailures: Built['otherFailures'] = [];
  for (const [i, e] of [...failed].sort((a, b) => a[0] - b[0])) {
    if (i !== target) otherFailures.push({ index: i, failure: toFailure(e, 'construct', null) });
  }
  const targetFailure = failed.has(target) ? toFailure(failed.get(target), 'construct', null) : null;
  return { target: built.get(target) ?? null, targetFailure, otherFailures, objects: built };
}
