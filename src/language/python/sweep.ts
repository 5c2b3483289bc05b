/**
 * A syntactic sweep after the walk: every call whose callee names a scheduler
 * class (resolved through the module's imports) but that the walk never
 * evaluated (a branch that never runs, a lambda body, code after the budget
 * ran out) is still reported, as a construction that could not be built.
 */
import type { Recorder } from './construct';
import { BLOG_CLASSES, blogClassOf, torchSchedulerOf } from './imports';
import { SyntaxNode, unparen } from './syntax';
import type { PyVal, Scope } from './values';

const UNREACHED = 'not reached by the static walk (a branch that never runs, a function body it could not enter, or the analysis budget ran out)';

/** Records the scheduler calls in `calls` that the walk did not see. */
export function sweep(calls: SyntaxNode[], moduleScope: Scope | null, recorder: Recorder): void {
  for (const call of calls) {
    if (recorder.byNode.has(call.id)) continue;
    const fn = call.childForFieldName('function');
    if (!fn) continue;
    const target = resolve(fn, moduleScope);
    if (!target) continue;
    recorder.scheduler(target.kind, target.family, call, { pos: [], kw: [], splatReason: null }, UNREACHED);
  }
}

/** The scheduler class a callee expression names, from the module's final bindings. */
function resolve(fn: SyntaxNode, scope: Scope | null): { kind: string; family: string } | null {
  const parts: string[] = [];
  let cur = unparen(fn);
  while (cur.type === 'attribute') {
    parts.unshift(cur.childForFieldName('attribute')?.text ?? '');
    cur = unparen(cur.childForFieldName('object')!);
  }
  if (cur.type !== 'identifier') return null;
  const base: PyVal | undefined = scope?.vars.get(cur.text);
  if (base?.k === 'class' && parts.length === 0 && BLOG_CLASSES.has(base.name)) return { kind: base.name, family: 'blog' };
  if (base?.k !== 'ref') return null;
  const path = [base.path, ...parts].join('.');
  const torch = torchSchedulerOf(path);
  if (torch) return { kind: torch, family: 'torch' };
  const blog = blogClassOf(path);
  return blog ? { kind: blog, family: 'blog' } : null;
}
