/**
 * What the Python walker records about training loops while it evaluates the file (issue 11): each loop's
 * count, evaluated where the walker meets it (`range(args.epochs)` with argparse's default, labelled), Lightning's
 * `Trainer(max_epochs=…, max_steps=…)`, and the nodes of each `.step()` call and construction. After the walk,
 * loops.ts turns them into step sites and runs.
 */
import { joinLabels } from './access';
import { HfFacts } from './hf';
import type { EvaluatedArgs, Interpreter } from './interp';
import { kids, shortText, unparen, type SyntaxNode } from './syntax';
import { intOf, lineage, truthy, type PyVal, type Scope } from './values';
import { progressBarKind } from './calls';
import { CONTINUE, LOOP_SCOPES, ownJumps } from './stepPaths';

/** True when any parameter value passed by the walk's calls is (or holds) a scheduler. */
export function passesScheduler(sites: Map<string, PyVal> | null): boolean {
  if (!sites) return false;
  for (const v of sites.values()) if (holdsScheduler(v, 0)) return true;
  return false;
}

function holdsScheduler(v: PyVal, depth: number): boolean {
  if (v.k === 'scheduler') return true;
  if (depth > 3) return false;
  if (v.k === 'list') return v.items.some((x) => holdsScheduler(x, depth + 1));
  if (v.k === 'dict') return v.entries.some(([, x]) => holdsScheduler(x, depth + 1));
  if (v.k === 'ns') return [...v.attrs.values()].some((x) => holdsScheduler(x, depth + 1));
  return false;
}

/** The torch scheduler a class derives from (`_LRScheduler`, `LRScheduler`, `CosineAnnealingLR`, …), through its bases. */
export function torchSchedulerBase(c: PyVal & { k: 'class' }): string | null {
  const PREFIX = 'torch.optim.lr_scheduler.';
  const b = lineage(c).others.find((x) => x.k === 'ref' && x.path.startsWith(PREFIX));
  return b?.k === 'ref' ? b.path.slice(PREFIX.length) : null;
}

/** Library bases that do not make a class a LightningModule. */
const PLAIN_BASES = /^(abc\.ABC|torch\.nn\.Module|torch\.nn\.modules\.module\.Module)$/;

interface LoopCount {
  count: number | null; assumed?: string; reason?: string;
  /** Counted as a `range(…)` (written so, or through a progress bar: `tqdm(range(n))`, `trange(a, b)`): its variable takes the range's values. */
  range?: true;
  /**
   * A `while` loop counted by a counter advanced inside an inner loop (`while step < max_steps:` around `for batch in
   * loader: … step += 1`): `count` is how many times the counter is advanced, not the loop's passes; where, in words.
   */
  advancedInside?: string;
  /** `range(a, b, s)` with every argument known: the first value and the stride (the loop variable's values). */
  seq?: { start: number; step: number };
  /** The node id of the `break` that `count` accounts for (`while True: …; if it >= n: break`): not an early end. */
  countedBreak?: number;
  /** A loop over data of unknown length ended by a step counter (stepCap): what stepPaths may count. */
  cap?: StepCap;
}

/**
 * transformers' and diffusers' loops over the data, `if completed_steps >= args.max_train_steps: break` at the body's
 * top level, the counter advanced by 1 once in the body (`completed_steps += 1`): the counter's `+= 1` statement, the
 * `if … break` statement, the counter's value where the loop starts and the bound's (evaluated there). Whether the
 * counter counts the scheduler's steps is the step site's to say (stepPaths).
 */
export interface StepCap {
  counter: string; add: SyntaxNode; check: SyntaxNode; breakId: number;
  start: number; bound: number; inclusive: boolean; assumed?: string;
}

/**
 * A name read by a condition around a `.step()` call or by its argument, as the walk saw it where the loop's
 * body starts (loopConditions.ts): its value, and whether the loops around it change it.
 */
export interface FreeName { value: PyVal; changes: boolean }
/** `splat`: why a `**kwargs` / `*args` of the call could not be expanded (it may set any of them: none is known). */
interface TrainerArgs { maxEpochs: PyVal | null; maxSteps: PyVal | null; limitBatches: PyVal | null; accumulate: PyVal | null; splat?: string }

/** What the walk records for the run model. */
export class LoopFacts {
  private readonly counts = new Map<number, LoopCount>();
  readonly trainers: TrainerArgs[] = [];
  /** accelerate's `Accelerator(…)` and transformers' `Trainer(…)` calls (hf.ts). */
  readonly hf = new HfFacts();
  /** Construction call nodes by the recorder's call index. */
  readonly constructions = new Map<number, SyntaxNode>();
  /** Each `if` outside loops (its id) with the constructions on its branches: call index → the id of the branch's node. */
  readonly constructionBranches = new Map<number, Map<number, number>>();
  /** `.step()` call nodes by their range (the recorder keeps ranges). */
  readonly useNodes = new Map<string, SyntaxNode>();
  /** Calls of the repository's own scheduler classes (subclasses of torch's): not previewed, but they set the lr (LR190). */
  readonly schedulerClassCalls: { call: SyntaxNode; className: string; base: string }[] = [];
  /**
   * The file's module-level classes known not to be LightningModules: every base, through the file's and the
   * repository's classes, is `object`, `abc.ABC` or `torch.nn.Module` (nnU-Net's `nnUNetTrainer(object)` defines its
   * own `configure_optimizers`). A class with any other base (a library's, one not read) is not in it.
   */
  readonly plainClasses = new Set<string>();

  /** After the walk: the module scope's classes whose lineage is known and holds no library base but those. */
  notePlainClasses(scope: Scope): void {
    for (const [name, v] of scope.vars) {
      if (v.k !== 'class') continue;
      const { others, deep } = lineage(v);
      if (!deep && others.every((o) => (o.k === 'builtin' && o.name === 'object') || (o.k === 'ref' && PLAIN_BASES.test(o.path)))) this.plainClasses.add(name);
    }
  }

  /** A class of the file or the repository called: recorded when it derives from one of torch's schedulers. */
  schedulerClassCall(cls: PyVal & { k: 'class' }, call: SyntaxNode): void {
    const base = torchSchedulerBase(cls);
    if (base && this.schedulerClassCalls.length < 20 && !this.schedulerClassCalls.some((c) => c.call.id === call.id)) {
      this.schedulerClassCalls.push({ call, className: cls.name, base });
    }
  }

  /** The walker meets a loop: its count from the evaluated iterable (for) or condition (while). */
  loop(st: SyntaxNode, iterValue: PyVal | null, scope: Scope, interp: Interpreter): void {
    this.loopNodes.set(`${st.startPosition.row}:${st.startPosition.column}`, st);
    const prev = this.counts.get(st.id);
    // A cap read where the run starts (the counter at its first value) is kept: later visits see it merged.
    if (prev && (prev.count !== null || prev.cap)) {
      if (st.text.includes('%')) this.readModuli(st, scope, interp);
      return;
    }
    let c: LoopCount;
    try {
      c = st.type === 'while_statement' ? whileCount(st, scope, interp) : forCount(st, iterValue, scope, interp);
      if (c.count === null && st.type === 'for_statement') {
        const cap = stepCap(st, scope, interp);
        if (cap) c.cap = cap;
      }
    } catch {
      c = { count: null, reason: 'its length could not be evaluated' };
    }
    this.counts.set(st.id, c);
    if (st.text.includes('%')) this.readModuli(st, scope, interp);
  }

  /**
   * The right operands of `%` in the `if` conditions of a loop's body (`(i + 1) % accum == 0`), evaluated
   * where the loop starts (an accumulation factor is set before the loop): read by the step sites' paths.
   */
  private readonly moduli = new Map<number, LoopCount>();

  private readModuli(st: SyntaxNode, scope: Scope, interp: Interpreter): void {
    let visits = 0;
    const visit = (n: SyntaxNode, inCondition: boolean): void => {
      if (++visits > 5000 || n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda') return;
      if (inCondition && n.type === 'binary_operator' && n.children.some((c) => c && !c.isNamed && c.type === '%')) {
        const right = n.childForFieldName('right');
        if (right && !this.moduli.get(right.id)?.count) {
          let c: LoopCount;
          try {
            const v = interp.expr(right, scope);
            const k = intOf(v);
            c = k !== null && Number.isSafeInteger(k) ? { count: k, ...(v.assumed ? { assumed: v.assumed } : {}) }
              : { count: null, reason: v.k === 'unknown' ? v.reason : `\`${shortText(right, 40)}\` is not a known integer` };
          } catch {
            c = { count: null, reason: `\`${shortText(right, 40)}\` could not be evaluated` };
          }
          this.moduli.set(right.id, c);
        }
      }
      const cond = n.type === 'if_statement' || n.type === 'elif_clause' ? n.childForFieldName('condition') : null;
      for (const c of n.children) if (c) visit(c, inCondition || (cond !== null && c.id === cond.id));
    };
    const body = st.childForFieldName('body');
    if (body) visit(body, false);
  }

  modulusOf(right: SyntaxNode): LoopCount | undefined {
    return this.moduli.get(right.id);
  }

  countOf(st: SyntaxNode): LoopCount | undefined {
    return this.counts.get(st.id);
  }

  /** A Lightning `Trainer(…)` call evaluated by the walk. */
  trainer(args: EvaluatedArgs): void {
    const kw = (k: string) => args.kw.find(([name]) => name === k)?.[1].val ?? null;
    this.trainers.push({
      maxEpochs: kw('max_epochs'), maxSteps: kw('max_steps'), limitBatches: kw('limit_train_batches'), accumulate: kw('accumulate_grad_batches'),
      ...(args.splatReason !== null ? { splat: args.splatReason } : {}),
    });
  }

  /** Loop statements by their frame id (`row:column`), for what is inside which loop. */
  readonly loopNodes = new Map<string, SyntaxNode>();
  /** Names read by conditions and `.step(…)` arguments in loop bodies, by node id (loopConditions.ts). */
  readonly free = new Map<number, FreeName>();

  /**
   * The walker starts a loop's body for real (after the dry pass made the names it changes unknown): the names
   * read by its `if` conditions and `.step(…)` arguments, evaluated there. An inner loop's reading replaces
   * the outer one's; `changes` (assigned in a loop around it, or a loop's variable) stays once set.
   */
  body(st: SyntaxNode, scope: Scope, interp: Interpreter, settled: boolean): void {
    const body = st.childForFieldName('body');
    if (!body || !/\bif\b|\.step\s*\(/.test(body.text)) return;
    const assigned = assignedNames(body);
    const target = st.type === 'for_statement' ? st.childForFieldName('left') : null;
    if (target) for (const n of namesOf(target)) assigned.add(n);
    let visits = 0;
    const read = (n: SyntaxNode): void => {
      if (++visits > 5000) return;
      if (n.type === 'identifier' || (n.type === 'attribute' && rootName(n) !== null)) {
        const root = n.type === 'identifier' ? n.text : rootName(n)!;
        let value: PyVal;
        try {
          value = settled ? interp.expr(n, scope) : { k: 'unknown', reason: `\`${shortText(n, 40)}\` is read in loops nested too deeply to follow` } as PyVal;
        } catch {
          value = { k: 'unknown', reason: `\`${shortText(n, 40)}\` could not be evaluated` } as PyVal;
        }
        const prev = this.free.get(n.id);
        this.free.set(n.id, { value, changes: (prev?.changes ?? false) || assigned.has(root) || assigned.has(n.text.replace(/\s+/g, '')) });
        return;
      }
      if (n.type === 'call') {
        // A call's arguments are read; its callee is not a value (`len(x)`: x).
        const args = n.childForFieldName('arguments');
        if (args) for (const k of kids(args)) read(k);
        return;
      }
      if (n.type === 'lambda') return;
      for (const k of kids(n)) read(k);
    };
    const visit = (n: SyntaxNode): void => {
      if (++visits > 5000 || n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda') return;
      if (n.type === 'if_statement' || n.type === 'elif_clause') {
        const cond = n.childForFieldName('condition');
        if (cond) read(cond);
      }
      if (n.type === 'call') {
        const f = n.childForFieldName('function');
        if (f?.type === 'attribute' && f.childForFieldName('attribute')?.text === 'step') {
          const args = n.childForFieldName('arguments');
          if (args) for (const k of kids(args)) read(k);
        }
      }
      for (const k of kids(n)) visit(k);
    };
    visit(body);
  }

  useNode(node: SyntaxNode): void {
    this.useNodes.set(key(node), node);
  }
}

function key(n: SyntaxNode): string {
  return `${n.startPosition.row}:${n.startPosition.column}`;
}

/**
 * A progress bar written in a loop's header (`tqdm(range(EPOCHS), desc="train")`, `trange(1, EPOCHS + 1)`), its callee
 * resolved to tqdm's (calls.ts `progressBarKind`, which also makes its value what it wraps): the iterable it wraps, or
 * trange's range arguments, read as the header's own so that a `range` keeps its variable's values.
 */
function progressBar(r: SyntaxNode, scope: Scope, interp: Interpreter): { inner: SyntaxNode } | { rangeArgs: SyntaxNode[] } | null {
  if (r.type !== 'call') return null;
  const f = r.childForFieldName('function');
  const args = r.childForFieldName('arguments');
  if (!f || !args || !/tqdm|trange|tnrange/.test(f.text)) return null;
  const callee = interp.expr(f, scope);
  const kind = callee.k === 'ref' ? progressBarKind(callee.path) : null;
  if (!kind) return null;
  const positional = kids(args).filter((a) => a.type !== 'keyword_argument' && a.type !== 'list_splat' && a.type !== 'dictionary_splat');
  if (positional.length !== kids(args).filter((a) => a.type !== 'keyword_argument').length) return null;
  if (kind === 'range') return positional.length >= 1 && positional.length <= 3 ? { rangeArgs: positional } : null;
  return positional[0] ? { inner: unparen(positional[0]) } : null;
}

/** `range(…)` by its arguments, so a long range (more items than the evaluator builds) still has a count. */
function rangeCount(argNodes: SyntaxNode[], r: SyntaxNode, scope: Scope, interp: Interpreter): LoopCount {
  const vals = argNodes.map((a) => interp.expr(a, scope));
  const bad = vals.find((v) => intOf(v) === null);
  if (bad) return { count: null, reason: bad.k === 'unknown' ? bad.reason : `\`${shortText(r)}\` is not a range of known numbers` };
  const ns = vals.map((v) => intOf(v)!);
  const [start, stop, step] = ns.length === 1 ? [0, ns[0]!, 1] : [ns[0]!, ns[1]!, ns[2] ?? 1];
  const count = step === 0 ? null : Math.max(0, Math.ceil((stop - start) / step));
  // Every bound that rests on an assumption (`range(opt.epoch, opt.n_epochs)`: both defaults).
  const assumed = [...new Set(vals.flatMap((v) => (v.assumed ? [v.assumed] : [])))].join('; ');
  return { count, range: true, ...(assumed ? { assumed } : {}), ...(count !== null ? { seq: { start, step } } : {}) };
}

function forCount(st: SyntaxNode, iterValue: PyVal | null, scope: Scope, interp: Interpreter): LoopCount {
  const right = st.childForFieldName('right');
  let r = right ? unparen(right) : null;
  const bar = r ? progressBar(r, scope, interp) : null;
  if (bar && 'rangeArgs' in bar) return rangeCount(bar.rangeArgs, r!, scope, interp);
  // Around anything else, the bar's value is already what it wraps (calls.ts): `iterValue` is counted as it is.
  if (bar) r = bar.inner;
  if (r && r.type === 'call' && r.childForFieldName('function')?.text === 'range') return rangeCount(kids(r.childForFieldName('arguments')!), r, scope, interp);
  if (!iterValue) return { count: null, reason: 'the loop has no iterable' };
  if (iterValue.k === 'list') return { count: iterValue.items.length, ...(iterValue.assumed ? { assumed: iterValue.assumed } : {}) };
  if (iterValue.k === 'dict') return { count: iterValue.entries.length };
  if (iterValue.k === 'str') return { count: iterValue.v.length };
  if (iterValue.k === 'unknown') return { count: null, reason: iterValue.reason };
  return { count: null, reason: `the length of \`${right ? shortText(right, 40) : '?'}\` is not known` };
}

/** See StepCap: null for any other shape, or when the counter's start or the bound is not a known int. */
function stepCap(st: SyntaxNode, scope: Scope, interp: Interpreter): StepCap | null {
  const body = st.childForFieldName('body');
  if (!body) return null;
  const checks = kids(body).filter((n) => n.type === 'if_statement' && !kids(n).some((k) => k.type === 'elif_clause' || k.type === 'else_clause'));
  for (const check of checks) {
    const then = check.childForFieldName('consequence');
    const stmts = then ? kids(then).filter((n) => n.type !== 'comment') : [];
    const brk = stmts[stmts.length - 1];
    if (!brk || brk.type !== 'break_statement') continue;
    const cmp = unparen(check.childForFieldName('condition') ?? check);
    const op = cmp.children.find((x) => x && !x.isNamed)?.type;
    if (cmp.type !== 'comparison_operator' || kids(cmp).length !== 2 || (op !== '>=' && op !== '>')) continue;
    const [counter, bound] = kids(cmp) as [SyntaxNode, SyntaxNode];
    if (counter.type !== 'identifier' && counter.type !== 'attribute') continue;
    const name = counter.text.replace(/\s+/g, '');
    // Advanced once, by 1, not in an inner loop; bound by nothing else in the body; the bound not written there.
    const writes = augmentedWrites(body, name);
    const w = writes[0];
    const found = writes.length === 1 && w!.op === '+=' && w!.right.type === 'integer' && w!.right.text === '1' && w!.node.parent?.type === 'expression_statement' ? w!.node.parent : null;
    if (!found || insideInnerLoop(found, body) || bindings(body, name) !== 1) continue;
    if (assignedNames(body).has(bound.text.replace(/\s+/g, ''))) continue;
    // The check after the `+= 1` in the body, so the pass that reaches the bound ends the loop.
    const at = (n: SyntaxNode) => [n.startPosition.row, n.startPosition.column] as const;
    const [fr, fc] = at(found);
    const [cr, cc] = at(check);
    if (fr > cr || (fr === cr && fc > cc)) continue;
    let start: PyVal;
    let end: PyVal;
    try {
      start = interp.expr(counter, scope);
      end = interp.expr(bound, scope);
    } catch {
      return null;
    }
    const a = intOf(start);
    const b = intOf(end);
    if (a === null || b === null) return null;
    const assumed = joinLabels(start.assumed, end.assumed);
    return { counter: name, add: found, check, breakId: brk.id, start: a, bound: b, inclusive: op === '>=', ...(assumed ? { assumed } : {}) };
  }
  return null;
}

/** `while step < max_steps` (and `<=`, `>`, `>=` the other way round): the counter's distance to its bound. */
function whileCount(st: SyntaxNode, scope: Scope, interp: Interpreter): LoopCount {
  const cond = st.childForFieldName('condition');
  const c = cond ? unparen(cond) : null;
  if (c && (c.type === 'true' || (c.type === 'integer' && c.text === '1'))) return whileTrueCount(st, c, scope, interp);
  if (!c || c.type !== 'comparison_operator' || kids(c).length !== 2) {
    return { count: null, reason: `\`while ${cond ? shortText(cond, 40) : ''}\` ends at a condition LR Lens does not count` };
  }
  const [a, b] = kids(c) as [SyntaxNode, SyntaxNode];
  const op = c.children.find((x) => x && !x.isNamed)?.type ?? '';
  const [counter, bound, inclusive] = op === '<' || op === '<=' ? [a, b, op === '<='] : op === '>' || op === '>=' ? [b, a, op === '>='] : [null, null, false];
  if (!counter || !bound) return { count: null, reason: `\`while ${shortText(c, 40)}\` is not a counter below a bound` };
  const start = interp.expr(counter, scope);
  const end = interp.expr(bound, scope);
  const s = intOf(start);
  const e = intOf(end);
  if (e === null) return { count: null, reason: end.k === 'unknown' ? end.reason : `\`${shortText(bound)}\` is not a known number` };
  // The counter counts up (`step += k`), or the bound down (`remaining -= k` in `while remaining > 0`).
  const up = counterStep(st, counter, '+=', scope, interp);
  const down = counterStep(st, bound, '-=', scope, interp);
  const by = 'reason' in up || up.step !== 1 || !('step' in down) || down.step === 1 ? up : down;
  if ('reason' in by) return { count: null, reason: by.reason };
  if ('reason' in down && by === up) return { count: null, reason: down.reason };
  const assumed = joinLabels(joinLabels(end.assumed, start.assumed), by.assumed);
  const from = s ?? 0;
  // The passes until the counter reaches the bound, `step` at a time (RL's `global_step += num_envs * num_steps`).
  const count = inclusive ? (e >= from ? Math.floor((e - from) / by.step) + 1 : 0) : Math.max(0, Math.ceil((e - from) / by.step));
  return {
    count, ...(assumed ? { assumed } : {}), ...(s === null ? { assumed: `\`${shortText(counter)}\` assumed to start at 0` } : {}),
    ...(by.inner ? { advancedInside: by.inner } : {}),
  };
}

/**
 * `while True:` whose body ends with `if counter >= bound: break` (or `>`; minGPT's trainer, `and`-ed with operands
 * known true where the loop starts: `if config.max_iters is not None and iter_num >= config.max_iters`), the counter
 * advanced once per pass at the body's top level before it: the passes until the check breaks. The check is the
 * body's last statement, so every pass runs the whole body, the last one included; a body always runs once. Any
 * other shape is not counted, as before.
 */
function whileTrueCount(st: SyntaxNode, cond: SyntaxNode, scope: Scope, interp: Interpreter): LoopCount {
  const notCounted: LoopCount = { count: null, reason: `\`while ${shortText(cond, 40)}\` ends at a condition LR Lens does not count` };
  const body = st.childForFieldName('body');
  const stmts = body ? kids(body).filter((n) => n.type !== 'comment') : [];
  const last = stmts[stmts.length - 1];
  if (!last || last.type !== 'if_statement' || kids(last).some((n) => n.type === 'elif_clause' || n.type === 'else_clause')) return notCounted;
  const then = last.childForFieldName('consequence');
  const thenStmts = then ? kids(then).filter((n) => n.type !== 'comment') : [];
  const brk = thenStmts[thenStmts.length - 1];
  if (!brk || brk.type !== 'break_statement') return notCounted;
  // A `continue` skips the counter and the check: the passes are not the counter's.
  if (ownJumps(body!, CONTINUE, LOOP_SCOPES, true).length) return notCounted;
  const test = last.childForFieldName('condition');
  if (!test) return notCounted;
  // The comparison, and the other operands of an `and` (each known true where the loop starts).
  const operands: SyntaxNode[] = [];
  const flatten = (n: SyntaxNode): void => {
    const u = unparen(n);
    if (u.type === 'boolean_operator' && u.children.some((x) => x && !x.isNamed && x.type === 'and')) {
      for (const k of kids(u)) flatten(k);
    } else operands.push(u);
  };
  flatten(test);
  const cmps = operands.filter((n) => n.type === 'comparison_operator' && kids(n).length === 2
    && ['>=', '>'].includes(n.children.find((x) => x && !x.isNamed)?.type ?? ''));
  if (cmps.length !== 1) return notCounted;
  const cmp = cmps[0]!;
  for (const o of operands) {
    if (o.id === cmp.id) continue;
    let v: PyVal;
    try {
      v = interp.expr(o, scope);
    } catch {
      return notCounted;
    }
    if (truthy(v) !== true) return notCounted;
  }
  const [counter, bound] = kids(cmp) as [SyntaxNode, SyntaxNode];
  const inclusive = cmp.children.find((x) => x && !x.isNamed)?.type === '>=';
  const name = counter.text.replace(/\s+/g, '');
  // The counter advanced exactly once, at the body's top level, before the check.
  const adds = stmts.filter((n) => n.type === 'expression_statement' && kids(n)[0]?.type === 'augmented_assignment'
    && kids(n)[0]!.childForFieldName('left')?.text.replace(/\s+/g, '') === name);
  if (adds.length !== 1 || bindings(body!, name) !== 1) return notCounted;
  const by = counterStep(st, counter, '+=', scope, interp);
  if ('reason' in by) return { count: null, reason: by.reason };
  if (assignedNames(body!).has(bound.text.replace(/\s+/g, ''))) return notCounted;
  const start = interp.expr(counter, scope);
  const end = interp.expr(bound, scope);
  const s = intOf(start);
  const e = intOf(end);
  if (e === null) return { count: null, reason: end.k === 'unknown' ? end.reason : `\`${shortText(bound)}\` is not a known number` };
  const from = s ?? 0;
  // Pass j ends with the counter at from + j·step; the first j where the check holds is the last pass.
  const count = Math.max(1, inclusive ? Math.ceil((e - from) / by.step) : Math.floor((e - from) / by.step) + 1);
  const assumed = joinLabels(joinLabels(end.assumed, start.assumed), by.assumed);
  return { count, countedBreak: brk.id, ...(assumed ? { assumed } : {}), ...(s === null ? { assumed: `\`${shortText(counter)}\` assumed to start at 0` } : {}) };
}


/**
 * What the body adds to a `while` loop's counter at each of its `counter += k` (or takes from its bound, `sign` `-=`;
 * nested functions aside): 1 when it
 * adds 1 everywhere, or is not seen adding (the counter read as a count of passes, as before); `k` when one
 * `counter += k` written at the body's top level (once per pass) adds a known positive int; else why the passes are
 * not counted (a step added in an inner loop or under an `if` is not once per pass).
 */
function counterStep(st: SyntaxNode, counter: SyntaxNode, sign: '+=' | '-=', scope: Scope, interp: Interpreter): { step: number; assumed?: string; inner?: string } | { reason: string } {
  const name = counter.text.replace(/\s+/g, '');
  const body = st.childForFieldName('body');
  const adds = body ? augmentedWrites(body, name).filter((a) => a.op === sign).map((a) => ({ ...a, top: a.node.parent?.type === 'expression_statement' && a.node.parent.parent?.id === body.id })) : [];
  const one = (x: SyntaxNode) => x.type === 'integer' && x.text === '1';
  if (adds.every((a) => one(a.right))) {
    // Advanced by 1 in an inner loop: the count is the inner loop's passes over all of the `while`'s, so a step
    // beside that `+= 1` runs `count` times, one in the `while` body once per pass an unknown number of times.
    const nested = adds.find((a) => insideInnerLoop(a.node, body));
    return nested ? { step: 1, inner: `\`${name} ${sign} 1\` (line ${nested.node.startPosition.row + 1}) is inside an inner loop` } : { step: 1 };
  }
  const add = adds.find((a) => !one(a.right))!;
  const at = `\`${name} ${sign} ${shortText(add.right, 30)}\``;
  if (adds.length > 1) return { reason: `\`${name}\` is advanced at ${adds.length} places in the loop, not all by 1 (${at})` };
  if (!add.top) return { reason: `${at} is inside an inner loop or a condition of the loop: the loop's passes are not counted` };
  let v: PyVal;
  try {
    v = interp.expr(add.right, scope);
  } catch {
    return { reason: `${at}: the counter's step could not be evaluated` };
  }
  const k = intOf(v);
  if (k === null || k <= 0) return { reason: `${at}: the counter's step is ${v.k === 'unknown' ? `not known (${v.reason})` : 'not a positive int'}` };
  return { step: k, ...(v.assumed ? { assumed: v.assumed } : {}) };
}

/** The augmented assignments to `name` (`step += 1`, `left -= k`) in `body`, not in functions or classes defined there. */
function augmentedWrites(body: SyntaxNode, name: string): { node: SyntaxNode; op: string; right: SyntaxNode }[] {
  const out: { node: SyntaxNode; op: string; right: SyntaxNode }[] = [];
  let visits = 0;
  const visit = (n: SyntaxNode): void => {
    if (++visits > 20000 || n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda') return;
    if (n.type === 'augmented_assignment' && n.childForFieldName('left')?.text.replace(/\s+/g, '') === name) {
      const right = n.childForFieldName('right');
      if (right) out.push({ node: n, op: n.children.find((c) => c && !c.isNamed)?.type ?? '', right });
    }
    for (const k of kids(n)) visit(k);
  };
  visit(body);
  return out;
}

/** Whether a `for` or `while` loop inside `body` (not `body`'s own loop) holds `n`. */
function insideInnerLoop(n: SyntaxNode, body: SyntaxNode | null): boolean {
  for (let p = n.parent; p && p.id !== body?.id; p = p.parent) if (p.type === 'for_statement' || p.type === 'while_statement') return true;
  return false;
}

/** The identifier at the root of `a.b.c` (null for `f().x`, `a[0].x`). */
function rootName(n: SyntaxNode): string | null {
  let cur: SyntaxNode | null = n;
  while (cur && cur.type === 'attribute') cur = cur.childForFieldName('object');
  return cur?.type === 'identifier' ? cur.text : null;
}

/** The names a target binds (`i`, `(i, (x, y))`). */
function namesOf(target: SyntaxNode): string[] {
  if (target.type === 'identifier') return [target.text];
  if (target.type === 'attribute') return [target.text.replace(/\s+/g, '')];
  if (target.type === 'subscript') {
    const r = rootName(target.childForFieldName('value') ?? target);
    return r ? [r] : [];
  }
  return kids(target).flatMap(namesOf);
}

/** How many times a loop body binds `name` (assignments, `+=`, loop targets, `:=`; nested functions aside). */
function bindings(body: SyntaxNode, name: string): number {
  let count = 0;
  let visits = 0;
  const visit = (n: SyntaxNode): void => {
    if (++visits > 20000 || n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda') return;
    const target = n.type === 'assignment' || n.type === 'augmented_assignment' || n.type === 'for_statement' || n.type === 'for_in_clause'
      ? n.childForFieldName('left') : n.type === 'named_expression' ? n.childForFieldName('name') : null;
    if (target && namesOf(target).includes(name)) count++;
    for (const k of kids(n)) visit(k);
  };
  visit(body);
  return count;
}

/** Names assigned anywhere in a loop body (its own nested functions aside): `x = …`, `x += …`, `for x in …`, `args.x = …` (as `args.x`), `d[k] = …` (as `d`). */
function assignedNames(body: SyntaxNode): Set<string> {
  const out = new Set<string>();
  let visits = 0;
  const visit = (n: SyntaxNode): void => {
    if (++visits > 20000 || n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda') return;
    if (n.type === 'assignment' || n.type === 'augmented_assignment') {
      const left = n.childForFieldName('left');
      if (left) for (const x of namesOf(left)) out.add(x);
    } else if (n.type === 'for_statement' || n.type === 'for_in_clause') {
      const left = n.childForFieldName('left');
      if (left) for (const x of namesOf(left)) out.add(x);
    } else if (n.type === 'named_expression') {
      const name = n.childForFieldName('name');
      if (name) out.add(name.text);
    }
    for (const k of kids(n)) visit(k);
  };
  visit(body);
  return out;
}
