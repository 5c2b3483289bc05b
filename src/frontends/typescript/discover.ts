/**
 * A syntactic sweep of the whole tree (iterative, so nesting depth does not
 * matter) for calls that may construct a scheduler or an optimizer: the callee's
 * name, or the property name of a member callee, is a scheduler kind, an
 * optimizer class, or a local alias of one (`import { StepLR as S }`,
 * `const { StepLR: S } = require(…)`). The evaluator decides for real; the
 * sweep makes sure that calls it never reaches (inside a syntax error, code
 * nested too deeply, after the operation budget) are still reported.
 */
import type { Node, Tree } from '@vscode/tree-sitter-wasm';
import { OPTIMIZERS } from '../../engine/optimizers';
import { isSchedulerKind } from '../../engine/signatures';

export interface Candidate {
  node: Node;
  /** The name the callee is written with (an alias, for aliased imports). */
  name: string;
  s: number;
  e: number;
}

function isConstructName(name: string): boolean {
  return isSchedulerKind(name) || OPTIMIZERS.has(name);
}

export function discover(tree: Tree): Candidate[] {
  const calls: Candidate[] = [];
  const aliases = new Set<string>();
  const cursor = tree.rootNode.walk();
  try {
    for (;;) {
      const type = cursor.nodeType;
      if (type === 'call_expression' || type === 'new_expression') {
        const node = cursor.currentNode;
        const name = calleeName(node, type);
        if (name) calls.push({ node, name, s: node.startIndex, e: node.endIndex });
      } else if (type === 'import_specifier' || type === 'pair_pattern') {
        const node = cursor.currentNode;
        const orig = node.childForFieldName(type === 'import_specifier' ? 'name' : 'key');
        const local = node.childForFieldName(type === 'import_specifier' ? 'alias' : 'value');
        if (orig && local && local.type === 'identifier' && isConstructName(orig.text)) aliases.add(local.text);
      }
      if (cursor.gotoFirstChild()) continue;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) return calls.filter((c) => isConstructName(c.name) || aliases.has(c.name));
      }
    }
  } finally {
    cursor.delete();
  }
}

function calleeName(call: Node, type: string): string | null {
  let f = call.childForFieldName(type === 'new_expression' ? 'constructor' : 'function');
  while (f && (f.type === 'parenthesized_expression' || f.type === 'non_null_expression')) f = f.namedChild(0);
  if (!f) return null;
  if (f.type === 'identifier') return f.text;
  if (f.type === 'member_expression') return f.childForFieldName('property')?.text ?? null;
  return null;
}
