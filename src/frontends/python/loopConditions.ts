/**
 * The conditions around a `.step()` call and its argument, over the loops of the run (audit P2, P6): how many
 * passes of the loops call `step()` (`if epoch > warm:` → the passes where it holds) and, for `step(epoch)`,
 * the argument of each call. A small closed evaluator: the loops' own variables take each value of their range
 * in turn; any other name has the value the walk saw where the loop's body starts (loopFacts.ts `body`). A name
 * the loops change, or one whose value is unknown, makes the count unknown, with why; a condition that does
 * not depend on the loops and whose value is unknown is taken as true on every pass, labelled as assumed.
 */
import type { LoopFrame, SiteCount } from '../../analysis/run';
import type { FreeName } from './loopFacts';
import { PyError } from '../../engine/types';
import { isSchedulerKind } from '../../engine/signatures';
import { binaryOp, compareOp, unaryOp } from './ops';
import { kids, lineOf, readNumber, readString, shortText, unparen, type SyntaxNode } from './syntax';
import { bool, float, int, NONE, numOf, str, truthy, type PyVal } from './values';

/**
 * A condition around the call: `holds` false for an `else` / later `elif` branch (the condition is false there);
 * `inner`: how many of the site's loops are inside it.
 */
/**
 * A condition a `.step()` call is under: the node (read as true, or false on an `else` branch or past a `continue`),
 * and how many of the site's loops are inside it. `why`: a condition that is not evaluated (a `continue` whose
 * passes are not read), with the reason.
 */
export interface SiteCondition { node: SyntaxNode; holds: boolean; inner: number; why?: string }

/** At most this many combinations of loop values are evaluated (each a few node visits). */
const MAX_PASSES = 2_000_000;
/** At most this many `step(epoch)` arguments are kept (the engine steps them one by one). */
export const MAX_EPOCH_ARGS = 200_000;

class Undecided {
  constructor(readonly reason: string, readonly loopDependent: boolean) {}
}

interface Ctx {
  vars: Map<string, number | string>;
  /** Whether a name node is inside the loop of frame k (a callee's parameter of the same name is another variable). */
  inLoop: (n: SyntaxNode, k: number) => boolean;
  targets: Map<string, number>;
  free: (n: SyntaxNode) => FreeName | undefined;
  assumed: Set<string>;
  /**
   * The construction whose step() calls are counted: its call index, kind, and the receiver of the step() call as
   * written (`scheduler`), for `isinstance(scheduler, ReduceLROnPlateau)`.
   */
  self?: { call: number; kind: string; text: string };
}

/** A guard that only tests the scheduler itself (`if scheduler is not None:`, `if lr_scheduler:`): always true where it is stepped. */
export function benignGuard(c: SiteCondition, schedText: string): boolean {
  if (!schedText) return false;
  const isSched = (n: SyntaxNode) => n.text.replace(/\s+/g, '') === schedText;
  /** Whether `n` (read in its own polarity) says "the scheduler exists": `s`, `s is not None`, `s != None`, `not …` flipped. */
  const exists = (x: SyntaxNode): boolean | null => {
    const n = unparen(x);
    if (n.type === 'identifier' || n.type === 'attribute') return isSched(n) ? true : null;
    if (n.type === 'not_operator') {
      const inner = exists(n.childForFieldName('argument')!);
      return inner === null ? null : !inner;
    }
    if (n.type === 'comparison_operator') {
      const [a, b] = kids(n);
      const ops = n.children.filter((k) => k && !k.isNamed).map((k) => k!.type);
      if (!a || !b || ops.length !== 1 || b.type !== 'none' || !isSched(unparen(a))) return null;
      if (ops[0] === 'is not' || ops[0] === '!=') return true;
      if (ops[0] === 'is' || ops[0] === '==') return false;
    }
    return null;
  };
  const says = exists(c.node);
  return says !== null && says === c.holds;
}

/** Python's truth value of a known value (an unknown one cannot decide a pass). */
function truth(v: PyVal, n: SyntaxNode): boolean {
  const t = truthy(v);
  if (t === null) throw new Undecided(`the truth of \`${shortText(n, 40)}\` is not known`, false);
  return t;
}

function num(v: PyVal, n: SyntaxNode): number {
  const x = numOf(v);
  if (x === null) throw new Undecided(`\`${shortText(n, 40)}\` is not a number`, false);
  return x;
}

/** An operation of ops.ts (the interpreter's own Python semantics); what Python would raise leaves the pass undecided. */
function op(n: SyntaxNode, f: () => PyVal): PyVal {
  try {
    return f();
  } catch (e) {
    if (e instanceof PyError) throw new Undecided(`\`${shortText(n, 40)}\` raises ${e.type}: ${e.message}`, false);
    throw e;
  }
}

const operatorOf = (n: SyntaxNode) => n.children.find((c) => c && !c.isNamed)?.type ?? '';

/**
 * A condition or `step()` argument with the loops' variables bound: the expressions a loop condition is written with
 * (literals, names, attributes, arithmetic, comparisons, `and`/`or`/`not`, `x if c else y`, `int`/`float`/`abs`/
 * `min`/`max`), computed with the interpreter's operators (ops.ts), so ints and floats behave as in Python.
 */
function ev(n: SyntaxNode, ctx: Ctx): PyVal {
  switch (n.type) {
    case 'parenthesized_expression': return ev(unparen(n), ctx);
    case 'integer': case 'float': {
      const r = readNumber(n.text, n.type);
      if (r.kind === 'error') throw new Undecided(r.reason, false);
      return r.kind === 'int' ? int(r.value) : float(r.value);
    }
    case 'true': return bool(true);
    case 'false': return bool(false);
    case 'none': return NONE;
    case 'string': {
      const r = readString(n);
      if (r.kind === 'error') throw new Undecided(r.reason, false);
      return str(r.value);
    }
    case 'identifier': {
      const v = ctx.vars.get(n.text);
      if (v !== undefined && ctx.inLoop(n, ctx.targets.get(n.text)!)) return typeof v === 'string' ? str(v) : int(v);
      if (v !== undefined) throw new Undecided(`\`${n.text}\` in \`${shortText(n.parent ?? n, 40)}\` is a parameter of the function the loop calls`, true);
      return receiver(n, ctx) ?? freeValue(n, ctx);
    }
    case 'attribute': return receiver(n, ctx) ?? freeValue(n, ctx);
    case 'not_operator': return bool(!truth(ev(n.childForFieldName('argument')!, ctx), n));
    case 'unary_operator': {
      const a = ev(n.childForFieldName('argument')!, ctx);
      return op(n, () => unaryOp(operatorOf(n), a));
    }
    case 'boolean_operator': {
      const a = ev(n.childForFieldName('left')!, ctx);
      if (operatorOf(n) === 'and') return truth(a, n) ? ev(n.childForFieldName('right')!, ctx) : a;
      return truth(a, n) ? a : ev(n.childForFieldName('right')!, ctx);
    }
    case 'binary_operator': {
      const a = ev(n.childForFieldName('left')!, ctx);
      const b = ev(n.childForFieldName('right')!, ctx);
      return op(n, () => binaryOp(operatorOf(n), a, b));
    }
    case 'comparison_operator': {
      const operands: SyntaxNode[] = [];
      const ops: string[] = [];
      for (const c of n.children) {
        if (!c || c.type === 'comment') continue;
        if (c.isNamed) operands.push(c);
        else ops.push(c.type);
      }
      let left = ev(operands[0]!, ctx);
      for (let i = 0; i < ops.length && i + 1 < operands.length; i++) {
        const right = ev(operands[i + 1]!, ctx);
        if ((ops[i] === 'is' || ops[i] === 'is not') && left.k !== 'none' && right.k !== 'none') {
          throw new Undecided(`\`${shortText(n, 40)}\` compares identities`, false);
        }
        if (!truth(op(n, () => compareOp(ops[i]!, left, right)), n)) return bool(false);
        left = right;
      }
      return bool(true);
    }
    case 'conditional_expression': {
      const [a, cond, b] = kids(n);
      return truth(ev(cond!, ctx), n) ? ev(a!, ctx) : ev(b!, ctx);
    }
    case 'call': {
      const f = n.childForFieldName('function')?.text;
      const args = kids(n.childForFieldName('arguments')!);
      if (args.some((a) => a.type === 'keyword_argument')) break;
      if (f === 'isinstance' && args.length === 2) return bool(isTorchInstance(n, args[0]!, args[1]!, ctx));
      const vals = args.map((a) => ev(a, ctx));
      const xs = vals.map((v, i) => num(v, args[i]!));
      if (f === 'int' && xs.length === 1) return int(Math.trunc(xs[0]!));
      if (f === 'float' && xs.length === 1) return float(xs[0]!);
      if (f === 'abs' && xs.length === 1) return op(n, () => (xs[0]! < 0 ? unaryOp('-', vals[0]!) : vals[0]!));
      if ((f === 'min' || f === 'max') && vals.length >= 2) {
        // Python returns the first extreme argument itself (its type kept).
        return vals.reduce((best, v, i) => ((f === 'min' ? xs[i]! < num(best, n) : xs[i]! > num(best, n)) ? v : best));
      }
      break;
    }
    default: break;
  }
  throw new Undecided(`\`${shortText(n, 40)}\` is not evaluated here`, false);
}

const TORCH_SCHEDULERS = 'torch.optim.lr_scheduler.';
/** torch's base classes of every scheduler (ReduceLROnPlateau derives from them only from torch 2.2 on). */
const TORCH_BASES: ReadonlySet<string> = new Set(['_LRScheduler', 'LRScheduler']);

/**
 * The torch class of a construction's object: torch's own; transformers' and diffusers' schedule functions return a
 * LambdaLR (transformers' `get_reduce_on_plateau_schedule` a ReduceLROnPlateau; its `get_scheduler` depends on the name).
 */
function torchClassOf(kind: string): string | null {
  if (isSchedulerKind(kind)) return kind;
  if (kind === 'transformers.get_reduce_on_plateau_schedule') return 'ReduceLROnPlateau';
  if (kind === 'transformers.get_scheduler') return null;
  return /^(transformers|diffusers)\.get_/.test(kind) ? 'LambdaLR' : null;
}

/**
 * `isinstance(scheduler, ReduceLROnPlateau)` (a Kaggle notebook's `get_scheduler` branches, then one `step()` per
 * class): the scheduler the walk saw is one of torch's classes, tested against torch's classes (a tuple of them
 * too). Every torch scheduler class derives from the base directly, so another concrete class is False. Anything
 * else, or a base for ReduceLROnPlateau (its base changed in torch 2.2), stays undecided.
 */
function isTorchInstance(n: SyntaxNode, obj: SyntaxNode, cls: SyntaxNode, ctx: Ctx): boolean {
  const undecided = () => new Undecided(`\`${shortText(n, 40)}\` is not evaluated here`, false);
  // The object is the construction being counted: the receiver of its step() call (the premise of counting that call
  // for it: a branch the defaults do not take is previewed as if it held this construction), or the value the walk saw.
  const o = ctx.free(unparen(obj));
  const same = !!ctx.self && !!ctx.self.text && unparen(obj).text.replace(/\s+/g, '') === ctx.self.text;
  if (!ctx.self || (!same && (!o || o.value.k !== 'scheduler' || o.value.call !== ctx.self.call))) throw undecided();
  if (o?.changes && !same) throw new Undecided(`\`${shortText(obj, 40)}\` changes during the run`, true);
  const kind = torchClassOf(ctx.self.kind);
  if (!kind) throw undecided();
  const c = unparen(cls);
  const names = c.type === 'tuple' ? kids(c) : [c];
  let found = false;
  for (const x of names) {
    const v = ctx.free(unparen(x))?.value;
    if (v?.k !== 'ref' || !v.path.startsWith(TORCH_SCHEDULERS)) throw undecided();
    const name = v.path.slice(TORCH_SCHEDULERS.length);
    if (TORCH_BASES.has(name)) {
      if (kind === 'ReduceLROnPlateau') throw undecided();
      found = true;
    } else if (!isSchedulerKind(name)) throw undecided();
    else if (name === kind) found = true;
  }
  return found;
}

/**
 * The scheduler being counted, where the receiver of its step() call is read (`if scheduler is not None and …`): the
 * premise of counting that call for it. Only identity and truth tests use it; arithmetic on it stays undecided.
 */
function receiver(n: SyntaxNode, ctx: Ctx): PyVal | null {
  return ctx.self?.text && n.text.replace(/\s+/g, '') === ctx.self.text ? { k: 'scheduler', index: null, call: ctx.self.call } : null;
}

function freeValue(n: SyntaxNode, ctx: Ctx): PyVal {
  const f = ctx.free(n);
  if (!f) throw new Undecided(`\`${shortText(n, 40)}\` is not evaluated where the loop starts`, true);
  if (f.changes) throw new Undecided(`\`${shortText(n, 40)}\` changes during the run`, true);
  const v = f.value;
  if (v.assumed) ctx.assumed.add(`\`${shortText(n, 40)}\` = ${v.k === 'str' ? JSON.stringify(v.v) : v.k === 'none' ? 'None' : 'v' in v ? String(v.v) : '?'}: ${v.assumed}`);
  switch (v.k) {
    case 'int': case 'float': case 'bool': case 'str': case 'none': return v;
    case 'unknown': throw new Undecided(`\`${shortText(n, 40)}\`: ${v.reason}`, false);
    default: throw new Undecided(`\`${shortText(n, 40)}\` is not a number`, false);
  }
}

/** The identifiers a node reads (not attribute names, not keyword names). */
function namesRead(n: SyntaxNode, out: SyntaxNode[]): SyntaxNode[] {
  if (n.type === 'identifier') out.push(n);
  else if (n.type === 'attribute') {
    const o = n.childForFieldName('object');
    if (o) namesRead(o, out);
  } else if (n.type === 'keyword_argument') {
    const v = n.childForFieldName('value');
    if (v) namesRead(v, out);
  } else for (const k of kids(n)) namesRead(k, out);
  return out;
}


/**
 * Counts the passes of `frames` (the run's loops, outermost first) where every condition holds, and evaluates
 * `arg` (the `step()` argument) at each. `frames` with a known count and a known index (`for i in range(…)`)
 * take each value; a condition reading the variable of a loop without them is not decidable.
 */
/** A site condition in words: `c`, `not (c)`, or the `continue` it gets past. */
export function conditionText(c: Omit<SiteCondition, 'inner'>, width: number): string {
  return c.why ? `not skipped by the continue on line ${lineOf(c.node)}` : c.holds ? shortText(c.node, width) : `not (${shortText(c.node, width)})`;
}

export function countSite(frames: LoopFrame[], conds: SiteCondition[], arg: SyntaxNode | null, free: (n: SyntaxNode) => FreeName | undefined,
  inLoop: (n: SyntaxNode, frame: LoopFrame) => boolean, self?: { call: number; kind: string; text: string }): SiteCount {
  const out: SiteCount = {};
  const targets = new Map<string, number>();
  frames.forEach((fr, i) => {
    for (const t of fr.target.split(/[\s,()[\]]+/)) if (t && /^[A-Za-z_]\w*$/.test(t)) targets.set(t, i);
  });
  const depth = (n: SyntaxNode): number => {
    let d = -1;
    for (const x of namesRead(n, [])) {
      const k = targets.get(x.text);
      if (k !== undefined && inLoop(x, frames[k]!)) d = Math.max(d, k);
    }
    return d;
  };
  const texts = conds.map((c) => conditionText(c, 60));
  const blind = conds.find((c) => c.why)?.why;
  const condDepth = conds.reduce((d, c) => Math.max(d, depth(c.node)), -1);
  const argDepth = arg ? depth(arg) : -1;
  const assumed = new Set<string>();
  const independentTrue = new Set<number>();
  const ctx: Ctx = { vars: new Map(), free, assumed, targets, inLoop: (n, k) => inLoop(n, frames[k]!), ...(self ? { self } : {}) };

  /** Runs `each` over the combinations of frames 0..d (null when a frame has no known values), then `tail` = ∏ counts below. */
  const combos = (d: number, each: () => boolean | void): string | null => {
    const fs = frames.slice(0, d + 1);
    for (const fr of fs) {
      if (fr.count === null) return `the length of \`${fr.header}\` is not known${fr.countReason ? ` (${fr.countReason})` : ''}`;
      if (!fr.values && (!fr.index || !targets.has(fr.index.name))) return `the values of \`${fr.target}\` in \`${fr.header}\` are not known`;
    }
    const total = fs.reduce((p, fr) => p * fr.count!, 1);
    if (total > MAX_PASSES) return `too many passes to count (${total})`;
    const rec = (i: number): boolean => {
      if (i === fs.length) return each() !== false;
      const fr = fs[i]!;
      // A loop over literals: its variable takes each item; a counted loop: each value of its index.
      const name = fr.values ? fr.target : fr.index!.name;
      for (let k = 0; k < fr.count!; k++) {
        ctx.vars.set(name, fr.values ? fr.values[k]! : fr.index!.start + k * (fr.index!.step ?? 1));
        if (!rec(i + 1)) return false;
      }
      ctx.vars.delete(name);
      return true;
    };
    rec(0);
    return null;
  };

  /** Whether every condition holds for the current loop values (an undecidable independent one taken as true, labelled). */
  const holds = (): boolean => {
    for (const [i, c] of conds.entries()) {
      if (independentTrue.has(i)) continue;
      if (truth(ev(c.node, ctx), c.node) !== c.holds) return false;
    }
    return true;
  };

  if (conds.length) {
    let steps: number | null = null;
    let of: number | null = null;
    let reason: string | undefined;
    try {
      if (blind) throw new Undecided(blind, true);
      // A condition that reads none of the loops' variables is the same on every pass.
      for (const [i, c] of conds.entries()) {
        if (depth(c.node) >= 0) continue;
        try {
          ev(c.node, { ...ctx, assumed: new Set() });
        } catch (e) {
          if (!(e instanceof Undecided) || e.loopDependent) throw e;
          independentTrue.add(i);
          assumed.add(`\`${texts[i]}\` taken as true on every pass (${e.reason})`);
        }
      }
      let hits = 0;
      const why = combos(condDepth, () => { if (holds()) hits++; });
      if (why) reason = why;
      else {
        const below = frames.slice(condDepth + 1).reduce<number | null>((p, fr) => (p !== null && fr.count !== null ? p * fr.count : null), 1);
        if (below === null) reason = 'the inner loops\' length is not known';
        else steps = hits * below;
      }
      of = frames.reduce<number | null>((p, fr) => (p !== null && fr.count !== null ? p * fr.count : null), 1);
    } catch (e) {
      if (!(e instanceof Undecided)) throw e;
      reason = e.reason;
    }
    out.passes = { steps, of, ...(reason ? { reason } : {}), assumed: [...assumed], conditions: texts };
  }

  if (arg) {
    const values: number[] = [];
    const argAssumed = new Set<string>(assumed);
    const actx: Ctx = { ...ctx, assumed: argAssumed };
    try {
      if (blind) throw new Undecided(blind, true);
      const d = Math.max(argDepth, condDepth);
      // Every pass below the deepest loop the argument or the conditions read calls step() with the same argument.
      const below = frames.slice(d + 1).reduce<number | null>((p, fr) => (p !== null && fr.count !== null ? p * fr.count : null), 1);
      let tooMany = false;
      const why = below === null ? 'the inner loops\' length is not known' : combos(d, () => {
        if (!holds()) return;
        const v = num(ev(arg, actx), arg);
        for (let k = 0; k < below!; k++) values.push(v);
        if (values.length > MAX_EPOCH_ARGS) { tooMany = true; return false; }
      });
      out.epochArgs = why ? { reason: why } : tooMany ? { reason: `more than ${MAX_EPOCH_ARGS} calls` } : { values, assumed: [...argAssumed] };
    } catch (e) {
      if (!(e instanceof Undecided)) throw e;
      out.epochArgs = { reason: e.reason };
    }
  }
  return out;
}
