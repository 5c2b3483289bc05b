/**
 * A small, plain-object syntax tree for the subset of TypeScript/JavaScript the
 * evaluator understands. Converting once from tree-sitter matters for speed:
 * an `lr_lambda` may be run millions of times by the engine, and every access
 * to a tree-sitter node crosses into wasm. Type-only syntax (annotations,
 * `as`, `satisfies`, `!`, `<T>x`) is dropped here, so the evaluator never sees it.
 *
 * Every node keeps its source span (`s`, `e`: UTF-16 offsets, as tree-sitter
 * reports them for JS strings) for ranges and messages.
 */

export interface Span { s: number; e: number }

export type Expr =
  | ({ t: 'num'; value: number; isInt: boolean } & Span)
  | ({ t: 'str'; value: string } & Span)
  /** Template literal: `quasis.length === exprs.length + 1`. */
  | ({ t: 'tmpl'; quasis: string[]; exprs: Expr[] } & Span)
  | ({ t: 'bool'; value: boolean } & Span)
  | ({ t: 'null' } & Span)
  | ({ t: 'ident'; name: string } & Span)
  | ({ t: 'this' } & Span)
  | ({ t: 'member'; obj: Expr; prop: string; optional: boolean } & Span)
  | ({ t: 'index'; obj: Expr; index: Expr; optional: boolean } & Span)
  | ({ t: 'call'; callee: Expr; args: ArgExpr[]; isNew: boolean; optional: boolean } & Span)
  | ({ t: 'unary'; op: string; arg: Expr } & Span)
  | ({ t: 'update'; op: '++' | '--'; prefix: boolean; target: Expr } & Span)
  | ({ t: 'binary'; op: string; left: Expr; right: Expr } & Span)
  /** `op` is '=' or a compound operator such as '+=', '??='. */
  | ({ t: 'assign'; op: string; target: Pattern; value: Expr } & Span)
  | ({ t: 'cond'; test: Expr; then: Expr; else: Expr } & Span)
  | ({ t: 'arr'; items: (ArgExpr | null)[] } & Span)
  | ({ t: 'obj'; props: PropExpr[] } & Span)
  | ({ t: 'fn' } & FnExpr)
  | ({ t: 'class'; cls: ClassIR } & Span)
  | ({ t: 'seq'; exprs: Expr[] } & Span)
  | ({ t: 'await'; arg: Expr } & Span)
  /** Anything else: evaluates to unknown with `why`. */
  | ({ t: 'unsupported'; why: string } & Span);

export type ArgExpr = Expr | ({ t: 'spread'; arg: Expr } & Span);

export type PropExpr =
  | ({ t: 'prop'; key: string | Expr; value: Expr } & Span)
  | ({ t: 'spread'; arg: Expr } & Span);

export interface FnExpr extends Span {
  name: string | null;
  params: Param[];
  /** A block body, or the expression of a concise arrow function. */
  body: Stmt[] | Expr;
  isArrow: boolean;
}

export interface Param { target: Pattern; def: Expr | null; rest: boolean }

export type Pattern =
  | ({ t: 'ident'; name: string } & Span)
  | ({ t: 'member'; obj: Expr; prop: string; optional: boolean } & Span)
  | ({ t: 'index'; obj: Expr; index: Expr; optional: boolean } & Span)
  | ({ t: 'objpat'; props: { key: string | Expr; target: Pattern; def: Expr | null }[]; rest: Pattern | null } & Span)
  | ({ t: 'arrpat'; items: ({ target: Pattern; def: Expr | null } | null)[]; rest: Pattern | null } & Span)
  | ({ t: 'unsupported'; why: string } & Span);

export interface ClassIR extends Span {
  name: string | null;
  /** Instance fields (`x = …`), in source order. */
  fields: { name: string; value: Expr | null; s: number; e: number }[];
  /** Methods including `constructor`, in source order. */
  methods: FnExpr[];
}

export interface SwitchCase { test: Expr | null; body: Stmt[] }

export type Stmt =
  | ({ t: 'decl'; kind: 'const' | 'let' | 'var'; decls: { target: Pattern; init: Expr | null }[] } & Span)
  | ({ t: 'expr'; expr: Expr } & Span)
  | ({ t: 'if'; test: Expr; then: Stmt; else: Stmt | null } & Span)
  | ({ t: 'block'; body: Stmt[] } & Span)
  | ({ t: 'return'; arg: Expr | null } & Span)
  | ({ t: 'fndecl'; fn: FnExpr } & Span)
  | ({ t: 'classdecl'; cls: ClassIR } & Span)
  | ({ t: 'for'; init: Stmt | null; test: Expr | null; update: Expr | null; body: Stmt } & Span)
  | ({ t: 'forof'; kind: 'const' | 'let' | 'var' | null; of: boolean; target: Pattern; iter: Expr; body: Stmt } & Span)
  | ({ t: 'while'; test: Expr; body: Stmt; doWhile: boolean } & Span)
  | ({ t: 'break' } & Span)
  | ({ t: 'continue' } & Span)
  | ({ t: 'throw'; arg: Expr } & Span)
  | ({ t: 'try'; block: Stmt[]; param: Pattern | null; handler: Stmt[] | null; finalizer: Stmt[] | null } & Span)
  | ({ t: 'switch'; disc: Expr; cases: SwitchCase[] } & Span)
  | ({ t: 'enum'; name: string; members: { name: string; value: Expr | null }[] } & Span)
  /** `import …` (bindings are hoisted by the evaluator). */
  | ({ t: 'import'; source: string; bindings: ImportBinding[] } & Span)
  /** Type declarations, empty statements, `debugger`: nothing to do. */
  | ({ t: 'skip' } & Span)
  | ({ t: 'unsupported'; why: string } & Span);

/** `imported` is the exported name ('default' for default imports, '*' for namespaces). */
export interface ImportBinding { local: string; imported: string }
