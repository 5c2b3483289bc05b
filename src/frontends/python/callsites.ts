/**
 * Values through calls: what each call of a function passed to its parameters, so that the walk
 * of the function's body (which finds the constructions inside) can give the parameters the values
 * of the call sites when all of them agree — labelled "from the call at train.py:42" (the file
 * relative to the workspace root; "line N" without a workspace) — and says which values the calls
 * pass when they disagree.
 *
 * A call site is identified by a key and described by `where` (`train.py:42`): sites are collected
 * through `note`, whatever walked them; the calls in other files of the workspace are evaluated by
 * their own interpreters (callers.ts) and copied here with `adopt`.
 */
import type { Branch } from '../contract';
import type { SyntaxNode } from './syntax';
import type { FuncVal, PyVal } from './values';
import { repr, sameValue, unknown } from './values';

/** Sites kept per function (a function called in a loop from one site is one site). */
const MAX_SITES = 16;
/** Values listed in a disagreement. */
const MAX_LISTED = 4;

/**
 * `preview`: the call is on a branch the assumed values do not take (Walker.speculate); `branch`: the branch
 * the call is on when assumed values decide it (taken or not), for the constructions its function builds;
 * `foreign`: the call is in another file of the workspace (`adopt`).
 */
export interface Site { where: string; params: Map<string, PyVal>; preview: boolean; label?: string; branch?: Branch | null; foreign?: boolean }

/** The sites of a function no call reached (one shared empty map: the walk asks for every function's). */
const NO_SITES: ReadonlyMap<string, Site> = new Map();

/** `CallSites.keyOfNode`'s strings by node id. */
const keys = new Map<number, string>();

export class CallSites {
  /** Function key → site key → what that site passed. */
  private readonly byFn = new Map<string, Map<string, Site>>();

  /** The key of a function of this file. */
  static keyOf(fn: FuncVal): string {
    return CallSites.keyOfNode(fn.node);
  }

  /** The key of the function a `def` node makes. */
  static keyOfNode(def: SyntaxNode): string {
    // The same string for the same id (its hash computed once): the walk asks for a function's key at every call.
    let key = keys.get(def.id);
    if (key === undefined) {
      if (keys.size > 100_000) keys.clear();
      keys.set(def.id, (key = `node ${def.id}`));
    }
    return key;
  }

  /**
   * Records what a call site passed (parameter name → value, after Python's binding). `label` replaces
   * "from the call at …" for a site that is not a call ('' keeps the values' own labels only).
   */
  note(fnKey: string, siteKey: string, where: string, params: Map<string, PyVal>, preview = false, label?: string, branch: Branch | null = null): void {
    let sites = this.byFn.get(fnKey);
    if (!sites) this.byFn.set(fnKey, (sites = new Map()));
    const prev = sites.get(siteKey);
    if (!prev) {
      if (sites.size < MAX_SITES) sites.set(siteKey, { where, params: new Map(params), preview, ...(label !== undefined ? { label } : {}), branch });
      else sites.set('…', { where: 'more calls', params: new Map([...params.keys()].map((k) => [k, unknown(`\`${k}\`: too many calls to follow`)])), preview });
      return;
    }
    // The same call met again (a loop, two walks of its function) with other values: that site's value is not one value.
    for (const [k, v] of prev.params) {
      const w = params.get(k);
      if (w && similar(v, w)) continue;
      // Unknown in a run: that run's reason, not a change LR Lens did not see (unknown in the first: its reason stays).
      if (v.k === 'unknown') continue;
      if (w?.k === 'unknown') prev.params.set(k, unknown(`\`${k}\` is not known at every run of the call at ${where}: ${clip(w.reason)}`));
      else prev.params.set(k, unknown(`\`${k}\` changes between runs of the call at ${where}`));
    }
  }

  /** What each call seen of the function passed, by site key (empty when none). */
  sitesOf(fnKey: string): ReadonlyMap<string, Site> {
    return this.byFn.get(fnKey) ?? NO_SITES;
  }

  /** Adds the calls another interpreter saw (a caller in another file, see callers.ts) as calls of `fnKey`. */
  adopt(fnKey: string, sites: ReadonlyMap<string, Site>, keyPrefix: string): void {
    for (const [k, s] of sites) {
      this.note(fnKey, `${keyPrefix}${k}`, s.where, s.params, s.preview, s.label, s.branch ?? null);
      const mine = this.byFn.get(fnKey)?.get(`${keyPrefix}${k}`);
      if (mine) mine.foreign = true;
    }
  }

  /**
   * The branch a function's body is walked on: when every call whose values it takes (see `params`) is
   * on one branch that assumed values decide, the constructions it builds are labelled as on it — a helper
   * called only on a branch the default arguments do not take is previewed as such. Null otherwise.
   */
  branchOf(fnKey: string, fnName: string): Branch | null {
    const all = [...(this.byFn.get(fnKey)?.values() ?? [])];
    const taken = all.filter((s) => !s.preview);
    const sites = taken.length ? taken : all;
    const first = sites[0]?.branch;
    if (!first || !sites.every((s) => s.branch?.note === first.note && s.branch.taken === first.taken)) return null;
    return { note: `${first.note} (\`${fnName}()\` is called there, at ${sites.map((s) => s.where).join(', ')})`, taken: first.taken };
  }

  /** Whether any call of the function was seen. */
  has(fnKey: string): boolean {
    return this.byFn.has(fnKey);
  }

  /**
   * The parameters as the calls pass them: one value when every call agrees (labelled with where
   * it comes from), unknown listing the calls when they disagree; null when no call was seen. Calls on
   * branches the assumed values do not take count only when there is no other.
   */
  params(fnKey: string, fnName: string, skip: ReadonlySet<string>): Map<string, PyVal> | null {
    const all = [...(this.byFn.get(fnKey)?.values() ?? [])];
    if (!all.length) return null;
    // Calls on branches the assumed values take win over calls on branches they do not (only previewed).
    const taken = all.filter((s) => !s.preview);
    const sites = taken.length ? taken : all;
    const out = new Map<string, PyVal>();
    const names = new Set(sites.flatMap((s) => [...s.params.keys()]));
    for (const k of names) {
      if (skip.has(k)) {
        out.set(k, sites[0]!.params.get(k)!);
        continue;
      }
      out.set(k, merged(sites, sites.map((s) => s.params.get(k)), { param: k, path: k, fnName }, 0));
    }
    return out;
  }
}

/**
 * One value for what the sites pass (`path`: the parameter, or `args.lr` inside it): the value when they agree
 * (labelled with where it comes from), else unknown naming the sites and what each passes. Namespaces of the
 * same type (each caller's argparse result) are merged attribute by attribute, so what they agree on stays known.
 */
function merged(sites: Site[], vals: (PyVal | undefined)[], at: { param: string; path: string; fnName: string }, depth: number): PyVal {
  const first = vals[0];
  const subject = depth === 0 ? `parameter \`${at.param}\` of \`${at.fnName}()\`` : `\`${at.path}\` (parameter \`${at.param}\` of \`${at.fnName}()\`)`;
  // A caller in another file passing a value LR Lens cannot see: the reason says which call (its own reason names only its file's terms).
  const foreignUnknown = vals.every((v) => v?.k === 'unknown') && sites.some((s) => s.foreign);
  if (first !== undefined && !foreignUnknown && vals.every((v) => v !== undefined && similar(v, first))) {
    const own = sites.length === 1 ? sites[0]!.label : undefined;
    if (own === '') return first;
    return labelled(first, own ?? (sites.length === 1 ? `from the call at ${sites[0]!.where}` : `from the calls at ${sites.map((s) => s.where).join(', ')}`));
  }
  if (first?.k === 'ns' && depth < 2 && vals.every((v) => v?.k === 'ns' && v.typeName === first.typeName)) {
    const spaces = vals as (PyVal & { k: 'ns' })[];
    const attrs = new Map<string, PyVal>();
    for (const a of new Set(spaces.flatMap((v) => [...v.attrs.keys()]))) {
      attrs.set(a, merged(sites, spaces.map((v) => v.attrs.get(a)), { ...at, path: `${at.path}.${a}` }, depth + 1));
    }
    return { ...first, attrs };
  }
  if (vals.every((v) => v?.k === 'unknown')) {
    // Nothing to disagree about: no call passes a value LR Lens can see (the first one's reason says why).
    const u = vals[0] as PyVal & { k: 'unknown' };
    const more = sites.length > 1 ? ` (and at ${sites.length - 1} other call site${sites.length > 2 ? 's' : ''})` : '';
    return unknown(`${subject} is not known at ${sites[0]!.where}: ${clip(u.reason)}${more}`);
  }
  const listed = sites.slice(0, MAX_LISTED).map((s, i) => {
    const v = vals[i];
    const what = v === undefined ? (depth === 0 ? 'does not pass it' : 'does not set it')
      : v.k === 'unknown' ? `passes an unknown value (${clip(v.reason)})`
        : v.k === 'opaque' ? `passes \`${clip(v.desc)}\`, made by code LR Lens does not evaluate`
          : `passes ${repr(v)}`;
    return `${s.where} ${what}`;
  });
  if (sites.length > MAX_LISTED) listed.push('…');
  return unknown(`${subject}: ${sites.length} call sites disagree: ${listed.join(', ')}`);
}

function clip(t: string, max = 100): string {
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/**
 * Equal values, namespaces and instances by their attributes (each run of a caller makes a new one). A pair met
 * again while it is being compared counts as equal (an instance reaching itself: `self.__dict__ = self`).
 */
function similar(a: PyVal, b: PyVal, depth = 0, comparing: Map<PyVal, PyVal> = new Map()): boolean {
  if (sameValue(a, b)) return true;
  if (depth > 6) return false;
  if (a.k === 'ns' && b.k === 'ns') {
    if (comparing.get(a) === b) return true;
    if (a.typeName !== b.typeName || a.attrs.size !== b.attrs.size) return false;
    comparing.set(a, b);
    try {
      for (const [k, v] of a.attrs) {
        const w = b.attrs.get(k);
        if (!w || !similar(v, w, depth + 1, comparing)) return false;
      }
    } finally {
      comparing.delete(a);
    }
    return true;
  }
  if (a.k === 'opaque' && b.k === 'opaque') return a.desc === b.desc;
  return false;
}

/** A value with the label of where it comes from (lists' and dicts' items too, so `**kwargs` keeps it). */
export function labelled(v: PyVal, label: string, depth = 0): PyVal {
  if (v.k === 'unknown' || v.k === 'func' || v.k === 'optimizer' || v.k === 'scheduler' || v.k === 'class' || depth > 4) return v;
  if (v.k === 'ns') return { ...v, attrs: new Map([...v.attrs].map(([k, x]) => [k, labelled(x, label, depth + 1)])) };
  const assumed = v.assumed ? `${v.assumed}; ${label}` : label;
  if (v.k === 'list') return { ...v, assumed, items: v.items.map((x) => labelled(x, label, depth + 1)) };
  if (v.k === 'dict') return { ...v, assumed, entries: v.entries.map(([a, b]) => [a, labelled(b, label, depth + 1)]) };
  return { ...v, assumed };
}
