/**
 * Statements of a function body run on known values (run mode), and the
 * assignments the static walk shares: one handler per statement kind, written
 * once for both stages (see stage.ts).
 */
import { PyError } from '../../engine/types';
import type { Interpreter } from './interp';
import { ATTRIBUTE_DICTS, carry, hashableEq, isVague, reasonFor, vague, vagueReason } from './access';
import { iterate } from './builtins';
import { funcCode } from './calls';
import { argsCode } from './expressions';
import { bindImport } from './imports';
import { withAliasesCode } from './configs';
import { pyStr } from './models';
import { binaryOp } from './ops';
import { Indeterminate, NORMAL, type Code, type Stage, type StmtCode } from './stage';
import { kids, rangeOf, shortText, SyntaxNode, unparen } from './syntax';
import { storedIn } from './mlCollections';
import { attrSlot, dictSlot, listSlot } from './slots';
import { NONE, PyVal, Scope, numOf, truthy, unknown } from './values';

type Assigner = (v: PyVal, s: Scope) => void;

/** A block's statements in order, stopping at the first that is not `normal` flow. */
export function blockCode(block: SyntaxNode, g: Stage): StmtCode {
  const stmts = kids(block).map((st) => g.stmt(st));
  return (s) => {
    for (const st of stmts) {
      const f = st(s);
      if (f.kind !== 'normal') return f;
    }
    return NORMAL;
  };
}

/** The code of statement `st`, without its own budget tick (the stage adds it). */
export function statement(I: Interpreter, st: SyntaxNode, g: Stage): StmtCode {
  switch (st.type) {
    case 'expression_statement': {
      const parts = kids(st).map((c) => statementExprCode(I, c, g));
      return (s) => {
        for (const p of parts) p(s);
        return NORMAL;
      };
    }
    case 'return_statement': {
      const v = kids(st)[0];
      const value = v ? g.expr(v) : null;
      return (s) => ({ kind: 'return', value: value ? value(s) : NONE });
    }
    case 'if_statement': return ifCode(st, g);
    case 'for_statement': return forCode(I, st, g);
    case 'while_statement': return whileCode(I, st, g);
    case 'pass_statement': case 'global_statement': case 'nonlocal_statement': return () => NORMAL;
    case 'break_statement': return () => ({ kind: 'break' });
    case 'continue_statement': return () => ({ kind: 'continue' });
    case 'function_definition': {
      const name = st.childForFieldName('name')!.text;
      const make = funcCode(I, st, name, g);
      return (s) => {
        s.vars.set(name, make(s));
        return NORMAL;
      };
    }
    case 'decorated_definition': {
      const def = st.childForFieldName('definition');
      return def ? g.stmt(def) : () => NORMAL;
    }
    case 'import_statement': case 'import_from_statement':
      return (s) => {
        bindImport(st, s);
        return NORMAL;
      };
    case 'assert_statement': {
      const [condNode, msgNode] = kids(st);
      const cond = g.expr(condNode!);
      const msg = msgNode ? g.expr(msgNode) : null;
      return (s) => {
        const c = cond(s);
        const t = truthy(c);
        if (t === null) throw new Indeterminate(vagueReason(c, condNode!));
        if (!t) throw new PyError('AssertionError', msg ? pyStr(msg(s)) : '');
        return NORMAL;
      };
    }
    case 'raise_statement': return raiseCode(st, g);
    case 'try_statement': return tryCode(st, g);
    case 'with_statement': {
      const body = st.childForFieldName('body');
      const bind = withAliasesCode(I, st, g);
      const run = body ? g.block(body) : () => NORMAL;
      return (s) => {
        bind(s);
        return run(s);
      };
    }
    default: return () => { throw new Indeterminate(`a \`${st.type.replace(/_/g, ' ')}\` in a function is not evaluated`); };
  }
}

/** Assignment, augmented assignment or a bare expression, in either mode. */
export function statementExprCode(I: Interpreter, c: SyntaxNode, g: Stage): (s: Scope) => void {
  if (c.type === 'assignment') return assignmentCode(I, c, g);
  if (c.type !== 'augmented_assignment') return g.expr(c);
  const target = c.childForFieldName('left')!;
  const op = c.childForFieldName('operator')!.type.replace(/=$/, '');
  const current = g.expr(target);
  const rhs = g.expr(c.childForFieldName('right')!);
  const store = assignCode(I, target, g);
  return (s) => {
    const cur = current(s);
    const r = rhs(s);
    let v: PyVal;
    if (isVague(cur)) v = vague(cur, c);
    else if (isVague(r)) v = vague(r, c);
    else {
      try {
        v = binaryOp(op, cur, r);
        if (g.labels) v = carry(v, cur, r);
      } catch (e) {
        if (!(e instanceof PyError) || I.running) throw e;
        v = unknown(reasonFor(e, c), rangeOf(c));
      }
    }
    store(v, s);
  };
}

/** `a = b = value`, annotated assignments; returns the assigned value. */
function assignmentCode(I: Interpreter, c: SyntaxNode, g: Stage): (s: Scope) => PyVal | null {
  const right = c.childForFieldName('right');
  if (!right) return () => null;
  const value: (s: Scope) => PyVal | null = right.type === 'assignment' ? assignmentCode(I, right, g) : g.expr(right);
  const store = assignCode(I, c.childForFieldName('left')!, g);
  return (s) => {
    const v = value(s);
    if (v === null) return null;
    store(v, s);
    return v;
  };
}

/** Binds a value to an assignment target (name, attribute, subscript, tuple pattern). */
export function assignCode(I: Interpreter, target: SyntaxNode, g: Stage): Assigner {
  const t = unparen(target);
  switch (t.type) {
    case 'identifier': {
      const name = t.text;
      return (v, s) => { s.vars.set(name, v); };
    }
    case 'attribute': {
      const obj = g.expr(t.childForFieldName('object')!);
      const attr = t.childForFieldName('attribute')!.text;
      const label = shortText(t, 60);
      return (v, s) => {
        const o = obj(s);
        // `scheduler.last_epoch = start_epoch - 1`: torch's counter, set by hand (recorded with the scheduler's uses).
        if (o.k === 'scheduler' && attr === 'last_epoch' && t.parent?.type === 'assignment') I.hooks.use(o, 'last_epoch', t.parent, [v]);
        if (o.k !== 'ns' && o.k !== 'class') return;
        // A dict set on an ml_collections ConfigDict becomes a ConfigDict (its convert_dict default), on an EasyDict an EasyDict.
        const stored = storedIn(o, v);
        I.slots.write(attrSlot(o.attrs, attr, label), stored, I.undo);
      };
    }
    case 'subscript': {
      const obj = g.expr(t.childForFieldName('value')!);
      const index = g.expr(t.childForFieldName('subscript')!);
      const label = shortText(t, 60);
      return (v, s) => {
        const o = obj(s);
        const idx = index(s);
        if (isVague(idx)) return;
        if (o.k === 'dict') {
          I.slots.write(dictSlot(o.entries, idx, keyId(idx), (k) => hashableEq(k, idx), label), v, I.undo);
        } else if (o.k === 'ns' && ATTRIBUTE_DICTS.has(o.typeName) && idx.k === 'str') {
          // `vars(args)["lr"] = …`, `cfg["lr"] = …` on a DictConfig or Lightning's hparams: the same key as the attribute.
          I.slots.write(attrSlot(o.attrs, idx.v, label), storedIn(o, v), I.undo);
        } else if (o.k === 'list' && !o.tuple && idx.k === 'int') {
          const i = idx.v < 0 ? o.items.length + idx.v : idx.v;
          if (i >= 0 && i < o.items.length) I.slots.write(listSlot(o.items, i, label), v, I.undo);
          else if (I.running) throw new PyError('IndexError', 'list assignment index out of range');
        }
      };
    }
    case 'pattern_list': case 'tuple_pattern': case 'list_pattern': case 'tuple': case 'list': case 'expression_list': {
      const targets = kids(t);
      if (targets.some((x) => x.type === 'list_splat_pattern' || x.type === 'list_splat')) {
        const subs = targets.map((x) => assignCode(I, x.type.startsWith('list_splat') ? kids(x)[0]! : x, g));
        return (_v, s) => {
          if (I.running) throw new Indeterminate('starred unpacking is not evaluated');
          for (const sub of subs) sub(unknown('starred unpacking is not evaluated'), s);
        };
      }
      const subs = targets.map((x) => assignCode(I, x, g));
      return (v, s) => {
        let items: PyVal[] | null = null;
        if (v.k === 'list' || v.k === 'dict' || v.k === 'str') items = iterate(v);
        if (items && items.length !== subs.length) {
          const msg = items.length > subs.length
            ? `too many values to unpack (expected ${subs.length})`
            : `not enough values to unpack (expected ${subs.length}, got ${items.length})`;
          if (I.running) throw new PyError('ValueError', msg);
          items = null;
        }
        subs.forEach((sub, i) => sub(items ? items[i]! : carry(unknown(vagueReason(v, t)), v), s));
      };
    }
    default:
      return () => {
        if (I.running) throw new Indeterminate(`assignment to \`${shortText(t)}\` is not evaluated`);
      };
  }
}

function ifCode(st: SyntaxNode, g: Stage): StmtCode {
  const clauses: [SyntaxNode | null, Code | null, StmtCode | null][] = [];
  const add = (cond: SyntaxNode | null, body: SyntaxNode | null) => clauses.push([cond, cond ? g.expr(cond) : null, body ? g.block(body) : null]);
  add(st.childForFieldName('condition'), st.childForFieldName('consequence'));
  for (const c of kids(st)) {
    if (c.type === 'elif_clause') add(c.childForFieldName('condition'), c.childForFieldName('consequence'));
    else if (c.type === 'else_clause') add(null, c.childForFieldName('body'));
  }
  return (s) => {
    for (const [condNode, cond, body] of clauses) {
      if (condNode && cond) {
        const v = cond(s);
        const t = truthy(v);
        if (t === null) throw new Indeterminate(vagueReason(v, condNode));
        if (!t) continue;
      }
      return body ? body(s) : NORMAL;
    }
    return NORMAL;
  };
}

/** The `else` block of a loop, if any. */
function loopElse(st: SyntaxNode, g: Stage): StmtCode {
  const alt = kids(st).find((c) => c.type === 'else_clause');
  return alt ? g.block(alt.childForFieldName('body')!) : () => NORMAL;
}

function forCode(I: Interpreter, st: SyntaxNode, g: Stage): StmtCode {
  const rightNode = st.childForFieldName('right')!;
  const iter = g.expr(rightNode);
  const target = assignCode(I, st.childForFieldName('left')!, g);
  const body = g.block(st.childForFieldName('body')!);
  const alt = loopElse(st, g);
  return (s) => {
    const it = iter(s);
    if (isVague(it)) throw new Indeterminate(vagueReason(it, rightNode));
    for (const x of iterate(it)) {
      target(x, s);
      const f = body(s);
      if (f.kind === 'break') return NORMAL;
      if (f.kind === 'return') return f;
    }
    return alt(s);
  };
}

function whileCode(I: Interpreter, st: SyntaxNode, g: Stage): StmtCode {
  const condNode = st.childForFieldName('condition')!;
  const cond = g.expr(condNode);
  const body = g.block(st.childForFieldName('body')!);
  const alt = loopElse(st, g);
  return (s) => {
    for (;;) {
      I.tick();
      const c = cond(s);
      const t = truthy(c);
      if (t === null) throw new Indeterminate(vagueReason(c, condNode));
      if (!t) break;
      const f = body(s);
      if (f.kind === 'break') return NORMAL;
      if (f.kind === 'return') return f;
    }
    return alt(s);
  };
}

function tryCode(st: SyntaxNode, g: Stage): StmtCode {
  const body = g.block(st.childForFieldName('body')!);
  const handlers = kids(st).filter((c) => c.type === 'except_clause');
  const handlerBlock = handlers.length === 1 ? kids(handlers[0]!).find((c) => c.type === 'block') : undefined;
  const handler = handlerBlock ? g.block(handlerBlock) : null;
  const finNode = kids(st).find((c) => c.type === 'finally_clause');
  const finBlock = finNode && kids(finNode).find((c) => c.type === 'block');
  const fin = finBlock ? g.block(finBlock) : null;
  return (s) => {
    try {
      return body(s);
    } catch (e) {
      if (!(e instanceof PyError) || e.type === 'BudgetExceeded' || handlers.length === 0) throw e;
      // Any handler: we do not match exception classes, so only a lone bare/generic handler is faithful.
      if (handlers.length > 1) throw new Indeterminate('which `except` clause handles the error is not evaluated');
      return handler ? handler(s) : NORMAL;
    } finally {
      if (fin) fin(s);
    }
  };
}

/** `raise X(…)`: the exception's class name and its first argument (classes are not matched, only named). */
function raiseCode(st: SyntaxNode, g: Stage): StmtCode {
  const ex = kids(st)[0];
  if (!ex) return () => { throw new PyError('RuntimeError', 'No active exception to reraise'); };
  const named = ex.type === 'call' ? ex.childForFieldName('function')! : ex;
  const type = named.text.slice(named.text.lastIndexOf('.') + 1);
  const args = ex.type === 'call' ? argsCode(ex.childForFieldName('arguments'), g) : null;
  return (s) => {
    const first = args?.(s).pos[0]?.val;
    throw new PyError(type, first ? pyStr(first) : '');
  };
}

/** A dict key in a canonical form: keys equal in Python (1, 1.0, True) share it; keys we do not compare get their own. */
let uncomparable = 0;
export function keyId(k: PyVal): string {
  const x = numOf(k);
  if (x !== null) return `n:${x}`;
  if (k.k === 'str') return `s:${k.v}`;
  if (k.k === 'none') return 'none';
  return `?${uncomparable++}`;
}
