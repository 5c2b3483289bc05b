/**
 * Run mode for the engine, compiled: a frozen function body becomes a tree of
 * JS closures with exactly the interpreter's semantics (it calls the same
 * operators and the same Interpreter methods), so a lambda stepped a million
 * times does not pay the tree walk each time. Anything not compiled here falls
 * back to the interpreter for that node.
 */

import type { EvaluatedArgs, Flow, Interpreter } from './interp';
import { getItem, isVague, vague, vagueReason } from './access';
import { Indeterminate, NORMAL } from './interp';
import { binaryOp, compareOp, unaryOp } from './ops';
import { kids, SyntaxNode } from './syntax';
import { NONE, PyVal, Scope, VarMap, bool, truthy } from './values';

export type Code = (s: Scope) => PyVal;
export type StmtCode = (s: Scope) => Flow;

const CONSTANT_SCOPE: Scope = { vars: new VarMap(), parent: null, label: 'constant' };

export class Compiler {
  private readonly exprs = new WeakMap<SyntaxNode, Code>();
  private readonly blocks = new WeakMap<SyntaxNode, StmtCode>();

  constructor(private readonly I: Interpreter) {}

  expr(n: SyntaxNode): Code {
    let c = this.exprs.get(n);
    if (!c) {
      c = this.compileExpr(n);
      this.exprs.set(n, c);
    }
    return c;
  }

  block(n: SyntaxNode): StmtCode {
    let c = this.blocks.get(n);
    if (!c) {
      const stmts = kids(n).map((st) => this.stmt(st));
      c = (s) => {
        for (const st of stmts) {
          const f = st(s);
          if (f.kind !== 'normal') return f;
        }
        return NORMAL;
      };
      this.blocks.set(n, c);
    }
    return c;
  }

  private compileExpr(n: SyntaxNode): Code {
    const I = this.I;
    const fallback: Code = (s) => I.expr(n, s);
    switch (n.type) {
      case 'integer': case 'float': case 'string': case 'concatenated_string': case 'true': case 'false': case 'none': {
        const v = I.expr(n, CONSTANT_SCOPE);
        return () => v;
      }
      case 'identifier': {
        const name = n.text;
        return (s) => {
          for (let sc: Scope | null = s; sc; sc = sc.parent) {
            const v = sc.vars.get(name);
            if (v !== undefined) return v;
          }
          return I.lookup(name, s, n);
        };
      }
      case 'parenthesized_expression': {
        const inner = kids(n)[0];
        return inner ? this.expr(inner) : fallback;
      }
      case 'unary_operator': {
        const op = n.childForFieldName('operator')?.type ?? '-';
        const a = this.expr(n.childForFieldName('argument')!);
        return (s) => {
          const x = a(s);
          return isVague(x) ? vague(x, n) : unaryOp(op, x);
        };
      }
      case 'binary_operator': {
        const op = n.childForFieldName('operator')!.type;
        const l = this.expr(n.childForFieldName('left')!);
        const r = this.expr(n.childForFieldName('right')!);
        return (s) => {
          const a = l(s);
          const b = r(s);
          if (isVague(a)) return vague(a, n);
          if (isVague(b)) return vague(b, n);
          return binaryOp(op, a, b);
        };
      }
      case 'boolean_operator': {
        const isAnd = n.childForFieldName('operator')!.type === 'and';
        const leftNode = n.childForFieldName('left')!;
        const l = this.expr(leftNode);
        const r = this.expr(n.childForFieldName('right')!);
        return (s) => {
          const a = l(s);
          const t = truthy(a);
          if (t === null) throw new Indeterminate(vagueReason(a, leftNode));
          return isAnd === t ? r(s) : a;
        };
      }
      case 'not_operator': {
        const argNode = n.childForFieldName('argument')!;
        const a = this.expr(argNode);
        return (s) => {
          const x = a(s);
          const t = truthy(x);
          return t === null ? vague(x, n) : bool(!t);
        };
      }
      case 'comparison_operator': {
        const operands: Code[] = [];
        const ops: string[] = [];
        for (const c of n.children) {
          if (!c || c.type === 'comment') continue;
          if (c.isNamed) operands.push(this.expr(c));
          else ops.push(c.type);
        }
        return (s) => {
          let left = operands[0]!(s);
          let result: PyVal = bool(true);
          for (let i = 0; i < ops.length && i + 1 < operands.length; i++) {
            const right = operands[i + 1]!(s);
            if (isVague(left)) return vague(left, n);
            if (isVague(right)) return vague(right, n);
            result = compareOp(ops[i]!, left, right);
            if (!truthy(result)) return result;
            left = right;
          }
          return result;
        };
      }
      case 'conditional_expression': {
        const [a, cond, b] = kids(n);
        if (!a || !cond || !b) return fallback;
        const ca = this.expr(a);
        const cc = this.expr(cond);
        const cb = this.expr(b);
        return (s) => {
          const c = cc(s);
          const t = truthy(c);
          if (t === null) throw new Indeterminate(vagueReason(c, cond));
          return t ? ca(s) : cb(s);
        };
      }
      case 'attribute': {
        const obj = this.expr(n.childForFieldName('object')!);
        const attr = n.childForFieldName('attribute')!.text;
        return (s) => I.getAttr(obj(s), attr, n);
      }
      case 'subscript': {
        const idxNode = n.childForFieldName('subscript')!;
        if (idxNode.type === 'slice') return fallback;
        const obj = this.expr(n.childForFieldName('value')!);
        const idx = this.expr(idxNode);
        return (s) => {
          const o = obj(s);
          const i = idx(s);
          if (isVague(o)) return vague(o, n);
          if (isVague(i)) return vague(i, n);
          return getItem(o, i);
        };
      }
      case 'list': case 'tuple': {
        const parts = kids(n);
        if (parts.some((c) => c.type === 'list_splat')) return fallback;
        const items = parts.map((c) => this.expr(c));
        const tuple = n.type === 'tuple';
        return (s) => ({ k: 'list', items: items.map((c) => c(s)), tuple });
      }
      case 'lambda': return (s) => I.makeFunc(n, s, '<lambda>');
      case 'call': return this.call(n) ?? fallback;
      default: return fallback;
    }
  }

  /** Calls with plain positional and keyword arguments; null → interpreted. */
  private call(n: SyntaxNode): Code | null {
    const I = this.I;
    const fnNode = n.childForFieldName('function')!;
    const argsNode = n.childForFieldName('arguments');
    if (argsNode && argsNode.type !== 'argument_list') return null;
    const parts = argsNode ? kids(argsNode) : [];
    if (parts.some((c) => c.type === 'list_splat' || c.type === 'dictionary_splat' || c.type === 'parenthesized_list_splat')) return null;
    const pos: [SyntaxNode, Code][] = [];
    const kw: [string, SyntaxNode, Code][] = [];
    for (const c of parts) {
      if (c.type === 'keyword_argument') {
        const v = c.childForFieldName('value')!;
        kw.push([c.childForFieldName('name')!.text, v, this.expr(v)]);
      } else {
        pos.push([c, this.expr(c)]);
      }
    }
    const args = (s: Scope): EvaluatedArgs => ({
      pos: pos.map(([node, code]) => ({ node, val: code(s) })),
      kw: kw.map(([name, node, code]) => [name, { node, val: code(s) }]),
      splatReason: null,
    });
    if (fnNode.type === 'attribute') {
      const obj = this.expr(fnNode.childForFieldName('object')!);
      const attr = fnNode.childForFieldName('attribute')!.text;
      return (s) => {
        const o = obj(s);
        // Module functions (math.cos), class constants: a plain call. Methods of modelled values: interpreted.
        if (o.k === 'ref' || o.k === 'class') return I.apply(I.getAttr(o, attr, fnNode), n, args(s));
        return I.callMethod(o, fnNode, n, argsNode, s);
      };
    }
    const callee = this.expr(fnNode);
    return (s) => {
      const f = callee(s);
      return I.apply(f, n, args(s));
    };
  }

  private stmt(st: SyntaxNode): StmtCode {
    const I = this.I;
    const fallback: StmtCode = (s) => I.exec(st, s);
    switch (st.type) {
      case 'return_statement': {
        const v = kids(st)[0];
        const code = v ? this.expr(v) : null;
        return (s) => {
          I.tick();
          return { kind: 'return', value: code ? code(s) : NONE };
        };
      }
      case 'expression_statement': {
        const parts = kids(st).map((c): StmtCode => {
          const left = c.type === 'assignment' ? c.childForFieldName('left') : null;
          const right = c.type === 'assignment' ? c.childForFieldName('right') : null;
          if (left?.type === 'identifier' && right && right.type !== 'assignment') {
            const name = left.text;
            const code = this.expr(right);
            return (s) => {
              s.vars.set(name, code(s));
              return NORMAL;
            };
          }
          if (c.type !== 'assignment' && c.type !== 'augmented_assignment') {
            const code = this.expr(c);
            return (s) => {
              code(s);
              return NORMAL;
            };
          }
          return (s) => {
            I.statementExpr(c, s);
            return NORMAL;
          };
        });
        return (s) => {
          I.tick();
          for (const p of parts) p(s);
          return NORMAL;
        };
      }
      case 'if_statement': {
        const clauses: [SyntaxNode | null, Code | null, StmtCode | null][] = [];
        const add = (cond: SyntaxNode | null, body: SyntaxNode | null) =>
          clauses.push([cond, cond ? this.expr(cond) : null, body ? this.block(body) : null]);
        add(st.childForFieldName('condition'), st.childForFieldName('consequence'));
        for (const c of kids(st)) {
          if (c.type === 'elif_clause') add(c.childForFieldName('condition'), c.childForFieldName('consequence'));
          else if (c.type === 'else_clause') add(null, c.childForFieldName('body'));
        }
        return (s) => {
          I.tick();
          for (const [condNode, cond, body] of clauses) {
            if (cond && condNode) {
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
      case 'pass_statement': return () => NORMAL;
      default: return fallback;
    }
  }
}

