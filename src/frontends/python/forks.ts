/**
 * The static walk's forks (walker.ts builds on this): `if`/`elif`/`else`, `try` and loops. Branches on unknown
 * conditions are both walked and merged; a branch the assumed values (argparse defaults…) decide is walked first and
 * the others previewed in a fork, labelled; loop bodies are walked with the names and slots they change made
 * unknown. Names are journalled by the scope's VarMap, objects' slots by slots.ts. Code the walk skips is
 * remembered so constructions found there later can say why they were not evaluated.
 */
import type { Budget } from './budget';
import type { Recorder } from './construct';
import type { LoopFacts } from './loopFacts';
import type { Interpreter } from './interp';
import { endFork, mergeSlots, reapply, rollBack, type SlotFork } from './slots';
import { Point, SyntaxNode, kids, lineOf, shortText, unparen } from './syntax';
import { PyVal, Scope, sameValue, truthy, unknown } from './values';

/** Loops nested deeper than this skip the dry pass (its cost doubles per level). */
const MAX_DRY_NESTING = 4;

export type BlockEnd = 'normal' | 'exit';

/** A stretch of source the walk never entered (a branch that never runs, code after `return`). */
export interface SkippedCode { start: Point; end: Point; reason: string }

/** The walk's forking statements; `block` (walker.ts) walks a statement list. */
export abstract class ForkingWalker {
  protected loopNesting = 0;
  /** Loop facts for the run model (loops.ts), when recorded. */
  loops: LoopFacts | null = null;
  /** Code the walk skips, with the reason (see `skip`). */
  readonly skipped: SkippedCode[] = [];
  /** What ended the last `exit` (a `raise` is not a path the script runs with arguments that pass its checks). */
  protected exitKind: 'raise' | 'return' | 'break' = 'return';

  constructor(
    protected readonly interp: Interpreter,
    protected readonly recorder: Recorder,
    protected readonly budget: Budget,
  ) {}

  /** Walks statements in order; stops after an unconditional return/raise/break. */
  protected abstract block(stmts: SyntaxNode[], scope: Scope): BlockEnd;

  /** Remembers code the walk does not enter, so constructions found there later can say why. */
  protected skip(first: SyntaxNode, last: SyntaxNode, reason: string): void {
    this.skipped.push({ start: first.startPosition, end: last.endPosition, reason });
  }

  /**
   * `try`: the body runs, then either `else` (nothing raised) or a handler, which is not known
   * statically: every path is walked from the state after the body, and names the paths leave
   * different become unknown. Handlers of ImportError / ModuleNotFoundError are walked but do not
   * count: the analysis assumes imports succeed, as everywhere else. `finally` runs last.
   */
  protected tryStatement(st: SyntaxNode, scope: Scope): BlockEnd {
    const parts = kids(st);
    const blockOf = (c: SyntaxNode | undefined) => (c ? (c.type === 'block' ? c : kids(c).find((x) => x.type === 'block')) : undefined);
    const body = parts.find((c) => c.type === 'block');
    const handlers = parts.filter((c) => c.type === 'except_clause' || c.type === 'except_group_clause');
    const orElse = blockOf(parts.find((c) => c.type === 'else_clause'));
    const fin = blockOf(parts.find((c) => c.type === 'finally_clause'));
    let end: BlockEnd = body ? this.block(kids(body), scope) : 'normal';
    const vars = scope.vars;
    // The paths after the body, each walked from the same state, then merged.
    const paths: { end: BlockEnd; after: Map<string, PyVal | undefined>; counts: boolean; slots: SlotFork }[] = [];
    const walkPath = (b: SyntaxNode | undefined, startEnd: BlockEnd, counts: boolean, alias: SyntaxNode | null = null) => {
      vars.open();
      this.interp.slots.open();
      if (alias) this.interp.assign(alias, unknown(`\`${alias.text}\` is the exception caught at line ${lineOf(alias)}`), scope);
      const e = startEnd === 'exit' ? 'exit' : b ? this.block(kids(b), scope) : startEnd;
      const slots = endFork(this.interp.slots);
      const journal = vars.close();
      paths.push({ end: e, after: new Map([...journal.keys()].map((k) => [k, vars.get(k)] as const)), counts, slots });
      for (const [k, old] of journal) vars.restore(k, old);
    };
    walkPath(orElse, end, true);
    for (const h of handlers) {
      const caught = kids(h).filter((c) => c.type !== 'block').map((c) => c.text).join(' ');
      // `except E as e`: e is bound to the exception object, whose contents are not known.
      const target = kids(h).find((c) => c.type === 'as_pattern')?.childForFieldName('alias');
      const alias = target ? kids(target)[0] ?? null : null;
      walkPath(blockOf(h), 'normal', !/\b(ImportError|ModuleNotFoundError)\b/.test(caught), alias);
    }
    const live = paths.filter((p) => p.counts && p.end !== 'exit');
    end = live.length ? 'normal' : 'exit';
    mergeSlots(live.map((p) => p.slots), (what) => unknown(`\`${what}\` depends on whether the \`try\` at line ${lineOf(st)} raises`), sameValue);
    for (const k of new Set(live.flatMap((p) => [...p.after.keys()]))) {
      const vals = live.map((p) => (p.after.has(k) ? p.after.get(k) : vars.get(k)));
      const first = vals[0];
      if (first !== undefined && vals.every((v) => v !== undefined && sameValue(v, first))) vars.set(k, first);
      else vars.set(k, unknown(`\`${k}\` depends on whether the \`try\` at line ${lineOf(st)} raises`));
    }
    if (fin && this.block(kids(fin), scope) === 'exit') end = 'exit';
    return end;
  }

  /** `if`/`elif`/`else`: known conditions pick a branch; unknown ones walk both and merge. */
  protected ifStatement(st: SyntaxNode, scope: Scope): BlockEnd {
    const clauses: [SyntaxNode | null, SyntaxNode | null][] = [[st.childForFieldName('condition'), st.childForFieldName('consequence')]];
    for (const c of kids(st)) {
      if (c.type === 'elif_clause') clauses.push([c.childForFieldName('condition'), c.childForFieldName('consequence')]);
      else if (c.type === 'else_clause') clauses.push([null, c.childForFieldName('body')]);
    }
    return this.clauses(clauses, 0, scope, lineOf(st));
  }

  private clauses(cl: [SyntaxNode | null, SyntaxNode | null][], i: number, scope: Scope, line: number): BlockEnd {
    if (i >= cl.length) return 'normal';
    const [cond, body] = cl[i]!;
    const walkBody = () => (body ? this.block(kids(body), scope) : 'normal');
    if (!cond) return walkBody();
    const cv = this.interp.expr(cond, scope);
    const t = truthy(cv);
    // A condition decided by assumed values (an argparse default…): the other branches are walked too, each in a fork.
    const by = t !== null && cv.assumed ? withWhat(cv.assumed) : null;
    if (t === true && !by) {
      for (const [, later] of cl.slice(i + 1)) {
        if (later) this.skip(later, later, `the branch at line ${lineOf(cond)} (\`${shortText(cond, 40)}\`) is always taken before it`);
      }
      return walkBody();
    }
    if (t === true && by) {
      // The branch taken first (constructions in the order written), then the others from the state before it.
      const vars = scope.vars;
      vars.open();
      this.interp.slots.open();
      const end = this.taken(cond, by, walkBody);
      const written = this.interp.slots.close();
      const journal = vars.close();
      if (end === 'exit' && this.exitKind === 'raise') {
        // A check the assumed values fail (`if args.data is None: raise …`): the script is run with arguments
        // that pass it, so the path where the condition is false is the one that goes on.
        rollBack(written);
        for (const [k, old] of journal) vars.restore(k, old);
        this.failedCheck(cond, scope);
        return this.clauses(cl, i + 1, scope, line);
      }
      const after = new Map([...journal.keys()].map((k) => [k, vars.get(k)] as const));
      for (const [k, old] of journal) vars.restore(k, old);
      for (let j = i + 1; j < cl.length; j++) {
        const [laterCond, later] = cl[j]!;
        if (later) this.speculate(laterCond, later, by, scope, cl.slice(i, j).map(([c]) => c), cv.assumed);
      }
      // What the branch bound rests on the values that chose it (`lf = lambda …` under `if opt.cos_lr:`).
      const label = `set on the branch \`${shortText(cond, 60)}\`, taken with ${by}`;
      for (const [k, v] of after) vars.restore(k, labelled(v, label));
      for (const { slot } of written) slot.set(labelled(slot.get(), label));
      return end;
    }
    if (t === false && by) {
      // The path taken first (so its calls and constructions are the real ones), then this branch from the state before it.
      const vars = scope.vars;
      vars.open();
      this.interp.slots.open();
      const next = cl[i + 1];
      const end = next && !next[0]
        ? this.taken(`the \`else\` branch of \`${shortText(cond, 60)}\``, by, () => (next[1] ? this.block(kids(next[1]), scope) : 'normal'))
        : this.clauses(cl, i + 1, scope, line);
      const written = this.interp.slots.close();
      const journal = vars.close();
      if (end === 'exit' && this.exitKind === 'raise' && body) {
        // The rest raises with the assumed values (`else: raise ValueError(…)`): the script is run with arguments
        // that pass its check, so this branch is the one that goes on, labelled as such.
        rollBack(written);
        for (const [k, old] of journal) vars.restore(k, old);
        const passing = `arguments that pass the check (the rest raises with ${by})`;
        vars.open();
        this.interp.slots.open();
        const taken = this.taken(cond, passing, () => this.block(kids(body), scope));
        const set = this.interp.slots.close();
        const label = `set on the branch \`${shortText(cond, 60)}\`, taken with ${passing}`;
        for (const k of vars.close().keys()) vars.restore(k, labelled(vars.get(k), label));
        for (const { slot } of set) slot.set(labelled(slot.get(), label));
        return taken;
      }
      const after = new Map([...journal.keys()].map((k) => [k, vars.get(k)] as const));
      for (const [k, old] of journal) vars.restore(k, old);
      if (body) this.speculate(cond, body, by, scope, [], cv.assumed);
      const label = `set where \`${shortText(cond, 60)}\` is false with ${by}`;
      for (const [k, v] of after) vars.restore(k, labelled(v, label));
      for (const { slot } of written) slot.set(labelled(slot.get(), label));
      return end;
    }
    if (t === false) {
      if (body) this.skip(body, body, `its condition \`${shortText(cond, 40)}\` (line ${lineOf(cond)}) is always false`);
      return this.clauses(cl, i + 1, scope, line);
    }
    const vars = scope.vars;
    const slots = this.interp.slots;
    // Names and the slots of shared objects (`config["epochs"] = 2`, `args.lr = …`) follow one policy.
    vars.open();
    slots.open();
    const endA = walkBody();
    const exitA = this.exitKind;
    const forkA = endFork(slots);
    const journalA = vars.close();
    const afterA = new Map([...journalA.keys()].map((k) => [k, vars.get(k)] as const));
    for (const [k, old] of journalA) vars.restore(k, old);
    vars.open();
    slots.open();
    const endB = this.clauses(cl, i + 1, scope, line);
    const forkB = endFork(slots);
    const journalB = vars.close();
    // A path that left the block (return/raise) does not reach what follows.
    if (endB === 'exit' && endA !== 'exit') {
      for (const [k, old] of journalB) vars.restore(k, old);
      for (const [k, v] of afterA) vars.restore(k, v);
      reapply(forkA);
    } else if (endA === 'exit') {
      reapply(forkB);
    } else {
      const differ = (what: string) => unknown(`\`${what}\` depends on a condition at line ${line}`);
      mergeSlots([forkA, forkB], differ, sameValue);
      for (const k of new Set([...journalA.keys(), ...journalB.keys()])) {
        const a = journalA.has(k) ? afterA.get(k) : vars.get(k);
        const b = vars.get(k);
        if (a === undefined || b === undefined || !sameValue(a, b)) vars.set(k, differ(k));
      }
    }
    // Both paths leave: the block raises only if both raise.
    if (endA === 'exit' && endB === 'exit' && exitA !== 'raise') this.exitKind = exitA;
    return endA === 'exit' && endB === 'exit' ? 'exit' : 'normal';
  }

  /**
   * A check that raises with assumed values (`if not isinstance(stepsize, list): raise TypeError(…)` with the default 1):
   * the run that goes on passes other values, so the assumed ones the condition read are not known past it (never a
   * warning that `MultiStepLR(milestones=1)` raises, on a path only a list reaches).
   */
  private failedCheck(cond: SyntaxNode, scope: Scope): void {
    const reads: SyntaxNode[] = [];
    const visit = (n: SyntaxNode, depth: number): void => {
      if (depth > 20 || reads.length > 20) return;
      if (n.type === 'identifier' || n.type === 'attribute') { reads.push(n); return; }
      if (n.type === 'keyword_argument') { const v = n.childForFieldName('value'); if (v) visit(v, depth + 1); return; }
      if (n.type === 'lambda') return;
      // A call's arguments, not the function it calls (`isinstance`, `len`).
      const args = n.type === 'call' ? n.childForFieldName('arguments') : null;
      for (const c of kids(args ?? n)) visit(c, depth + 1);
    };
    visit(cond, 0);
    for (const r of reads) {
      const v = this.interp.expr(r, scope);
      if (!v.assumed) continue;
      this.interp.assign(r, unknown(`\`${shortText(r, 40)}\`: its assumed value (${v.assumed}) fails the check at line ${lineOf(cond)} (\`${shortText(cond, 40)}\` raises), so the run passes another`), scope);
    }
  }

  /** Walks the branch the assumed values select, its constructions labelled as such. */
  private taken(cond: SyntaxNode | string, by: string, walkBody: () => BlockEnd): BlockEnd {
    const saved = this.recorder.branch;
    const branch = typeof cond === 'string' ? cond : `the branch \`${shortText(cond, 60)}\``;
    if (!saved) this.recorder.branch = { note: `on ${branch}, taken with ${by}`, taken: true };
    try {
      return walkBody();
    } finally {
      this.recorder.branch = saved;
    }
  }

  /**
   * Walks a branch the assumed values do not take, in a fork (nothing it binds is kept), so that the
   * constructions there are previewed with their own arguments, labelled. `cond` (null for `else`)
   * holds there and the earlier conditions `before` do not: a `name == constant` condition binds it.
   */
  private speculate(cond: SyntaxNode | null, body: SyntaxNode, by: string, scope: Scope, before: (SyntaxNode | null)[], decidedBy?: string): void {
    const where = cond
      ? `on the branch \`${shortText(cond, 60)}\`, not taken with ${by}`
      : `on the \`else\` branch after \`${shortText(before[before.length - 1] ?? body, 60)}\`, not taken with ${by}`;
    const saved = this.recorder.branch;
    const savedSkipped = this.skipped.length;
    this.recorder.branch = { note: saved && !saved.taken ? `${saved.note}; ${where}` : where, taken: false };
    const vars = scope.vars;
    vars.open();
    const savedUndo = this.interp.undo;
    const undo: (() => void)[] = [];
    this.interp.undo = undo;
    try {
      if (decidedBy) this.forgetDecider(decidedBy, scope);
      if (cond) this.narrow(cond, true, scope);
      for (const b of before) if (b) this.narrow(b, false, scope);
      if (cond) this.assume(cond, where, scope);
      this.block(kids(body), scope);
    } finally {
      // `self.scheduler = …` on the branch not taken does not replace what the taken path set.
      this.interp.undo = savedUndo;
      for (let j = undo.length - 1; j >= 0; j--) undo[j]!();
      this.recorder.branch = saved;
      // Code after a `return` in the fork is still code the real walk may report on its own terms.
      this.skipped.length = savedSkipped;
      for (const [k, old] of vars.close()) vars.restore(k, old);
    }
  }

  /**
   * Inside a branch the assumed values do not take, what its condition (`holds`) or an earlier one that failed
   * (`!holds`) says of a name or attribute: `x is not None` / `x` holds, or `x is None` / `not x` fails. An assumed value
   * that contradicts it (the default None of `--step-size` on `if args.step_size is not None:`) cannot be the value
   * there, so it becomes unknown: never a curve drawn from it, nor a "raises TypeError … NoneType" the branch cannot reach.
   */
  private narrow(cond: SyntaxNode, holds: boolean, scope: Scope): void {
    const c = unparen(cond);
    if (c.type === 'boolean_operator') {
      // `a and b` holding: both hold; `a or b` failing: both fail. Otherwise nothing is known of each side.
      const op = c.childForFieldName('operator')?.type;
      if ((op === 'and' && holds) || (op === 'or' && !holds)) {
        for (const side of [c.childForFieldName('left'), c.childForFieldName('right')]) if (side) this.narrow(side, holds, scope);
      }
      return;
    }
    if (c.type === 'not_operator') {
      const arg = c.childForFieldName('argument');
      if (arg) this.narrow(arg, !holds, scope);
      return;
    }
    let target: SyntaxNode | null = null;
    let notNone: boolean; // true: the target is not None there; false: the target is truthy there
    if (c.type === 'comparison_operator') {
      const parts = kids(c);
      const ops = c.children.filter((x) => x !== null && !x.isNamed).map((x) => x!.type).join(' ');
      if (parts.length !== 2 || unparen(parts[1]!).type !== 'none') return;
      // `x is not None` / `x != None` holding, `x is None` / `x == None` failing.
      const negated = ops === 'is not' || ops === '!=';
      if (!negated && ops !== 'is' && ops !== '==') return;
      if (negated !== holds) return;
      target = parts[0]!;
      notNone = true;
    } else {
      if (!holds) return;
      target = c;
      notNone = false;
    }
    if (target.type !== 'identifier' && target.type !== 'attribute') return;
    const v = this.interp.expr(target, scope);
    if (!v.assumed || v.k === 'unknown') return;
    const contradicts = notNone ? v.k === 'none' : truthy(v) === false;
    if (!contradicts) return;
    const said = notNone ? 'is not None' : 'is true';
    this.bindInFork(target, unknown(`\`${shortText(target, 40)}\` ${said} on this branch, so not its assumed value (${v.assumed}): not known`), scope);
  }

  /**
   * A None the branches' deciding assumption (its label, `decidedBy`) gave is not the value on a branch that assumption
   * does not take: names and attributes holding None with that same label become unknown there. CompVis's
   * `self.use_scheduler = scheduler_config is not None` then `if self.use_scheduler: instantiate_from_config(
   * self.scheduler_config)`: on that branch `scheduler_config` is not its default None (no "raises TypeError"). Only
   * None: labels such as "from the call at line 33" are shared by every value a call passed, and a number or string
   * the condition did not read keeps its labelled value there (`T_max=cfg.epochs` on `elif cfg.schedule == "cosine"`).
   */
  private forgetDecider(decidedBy: string, scope: Scope): void {
    const forget = (v: PyVal) => v.k === 'none' && v.assumed === decidedBy;
    const why = (name: string) => `\`${name}\`: the branch is not taken with its assumed value (${decidedBy}), so on it the value is not known`;
    const seen = new Set<string>();
    for (let s: Scope | null = scope; s; s = s.parent) {
      for (const [k, v] of s.vars) {
        if (seen.has(k)) continue;
        seen.add(k);
        // Bound in this scope only (the fork's journal undoes it); an object's attributes on a copy, as `assume` does.
        if (s === scope && forget(v)) scope.vars.set(k, unknown(why(k)));
        else if (v.k === 'ns' && [...v.attrs.values()].some(forget)) {
          const copy = { ...v, attrs: new Map(v.attrs) };
          for (const [a, x] of v.attrs) if (forget(x)) copy.attrs.set(a, unknown(why(`${k}.${a}`)));
          scope.vars.set(k, copy);
        }
      }
    }
  }

  /** Inside a branch on `x == constant` (`args.lr_scheduler == "cosineannealinglr"`), x is that constant. */
  private assume(cond: SyntaxNode, where: string, scope: Scope): void {
    const c = unparen(cond);
    if (c.type !== 'comparison_operator') return;
    const parts = kids(c);
    const ops = c.children.filter((x) => x !== null && !x.isNamed).map((x) => x!.type);
    if (parts.length !== 2 || ops.length !== 1 || ops[0] !== '==') return;
    const [left, right] = parts as [SyntaxNode, SyntaxNode];
    const [target, value] = isConstant(right) ? [left, right] : isConstant(left) ? [right, left] : [null, null];
    if (!target || !value || (target.type !== 'identifier' && target.type !== 'attribute')) return;
    const v = this.interp.expr(value, scope);
    if (v.k === 'unknown') return;
    this.bindInFork(target, { ...v, assumed: where }, scope);
  }

  /**
   * Binds a name or `name.attr` inside a fork; an attribute is set on a copy of its object, so the fork does not
   * change what the real walk sees (an object that is not an instance or namespace is left alone).
   */
  private bindInFork(target: SyntaxNode, v: PyVal, scope: Scope): void {
    if (target.type !== 'attribute') {
      scope.vars.set(target.text, v);
      return;
    }
    const objNode = target.childForFieldName('object');
    const attr = target.childForFieldName('attribute')?.text;
    if (!objNode || !attr || objNode.type !== 'identifier') return;
    const obj = this.interp.expr(objNode, scope);
    if (obj.k !== 'ns') return;
    const copy = { ...obj, attrs: new Map(obj.attrs) };
    copy.attrs.set(attr, v);
    scope.vars.set(objNode.text, copy);
  }

  /**
   * A loop body runs an unknown number of times: a dry pass (recording nothing) finds the names
   * it changes, which become unknown; then the real pass records the constructions.
   */
  protected loop(st: SyntaxNode, scope: Scope): void {
    const line = lineOf(st);
    const target = st.type === 'for_statement' ? st.childForFieldName('left') : null;
    const iter = st.childForFieldName(st.type === 'for_statement' ? 'right' : 'condition');
    const iterValue = iter ? this.interp.expr(iter, scope) : null;
    this.loops?.loop(st, iterValue, scope, this.interp);
    const body = st.childForFieldName('body');
    const bindTarget = () => {
      if (target) this.interp.assign(target, unknown(`\`${shortText(target)}\` is the variable of the loop at line ${line}`), scope);
    };
    if (!body) return;
    const vars = scope.vars;
    const slots = this.interp.slots;
    const changes = (what: string) => unknown(`\`${what}\` changes in the loop at line ${line}`);
    if (this.loopNesting < MAX_DRY_NESTING) {
      vars.open();
      slots.open();
      this.recorder.suppressed++;
      this.loopNesting++;
      let journal: Map<string, PyVal | undefined>;
      let written: SlotFork;
      try {
        bindTarget();
        this.block(kids(body), scope);
      } finally {
        this.recorder.suppressed--;
        this.loopNesting--;
        written = endFork(slots);
        journal = vars.close();
      }
      const changed = changedNames(journal, vars);
      for (const [k, old] of journal) vars.restore(k, old);
      for (const name of changed) vars.set(name, changes(name));
      // An object's slot the body writes (`cfg["lr"] *= 0.5`) has the value of an unknown number of passes.
      mergeSlots([written, written.map((c) => ({ ...c, after: c.before }))], changes, sameValue);
    }
    vars.open();
    slots.open();
    this.loopNesting++;
    let journal: Map<string, PyVal | undefined>;
    let written: SlotFork;
    try {
      bindTarget();
      if (this.loops) {
        // Reads names only; nothing it evaluates is recorded.
        this.recorder.suppressed++;
        try {
          this.loops.body(st, scope, this.interp, this.loopNesting <= MAX_DRY_NESTING);
        } finally {
          this.recorder.suppressed--;
        }
      }
      this.block(kids(body), scope);
    } finally {
      this.loopNesting--;
      written = endFork(slots);
      journal = vars.close();
    }
    for (const name of changedNames(journal, vars)) {
      if (target && unparen(target).type === 'identifier' && unparen(target).text === name) continue;
      vars.set(name, changes(name));
    }
    mergeSlots([written, written.map((c) => ({ ...c, after: c.before }))], changes, sameValue);
    const alt = kids(st).find((c) => c.type === 'else_clause');
    const altBody = alt?.childForFieldName('body');
    if (altBody) this.block(kids(altBody), scope);
  }
}

/** A literal a branch condition compares with. */
function isConstant(n: SyntaxNode): boolean {
  const t = unparen(n).type;
  return t === 'string' || t === 'integer' || t === 'float' || t === 'true' || t === 'false' || t === 'none' || t === 'concatenated_string';
}

/** A value bound on a branch chosen by assumed values, labelled with that branch (objects and unknowns as they are). */
export function labelled(v: PyVal | undefined, label: string): PyVal | undefined {
  return v === undefined || v.k === 'ns' || v.k === 'unknown' || v.assumed ? v : { ...v, assumed: label };
}

/** "the default arguments" when the assumption is an argparse default, else the assumed values. */
function withWhat(assumed: string): string {
  return /\bdefault of -/.test(assumed) ? 'the default arguments' : `the assumed values (${assumed})`;
}

/** Names whose value after a pass differs from the value the journal recorded before it. */
function changedNames(journal: Map<string, PyVal | undefined>, now: Map<string, PyVal>): string[] {
  const out: string[] = [];
  for (const [k, old] of journal) {
    const v = now.get(k);
    if (v === undefined ? old !== undefined : old === undefined || !sameValue(old, v)) out.push(k);
  }
  return out;
}
