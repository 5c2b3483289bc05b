/**
 * The vocabulary the evaluator's node handlers share. Each handler reads its
 * node once and returns a closure over the scope (`Code`); how it obtains the
 * code of its sub-nodes is the `Stage`: the interpreter re-dispatches each
 * sub-node at every evaluation (the live tree, walked about once), the
 * compiler builds the closures once and keeps them (frozen functions the
 * engine calls many times). One set of handlers, so the two cannot drift.
 */
import type { SyntaxNode } from './syntax';
import type { PyVal, Scope } from './values';

export type Code = (s: Scope) => PyVal;
export type Flow = { kind: 'normal' } | { kind: 'return'; value: PyVal } | { kind: 'break' } | { kind: 'continue' };
export type StmtCode = (s: Scope) => Flow;
export const NORMAL: Flow = { kind: 'normal' };

/** How a handler gets the code of a sub-node; the returned code includes the sub-node's budget tick. */
export interface Stage {
  /**
   * Whether results carry the assumption labels of their operands (access.ts `carry`): the interpreter's do; the
   * compiler's, which runs only at engine time where a result is a number and nothing more, do not.
   */
  readonly labels: boolean;
  expr(n: SyntaxNode): Code;
  stmt(n: SyntaxNode): StmtCode;
  block(n: SyntaxNode): StmtCode;
}

/**
 * Thrown in run mode when control flow depends on a value we do not know. Not an Error: it is
 * thrown and caught inside the interpreter, often (every user class's `__init__` that calls into
 * a library), and capturing a stack trace each time was a tenth of a long file's analysis.
 */
export class Indeterminate {
  constructor(readonly reason: string) {}
  toString(): string {
    return this.reason;
  }
}
