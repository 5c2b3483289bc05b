/**
 * A scheduler handed on (loops.ts): the `.step()` calls it reaches by being passed to the file's functions (each
 * through the calls that pass this scheduler), and, when nothing steps it, where it went (a call LR Lens does not
 * see, a return, a container); with the scoping that tells one function's variable from another's of the same name.
 */
import type { FoundCall } from '../../analysis/types';
import { enclosing, kids, shortText, unparen, type SyntaxNode } from './syntax';
import { escapeRe, within, type FileIndex } from './fileIndex';

/** Where the scheduler held by `variable` is handed on: a call that is not a function of the file, a return. */
export function handedTo(c: FoundCall, callNode: SyntaxNode | null, index: FileIndex): string[] {
  const v = c.variable;
  const out: string[] = [];
  // Built inside a call's arguments (`Trainer(lr_scheduler=X(…))`) or returned directly.
  if (callNode) {
    const host = unparenParent(callNode);
    if (host?.type === 'argument_list' || host?.type === 'keyword_argument') {
      const call = enclosing(callNode, ['call']);
      if (call) out.push(`\`${shortText(call.childForFieldName('function') ?? call, 40)}(…)\``);
    }
    if (host?.type === 'return_statement') out.push(`the return of \`${enclosing(callNode, ['function_definition'])?.childForFieldName('name')?.text ?? '?'}()\``);
    // The body of a lambda the walk did not call (`'cos': lambda opt: CosineAnnealingLR(opt, …)` in a dict of factories):
    // whatever calls it gets the scheduler, so it is not "never stepped".
    if (host?.type === 'lambda' && c.schedulerIndex === null) out.push(`the return of a lambda (\`${shortText(host, 40)}\`)`);
    if (host?.type === 'list' || host?.type === 'tuple' || host?.type === 'dictionary' || host?.type === 'pair') out.push(`a ${host.type === 'pair' ? 'dict' : host.type} (\`${shortText(host, 40)}\`)`);
    // Kept in a container under a key (`scheduler_dict[param] = get_scheduler(…)`): stepped, if at all, through its
    // entries (`scheduler_dict[param].step()`, in a hook or a loop over the keys), which the walk cannot tie to this one.
    const left = host?.type === 'assignment' && host.childForFieldName('right') && unparen(host.childForFieldName('right')!).id === callNode.id ? host.childForFieldName('left') : null;
    const target = left ? unparen(left) : null;
    if (target?.type === 'subscript') {
      const container = target.childForFieldName('value')?.text.replace(/\s+/g, '') ?? '';
      const through = container ? index.stepCallsThrough(container) : [];
      const first = through[0]?.childForFieldName('function');
      out.push(`\`${shortText(target, 40)}\`${first ? ` (its entries are stepped by \`${shortText(first, 40)}()\` at line ${first.startPosition.row + 1})` : ''}`);
    }
  }
  if (!v) return out;
  // The variable as an argument, or inside a tuple / list / dict written there (`optimizers=(optimizer, scheduler)`).
  const scope = callNode ? functionOf(callNode) : null;
  for (const call of index.callsNaming(v)) {
    // Another function's own variable of the same name is not this one.
    if (callNode && !sameBinding(call, v, scope)) continue;
    if (call.type === 'return_statement') {
      out.push(`the return of \`${enclosing(call, ['function_definition'])?.childForFieldName('name')?.text ?? '?'}()\``);
      continue;
    }
    if (call.type === 'assignment') {
      const left = call.childForFieldName('left');
      // `scheduler = X(…)` itself is the construction, not a hand-off.
      if (left && left.text.replace(/\s+/g, '') !== v) out.push(`\`${shortText(left, 40)}\``);
      continue;
    }
    const f = call.childForFieldName('function');
    if (f?.type === 'identifier' && index.defines(f.text)) continue;
    out.push(`\`${shortText(f ?? call, 40)}(…)\``);
  }
  return [...new Set(out)];
}

/** The function a plain name is local to: the one around the node (null at module level). */
export function functionOf(n: SyntaxNode): SyntaxNode | null {
  return enclosing(n, ['function_definition']);
}

/** A function's parameter names, in order (`*args`, `**kw` aside). */
function paramNames(def: SyntaxNode): string[] {
  const ps = def.childForFieldName('parameters');
  return ps ? kids(ps).flatMap((p) => {
    if (p.type === 'identifier') return [p.text];
    if (p.type === 'default_parameter' || p.type === 'typed_default_parameter') return [p.childForFieldName('name')?.text ?? ''];
    if (p.type === 'typed_parameter') return [kids(p).find((k) => k.type === 'identifier')?.text ?? ''];
    return p.type === 'list_splat_pattern' || p.type === 'dictionary_splat_pattern' ? ['*'] : [];
  }) : [];
}

/** Whether `fn` binds `name` itself (a parameter, or an assignment in its body): its own local, not the outer one. */
function bindsLocally(fn: SyntaxNode, name: string): boolean {
  if (paramNames(fn).includes(name)) return true;
  const body = fn.childForFieldName('body');
  return !!body && new RegExp(`(?<![\\w.])${escapeRe(name)}\\s*(=(?!=)|:[^=\\n]*=(?!=))`).test(body.text);
}

/**
 * Whether the occurrence `occ` of `name` is the variable bound in `scope` (a function, null: the module): the same
 * function, a function nested in it that does not bind the name again, or (module level) a function reading the global.
 * `self.x` names are the instance's, wherever they are read.
 */
function sameBinding(occ: SyntaxNode, name: string, scope: SyntaxNode | null): boolean {
  if (name.includes('.')) return true;
  const fn = functionOf(occ);
  if (!scope) return fn === null || !bindsLocally(fn, name);
  return fn !== null && (fn.id === scope.id || (within(fn, scope) && !bindsLocally(fn, name)));
}

/** The parameter of `def` that `call` binds to the variable `v` (passed as itself, positionally or by keyword). */
function paramPassed(call: SyntaxNode, def: SyntaxNode, v: string): string | null {
  const names = paramNames(def);
  const method = enclosing(def, ['class_definition', 'function_definition'])?.type === 'class_definition';
  const positional = method ? names.slice(1) : names;
  let i = 0;
  for (const a of kids(call.childForFieldName('arguments')!)) {
    if (a.type === 'keyword_argument') {
      const val = a.childForFieldName('value');
      if (val && unparen(val).text.replace(/\s+/g, '') === v) return a.childForFieldName('name')?.text ?? null;
      continue;
    }
    if (a.type === 'list_splat' || a.type === 'dictionary_splat') return null;
    if (unparen(a).text.replace(/\s+/g, '') === v) {
      const p = positional[i];
      return p && p !== '*' ? p : null;
    }
    i++;
  }
  return null;
}

/** A step call on a helper's parameter, with the calls to follow up from each helper on the way (only those passing the scheduler). */
interface HandedStep { node: SyntaxNode; forced: Map<number, SyntaxNode[]> }

/**
 * The `.step()` calls a scheduler reaches by being passed to functions of the file (`train_one_epoch(model, loader,
 * optimizer, scheduler)`, then `scheduler.step()` there), through helpers up to 3 deep. Each is attributed to the
 * calls that pass THIS scheduler: a helper also called with `None` or with another scheduler elsewhere steps
 * nothing (or that one) from those calls.
 */
export function handedSteps(v: string, scope: SyntaxNode | null, index: FileIndex, depth = 0, forced = new Map<number, SyntaxNode[]>()): HandedStep[] {
  const byDef = new Map<number, { def: SyntaxNode; param: string; calls: SyntaxNode[] }>();
  for (const call of index.callsNaming(v)) {
    if (call.type !== 'call' || !sameBinding(call, v, scope)) continue;
    const f = call.childForFieldName('function');
    const name = f?.type === 'identifier' ? f.text : f?.type === 'attribute' && f.childForFieldName('object')?.text === 'self' ? f.childForFieldName('attribute')?.text : null;
    const def = name ? index.defNamed(name) : null;
    if (!def || within(call, def) || forced.has(def.id)) continue;
    const param = paramPassed(call, def, v);
    if (!param) continue;
    const e = byDef.get(def.id);
    // `f(x, sched=sched)` names it twice: one call.
    if (e && e.param === param && !e.calls.some((k) => k.id === call.id)) e.calls.push(call);
    else if (!e) byDef.set(def.id, { def, param, calls: [call] });
  }
  const out: HandedStep[] = [];
  for (const { def, param, calls } of byDef.values()) {
    const fm = new Map(forced).set(def.id, calls);
    for (const node of index.stepCallsOn(param)) if (functionOf(node)?.id === def.id) out.push({ node, forced: fm });
    if (depth < 2) out.push(...handedSteps(param, def, index, depth + 1, fm));
  }
  return out;
}

function unparenParent(n: SyntaxNode): SyntaxNode | null {
  let p = n.parent;
  while (p && p.type === 'parenthesized_expression') p = p.parent;
  return p;
}
