/**
 * The evaluator's expressions layer: literals, names, members, operators, objects and
 * arrays, functions and classes as values. Calls are the next layer (calls.ts).
 */
import { globalValue, MAX_LENGTH, methodOf, namespaceMember } from './builtins';
import { Bail } from './core';
import type { Env } from './env';
import type { Expr, Span } from './ir';
import { Names } from './names';
import { binaryOp, toNum, toStr, unaryOp } from './ops';
import { asUnknown, int, obj, sameVal, str, truthy, unknown, UNDEF, type Unknown, type Val } from './values';

export abstract class Expressions extends Names {
  /** Evaluates an expression. In run mode the result is never unknown (Bail instead). */
  override ev(e: Expr, env: Env): Val {
    this.tick();
    const v = this.evInner(e, env);
    if (this.mode === null && v.k === 'unknown') throw new Bail(v);
    return v;
  }

  private evInner(e: Expr, env: Env): Val {
    switch (e.t) {
      case 'num': return { k: 'num', v: e.value, int: e.isInt };
      case 'str': return str(e.value);
      case 'bool': return { k: 'bool', v: e.value };
      case 'null': return { k: 'null' };
      case 'tmpl': {
        let out = e.quasis[0]!;
        for (let i = 0; i < e.exprs.length; i++) {
          const v = this.ev(e.exprs[i]!, env);
          const u = asUnknown(v);
          if (u) return this.unk(u);
          const s = toStr(v);
          if (s === null) return this.unkReason(`\`${this.clip(e.exprs[i]!)}\` in a template is not evaluated`, e.exprs[i]!);
          out += s + e.quasis[i + 1]!;
          if (out.length > 1_000_000) return this.unkReason('the string is too long to evaluate', e);
        }
        return str(out);
      }
      case 'ident': {
        const v = env.lookup(e.name);
        if (v !== undefined) return v;
        return globalValue(e.name) ?? { k: 'ext', name: e.name, path: e.name, from: null, s: e.s, e: e.e };
      }
      case 'this': return env.lookup('this') ?? this.unkReason('`this` is not known here', e);
      case 'member': case 'index': {
        const o = this.ev(e.obj, env);
        if (e.optional && (o.k === 'null' || o.k === 'undef')) return UNDEF;
        if (e.t === 'member') return this.member(o, e.prop, e, () => this.clip(e));
        const k = this.ev(e.index, env);
        const ku = asUnknown(k);
        if (ku) return this.unk(o.k === 'unknown' && o.runtime ? this.runtimeText(e) : ku);
        if (o.k === 'arr' && k.k === 'num') {
          return Number.isInteger(k.v) && k.v >= 0 ? o.items[k.v] ?? UNDEF : UNDEF;
        }
        if (o.k === 'str' && k.k === 'num') {
          const c = o.v[k.v];
          return c === undefined ? UNDEF : str(c);
        }
        const key = this.keyOf(k);
        if (key === null) return this.unkReason(`the key \`${this.clip(e.index)}\` is not evaluated`, e.index);
        return this.member(o, key, e, () => this.clip(e));
      }
      case 'call': return this.evCall(e, env);
      case 'unary': {
        const a = this.ev(e.arg, env);
        if (e.op === 'typeof' && a.k === 'ext' && a.from === null && !a.path.includes('.')) {
          return this.unkReason(`\`typeof ${a.path}\` is known only at run time`, e, true);
        }
        const u = asUnknown(a);
        if (u && e.op !== 'void') return this.unk(u);
        return this.opResult(unaryOp(e.op, a), e);
      }
      case 'update': {
        const old = this.ev(e.target, env);
        const n = asUnknown(old) ?? toNum(old);
        if (!n || 'k' in n) return this.unk(n ?? unknown(`\`${this.clip(e.target)}\` is not a number`, e.target));
        const next: Val = { k: 'num', v: n.v + (e.op === '++' ? 1 : -1), int: n.int };
        if (e.target.t === 'ident' || e.target.t === 'member' || e.target.t === 'index') this.bindPattern(e.target, next, env, 'assign', e);
        return e.prefix ? next : { k: 'num', v: n.v, int: n.int };
      }
      case 'binary': return this.evBinary(e, env);
      case 'assign': return this.evAssign(e, env);
      case 'cond': {
        const t = truthy(this.ev(e.test, env));
        if (t === true) return this.ev(e.then, env);
        if (t === false) return this.ev(e.else, env);
        const a = this.ev(e.then, env);
        const b = this.ev(e.else, env);
        if (sameVal(a, b)) return a;
        return this.unkReason(`\`${this.clip(e)}\` depends on \`${this.clip(e.test)}\`, known only at run time`, e.test);
      }
      case 'arr': {
        const items: Val[] = [];
        for (const it of e.items) {
          if (it === null) { items.push(UNDEF); continue; }
          if (it.t === 'spread') {
            const v = this.ev(it.arg, env);
            if (v.k === 'arr') items.push(...v.items);
            else if (v.k === 'str') items.push(...[...v.v].map(str));
            else return this.unk(asUnknown(v) ?? unknown(`the spread \`${this.clip(it)}\` is not evaluated`, it));
            if (items.length > MAX_LENGTH) return this.unkReason('the array is too long to evaluate', e);
          } else items.push(this.ev(it, env));
        }
        this.charge(items.length);
        return { k: 'arr', items };
      }
      case 'obj': {
        let props = new Map<string, Val>();
        let partial: Unknown | null = null;
        for (const p of e.props) {
          if (p.t === 'spread') {
            const v = this.ev(p.arg, env);
            if (v.k === 'obj') {
              for (const [k, x] of v.props) props.set(k, x);
              partial = partial ?? v.partial;
            } else if (v.k === 'null' || v.k === 'undef') continue;
            else {
              // Keys written after the spread are known; all others may come from it.
              const why = asUnknown(v) ?? unknown(`\`${this.clip(p.arg)}\` is not evaluated`, p.arg);
              partial = unknown(`\`${this.clip(p)}\` may set it: ${why.reason}`, p, why.runtime);
              props = new Map();
            }
            continue;
          }
          const key = typeof p.key === 'string' ? p.key : this.keyOf(this.ev(p.key, env));
          if (key === null) return this.unkReason(`the computed key in \`${this.clip(p)}\` is unknown`, p);
          if (p.value.t === 'fn' && !this.varNames.has(p.value)) this.name(p.value, key);
          props.set(key, this.ev(p.value, env));
        }
        if (this.mode === null && partial) throw new Bail(partial);
        return obj(props, partial);
      }
      case 'fn': return this.makeFn(e, env, this.varNames.get(e) ?? e.name ?? '<anonymous>');
      case 'class': {
        this.defer(e.cls, (a) => this.analyseClass(a, e.cls, env));
        return { k: 'class', name: e.cls.name ?? '<class>', cls: e.cls };
      }
      case 'seq': {
        let v: Val = UNDEF;
        for (const x of e.exprs) v = this.ev(x, env);
        return v;
      }
      case 'await': return this.ev(e.arg, env);
      case 'unsupported': return this.unkReason(e.why, e);
    }
  }

  /** `o.prop`. `text` gives the expression's text for messages. */
  override member(o: Val, prop: string, sp: Span, text: () => string): Val {
    switch (o.k) {
      case 'unknown': return this.unk(o.runtime ? this.runtimeText(sp) : o);
      case 'ext': return { k: 'ext', name: prop, path: `${o.path}.${prop}`, from: o.from, s: sp.s, e: sp.e };
      case 'obj': {
        const v = o.props.get(prop);
        if (v !== undefined) return v;
        return o.partial ? this.unk(o.partial) : UNDEF;
      }
      case 'arr':
        if (prop === 'length') return int(o.items.length);
        return methodOf(o, prop) ?? this.unkReason(`\`${text()}\` is not evaluated`, sp);
      case 'str':
        if (prop === 'length') return int(o.v.length);
        return methodOf(o, prop) ?? this.unkReason(`\`${text()}\` is not evaluated`, sp);
      case 'num': return methodOf(o, prop) ?? this.unkReason(`\`${text()}\` is not evaluated`, sp);
      case 'builtin':
        if (!o.self) {
          const m = namespaceMember(o.name, prop);
          if (m) return m;
        }
        return this.unkReason(`\`${text()}\` is not evaluated`, sp);
      case 'null': case 'undef':
        return this.jsError('TypeError', `Cannot read properties of ${o.k === 'null' ? 'null' : 'undefined'} (reading '${prop}')`, sp);
      case 'opaque': return { k: 'opaque', desc: text() };
      default: return this.unkReason(`\`${text()}\` is not evaluated`, sp);
    }
  }

  private evBinary(e: Extract<Expr, { t: 'binary' }>, env: Env): Val {
    if (e.op === '&&' || e.op === '||' || e.op === '??') {
      const a = this.ev(e.left, env);
      const decided = e.op === '??' ? (asUnknown(a) ? null : a.k !== 'null' && a.k !== 'undef') : truthy(a);
      if (decided === null) {
        const u = asUnknown(a);
        return this.unk(u ?? unknown(`\`${this.clip(e.left)}\` is unknown`, e.left));
      }
      // `a && b`: a when falsy; `a || b`, `a ?? b`: a when truthy / not nullish.
      if (e.op === '&&' ? !decided : decided) return a;
      return this.ev(e.right, env);
    }
    const a = this.ev(e.left, env);
    const b = this.ev(e.right, env);
    const u = asUnknown(a) ?? asUnknown(b);
    if (u) return this.unk(u);
    if (e.op === 'instanceof' || e.op === 'in') return this.unkReason(`\`${e.op}\` is not evaluated`, e);
    return this.opResult(binaryOp(e.op, a, b), e);
  }

  private evAssign(e: Extract<Expr, { t: 'assign' }>, env: Env): Val {
    const target = e.target;
    if (e.op === '=') {
      if (target.t === 'ident') this.nameValue(e.value, target.name);
      else if (target.t === 'member' || target.t === 'index') this.nameValue(e.value, this.text(target).replace(/\s+/g, ''));
      const v = this.ev(e.value, env);
      this.bindPattern(target, v, env, 'assign', e.value);
      return v;
    }
    if (target.t !== 'ident' && target.t !== 'member' && target.t !== 'index') {
      return this.unkReason(`\`${this.clip(e)}\` is not evaluated`, e);
    }
    const old = this.ev(target, env);
    let v: Val;
    if (e.op === '&&=' || e.op === '||=' || e.op === '??=') {
      const t = e.op === '??=' ? (asUnknown(old) ? null : old.k !== 'null' && old.k !== 'undef') : truthy(old);
      if (t === null) v = this.unk(asUnknown(old) ?? unknown(`\`${this.clip(target)}\` is unknown`, target));
      else v = (e.op === '&&=' ? !t : t) ? old : this.ev(e.value, env);
    } else {
      const b = this.ev(e.value, env);
      const u = asUnknown(old) ?? asUnknown(b);
      v = u ? this.unk(u) : this.opResult(binaryOp(e.op.slice(0, -1), old, b), e);
    }
    this.bindPattern(target, v, env, 'assign', e.value);
    return v;
  }
}
