/**
 * A syntactic sweep after the walk: every call whose callee names a scheduler
 * class (resolved through the module's imports) but that the walk never
 * evaluated (a branch that never runs, a lambda body, code after the budget
 * ran out) is still reported, as a construction that could not be built.
 * Calls the walk evaluated to the end are not given (it knew what they call).
 */
import type { Recorder } from './construct';
import { BLOG_CLASSES, blogClassOf, torchSchedulerOf } from './imports';
import { isLibraryClass } from './pasted';
import { familyCallee, familyOfPath } from './families';
import type { EvaluatedArgs } from './interp';
import { kids, Point, SyntaxNode, TextFact, unparen } from './syntax';
import { unknown } from './values';
import type { SkippedCode } from './forks';
import type { PyVal, Scope } from './values';

const UNREACHED = 'not reached by the static walk (code it could not enter, or the analysis budget ran out)';

/** Records the scheduler calls in `calls` that the walk did not see. */
export function sweep(calls: SyntaxNode[], moduleScope: Scope | null, recorder: Recorder, skipped: SkippedCode[]): void {
  for (const call of calls) {
    if (recorder.byNode.has(call.id)) continue;
    const target = resolve(CALLEE.of(call), moduleScope);
    if (!target) continue;
    const reason = whyUnreached(call, skipped);
    recorder.scheduler(target.kind, target.family, call, unevaluatedArgs(call.childForFieldName('arguments'), reason), reason);
  }
}

/** The arguments as written, each unknown with `reason` (so every written parameter gets its ArgInfo and range). */
function unevaluatedArgs(argsNode: SyntaxNode | null, reason: string): EvaluatedArgs {
  const out: EvaluatedArgs = { pos: [], kw: [], splatReason: null };
  for (const c of argsNode ? kids(argsNode) : []) {
    const val = unknown(reason);
    if (c.type === 'keyword_argument') {
      const name = c.childForFieldName('name');
      const value = c.childForFieldName('value');
      if (name && value) out.kw.push([name.text, { node: value, val }]);
    } else if (c.type === 'list_splat' || c.type === 'dictionary_splat') {
      out.splatReason = reason;
    } else {
      out.pos.push({ node: c, val });
    }
  }
  return out;
}

function whyUnreached(call: SyntaxNode, skipped: SkippedCode[]): string {
  const at = call.startPosition;
  const before = (a: Point, b: Point) => a.row < b.row || (a.row === b.row && a.column <= b.column);
  const hit = skipped.find((s) => before(s.start, at) && before(at, s.end));
  if (hit) return `not reached: ${hit.reason}`;
  for (let p = call.parent; p; p = p.parent) {
    if (p.type === 'lambda') return 'inside a lambda: built only when the lambda is called, which the analysis does not follow';
  }
  return UNREACHED;
}

/**
 * A call's callee's shape, from its text alone: the name it starts from, how many attributes follow (`torch.optim.X`: 2)
 * and their path (`.optim.X`); null when it has no callee or the callee does not start from a name. `last`: what the path resolved to for the
 * last base path asked (a file's callees resolve against the same imports edit after edit).
 */
interface Callee {
  base: string;
  attributes: number;
  suffix: string;
  last: { basePath: string; known: { kind: string; family: string } | null } | null;
}
const CALLEE = new TextFact((call): Callee | null => {
  const fn = call.childForFieldName('function');
  if (!fn) return null;
  let cur = unparen(fn);
  let attributes = 0;
  let suffix = '';
  while (cur.type === 'attribute') {
    attributes++;
    suffix = `.${cur.childForFieldName('attribute')?.text ?? ''}${suffix}`;
    cur = unparen(cur.childForFieldName('object')!);
  }
  return cur.type === 'identifier' ? { base: cur.text, attributes, suffix, last: null } : null;
});

/** The scheduler class a call's callee names, from the module's final bindings. */
function resolve(callee: Callee | null, scope: Scope | null): { kind: string; family: string } | null {
  // The base name's value first: it settles most callees (`self.conv`, `torch.relu`, a local helper) before
  // any string is built.
  if (!callee) return null;
  const base: PyVal | undefined = scope?.vars.get(callee.base);
  if (base?.k === 'class' && callee.attributes === 0 && BLOG_CLASSES.has(base.name)) return isLibraryClass(base) ? { kind: base.name, family: 'blog' } : null;
  if (base?.k === 'class' && callee.attributes === 0) return familyCallee(base);
  if (base?.k !== 'ref') return null;
  let known: { kind: string; family: string } | null | undefined = callee.last?.basePath === base.path ? callee.last.known : undefined;
  if (known === undefined) {
    const path = base.path + callee.suffix;
    known = byPath.get(path);
    if (known === undefined) {
      if (byPath.size > 10_000) byPath.clear();
      byPath.set(path, (known = ofPath(path)));
    }
    callee.last = { basePath: base.path, known };
  }
  return known && { ...known };
}

/** What `ofPath` said of each qualified name (a file names the same few modules' callables again and again). */
const byPath = new Map<string, { kind: string; family: string } | null>();

/** The scheduler class of a qualified name (`torch.optim.lr_scheduler.StepLR`), of any family. */
function ofPath(path: string): { kind: string; family: string } | null {
  const family = familyOfPath(path);
  if (family) return family;
  const torch = torchSchedulerOf(path);
  if (torch) return { kind: torch, family: 'torch' };
  const blog = blogClassOf(path);
  return blog ? { kind: blog, family: 'blog' } : null;
}
