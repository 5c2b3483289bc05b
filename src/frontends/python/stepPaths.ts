/**
 * A step site's paths (loops.ts): the loops and conditions around a `.step()` call up to its function, then through
 * the calls of that function in the file (`train_one_epoch(…)` called from the epoch loop) or a Lightning hook's
 * Trainer loops; each loop as a frame (its count from loopFacts.ts, its index, its data source), and a gradient
 * accumulation test read as `i % k == r`.
 */
import type { Accumulation, LoopFrame } from '../../analysis/run';
import type { Range } from '../../analysis/types';
import type { Budget } from './budget';
import type { LoopFacts, StepCap } from './loopFacts';
import { enclosing, kids, lineOf, rangeOf, readNumber, readString, shortText, unparen, type SyntaxNode } from './syntax';
import { conditionText, type SiteCondition } from './loopConditions';
import { escapeRe, within, type FileIndex } from './fileIndex';

/** Call depth followed from a step site up to the loops that reach it. */
const MAX_CALL_DEPTH = 8;
/** Call sites followed per function, and paths kept per step site. */
export const MAX_SITES = 8;

/** Lightning hooks the Trainer calls per batch / per epoch (a `.step()` written there is stepped that often). */
const BATCH_HOOKS = new Set(['training_step', 'on_train_batch_end', 'on_train_batch_start', 'optimizer_step', 'on_before_optimizer_step']);
const EPOCH_HOOKS = new Set(['on_train_epoch_end', 'training_epoch_end', 'on_epoch_end', 'on_train_epoch_start', 'validation_epoch_end', 'on_validation_epoch_end']);

export interface Path {
  frames: LoopFrame[]; via: string[]; accumulation: string | null; accumulationRead?: Accumulation; conditions: string[]; unseen: string | null;
  /** The conditions as nodes, with whether each holds where the call is (false on an `else` branch). */
  conds: SiteCondition[];
  /** The outermost function reached is not called in this file (why, in words): its loops are taken as the run. */
  uncalled?: string;
  /**
   * The construction is inside a loop around the call too (`for epoch …: scheduler = OneCycleLR(…)` then `for batch …:
   * scheduler.step()`): that loop's header. Each pass builds a new scheduler, so it and the loops outside it are not frames.
   */
  rebuilt?: { header: string; range: Range };
}

/** The loops and conditions around `node` up to its function, then through that function's callers. */
export function pathsOf(node: SyntaxNode, home: SyntaxNode | null, facts: LoopFacts, index: FileIndex, budget: Budget, depth: number, seen: Set<number>, forced?: ReadonlyMap<number, SyntaxNode[]>, ctor: SyntaxNode | null = home): Path[] {
  const frames: LoopFrame[] = [];
  /** The innermost loop around both the call and the construction (see Path.rebuilt). */
  let rebuilt: { header: string; range: Range } | undefined;
  const conditions: string[] = [];
  const conds: SiteCondition[] = [];
  let accumulation: string | null = null;
  let read: Accumulation | undefined;
  let child = node;
  /** A path ending here: the loops and conditions found so far (read when it is made), with where it ends. */
  const ending = (via: string[], unseen: string | null, more: Partial<Path> = {}): Path => ({
    frames, via, accumulation, ...(read ? { accumulationRead: read } : {}), conditions, conds, unseen, ...(rebuilt ? { rebuilt } : {}), ...more,
  });
  for (let p = node.parent; p; child = p, p = p.parent) {
    budget.tick();
    if ((p.type === 'for_statement' || p.type === 'while_statement') && p.childForFieldName('body')?.id === child.id) {
      if (ctor && within(ctor, p)) rebuilt ??= { header: `\`${frameOf(p, facts).header}\` (line ${lineOf(p)})`, range: rangeOf(p) };
      else frames.unshift(frameOf(p, facts, { site: node, accelerate: accumulation?.startsWith('with ') === true }));
    } else if (p.type === 'if_statement' || p.type === 'elif_clause') {
      const cond = p.childForFieldName('condition');
      if (cond && (child.type === 'else_clause' || child.type === 'elif_clause')) {
        // On an `else` / `elif` branch: the `if`'s condition and every earlier `elif`'s are false there.
        for (const c of kids(p)) {
          if (c.id === child.id) break;
          const k = c.id === cond.id ? c : c.type === 'elif_clause' ? c.childForFieldName('condition') : null;
          if (!k) continue;
          conditions.unshift(`not (${shortText(k, 80)})`);
          conds.unshift({ node: k, holds: false, inner: frames.length });
        }
      } else if (cond && child.id !== cond.id) {
        const t = shortText(cond, 80);
        // Gradient accumulation: a modulo test on the batch counter, or Accelerate's `sync_gradients`.
        if ((/%/.test(t) || /\bsync_gradients\b/.test(t)) && !accumulation && !everyNthEpoch(p, t)) {
          accumulation = t;
          read = readAccumulation(cond, facts);
        } else {
          conditions.unshift(t);
          conds.unshift({ node: cond, holds: true, inner: frames.length });
        }
      }
    } else if (p.type === 'with_statement' && p.childForFieldName('body')?.id === child.id && !accumulation) {
      // accelerate: `with accelerator.accumulate(model):` steps the optimizer (and its AcceleratedScheduler) on sync only.
      const items = kids(p).filter((k) => k.type === 'with_clause').map((k) => shortText(k, 80));
      const acc = items.find((t) => /\.accumulate\(/.test(t));
      if (acc) {
        accumulation = `with ${acc}`;
        read = facts.hf.accelerateAccumulation();
      }
    } else if (p.type === 'block') {
      // A `continue` in a statement before it (`if epoch < warm: continue`): the passes it skips do not reach the call.
      for (const k of skippedBy(p, child).reverse()) {
        conditions.unshift(conditionText(k, 80));
        conds.unshift({ ...k, inner: frames.length });
      }
    } else if (p.type === 'lambda') {
      return [ending([], 'the `.step()` call is inside a lambda LR Lens does not follow')];
    } else if (p.type === 'function_definition') {
      const name = p.childForFieldName('name')?.text ?? '?';
      // Built and stepped in the same function (`def fit(): scheduler = …; for epoch …`): its loops are the run.
      if (home && within(home, p)) return [ending([name], null)];
      const hook = lightningHook(name, frames);
      if (hook) return [ending([name], null, { frames: hook })];
      // A helper the scheduler was handed to (`train_one_epoch(…, scheduler)`): only the calls that pass it.
      const callers = depth < MAX_CALL_DEPTH && !seen.has(p.id) ? (forced?.get(p.id) ?? index.callersOf(p)).slice(0, MAX_SITES) : [];
      if (!callers.length) {
        if (!seen.has(p.id) && depth < MAX_CALL_DEPTH) {
          return [ending([name], null, { uncalled: `\`${name}()\` is not called in this file (it is called by code LR Lens cannot see)` })];
        }
        const why = seen.has(p.id) ? `\`${name}()\` calls itself` : `the calls reaching \`${name}()\` are nested too deeply to follow`;
        return [ending([name], why)];
      }
      const out: Path[] = [];
      const inner = new Set(seen).add(p.id);
      for (const c of callers) {
        for (const up of pathsOf(c, null, facts, index, budget, depth + 1, inner, forced, ctor)) {
          const again = rebuilt ?? up.rebuilt;
          out.push({
            frames: [...up.frames, ...frames], via: [...up.via, name], accumulation: accumulation ?? up.accumulation,
            ...(accumulation ? (read ? { accumulationRead: read } : {}) : up.accumulationRead ? { accumulationRead: up.accumulationRead } : {}),
            conditions: [...up.conditions, ...conditions], conds: [...up.conds.map((c) => ({ ...c, inner: c.inner + frames.length })), ...conds], unseen: up.unseen, ...(up.uncalled ? { uncalled: up.uncalled } : {}), ...(again ? { rebuilt: again } : {}),
          });
          if (out.length >= MAX_SITES) return out;
        }
      }
      return out;
    } else if (p.type === 'class_definition' || p.type === 'module') {
      break;
    }
  }
  return [ending([], null)];
}

/** A `.step()` in a Lightning hook: the Trainer's own loops (its epoch count comes from `Trainer(…)`). */
function lightningHook(name: string, inner: LoopFrame[]): LoopFrame[] | null {
  const epoch: LoopFrame = { id: 'trainer:epoch', header: 'the Trainer\'s epoch loop', over: 'range', target: 'epoch', count: null, countReason: 'set by the Trainer', words: 'epoch', source: null };
  const batch: LoopFrame = { id: 'trainer:batch', header: 'the Trainer\'s batch loop', over: 'iterable', target: 'batch', count: null, countReason: 'the length of the train dataloader is not known', words: 'batch', source: null };
  if (BATCH_HOOKS.has(name)) return [epoch, batch, ...inner];
  if (EPOCH_HOOKS.has(name)) return [epoch, ...inner];
  return null;
}

/** What a `while` loop's body adds to at its top level (`epoch += 1`, `self.step += 1`), as written; '' when nothing. */
function whileCounters(loop: SyntaxNode): string {
  const body = loop.childForFieldName('body');
  const out: string[] = [];
  for (const st of body ? kids(body) : []) {
    const e = st.type === 'expression_statement' ? kids(st)[0] : null;
    const left = e?.type === 'augmented_assignment' ? e.childForFieldName('left') : null;
    if (left && (left.type === 'identifier' || left.type === 'attribute')) out.push(left.text);
  }
  return out.join(' ');
}

function frameOf(loop: SyntaxNode, facts: LoopFacts, at?: { site: SyntaxNode; accelerate: boolean }): LoopFrame {
  const c = facts.countOf(loop);
  const isFor = loop.type === 'for_statement';
  const left = isFor ? loop.childForFieldName('left') : null;
  const right = isFor ? loop.childForFieldName('right') : loop.childForFieldName('condition');
  const header = isFor ? `for ${left ? shortText(left, 30) : '?'} in ${right ? shortText(right, 50) : '?'}` : `while ${right ? shortText(right, 50) : '?'}`;
  const r = right ? unparen(right) : null;
  const over: LoopFrame['over'] = !isFor ? 'while' : c?.range || (r?.type === 'call' && r.childForFieldName('function')?.text === 'range') ? 'range' : 'iterable';
  const literal = r !== null && (r.type === 'list' || r.type === 'tuple');
  const frame: LoopFrame = {
    id: `${loop.startPosition.row}:${loop.startPosition.column}`, header, over, target: left?.text ?? '',
    count: c?.count ?? null, words: `${left?.text ?? ''} ${right?.text ?? ''}`, source: over === 'iterable' && !literal && r ? dataSource(r) : null,
  };
  if (c?.assumed) frame.countAssumed = c.assumed;
  if (c?.advancedInside) frame.advancedInside = c.advancedInside;
  if (!isFor) {
    const counters = whileCounters(loop);
    if (counters) frame.counters = counters;
  }
  // `range(a, b, s)` with every argument known: the variable's values (an evaluated start, a stride).
  const index = isFor && left && r && c?.seq && over === 'range' && left.type === 'identifier'
    ? { name: left.text, start: c.seq.start, ...(c.seq.step !== 1 ? { step: c.seq.step } : {}) }
    : isFor && left && r ? loopIndex(left, r) : null;
  if (index) frame.index = index;
  const values = literal && left?.type === 'identifier' ? literalValues(r!) : null;
  if (values) frame.values = values;
  if (frame.count === null) frame.countReason = c?.reason ?? `the loop at line ${lineOf(loop)} is not evaluated`;
  // A `break` of this loop: its count is only the most it runs (`if it >= max_iters: break`, early stopping).
  // A loop over the data ended by a counter of this scheduler's steps (`if completed_steps >= max_train_steps: break`).
  const cap = frame.count === null && c?.cap && at && capCounts(loop, c.cap, at.site, at.accelerate) ? c.cap : null;
  if (cap) {
    frame.cap = {
      steps: cap.inclusive ? cap.bound - cap.start : cap.bound - cap.start + 1,
      text: `\`if ${shortText(cap.check.childForFieldName('condition') ?? cap.check, 60)}: break\` (line ${lineOf(cap.check)})`,
      ...(cap.assumed ? { assumed: cap.assumed } : {}),
    };
  }
  // One whose length is not known (a data loader's, then assumed): the assumed length is not its length either.
  const brk = ownBreak(loop.childForFieldName('body'), c?.countedBreak ?? (cap ? cap.breakId : undefined));
  if (brk) {
    const at = `it may end early, at the \`${brk.type === 'return_statement' ? 'return' : 'break'}\` on line ${lineOf(brk)}`;
    if (frame.count !== null) {
      frame.countReason = frame.endsEarly = `${at} (at most ${frame.count} passes)`;
      frame.count = null;
    } else frame.endsEarly = at;
  }
  return frame;
}

/**
 * Whether the cap's counter counts the step() calls of `site`: its `+= 1` in the same block as the call (both on the
 * same passes: transformers' older `if step % k == 0 or …: optimizer.step(); lr_scheduler.step(); completed_steps += 1`),
 * or, for a call under accelerate's `with accelerator.accumulate(…)`, in an `if accelerator.sync_gradients:` at the
 * body's top level (the passes where the prepared scheduler steps). The `with` / `if` statements before the check.
 */
function capCounts(loop: SyntaxNode, cap: StepCap, site: SyntaxNode, accelerate: boolean): boolean {
  const body = loop.childForFieldName('body');
  if (!body) return false;
  let stmt: SyntaxNode | null = site;
  while (stmt && stmt.type !== 'expression_statement') stmt = stmt.parent;
  if (!stmt || !within(stmt, body)) return false;
  const top = (n: SyntaxNode): SyntaxNode | null => {
    let x: SyntaxNode | null = n;
    while (x && x.parent?.id !== body.id) x = x.parent;
    return x;
  };
  const before = (a: SyntaxNode | null, b: SyntaxNode) => a !== null && (a.startPosition.row < b.startPosition.row || (a.startPosition.row === b.startPosition.row && a.startPosition.column < b.startPosition.column));
  if (!before(top(stmt), cap.check)) return false;
  if (stmt.parent?.id === cap.add.parent?.id) return true;
  if (!accelerate) return false;
  const guard = cap.add.parent?.parent;
  const cond = guard?.type === 'if_statement' ? guard.childForFieldName('condition') : null;
  return !!guard && guard.parent?.id === body.id && !!cond && /^\w+(\.\w+)*\.sync_gradients$/.test(cond.text.replace(/\s+/g, '')) &&
    !kids(guard).some((k) => k.type === 'elif_clause' || k.type === 'else_clause');
}

/** A `break` that ends this loop (not one of a loop or function inside it), or a `return` that leaves it (not one of a function inside it). */
function ownBreak(n: SyntaxNode | null, counted?: number): SyntaxNode | null {
  if (!n) return null;
  return ownJumps(n, BREAK, LOOP_SCOPES).find((b) => b.id !== counted) ?? ownJumps(n, RETURN, FUNCTION_SCOPES, true)[0] ?? null;
}

const BREAK: ReadonlySet<string> = new Set(['break_statement']);
const RETURN: ReadonlySet<string> = new Set(['return_statement']);
export const CONTINUE: ReadonlySet<string> = new Set(['continue_statement']);
/** What `break` / `continue` inside does not leave; and what `return` / `raise` inside does not leave. */
export const LOOP_SCOPES: ReadonlySet<string> = new Set(['for_statement', 'while_statement', 'function_definition', 'class_definition', 'lambda']);
export const FUNCTION_SCOPES: ReadonlySet<string> = new Set(['function_definition', 'class_definition', 'lambda']);

/**
 * The statements of `types` in `n` that act on the loop or function around it: not those in a node of `scopes`
 * inside it (a nested loop's `break`, a nested function's `return`). The first only, when `first`.
 */
export function ownJumps(n: SyntaxNode, types: ReadonlySet<string>, scopes: ReadonlySet<string>, first = false, depth = 0, out: SyntaxNode[] = []): SyntaxNode[] {
  if (depth > 40) return out;
  for (const k of kids(n)) {
    if (types.has(k.type)) out.push(k);
    else if (!scopes.has(k.type)) ownJumps(k, types, scopes, first, depth + 1, out);
    if (first && out.length) break;
  }
  return out;
}

/**
 * The `continue`s of the loop around `block` in the statements before `child` there, each as the condition under
 * which a pass gets past it: `if c: …; continue` (the branch's last statement, no other `continue` in that `if`)
 * as `not c`; any other shape (an `elif`'s, one inside a `try`, one in a nested `if`) as a condition that is not
 * counted (`why`), since which passes it skips is not read here.
 */
function skippedBy(block: SyntaxNode, child: SyntaxNode): (Omit<SiteCondition, 'inner'>)[] {
  const out: Omit<SiteCondition, 'inner'>[] = [];
  for (const s of kids(block)) {
    if (s.id === child.id) break;
    const jumps = ownJumps(s, CONTINUE, LOOP_SCOPES);
    const jump = jumps[0];
    if (!jump) continue;
    const cond = s.type === 'if_statement' ? s.childForFieldName('condition') : null;
    const branch = s.type === 'if_statement' ? kids(s.childForFieldName('consequence') ?? s).filter((k) => k.type !== 'comment') : [];
    if (cond && jumps.length === 1 && branch[branch.length - 1]?.id === jump.id) out.push({ node: cond, holds: false });
    else out.push({ node: jump, holds: false, why: `the \`continue\` on line ${lineOf(jump)} skips it on passes LR Lens does not count` });
  }
  return out;
}

/** The items of a tuple or list written out as string or number literals (null when any is something else). */
function literalValues(items: SyntaxNode): (number | string)[] | null {
  const out: (number | string)[] = [];
  for (const k of kids(items)) {
    if (k.type === 'string') {
      const r = readString(k);
      if (r.kind === 'error') return null;
      out.push(r.value);
    } else if (k.type === 'integer' || k.type === 'float') {
      const r = readNumber(k.text, k.type);
      if (r.kind === 'error') return null;
      out.push(r.value);
    } else return null;
  }
  return out;
}

/** `for i in range(n)` / `range(a, b)` with a literal start, `for i, x in enumerate(it[, start])`: the index and its first value. */
function loopIndex(left: SyntaxNode, right: SyntaxNode): { name: string; start: number } | null {
  if (right.type !== 'call') return null;
  const fn = right.childForFieldName('function')?.text;
  const args = kids(right.childForFieldName('arguments')!);
  const literal = (n: SyntaxNode | undefined): number | null => {
    const v = n ? unparen(n) : null;
    if (!v) return null;
    if (v.type === 'integer' && /^\d+$/.test(v.text)) return Number(v.text);
    if (v.type === 'unary_operator' && /^-\s*\d+$/.test(v.text)) return -Number(v.text.replace(/[-\s]/g, ''));
    return null;
  };
  if (fn === 'range' && left.type === 'identifier') {
    if (args.length === 1) return { name: left.text, start: 0 };
    const start = literal(args[0]);
    return args.length === 2 && start !== null ? { name: left.text, start } : null;
  }
  if (fn === 'enumerate' && (left.type === 'pattern_list' || left.type === 'tuple_pattern')) {
    const first = kids(left)[0];
    if (!first || first.type !== 'identifier') return null;
    const startArg = args.find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'start')?.childForFieldName('value') ?? (args[1]?.type !== 'keyword_argument' ? args[1] : undefined);
    const start = startArg ? literal(startArg) : 0;
    return start !== null && args.length >= 1 && args.length <= 2 ? { name: first.text, start } : null;
  }
  return null;
}

/**
 * A gradient-accumulation condition: `(counter + c) % k == r` (either side), optionally `or counter == len(…) - 1`;
 * Accelerate's `sync_gradients` and anything else: the factor is unknown, with why.
 */
function readAccumulation(cond: SyntaxNode, facts: LoopFacts): Accumulation {
  const unknownWhy = (reason: string): Accumulation => ({ counter: '', add: 0, every: null, residue: 0, lastBatch: false, reason });
  let c = unparen(cond);
  if (/\bsync_gradients\b/.test(c.text)) return facts.hf.accelerateAccumulation();
  let lastBatch = false;
  let lastCounter: string | null = null;
  if (c.type === 'boolean_operator' && c.children.some((x) => x && !x.isNamed && x.type === 'or')) {
    const [a, b] = [c.childForFieldName('left'), c.childForFieldName('right')];
    // The last batch's index: `i == len(loader) - 1`, or `(i + 1) == len(loader)` (either side); its counter.
    const lastOf = (n: SyntaxNode | null): string | null => {
      if (!n) return null;
      const t = unparen(n).text.replace(/\s+/g, '');
      const m = /^(\w+)==len\(.+\)-1$/.exec(t) ?? /^len\(.+\)-1==(\w+)$/.exec(t)
        ?? /^\(?(\w+)\+1\)?==len\(.+\)$/.exec(t) ?? /^len\(.+\)==\(?(\w+)\+1\)?$/.exec(t);
      return m ? m[1]! : null;
    };
    if (a && lastOf(b)) [c, lastCounter] = [unparen(a), lastOf(b)];
    else if (b && lastOf(a)) [c, lastCounter] = [unparen(b), lastOf(a)];
    else return unknownWhy(`\`${shortText(cond, 60)}\` is more than \`i % k == r\``);
    lastBatch = true;
  }
  if (c.type !== 'comparison_operator' || kids(c).length !== 2 || c.children.find((x) => x && !x.isNamed)?.type !== '==') {
    return unknownWhy(`\`${shortText(cond, 60)}\` is not \`i % k == r\``);
  }
  const [x, y] = kids(c).map(unparen) as [SyntaxNode, SyntaxNode];
  const isMod = (n: SyntaxNode) => n.type === 'binary_operator' && n.children.some((t) => t && !t.isNamed && t.type === '%');
  const [mod, other] = isMod(x) ? [x, y] : isMod(y) ? [y, x] : [null, null];
  if (!mod || !other || other.type !== 'integer' || !/^\d+$/.test(other.text)) return unknownWhy(`\`${shortText(cond, 60)}\` is not \`i % k == r\``);
  const residue = Number(other.text);
  const lhs = unparen(mod.childForFieldName('left')!);
  let counter: string | null = null;
  let add = 0;
  if (lhs.type === 'identifier') counter = lhs.text;
  else if (lhs.type === 'binary_operator') {
    const op = lhs.children.find((t) => t && !t.isNamed)?.type;
    const [l, r] = [unparen(lhs.childForFieldName('left')!), unparen(lhs.childForFieldName('right')!)];
    if ((op === '+' || op === '-') && l.type === 'identifier' && r.type === 'integer' && /^\d+$/.test(r.text)) {
      counter = l.text;
      add = op === '+' ? Number(r.text) : -Number(r.text);
    }
  }
  if (!counter) return unknownWhy(`\`${shortText(mod, 40)}\` does not test a counter plus a constant`);
  if (lastCounter !== null && lastCounter !== counter) return unknownWhy(`\`${shortText(cond, 60)}\` tests two counters`);
  const right = mod.childForFieldName('right')!;
  const k = facts.modulusOf(right);
  if (!k || k.count === null || k.count <= 0) {
    return { counter, add, every: null, residue, lastBatch, reason: `the accumulation factor \`${shortText(right, 40)}\` is not known${k?.reason ? `: ${k.reason}` : ''}` };
  }
  return { counter, add, every: k.count, residue, lastBatch, ...(k.assumed ? { assumed: `accumulation factor ${k.count}: ${k.assumed}` } : {}) };
}

/** The data iterable under `enumerate(…)`, `tqdm(…)`, `iter(…)`, `zip(…)`: `train_loader`. */
function dataSource(n: SyntaxNode): string | null {
  let cur = unparen(n);
  for (let i = 0; i < 6 && cur.type === 'call'; i++) {
    const first = kids(cur.childForFieldName('arguments')!)[0];
    if (!first || first.type === 'keyword_argument') return null;
    cur = unparen(first);
  }
  return cur.type === 'identifier' || cur.type === 'attribute' || cur.type === 'subscript' ? cur.text.replace(/\s+/g, '') : null;
}

/**
 * `if (epoch + 1) % 10 == 0:` directly in a loop over epochs: a step every 10 epochs, not gradient accumulation
 * (counted as a condition, loopConditions.ts).
 */
function everyNthEpoch(ifSt: SyntaxNode, cond: string): boolean {
  const loop = enclosing(ifSt, ['for_statement', 'while_statement', 'function_definition']);
  const target = loop?.type === 'for_statement' ? loop.childForFieldName('left') : null;
  if (!target || target.type !== 'identifier' || !/epoch/i.test(target.text)) return false;
  const names = (name: string) => new RegExp(`(?<![\\w.])${escapeRe(name)}(?!\\w)`);
  if (names(target.text).test(cond)) return true;
  // Or a name the loop's body computes from it (timm's `epoch_p_1 = epoch + 1`).
  const mentions = names(target.text);
  const derived = (n: SyntaxNode, depth: number): boolean => {
    if (depth > 12 || n.type === 'function_definition' || n.type === 'class_definition') return false;
    if (n.type === 'assignment') {
      const left = n.childForFieldName('left');
      if (left?.type === 'identifier' && mentions.test(n.childForFieldName('right')?.text ?? '') && names(left.text).test(cond)) return true;
    }
    return kids(n).some((k) => derived(k, depth + 1));
  };
  const body = loop!.childForFieldName('body');
  return !!body && derived(body, 0);
}
