/**
 * tree-sitter (typescript / tsx / javascript grammars) → the plain IR of ir.ts.
 * Anything outside the supported subset becomes an `unsupported` node with a
 * reason, never an exception. Nesting deeper than MAX_DEPTH is cut off the same
 * way, so hostile input cannot overflow the stack.
 */
import type { Node } from '@vscode/tree-sitter-wasm';
import type { ArgExpr, ClassIR, Expr, FnExpr, Param, Pattern, PropExpr, Stmt, SwitchCase } from './ir';
import { parseNumberLiteral } from './numbers';
import {
  clip, importStatement, namedChildren, propName, SKIP_STATEMENTS, span, stringValue, TRANSPARENT, unescape, unsupportedExpr,
  unsupportedPattern, unsupportedStmt,
} from './syntax';

/** Deeper syntax is not evaluated (it is still scanned for constructions; see discover.ts). */
const MAX_DEPTH = 400;

export class Converter {
  private depth = 0;
  private count = 0;
  /** Set once the clock's safety net fired: everything not yet converted becomes `unsupported`. */
  expired = false;

  /** `timedOut`: the analysis's far safety net (budget.ts); conversion itself is bounded by the tree's size. */
  constructor(private readonly timedOut: () => boolean = () => false) {}

  /** Checks the safety net every 512 nodes. */
  private late(): boolean {
    if (!this.expired && (++this.count & 511) === 0 && this.timedOut()) this.expired = true;
    return this.expired;
  }

  /** The statements of a program or block node. */
  statements(node: Node): Stmt[] {
    const out: Stmt[] = [];
    for (const c of namedChildren(node)) out.push(this.stmt(c));
    return out;
  }

  stmt(n: Node): Stmt {
    if (this.late()) return { t: 'unsupported', why: 'LR Lens timed out before this statement', ...span(n) };
    return this.nested(() => this.stmtInner(n), () => ({ t: 'unsupported', why: 'the code is nested too deeply to evaluate', ...span(n) }));
  }

  expr(n: Node): Expr {
    if (this.late()) return { t: 'unsupported', why: 'LR Lens timed out before this expression', ...span(n) };
    return this.nested(() => this.exprInner(n), () => ({ t: 'unsupported', why: 'the expression is nested too deeply to evaluate', ...span(n) }));
  }

  /** `convert()` one level deeper, or `tooDeep()` past MAX_DEPTH (a hostile file must not overflow the stack). */
  private nested<T>(convert: () => T, tooDeep: () => T): T {
    if (++this.depth > MAX_DEPTH) {
      this.depth--;
      return tooDeep();
    }
    try {
      return convert();
    } finally {
      this.depth--;
    }
  }

  private stmtInner(n: Node): Stmt {
    const sp = span(n);
    switch (n.type) {
      case 'lexical_declaration': case 'variable_declaration': {
        const kindNode = n.childForFieldName('kind') ?? n.child(0);
        const kind = n.type === 'variable_declaration' ? 'var' : kindNode?.type === 'let' ? 'let' : kindNode?.type === 'var' ? 'var' : 'const';
        const decls = namedChildren(n).filter((c) => c.type === 'variable_declarator').map((d) => {
          const name = d.childForFieldName('name');
          const value = d.childForFieldName('value');
          return { target: name ? this.pattern(name) : unsupportedPattern(d), init: value ? this.expr(value) : null };
        });
        return { t: 'decl', kind, decls, ...sp };
      }
      case 'expression_statement': {
        const inner = namedChildren(n)[0];
        return inner ? { t: 'expr', expr: this.expr(inner), ...sp } : { t: 'skip', ...sp };
      }
      case 'if_statement': {
        const cond = n.childForFieldName('condition');
        const cons = n.childForFieldName('consequence');
        const alt = n.childForFieldName('alternative');
        const altStmt = alt ? namedChildren(alt)[0] : undefined;
        if (!cond || !cons) return unsupportedStmt(n, 'an incomplete `if`');
        return { t: 'if', test: this.expr(cond), then: this.stmt(cons), else: altStmt ? this.stmt(altStmt) : null, ...sp };
      }
      case 'statement_block': case 'class_static_block':
        return { t: 'block', body: this.statements(n.type === 'statement_block' ? n : n.childForFieldName('body') ?? n), ...sp };
      case 'return_statement': {
        const arg = namedChildren(n)[0];
        return { t: 'return', arg: arg ? this.expr(arg) : null, ...sp };
      }
      case 'function_declaration': case 'generator_function_declaration':
        return { t: 'fndecl', fn: this.fn(n, false), ...sp };
      case 'class_declaration': case 'abstract_class_declaration':
        return { t: 'classdecl', cls: this.cls(n), ...sp };
      case 'for_statement': {
        const init = n.childForFieldName('initializer');
        const cond = n.childForFieldName('condition');
        const inc = n.childForFieldName('increment');
        const body = n.childForFieldName('body');
        if (!body) return unsupportedStmt(n, 'an incomplete `for`');
        return {
          t: 'for',
          init: init && init.type !== 'empty_statement' ? this.stmtOrExpr(init) : null,
          test: cond ? this.optionalExpr(cond) : null,
          update: inc ? this.expr(inc) : null,
          body: this.stmt(body),
          ...sp,
        };
      }
      case 'for_in_statement': {
        const left = n.childForFieldName('left');
        const right = n.childForFieldName('right');
        const body = n.childForFieldName('body');
        const kindNode = n.childForFieldName('kind');
        const op = n.childForFieldName('operator');
        if (!left || !right || !body) return unsupportedStmt(n, 'an incomplete `for … of`');
        const kind = kindNode ? (kindNode.type as 'const' | 'let' | 'var') : null;
        return { t: 'forof', kind, of: op?.type !== 'in', target: this.pattern(left), iter: this.expr(right), body: this.stmt(body), ...sp };
      }
      case 'while_statement': case 'do_statement': {
        const cond = n.childForFieldName('condition');
        const body = n.childForFieldName('body');
        if (!cond || !body) return unsupportedStmt(n, 'an incomplete loop');
        return { t: 'while', test: this.expr(cond), body: this.stmt(body), doWhile: n.type === 'do_statement', ...sp };
      }
      case 'break_statement': return { t: 'break', ...sp };
      case 'continue_statement': return { t: 'continue', ...sp };
      case 'throw_statement': {
        const arg = namedChildren(n)[0];
        return arg ? { t: 'throw', arg: this.expr(arg), ...sp } : unsupportedStmt(n, 'an incomplete `throw`');
      }
      case 'try_statement': {
        const body = n.childForFieldName('body');
        const handler = n.childForFieldName('handler');
        const fin = n.childForFieldName('finalizer');
        const param = handler?.childForFieldName('parameter');
        const hbody = handler?.childForFieldName('body');
        const fbody = fin?.childForFieldName('body');
        return {
          t: 'try',
          block: body ? this.statements(body) : [],
          param: param ? this.pattern(param) : null,
          handler: hbody ? this.statements(hbody) : null,
          finalizer: fbody ? this.statements(fbody) : null,
          ...sp,
        };
      }
      case 'switch_statement': {
        const value = n.childForFieldName('value');
        const body = n.childForFieldName('body');
        if (!value || !body) return unsupportedStmt(n, 'an incomplete `switch`');
        const cases: SwitchCase[] = [];
        for (const c of namedChildren(body)) {
          if (c.type !== 'switch_case' && c.type !== 'switch_default') continue;
          const test = c.type === 'switch_case' ? c.childForFieldName('value') : null;
          const stmts = c.childrenForFieldName('body').filter((x): x is Node => !!x && x.isNamed && x.type !== 'comment');
          cases.push({ test: test ? this.expr(test) : null, body: stmts.map((x) => this.stmt(x)) });
        }
        return { t: 'switch', disc: this.expr(value), cases, ...sp };
      }
      case 'enum_declaration': {
        const name = n.childForFieldName('name');
        const body = n.childForFieldName('body');
        const members: { name: string; value: Expr | null }[] = [];
        for (const m of body ? namedChildren(body) : []) {
          if (m.type === 'enum_assignment') {
            const mn = m.childForFieldName('name');
            const mv = m.childForFieldName('value');
            if (mn) members.push({ name: propName(mn), value: mv ? this.expr(mv) : null });
          } else if (m.type === 'property_identifier' || m.type === 'string') {
            members.push({ name: propName(m), value: null });
          }
        }
        return name ? { t: 'enum', name: name.text, members, ...sp } : unsupportedStmt(n, 'an enum without a name');
      }
      case 'import_statement': return importStatement(n);
      case 'export_statement': {
        const decl = n.childForFieldName('declaration');
        if (decl) return this.stmt(decl);
        const value = n.childForFieldName('value');
        if (value) return { t: 'expr', expr: this.expr(value), ...sp };
        return { t: 'skip', ...sp };
      }
      case 'labeled_statement': {
        const body = n.childForFieldName('body');
        return body ? this.stmt(body) : { t: 'skip', ...sp };
      }
      default:
        if (SKIP_STATEMENTS.has(n.type)) return { t: 'skip', ...sp };
        if (n.type === 'ERROR') return unsupportedStmt(n, 'a syntax error');
        // An expression in statement position (for initializers, or odd trees).
        return { t: 'expr', expr: this.expr(n), ...sp };
    }
  }

  private stmtOrExpr(n: Node): Stmt {
    if (n.type === 'lexical_declaration' || n.type === 'variable_declaration' || n.type === 'expression_statement') return this.stmt(n);
    return { t: 'expr', expr: this.expr(n), ...span(n) };
  }

  /** A `for` condition: an expression, an expression statement, or `;` (always true). */
  private optionalExpr(n: Node): Expr | null {
    if (n.type === 'empty_statement') return null;
    if (n.type === 'expression_statement') {
      const inner = namedChildren(n)[0];
      return inner ? this.expr(inner) : null;
    }
    return this.expr(n);
  }

  private exprInner(n: Node): Expr {
    const sp = span(n);
    if (TRANSPARENT.has(n.type)) {
      const inner = n.type === 'type_assertion' ? namedChildren(n).filter((c) => c.type !== 'type_arguments')[0] : namedChildren(n)[0];
      return inner ? this.expr(inner) : unsupportedExpr(n, 'an empty expression');
    }
    switch (n.type) {
      case 'number': {
        const lit = parseNumberLiteral(n.text);
        return lit ? { t: 'num', value: lit.value, isInt: lit.isInt, ...sp } : unsupportedExpr(n, `the number \`${n.text}\``);
      }
      case 'string': return { t: 'str', value: stringValue(n), ...sp };
      case 'template_string': return this.template(n);
      case 'true': return { t: 'bool', value: true, ...sp };
      case 'false': return { t: 'bool', value: false, ...sp };
      case 'null': return { t: 'null', ...sp };
      case 'undefined': return { t: 'ident', name: 'undefined', ...sp };
      case 'identifier': case 'shorthand_property_identifier': return { t: 'ident', name: n.text, ...sp };
      case 'this': return { t: 'this', ...sp };
      case 'member_expression': {
        const o = n.childForFieldName('object');
        const p = n.childForFieldName('property');
        if (!o || !p) return unsupportedExpr(n, 'an incomplete member access');
        return { t: 'member', obj: this.expr(o), prop: p.text, optional: !!n.childForFieldName('optional_chain'), ...sp };
      }
      case 'subscript_expression': {
        const o = n.childForFieldName('object');
        const i = n.childForFieldName('index');
        if (!o || !i) return unsupportedExpr(n, 'an incomplete subscript');
        return { t: 'index', obj: this.expr(o), index: this.expr(i), optional: !!n.childForFieldName('optional_chain'), ...sp };
      }
      case 'call_expression': case 'new_expression': {
        const isNew = n.type === 'new_expression';
        const f = n.childForFieldName(isNew ? 'constructor' : 'function');
        const a = n.childForFieldName('arguments');
        if (!f) return unsupportedExpr(n, 'an incomplete call');
        if (a && a.type === 'template_string') return unsupportedExpr(n, 'a tagged template');
        return { t: 'call', callee: this.expr(f), args: a ? this.args(a) : [], isNew, optional: !!n.childForFieldName('optional_chain'), ...sp };
      }
      case 'unary_expression': {
        const op = n.childForFieldName('operator');
        const arg = n.childForFieldName('argument');
        if (!op || !arg) return unsupportedExpr(n, 'an incomplete unary expression');
        return { t: 'unary', op: op.type, arg: this.expr(arg), ...sp };
      }
      case 'update_expression': {
        const op = n.childForFieldName('operator');
        const arg = n.childForFieldName('argument');
        if (!op || !arg) return unsupportedExpr(n, 'an incomplete update expression');
        return { t: 'update', op: op.type === '--' ? '--' : '++', prefix: n.child(0)?.type === op.type, target: this.expr(arg), ...sp };
      }
      case 'binary_expression': {
        const l = n.childForFieldName('left');
        const op = n.childForFieldName('operator');
        const r = n.childForFieldName('right');
        if (!l || !op || !r) return unsupportedExpr(n, 'an incomplete binary expression');
        return { t: 'binary', op: op.type, left: this.expr(l), right: this.expr(r), ...sp };
      }
      case 'assignment_expression': case 'augmented_assignment_expression': {
        const l = n.childForFieldName('left');
        const r = n.childForFieldName('right');
        const op = n.type === 'assignment_expression' ? '=' : n.childForFieldName('operator')?.type ?? '=';
        if (!l || !r) return unsupportedExpr(n, 'an incomplete assignment');
        return { t: 'assign', op, target: this.pattern(l), value: this.expr(r), ...sp };
      }
      case 'ternary_expression': {
        const c = n.childForFieldName('condition');
        const a = n.childForFieldName('consequence');
        const b = n.childForFieldName('alternative');
        if (!c || !a || !b) return unsupportedExpr(n, 'an incomplete conditional expression');
        return { t: 'cond', test: this.expr(c), then: this.expr(a), else: this.expr(b), ...sp };
      }
      case 'array': return { t: 'arr', items: this.arrayItems(n), ...sp };
      case 'object': return { t: 'obj', props: this.props(n), ...sp };
      case 'arrow_function': case 'function_expression': case 'function': case 'generator_function':
        return { t: 'fn', ...this.fn(n, n.type === 'arrow_function') };
      case 'class': return { t: 'class', cls: this.cls(n), ...sp };
      case 'sequence_expression': return { t: 'seq', exprs: namedChildren(n).map((c) => this.expr(c)), ...sp };
      case 'await_expression': {
        const arg = namedChildren(n)[0];
        return arg ? { t: 'await', arg: this.expr(arg), ...sp } : unsupportedExpr(n, 'an incomplete `await`');
      }
      case 'ERROR': return unsupportedExpr(n, 'a syntax error');
      default: return unsupportedExpr(n, `\`${clip(n.text)}\` (${n.type.replace(/_/g, ' ')})`);
    }
  }

  private template(n: Node): Expr {
    const quasis: string[] = [''];
    const exprs: Expr[] = [];
    for (const c of namedChildren(n)) {
      if (c.type === 'template_substitution') {
        const inner = namedChildren(c)[0];
        exprs.push(inner ? this.expr(inner) : unsupportedExpr(c, 'an empty substitution'));
        quasis.push('');
      } else if (c.type === 'string_fragment') {
        quasis[quasis.length - 1] += c.text;
      } else if (c.type === 'escape_sequence') {
        quasis[quasis.length - 1] += unescape(c.text);
      }
    }
    return { t: 'tmpl', quasis, exprs, ...span(n) };
  }

  private args(n: Node): ArgExpr[] {
    return namedChildren(n).map((c) => this.argExpr(c));
  }

  private argExpr(c: Node): ArgExpr {
    if (c.type === 'spread_element') {
      const inner = namedChildren(c)[0];
      return { t: 'spread', arg: inner ? this.expr(inner) : unsupportedExpr(c, 'an empty spread'), ...span(c) };
    }
    return this.expr(c);
  }

  /** Array elements, with holes (`[1, , 3]`) as null. */
  private arrayItems(n: Node): (ArgExpr | null)[] {
    const items: (ArgExpr | null)[] = [];
    let expecting = true;
    for (let i = 0; i < n.childCount; i++) {
      const c = n.child(i)!;
      if (c.type === ',') {
        if (expecting) items.push(null);
        expecting = true;
      } else if (c.isNamed && c.type !== 'comment') {
        items.push(this.argExpr(c));
        expecting = false;
      }
    }
    return items;
  }

  private props(n: Node): PropExpr[] {
    const out: PropExpr[] = [];
    for (const c of namedChildren(n)) {
      const sp = span(c);
      if (c.type === 'pair') {
        const k = c.childForFieldName('key');
        const v = c.childForFieldName('value');
        if (!k || !v) continue;
        out.push({ t: 'prop', key: this.key(k), value: this.expr(v), ...sp });
      } else if (c.type === 'shorthand_property_identifier') {
        out.push({ t: 'prop', key: c.text, value: { t: 'ident', name: c.text, ...sp }, ...sp });
      } else if (c.type === 'spread_element') {
        const inner = namedChildren(c)[0];
        out.push({ t: 'spread', arg: inner ? this.expr(inner) : unsupportedExpr(c, 'an empty spread'), ...sp });
      } else if (c.type === 'method_definition') {
        const k = c.childForFieldName('name');
        if (!k) continue;
        const isAccessor = namedChildren(c).length > 0 && (c.child(0)?.type === 'get' || c.child(0)?.type === 'set');
        const value: Expr = isAccessor ? unsupportedExpr(c, 'a getter or setter') : { t: 'fn', ...this.fn(c, false) };
        out.push({ t: 'prop', key: this.key(k), value, ...sp });
      }
    }
    return out;
  }

  private key(k: Node): string | Expr {
    if (k.type === 'computed_property_name') {
      const inner = namedChildren(k)[0];
      return inner ? this.expr(inner) : unsupportedExpr(k, 'an empty computed key');
    }
    return propName(k);
  }

  fn(n: Node, isArrow: boolean): FnExpr {
    const nameNode = n.childForFieldName('name');
    const body = n.childForFieldName('body');
    const params: Param[] = [];
    const single = n.childForFieldName('parameter');
    if (single) params.push({ target: this.pattern(single), def: null, rest: false });
    const plist = n.childForFieldName('parameters');
    for (const p of plist ? namedChildren(plist) : []) params.push(this.param(p));
    let fbody: Stmt[] | Expr;
    if (!body) fbody = [];
    else if (body.type === 'statement_block') fbody = this.statements(body);
    else fbody = this.expr(body);
    return { name: nameNode ? nameNode.text : null, params, body: fbody, isArrow, ...span(n) };
  }

  private param(p: Node): Param {
    if (p.type === 'required_parameter' || p.type === 'optional_parameter') {
      const pat = p.childForFieldName('pattern');
      const def = p.childForFieldName('value');
      if (!pat) return { target: unsupportedPattern(p), def: null, rest: false };
      if (pat.type === 'rest_pattern') return { target: this.restTarget(pat), def: null, rest: true };
      return { target: this.pattern(pat), def: def ? this.expr(def) : null, rest: false };
    }
    if (p.type === 'assignment_pattern') {
      const l = p.childForFieldName('left');
      const r = p.childForFieldName('right');
      return { target: l ? this.pattern(l) : unsupportedPattern(p), def: r ? this.expr(r) : null, rest: false };
    }
    if (p.type === 'rest_pattern') return { target: this.restTarget(p), def: null, rest: true };
    return { target: this.pattern(p), def: null, rest: false };
  }

  private restTarget(r: Node): Pattern {
    const inner = namedChildren(r).find((c) => c.type !== 'type_annotation');
    return inner ? this.pattern(inner) : unsupportedPattern(r);
  }

  pattern(n: Node): Pattern {
    return this.nested(() => this.patternInner(n), () => unsupportedPattern(n));
  }

  private patternInner(n: Node): Pattern {
    const sp = span(n);
    switch (n.type) {
      case 'identifier': case 'shorthand_property_identifier_pattern': case 'undefined':
        return { t: 'ident', name: n.text, ...sp };
      case 'member_expression': case 'subscript_expression': case 'non_null_expression': case 'parenthesized_expression':
      case 'as_expression': case 'satisfies_expression': {
        const e = this.expr(n);
        if (e.t === 'member' || e.t === 'index' || e.t === 'ident') return e;
        return unsupportedPattern(n);
      }
      case 'object_pattern': {
        const props: { key: string | Expr; target: Pattern; def: Expr | null }[] = [];
        let rest: Pattern | null = null;
        for (const c of namedChildren(n)) {
          if (c.type === 'shorthand_property_identifier_pattern') props.push({ key: c.text, target: this.pattern(c), def: null });
          else if (c.type === 'object_assignment_pattern') {
            const l = c.childForFieldName('left');
            const r = c.childForFieldName('right');
            if (l) props.push({ key: l.text, target: this.pattern(l), def: r ? this.expr(r) : null });
          } else if (c.type === 'pair_pattern') {
            const k = c.childForFieldName('key');
            const v = c.childForFieldName('value');
            if (!k || !v) continue;
            if (v.type === 'assignment_pattern') {
              const l = v.childForFieldName('left');
              const r = v.childForFieldName('right');
              props.push({ key: this.key(k), target: l ? this.pattern(l) : unsupportedPattern(v), def: r ? this.expr(r) : null });
            } else props.push({ key: this.key(k), target: this.pattern(v), def: null });
          } else if (c.type === 'rest_pattern') rest = this.restTarget(c);
        }
        return { t: 'objpat', props, rest, ...sp };
      }
      case 'array_pattern': {
        const items: ({ target: Pattern; def: Expr | null } | null)[] = [];
        let rest: Pattern | null = null;
        let expecting = true;
        for (let i = 0; i < n.childCount; i++) {
          const c = n.child(i)!;
          if (c.type === ',') {
            if (expecting) items.push(null);
            expecting = true;
            continue;
          }
          if (!c.isNamed || c.type === 'comment') continue;
          expecting = false;
          if (c.type === 'rest_pattern') rest = this.restTarget(c);
          else if (c.type === 'assignment_pattern') {
            const l = c.childForFieldName('left');
            const r = c.childForFieldName('right');
            items.push({ target: l ? this.pattern(l) : unsupportedPattern(c), def: r ? this.expr(r) : null });
          } else items.push({ target: this.pattern(c), def: null });
        }
        return { t: 'arrpat', items, rest, ...sp };
      }
      default: return unsupportedPattern(n);
    }
  }

  cls(n: Node): ClassIR {
    const nameNode = n.childForFieldName('name');
    const body = n.childForFieldName('body');
    const fields: ClassIR['fields'] = [];
    const methods: FnExpr[] = [];
    for (const m of body ? namedChildren(body) : []) {
      if (m.type === 'public_field_definition' || m.type === 'field_definition') {
        const name = m.childForFieldName('name') ?? m.childForFieldName('property');
        const value = m.childForFieldName('value');
        if (name) fields.push({ name: propName(name), value: value ? this.expr(value) : null, ...span(m) });
      } else if (m.type === 'method_definition') {
        const f = this.fn(m, false);
        methods.push(f);
      }
    }
    return { name: nameNode ? nameNode.text : null, fields, methods, ...span(n) };
  }
}
