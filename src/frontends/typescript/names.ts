/**
 * The evaluator's names layer: binding declaration and assignment targets (identifiers,
 * members, destructuring patterns) and the pure helpers that copy objects along a path.
 */
import { MAX_LENGTH } from './builtins';
import { Bail, Core } from './core';
import type { Env } from './env';
import type { Expr, Pattern, Span } from './ir';
import { asUnknown, obj, unknown, UNDEF, type Val } from './values';

export abstract class Names extends Core {
  /**
   * Binds a declaration / assignment target. `kind` 'assign' assigns existing bindings;
   * otherwise declares (`var` in the function frame). `src` is the value's source (messages).
   */
  override bindPattern(p: Pattern, v: Val, env: Env, kind: 'const' | 'let' | 'var' | 'assign', src: Span): void {
    switch (p.t) {
      case 'ident':
        if (kind === 'assign') {
          if (!env.assign(p.name, v)) moduleFrame(env).vars.set(p.name, v);
        } else (kind === 'var' ? env.functionFrame() : env).vars.set(p.name, v);
        return;
      case 'member': case 'index':
        this.assignMember(p, v, env);
        return;
      case 'objpat': {
        const used = new Set<string>();
        for (const prop of p.props) {
          const key = typeof prop.key === 'string' ? prop.key : this.keyOf(this.ev(prop.key, env));
          if (key === null) {
            this.bindPattern(prop.target, unknown('a computed key is unknown', prop.target), env, kind, src);
            continue;
          }
          used.add(key);
          let sub = this.destructure(v, key, src);
          if (sub.k === 'undef' && prop.def) sub = this.ev(prop.def, env);
          this.bindPattern(prop.target, sub, env, kind, src);
        }
        if (p.rest) {
          const rest = v.k === 'obj' && !v.partial
            ? obj(new Map([...v.props].filter(([k]) => !used.has(k))))
            : asUnknown(v) ?? unknown(`the rest of \`${this.clip(src)}\` is not evaluated`, src);
          this.bindPattern(p.rest, rest, env, kind, src);
        }
        return;
      }
      case 'arrpat': {
        p.items.forEach((item, i) => {
          if (!item) return;
          let sub: Val = v.k === 'arr' ? v.items[i] ?? UNDEF
            : asUnknown(v) ?? unknown(`\`${this.clip(src)}\` is not a known array`, src);
          if (sub.k === 'undef' && item.def) sub = this.ev(item.def, env);
          this.bindPattern(item.target, sub, env, kind, src);
        });
        if (p.rest) {
          const rest = v.k === 'arr' ? { k: 'arr' as const, items: v.items.slice(p.items.length) }
            : asUnknown(v) ?? unknown(`\`${this.clip(src)}\` is not a known array`, src);
          this.bindPattern(p.rest, rest, env, kind, src);
        }
        return;
      }
      case 'unsupported':
        if (this.mode === null) throw new Bail(unknown(p.why, p));
        return;
    }
  }

  /** `const { key } = v`: the property, with messages phrased as `src.key`. */
  private destructure(v: Val, key: string, src: Span): Val {
    if (v.k === 'ext') return { ...v, name: key, path: `${v.path}.${key}` };
    if (v.k === 'unknown' && v.runtime) return unknown(`\`${this.clip(src, 40)}.${key}\` is set at run time`, src, true);
    return this.member(v, key, src, () => `${this.clip(src, 40)}.${key}`);
  }

  /** `a.b.c = v` / `this.x = v` / `a[i] = v` on an object or array held by a variable. */
  private assignMember(p: Extract<Pattern, { t: 'member' | 'index' }>, v: Val, env: Env): void {
    const keys: (string | number)[] = [];
    let root: Expr = p;
    while (root.t === 'member' || root.t === 'index') {
      if (root.t === 'member') keys.unshift(root.prop);
      else {
        const k = this.ev(root.index, env);
        if (k.k === 'num' && Number.isInteger(k.v) && k.v >= 0) keys.unshift(k.v);
        else {
          const ks = this.keyOf(k);
          if (ks === null) return;
          keys.unshift(ks);
        }
      }
      root = root.obj;
    }
    const name = root.t === 'ident' ? root.name : root.t === 'this' ? 'this' : null;
    if (name === null) return;
    const cur = env.lookup(name);
    if (!cur) return;
    const next = setPath(cur, keys, v, 0);
    if (next) env.assign(name, next);
    else if (this.mode === null && cur.k !== 'opaque') throw new Bail(unknown(`assigning \`${this.clip(p)}\` is not evaluated`, p));
  }
}

/** Names bound by a pattern, with their spans. */
export function patternNames(p: Pattern): [string, Span][] {
  switch (p.t) {
    case 'ident': return [[p.name, p]];
    case 'objpat': return [...p.props.flatMap((x) => patternNames(x.target)), ...(p.rest ? patternNames(p.rest) : [])];
    case 'arrpat': return [...p.items.flatMap((x) => (x ? patternNames(x.target) : [])), ...(p.rest ? patternNames(p.rest) : [])];
    default: return [];
  }
}

function moduleFrame(env: Env): Env {
  let e = env;
  while (e.parent) e = e.parent;
  return e;
}

export function setProp(o: Extract<Val, { k: 'obj' }>, key: string, v: Val): Val {
  const props = new Map(o.props);
  props.set(key, v);
  return obj(props, o.partial);
}

/** A copy of `cur` with `v` at `keys`; null when the path does not go through known objects/arrays. */
function setPath(cur: Val, keys: (string | number)[], v: Val, i: number): Val | null {
  if (i === keys.length) return v;
  const key = keys[i]!;
  if (cur.k === 'obj') {
    const k = String(key);
    const child = cur.props.get(k) ?? (i + 1 === keys.length ? UNDEF : null);
    if (child === null) return null;
    const next = setPath(child, keys, v, i + 1);
    return next ? setProp(cur, k, next) : null;
  }
  if (cur.k === 'arr' && typeof key === 'number' && key <= cur.items.length && key < MAX_LENGTH) {
    const next = setPath(cur.items[key] ?? UNDEF, keys, v, i + 1);
    if (!next) return null;
    const items = cur.items.slice();
    items[key] = next;
    return { k: 'arr', items };
  }
  return null;
}
