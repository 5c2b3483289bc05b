/**
 * A function handed to the engine that reads an instance's counter (seventh audit): habitat-lab's
 * `LambdaLR(opt, lr_lambda=lambda x: 1 - self.percent_done())`, where `percent_done()` reads `self.num_steps_done`
 * and the training code advances it (`self.num_steps_done += …`). Python reads the counter when each call runs, so
 * which value a step sees depends on when it steps; the walk's one value (its last, or the construction's when it
 * did not follow the loop through the calls around it) drew a flat line. Syntax decides: the attributes the function
 * reads of the instance, directly or through the class's methods it calls on it, against those that a method of the
 * class other than `__init__` adds to or takes from (`+=`, `-=`, …): a counter, not a setting.
 */
import { params } from './functions';
import { kids, lineOf, type SyntaxNode } from './syntax';
import { lineage, type FuncVal, type PyVal } from './values';

type ClassVal = PyVal & { k: 'class' };

/** Statements whose attributes of the instance are read as counters: augmented assignments (`self.step += 1`). */
const COUNTER_OPS = /^(\+=|-=|\*=|\/=|\/\/=)$/;

/** The first parameter of a method node (its `self`), or null. */
function selfOf(fn: SyntaxNode): string | null {
  return params(fn)[0]?.name ?? null;
}

/** A method of the class or of a base of the file, as a function node. */
function methodNode(cls: ClassVal, name: string): FuncVal | null {
  for (const c of lineage(cls).classes) {
    const v = c.attrs.get(name);
    if (v?.k === 'func') return v;
  }
  return null;
}

/** The attributes of `self` that `fn` reads (`self.x`), and the methods of the class it calls on it, transitively. */
function attributesRead(fn: SyntaxNode, self: string, cls: ClassVal, seen: Set<SyntaxNode>, out: Map<string, string>, via: string): void {
  if (seen.has(fn) || seen.size > 50) return;
  seen.add(fn);
  let visits = 0;
  const visit = (n: SyntaxNode, top: boolean): void => {
    if (++visits > 20000) return;
    if (!top && (n.type === 'function_definition' || n.type === 'class_definition')) return;
    if (n.type === 'attribute') {
      const obj = n.childForFieldName('object');
      const attr = n.childForFieldName('attribute')?.text;
      if (obj?.type === 'identifier' && obj.text === self && attr) {
        const m = methodNode(cls, attr);
        const mSelf = m ? selfOf(m.node) : null;
        if (m && mSelf) attributesRead(m.node, mSelf, cls, seen, out, attr);
        else if (!out.has(attr)) out.set(attr, via);
      }
    }
    for (const k of kids(n)) visit(k, false);
  };
  visit(fn, true);
}

/** The attributes of the instance a method other than `__init__` changes as a counter: attribute → where. */
function counters(cls: ClassVal): Map<string, string> {
  const out = new Map<string, string>();
  for (const c of lineage(cls).classes) {
    for (const [name, v] of c.attrs) {
      if (v.k !== 'func' || name === '__init__') continue;
      const self = selfOf(v.node);
      if (!self) continue;
      let visits = 0;
      const visit = (n: SyntaxNode): void => {
        if (++visits > 20000) return;
        if (n.type === 'augmented_assignment') {
          const left = n.childForFieldName('left');
          const op = n.children.find((k) => k && !k.isNamed)?.type ?? '';
          const obj = left?.type === 'attribute' ? left.childForFieldName('object') : null;
          const attr = left?.childForFieldName('attribute')?.text;
          if (obj?.type === 'identifier' && obj.text === self && attr && COUNTER_OPS.test(op) && !out.has(attr)) {
            out.set(attr, `\`${c.name}.${name}\` (line ${lineOf(n)})`);
          }
        }
        for (const k of kids(n)) visit(k);
      };
      const body = v.node.childForFieldName('body');
      if (body) visit(body);
    }
  }
  return out;
}

/**
 * Why `fn` cannot be previewed when it reads a counter of the instance `inst` through `self` (a free name of a
 * lambda, or a bound method's first parameter), else null.
 */
export function readsInstanceCounter(fn: FuncVal, self: string, inst: PyVal): string | null {
  if (inst.k !== 'ns' || !inst.cls) return null;
  const read = new Map<string, string>();
  attributesRead(fn.node, self, inst.cls, new Set(), read, '');
  if (!read.size) return null;
  const changed = counters(inst.cls);
  for (const [attr, via] of read) {
    const where = changed.get(attr);
    if (where) {
      return `\`${fn.name}\` reads \`${self}.${attr}\`${via ? ` (through \`${self}.${via}()\`)` : ''}, which ${where} changes as the run goes: ` +
        'which value each of its calls sees depends on when the scheduler steps, which LR Lens does not follow';
    }
  }
  return null;
}
