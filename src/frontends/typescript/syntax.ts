/**
 * Reading tree-sitter nodes for the converter (convert.ts): children, spans, literal
 * values (strings with their escapes, property names), `unsupported` nodes, imports.
 */
import type { Node } from '@vscode/tree-sitter-wasm';
import type { Expr, ImportBinding, Pattern, Stmt } from './ir';
import { parseNumberLiteral } from './numbers';

/** Node types that only carry types or nothing at run time. */
export const SKIP_STATEMENTS = new Set(['empty_statement', 'interface_declaration', 'type_alias_declaration', 'ambient_declaration',
  'debugger_statement', 'comment', 'hash_bang_line', 'abstract_class_declaration_signature', 'function_signature',
  'module', 'internal_module', 'import_alias']);

/** Expression wrappers that exist only for the type checker. */
export const TRANSPARENT = new Set(['as_expression', 'satisfies_expression', 'non_null_expression', 'type_assertion',
  'parenthesized_expression', 'instantiation_expression']);

/** `import … from 'x'` and `import x = require('x')`: the module and the names it binds. */
export function importStatement(n: Node): Stmt {
  const sp = span(n);
  const srcNode = n.childForFieldName('source');
  const source = srcNode ? stringValue(srcNode) : '';
  const bindings: ImportBinding[] = [];
  for (const c of namedChildren(n)) {
    if (c.type === 'import_require_clause') {
      const id = namedChildren(c).find((x) => x.type === 'identifier');
      const s = c.childForFieldName('source');
      if (id) bindings.push({ local: id.text, imported: '*' });
      return { t: 'import', source: s ? stringValue(s) : source, bindings, ...sp };
    }
    if (c.type !== 'import_clause') continue;
    for (const part of namedChildren(c)) {
      if (part.type === 'identifier') bindings.push({ local: part.text, imported: 'default' });
      else if (part.type === 'namespace_import') {
        const id = namedChildren(part).find((x) => x.type === 'identifier');
        if (id) bindings.push({ local: id.text, imported: '*' });
      } else if (part.type === 'named_imports') {
        for (const spec of namedChildren(part)) {
          if (spec.type !== 'import_specifier') continue;
          const name = spec.childForFieldName('name');
          const alias = spec.childForFieldName('alias');
          if (name) bindings.push({ local: (alias ?? name).text, imported: propName(name) });
        }
      }
    }
  }
  return { t: 'import', source, bindings, ...sp };
}

/** Named children without comments. */
export function namedChildren(n: Node): Node[] {
  const out: Node[] = [];
  for (let i = 0; i < n.childCount; i++) {
    const c = n.child(i)!;
    if (c.isNamed && c.type !== 'comment') out.push(c);
  }
  return out;
}

export function span(n: Node): { s: number; e: number } {
  return { s: n.startIndex, e: n.endIndex };
}

export function unsupportedExpr(n: Node, what: string): Expr {
  return { t: 'unsupported', why: `${what} is not evaluated`, ...span(n) };
}

export function unsupportedStmt(n: Node, what: string): Stmt {
  return { t: 'unsupported', why: `${what} is not evaluated`, ...span(n) };
}

export function unsupportedPattern(n: Node): Pattern {
  return { t: 'unsupported', why: `the assignment target \`${clip(n.text)}\` is not evaluated`, ...span(n) };
}

export function clip(s: string): string {
  const t = s.replace(/\s+/g, ' ');
  return t.length > 40 ? `${t.slice(0, 39)}…` : t;
}

/** A property key's name: identifiers as written, strings unquoted, numbers in JS's canonical form. */
export function propName(k: Node): string {
  if (k.type === 'string') return stringValue(k);
  if (k.type === 'number') {
    const lit = parseNumberLiteral(k.text);
    return lit ? String(lit.value) : k.text;
  }
  return k.text;
}

/** The value of a string literal node (escapes decoded). */
export function stringValue(n: Node): string {
  let out = '';
  for (let i = 0; i < n.childCount; i++) {
    const c = n.child(i)!;
    if (c.type === 'string_fragment') out += c.text;
    else if (c.type === 'escape_sequence') out += unescape(c.text);
  }
  return out;
}

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', 0: '\0' };

export function unescape(esc: string): string {
  const body = esc.slice(1);
  if (body.startsWith('u{')) return safeCodePoint(parseInt(body.slice(2, -1), 16));
  if (body.startsWith('u') && body.length === 5) return String.fromCharCode(parseInt(body.slice(1), 16));
  if (body.startsWith('x') && body.length === 3) return String.fromCharCode(parseInt(body.slice(1), 16));
  if (Object.prototype.hasOwnProperty.call(SIMPLE_ESCAPES, body)) return SIMPLE_ESCAPES[body]!;
  if (body.startsWith('\n') || body.startsWith('\r')) return '';
  return body;
}

function safeCodePoint(cp: number): string {
  return Number.isInteger(cp) && cp >= 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd';
}
