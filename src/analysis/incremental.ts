/**
 * What the pipeline keeps of one document between its analyses, so that an edit redoes only what it changed:
 *   - the previous text and its tree, for tree-sitter's incremental parse (parser.ts `parseIncrementally`);
 *   - the simulations of the previous analysis, keyed by the engine's whole input for each (`simulationKey`):
 *     a construction whose input did not change is not simulated again;
 *   - the Python frontend's frozen copy of the file (frontends/python/incremental.ts): an edit copies only the
 *     top-level statements it changed out of the tree;
 *   - each construction's whole analysis, reused when nothing it reads changed (kept.ts).
 * Correctness first: a key holds everything the engine reads for that simulation, or there is no key (a
 * construction that takes a callable, whose behaviour depends on code and values the key cannot see, is
 * simulated every time, unless its language layer gave the callable a `key` that says all it does). The result is
 * the same as a from-scratch analysis (test/unit/analysis/incremental.test.ts).
 */
import type { Tree } from '@vscode/tree-sitter-wasm';
import { optimizerOf } from '../engine/build';
import { isFamilyConstruction } from '../engine/families/program';
import type { Arg, CurveSummary, Program, SimulationResult } from '../engine/types';
import type { GrammarId } from '../frontends/parser';
import { FrozenFile } from '../frontends/python/incremental';
import type { FoundCall, SchedulerAnalysis } from './types';

/** A simulation kept for the next analysis, with the summary of its curve once computed. */
export interface KeptSimulation {
  sim: SimulationResult;
  summary?: CurveSummary;
}

/**
 * A construction's whole analysis kept for the next one, with what it read beyond its key: its evaluated call and
 * the text of some lines (suppression comments), both checked before it is reused, and the simulations it used
 * (kept alive with it).
 */
export interface KeptConstruction {
  analysis: SchedulerAnalysis;
  /** The evaluated call it analysed (compared with `sameData`: writing it into the key would cost more). */
  call: FoundCall;
  lines: [line: number, text: string][];
  simulations: string[];
}

export class DocumentSession {
  private parsed: { grammar: GrammarId; text: string; tree: Tree } | null = null;
  private kept = new Map<string, KeptSimulation>();
  private next = new Map<string, KeptSimulation>();
  /** Every value array of a kept simulation: shared by the results, so never to be moved (transferred) away. */
  private readonly arrays = new WeakSet<Float64Array>();
  private disposed = false;
  /** The Python frontend's copy of the file, kept between its analyses. */
  readonly python = new FrozenFile();
  /** What the simulation lookups found since the session began: a kept one (hit), none (miss), or no key (a callable). For tests and the bench. */
  readonly counts = { hit: 0, miss: 0, unkeyed: 0 };
  /**
   * The same for whole constructions' analyses (kept.ts): reused (hit), none kept under its key (miss), kept but its
   * evaluated call or a line it read changed (stale), no key.
   */
  readonly constructionCounts = { hit: 0, miss: 0, stale: 0, unkeyed: 0 };
  private keptConstructions = new Map<string, KeptConstruction>();
  private nextConstructions = new Map<string, KeptConstruction>();

  /**
   * The previous text and tree for `grammar`, handed over: the caller owns (and must delete) the tree from
   * now on. Null when there is none (the first analysis, another grammar, or one taken by a concurrent analysis).
   */
  takeTree(grammar: GrammarId): { text: string; tree: Tree } | null {
    const p = this.parsed;
    this.parsed = null;
    if (p && p.grammar !== grammar) {
      p.tree.delete();
      return null;
    }
    return p;
  }

  /** Keeps `tree` (of `text`) for the next analysis; the session owns it from now on. */
  keepTree(grammar: GrammarId, text: string, tree: Tree): void {
    if (this.disposed) {
      tree.delete();
      return;
    }
    this.parsed?.tree.delete();
    this.parsed = { grammar, text, tree };
  }

  /** Starts an analysis's simulations: what the previous one kept is looked up, what this one does is kept next. */
  beginSimulations(): void {
    this.next = new Map();
    this.nextConstructions = new Map();
  }

  /** The analysis of a construction kept under `key` by the previous analysis, if any (to be checked: analyze.ts `keptOrAnalysed`). */
  construction(key: string): KeptConstruction | undefined {
    return this.keptConstructions.get(key) ?? this.nextConstructions.get(key);
  }

  /** Keeps `kept` for the next analysis (when reused, the simulations it rests on too). */
  keepConstruction(key: string, kept: KeptConstruction, reused: boolean): void {
    this.nextConstructions.set(key, kept);
    if (!reused) return;
    for (const s of kept.simulations) {
      const k = this.kept.get(s) ?? this.next.get(s);
      if (k) this.next.set(s, k);
    }
  }

  /** The simulation kept for `key` by the previous analysis (and kept again for the next one), if any; none without a key. */
  simulation(key: string | null): KeptSimulation | undefined {
    if (key === null) {
      this.counts.unkeyed++;
      return undefined;
    }
    const k = this.kept.get(key) ?? this.next.get(key);
    if (k) this.next.set(key, k);
    this.counts[k ? 'hit' : 'miss']++;
    return k;
  }

  keepSimulation(key: string, kept: KeptSimulation): void {
    this.next.set(key, kept);
    for (const a of kept.sim.lrs ?? []) this.arrays.add(a);
    for (const a of kept.sim.momentum?.values ?? []) this.arrays.add(a);
  }

  /** Whether `a` belongs to a simulation this session kept (results share it: copy it, never transfer it). */
  keeps(a: Float64Array): boolean {
    return this.arrays.has(a);
  }

  /** Ends an analysis: only what it used is kept (the memory a document holds is its last analysis's curves). */
  /**
   * Ends an analysis that was stopped (AnalyzeOptions.cancelled) without keeping what it did: a simulation it stopped
   * part-way is not a result. The previous analysis's simulations and constructions stay for the next one.
   */
  abandonSimulations(): void {
    this.next = new Map();
    this.nextConstructions = new Map();
  }

  endSimulations(): void {
    this.kept = this.next;
    this.next = new Map();
    this.keptConstructions = this.nextConstructions;
    this.nextConstructions = new Map();
  }

  /**
   * Work for the next analysis that can be done while the analysing thread is idle (after a result is sent): the
   * Python frontend's copy of the kept tree, so that the next edit copies only what it changed.
   */
  idle(): void {
    if (this.parsed?.grammar === 'python' && !this.disposed) this.python.prepare(this.parsed.tree, this.parsed.text);
  }

  dispose(): void {
    this.disposed = true;
    this.python.clear();
    this.parsed?.tree.delete();
    this.parsed = null;
    this.kept.clear();
    this.next.clear();
    this.keptConstructions.clear();
    this.nextConstructions.clear();
  }
}

/** A callable in the engine's input: its behaviour is not in the key, so the simulation is not kept (thrown: no stack). */
const UNCACHEABLE = Symbol('uncacheable');

/** Numbers, strings and absent values apart (JSON alone writes NaN, ±Infinity as null and -0 as 0). */
function replacer(this: unknown, _key: string, v: unknown): unknown {
  if (typeof v === 'function' && keyedFunc(this)) return undefined;
  switch (typeof v) {
    case 'number': return Object.is(v, -0) ? 'n-0' : `n${v}`;
    case 'string': return `s${v}`;
    case 'undefined': return 'u';
    case 'function': case 'bigint': case 'symbol': throw UNCACHEABLE;
    default: return v;
  }
}

/** The indices of the schedulers referenced anywhere in `a` (members, optax's joined schedules). */
function refs(a: unknown, out: { schedulers: number[]; optimizers: number[] }): void {
  if (a === null || typeof a !== 'object') return;
  if (Array.isArray(a)) {
    for (const x of a) refs(x, out);
    return;
  }
  const arg = a as Arg;
  if (arg.kind === 'scheduler' && typeof arg.index === 'number') out.schedulers.push(arg.index);
  else if (arg.kind === 'optimizer' && typeof arg.index === 'number') out.optimizers.push(arg.index);
  // Own enumerable keys, as Object.values gives them (plain data: no inherited enumerable ones), without its array.
  for (const k in a) if (Object.prototype.hasOwnProperty.call(a, k)) refs((a as Record<string, unknown>)[k], out);
}

/** Each construction's optimizer (`optimizerOf`), and the constructions on each optimizer, once per program: every key reads them all. */
const owners = new WeakMap<Program, { count: number; of: (number | null)[]; on: Map<number, number[]> }>();
function ownersOf(program: Program): { of: (number | null)[]; on: Map<number, number[]> } {
  let o = owners.get(program);
  // A program grows while the frontend records; once simulated it no longer changes.
  if (!o || o.count !== program.schedulers.length) {
    const of = program.schedulers.map((_, i) => optimizerOf(program, i));
    const on = new Map<number, number[]>();
    of.forEach((opt, i) => {
      if (opt === null) return;
      const list = on.get(opt);
      if (list) list.push(i);
      else on.set(opt, [i]);
    });
    o = { count: program.schedulers.length, of, on };
    owners.set(program, o);
  }
  return o;
}

/**
 * Everything `simulate(program, target, { steps, include })` reads, as one string; null when that cannot be
 * written down (a callable). A superset is fine (a needless miss), a subset never: the constructions on the
 * target's optimizer, those included, the target, and every construction and optimizer they reference, with
 * their indices (error texts name them); for another family's target every optimizer (its simulation reads
 * them); the program's batches per epoch.
 */
export function simulationKey(program: Program, target: number, steps: number, include?: number[]): string | null {
  const chosen = new Set<number>([target, ...(include ?? [])]);
  const owners = ownersOf(program);
  const opt = owners.of[target] ?? null;
  if (opt !== null) for (const i of owners.on.get(opt) ?? []) chosen.add(i);
  const optimizers = new Set<number>();
  const stack = [...chosen];
  while (stack.length) {
    const c = program.schedulers[stack.pop()!];
    if (!c) continue;
    if (c.optimizer !== null) optimizers.add(c.optimizer);
    const found = { schedulers: [] as number[], optimizers: [] as number[] };
    refs(c, found);
    for (const o of found.optimizers) optimizers.add(o);
    for (const s of found.schedulers) {
      if (!chosen.has(s)) {
        chosen.add(s);
        stack.push(s);
      }
    }
  }
  const target0 = program.schedulers[target];
  const family = !!target0 && isFamilyConstruction(target0);
  const optimizerIndices = family ? program.optimizers.map((_, i) => i) : [...optimizers].sort((a, b) => a - b);
  const input = {
    target,
    steps,
    include: include ?? null,
    spe: program.assumedStepsPerEpoch,
    // A construction that could not be evaluated still sets `initial_lr` (a later resume reads it).
    opaque: program.opaque ?? null,
    schedulers: [...chosen].sort((a, b) => a - b).map((i) => [i, program.schedulers[i] ?? null]),
    optimizers: optimizerIndices.map((i) => [i, program.optimizers[i] ?? null]),
  };
  return writeDown(input);
}

/**
 * `v` as a string that tells apart every two values a reader of them could tell apart (numbers and their text,
 * NaN, ±Infinity, -0, an undefined key, a keyed callable by its key); null when that cannot be written down (a
 * callable without a key).
 */
export function writeDown(v: unknown): string | null {
  // Most inputs hold only what JSON writes down exactly (finite numbers but -0, strings, null, true/false, plain
  // objects and arrays without undefined values): written natively, several times faster; the others with
  // `replacer`. Each kind of key has its own first letter, so the two kinds never meet.
  switch (plainness(v)) {
    case 'plain': return `p${JSON.stringify(v)}`;
    case 'callable': return null;
    default:
      try {
        return `r${JSON.stringify(v, replacer)}`;
      } catch {
        // Anything else that cannot be written down: simulated every time.
        return null;
      }
  }
}

/** A `func` Arg whose language layer wrote down all its calls depend on (engine/types.ts `Arg`). */
function keyedFunc(x: unknown): boolean {
  return typeof x === 'object' && x !== null && (x as { kind?: unknown }).kind === 'func' && typeof (x as { key?: unknown }).key === 'string'
    && Object.getPrototypeOf(x) === Object.prototype;
}

/** Whether JSON writes `v` down exactly ('plain'), holds a callable or an object JSON cannot write (no key), or needs `replacer` ('special'). */
function plainness(v: unknown): 'plain' | 'callable' | 'special' {
  let found: 'plain' | 'special' = 'plain';
  const walk = (x: unknown): boolean => {
    switch (typeof x) {
      case 'number':
        if (!Number.isFinite(x) || Object.is(x, -0)) found = 'special';
        return true;
      case 'string': case 'boolean': return true;
      case 'function': return false;
      case 'object': {
        if (x === null) return true;
        if (Array.isArray(x)) {
          for (const y of x) if (!walk(y)) return false;
          return true;
        }
        // A callable whose `key` says all it does: the key stands for it (JSON leaves the function out).
        if (keyedFunc(x)) {
          for (const k in x) if (k !== 'call' && !walk((x as Record<string, unknown>)[k])) return false;
          return true;
        }
        const proto = Object.getPrototypeOf(x) as unknown;
        // A Map, a typed array, a class instance: JSON would not write its contents as they are (no key).
        if (proto !== Object.prototype && proto !== null) return false;
        for (const k in x) if (!walk((x as Record<string, unknown>)[k])) return false;
        return true;
      }
      default:
        // undefined (JSON drops the key), bigint, symbol.
        found = 'special';
        return true;
    }
  };
  return walk(v) ? found : 'callable';
}

/**
 * Whether `a` and `b` are the same data as structured clone sees it: numbers by Object.is (NaN, -0 apart), the
 * same own keys (an undefined-valued key too), value arrays by their values (the same array when the session kept
 * the simulation; a callable's curve is simulated again each time, into a new array). A function is the same only
 * as itself, but two callables with a key (engine `Arg`) are the same when everything but their function is.
 */
export function sameData(a: unknown, b: unknown): boolean {
  // 0 and -0 are === but not the same; NaN is not === itself but is.
  if (a === b) return a !== 0 || 1 / (a as number) === 1 / (b as number);
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return a !== a && b !== b;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) {
      const x: unknown = a[i];
      const y: unknown = b[i];
      if (x === y ? x === 0 && 1 / x !== 1 / (y as number) : !sameData(x, y)) return false;
    }
    return true;
  }
  if (Array.isArray(b)) return false;
  const proto = Object.getPrototypeOf(a) as unknown;
  if (proto !== Object.prototype || Object.getPrototypeOf(b) !== proto) {
    // A Map or a class instance is taken as changed (its contents are not own keys); value arrays by their values.
    return a instanceof Float64Array && b instanceof Float64Array && sameValues(a, b);
  }
  // Own keys (plain objects have no inherited enumerable ones), counted without allocating their list.
  const keyed = keyedFunc(a) && keyedFunc(b);
  let keys = 0;
  for (const k in a) {
    keys++;
    if (keyed && k === 'call') continue;
    const x = (a as Record<string, unknown>)[k];
    const y = (b as Record<string, unknown>)[k];
    if (y === undefined && !Object.prototype.hasOwnProperty.call(b, k)) return false;
    // The same value (most are): no call; 0 and -0 apart.
    if (x === y ? x === 0 && 1 / x !== 1 / (y as number) : !sameData(x, y)) return false;
  }
  for (const _k in b) keys--;
  return keys === 0;
}

/** Float64Arrays of the same values, by Object.is (NaN equals NaN, -0 is not 0); the same array at once. */
function sameValues(a: Float64Array, b: Float64Array): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x !== y ? !(x !== x && y !== y) : x === 0 && 1 / x !== 1 / y) return false;
  }
  return true;
}

/**
 * The sessions of the documents analysed last, by key (a runner's lane: the document's URI), at most `max`: the
 * least recently used one is disposed (its tree freed) when another document comes.
 */
export class DocumentSessions<Extra = undefined> {
  private readonly map = new Map<string, { session: DocumentSession; extra: Extra }>();
  constructor(private readonly extra: () => Extra, private readonly max = 8) {}

  get(key: string): { session: DocumentSession; extra: Extra } {
    let s = this.map.get(key);
    if (s) this.map.delete(key);
    else s = { session: new DocumentSession(), extra: this.extra() };
    this.map.set(key, s);
    for (const [k, old] of this.map) {
      if (this.map.size <= this.max) break;
      old.session.dispose();
      this.map.delete(k);
    }
    return s;
  }

  /** Disposes the session of `key`, if kept. */
  delete(key: string): void {
    this.map.get(key)?.session.dispose();
    this.map.delete(key);
  }

  clear(): void {
    for (const s of this.map.values()) s.session.dispose();
    this.map.clear();
  }
}
