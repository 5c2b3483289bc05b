/**
 * State a function keeps between its calls. torch calls `lr_lambda` once per param group at every step; the engine
 * runs a group's steps before the next group's and a callable shared by the groups once per step (docs/torch-schedulers.md
 * §3), which gives torch's values only when what the function returns depends on its argument alone. A function that
 * reads back what an earlier call wrote — `counter[0] += 1`, `self.step_count += 1`, `global t; t += 1`,
 * `hist.append(e); return len(hist)` — returns what depends on how many calls came before, so the engine does not run
 * it: the scheduler's curve is unknown, with the statement as the reason.
 *
 * Read from the text (a syntactic fact, kept with a frozen node): a write to a place the function does not own (an
 * attribute, item or name of something not assigned in its body, e.g. `self`, a global list, a `global` /
 * `nonlocal` name) that the function also reads before writing it (an augmented assignment does; otherwise the same
 * expression text earlier in its body or on the assignment's right side), or a container it adds to and reads. A
 * write never read back (`self.last_lr = lr`, kept for logging, as latent-diffusion's LambdaWarmUpCosineScheduler
 * does) changes nothing the function returns; nor do reads that are only printed or logged, or inside f-strings. Nested functions are
 * not looked into here: the engine bridge checks each function it reaches.
 */
import { collectLocals } from './functions';
import { at as position, kids, shortText, TextFact, unparen, type SyntaxNode } from './syntax';

/** Methods that change the list, dict or set they are called on. */
const MUTATORS: ReadonlySet<string> = new Set(['append', 'extend', 'insert', 'pop', 'remove', 'clear', 'update', 'setdefault', 'popitem', 'add', 'discard', 'sort', 'reverse']);

/** Calls that only show what they are given (`print`, a logger's methods; not `math.log`): what they read is not returned. */
const MESSAGES = /^(print|(?!(math|np|numpy|torch|jnp|jax\.numpy|cmath)\.)(\w+\.)+(debug|info|warning|warn|error|log))$/;

/** The statement by which `fnNode` keeps state between its calls, or null. */
export function keptState(fnNode: SyntaxNode): string | null {
  return KEPT_STATE.of(fnNode)?.statement ?? null;
}

interface Write {
  /** The place written: a name, an attribute, an item; or the object a mutating method is called on. */
  place: SyntaxNode;
  /** The statement or call, for the reason. */
  site: SyntaxNode;
  /** `x += 1` reads the place it writes; `hist.append(e)` adds to what earlier calls left there. */
  kind: 'assign' | 'augmented' | 'mutator';
}

const KEPT_STATE = new TextFact<{ statement: string } | null>((fnNode) => {
  const body = fnNode.childForFieldName('body');
  if (!body) return null;
  const locals = new Set<string>();
  collectLocals(body, locals);
  const declared = new Set<string>();
  const writes: Write[] = [];
  /** Where each name, attribute or item expression is read in the body (its start), by its text. */
  const reads = new Map<string, number[]>();
  const written = new Set<number>();
  const stack: SyntaxNode[] = fnNode.type === 'lambda' ? [body] : [...kids(body)]; // a copy: `kids` of a frozen node is its cached array
  while (stack.length) {
    const n = stack.pop()!;
    switch (n.type) {
      case 'function_definition': case 'lambda': case 'class_definition': continue;
      case 'global_statement': case 'nonlocal_statement':
        for (const c of kids(n)) if (c.type === 'identifier') declared.add(c.text);
        continue;
      case 'assignment': case 'augmented_assignment': {
        const left = n.childForFieldName('left');
        for (const place of left ? targets(left) : []) {
          writes.push({ place, site: n, kind: n.type === 'assignment' ? 'assign' : 'augmented' });
          written.add(place.id);
        }
        break;
      }
      case 'interpolation': continue;
      case 'call': {
        const f = n.childForFieldName('function');
        if (f && MESSAGES.test(f.text)) continue;
        const obj = f?.type === 'attribute' ? f.childForFieldName('object') : null;
        if (obj && MUTATORS.has(f!.childForFieldName('attribute')?.text ?? '')) {
          writes.push({ place: obj, site: n, kind: 'mutator' });
          written.add(obj.id);
        }
        break;
      }
      case 'identifier': case 'attribute': case 'subscript':
        if (!written.has(n.id)) {
          const at = reads.get(n.text);
          if (at) at.push(position(n));
          else reads.set(n.text, [position(n)]);
        }
        break;
    }
    stack.push(...kids(n));
  }
  for (const w of writes) {
    const root = rootName(w.place);
    if (root === null) continue;
    // A name assigned is the function's own unless declared global / nonlocal; an attribute, an item or an object
    // added to is shared unless it belongs to a name the body assigns (a dict or list made in the call).
    const shared = w.place.type === 'identifier' && w.kind !== 'mutator' ? declared.has(root) : declared.has(root) || !locals.has(root);
    if (!shared) continue;
    const at = reads.get(w.place.text) ?? [];
    // A read before the assignment ends (earlier, or on its right side) sees what an earlier call left; one after it
    // sees this call's own value. A container added to and read anywhere holds every earlier call's additions.
    const keeps = w.kind === 'augmented' || (w.kind === 'mutator' ? at.length > 0 : at.some((i) => i < position(w.site, true)));
    if (keeps) return { statement: shortText(w.site, 60) };
  }
  return null;
});

/** The places an assignment's left side writes (tuple patterns unpacked; parentheses dropped). */
function targets(left: SyntaxNode): SyntaxNode[] {
  const t = unparen(left);
  if (t.type === 'identifier' || t.type === 'attribute' || t.type === 'subscript') return [t];
  if (t.type === 'pattern_list' || t.type === 'tuple_pattern' || t.type === 'list_pattern' || t.type === 'tuple' || t.type === 'list') return kids(t).flatMap(targets);
  return [];
}

/** The name an attribute / item chain starts from (`self` of `self.hist[0]`), or null (`f().x`). */
function rootName(place: SyntaxNode): string | null {
  let n: SyntaxNode | null = place;
  while (n && (n.type === 'attribute' || n.type === 'subscript')) n = n.childForFieldName(n.type === 'attribute' ? 'object' : 'value');
  return n?.type === 'identifier' ? n.text : null;
}
