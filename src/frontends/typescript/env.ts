/**
 * Scopes (module, function, block, class) as a chain of frames, and what the
 * evaluator needs to follow both branches of an `if` whose condition it cannot
 * know: snapshot the bindings visible from here, run one branch, restore, run
 * the other, then merge (a binding the branches leave different becomes unknown).
 * Frames stay the same objects throughout, so closures created earlier see the
 * merged result.
 */
import type { Span } from './ir';
import { sameVal, type Unknown, type Val } from './values';

/** The schedulers a value may be: itself, or the alternatives of a merged unknown. */
function schedAlts(v: Val): Extract<Val, { k: 'sched' }>[] {
  return v.k === 'sched' ? [v] : v.k === 'unknown' && v.alts ? v.alts : [];
}

export class Env {
  readonly vars = new Map<string, Val>();
  /** For the frame of a call the analysis followed (`mk(a)`): where that call is written. */
  callSite: Span | null = null;
  constructor(
    readonly parent: Env | null,
    /** For messages: 'module', a function name, 'block'. */
    readonly label: string,
    /** Function (or module) frames receive `var` declarations. */
    readonly isFunction: boolean,
  ) {}

  /** The frame that binds `name`, or null. */
  find(name: string): Env | null {
    for (let e: Env | null = this; e; e = e.parent) if (e.vars.has(name)) return e;
    return null;
  }

  lookup(name: string): Val | undefined {
    return this.find(name)?.vars.get(name);
  }

  /** Assigns an existing binding (anywhere up the chain); false when there is none. */
  assign(name: string, v: Val): boolean {
    const e = this.find(name);
    if (!e) return false;
    e.vars.set(name, v);
    return true;
  }

  /** The nearest function (or module) frame, where `var` lives. */
  functionFrame(): Env {
    let e: Env = this;
    while (!e.isFunction && e.parent) e = e.parent;
    return e;
  }
}

/** The bindings of every frame visible from an env, copied. */
export type Snapshot = [Env, Map<string, Val>][];

export function snapshot(env: Env): Snapshot {
  const out: Snapshot = [];
  for (let e: Env | null = env; e; e = e.parent) out.push([e, new Map(e.vars)]);
  return out;
}

/** How many bindings a snapshot of `env` copies. */
export function chainSize(env: Env): number {
  let n = 0;
  for (let e: Env | null = env; e; e = e.parent) n += e.vars.size;
  return n;
}

export function restore(snap: Snapshot): void {
  for (const [e, vars] of snap) {
    e.vars.clear();
    for (const [k, v] of vars) e.vars.set(k, v);
  }
}

/**
 * Sets the frames to the merge of two outcomes (snapshots of the same chain).
 * `why(name)` makes the unknown for a binding that differs.
 */
export function mergeInto(a: Snapshot, b: Snapshot, why: (name: string) => Unknown): void {
  for (let i = 0; i < a.length; i++) {
    const [env, va] = a[i]!;
    const vb = b[i]![1];
    env.vars.clear();
    for (const [name, x] of va) {
      const y = vb.get(name);
      env.vars.set(name, y === undefined ? why(name) : mergeVal(x, y, () => why(name)));
    }
    for (const [name] of vb) if (!va.has(name)) env.vars.set(name, why(name));
  }
}

/** Equal values stay; objects with the same keys merge key by key; anything else differs. */
function mergeVal(a: Val, b: Val, why: () => Unknown, depth = 0): Val {
  if (sameVal(a, b)) return a;
  const alts = [...schedAlts(a), ...schedAlts(b)];
  // `undefined` on one path (a `let` no branch assigned) leaves the schedulers of the others.
  const maybe = (v: Val) => v.k === 'sched' || (v.k === 'unknown' && v.alts) || v.k === 'undef' || v.k === 'null';
  if (alts.length && maybe(a) && maybe(b)) {
    const u = why();
    u.alts = alts.filter((x, i) => alts.findIndex((y) => y.call === x.call) === i);
    return u;
  }
  if (a.k === 'obj' && b.k === 'obj' && depth < 10 && a.props.size === b.props.size) {
    const props = new Map<string, Val>();
    for (const [key, x] of a.props) {
      const y = b.props.get(key);
      if (y === undefined) return why();
      props.set(key, mergeVal(x, y, why, depth + 1));
    }
    return { k: 'obj', props, partial: a.partial ?? b.partial };
  }
  return why();
}
