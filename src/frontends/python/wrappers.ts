/**
 * Library calls that hand back the optimizer (or scheduler) they were given: the object returned
 * has the same `param_groups` (the same dicts, or a wrapper that forwards to them), so the curve a
 * scheduler built on it draws is the one of the optimizer that was wrapped. Documented in README
 * ("Values LR Lens follows"); anything else such a call returns (a wrapped model, a data loader,
 * DeepSpeed's engine) is unknown, with the reason.
 *
 * | call                                              | returns                                                          |
 * |---------------------------------------------------|------------------------------------------------------------------|
 * | `accelerator.prepare(a, b, …)` (accelerate)       | each argument in the same order: one → itself, several → a tuple |
 * | `fabric.setup(model, *optimizers)` (Lightning)    | `model` alone, or `(model, *optimizers)`                         |
 * | `fabric.setup_optimizers(*optimizers)`            | one → itself, several → a tuple                                  |
 * | `hvd.DistributedOptimizer(optimizer, …)` (horovod)| `optimizer`                                                      |
 * | `amp.initialize(models, optimizers=None, …)` (apex)| `models`, or `(models, optimizers)`                             |
 * | `deepspeed.initialize(…, optimizer=…, lr_scheduler=…)` | `(engine, optimizer, dataloader, lr_scheduler)`             |
 * | `ZeroRedundancyOptimizer(params, optimizer_class, **defaults)` | an `optimizer_class(params, **defaults)` optimizer    |
 */
import type { ArgSlot, EvaluatedArgs, Interpreter } from './interp';
import { shortText, SyntaxNode } from './syntax';
import { PyVal, isDataLoader, unknown } from './values';

/** Methods of an object that hand back their arguments, by the object's class (or the receiver's name when it is not known). */
const METHODS: { method: string; types: RegExp; receiver: RegExp }[] = [
  { method: 'prepare', types: /^Accelerator$/, receiver: /accelerator/i },
  // `setup(model, *optimizers)` returns the model alone or `(model, *optimizers)`: each argument, in order.
  { method: 'setup', types: /^Fabric$/, receiver: /fabric/i },
  { method: 'setup_optimizers', types: /^Fabric$/, receiver: /fabric/i },
];

const passes = (v: PyVal) => v.k === 'optimizer' || v.k === 'scheduler';

/**
 * What a wrapped argument becomes: an optimizer or scheduler itself; a data loader a data loader still (accelerate's
 * `DataLoaderShard`: its length is its batches per epoch, as a loader's); anything else unknown.
 */
function wrapped(v: PyVal, call: string): PyVal {
  return passes(v) || isDataLoader(v) ? v : unknown(`\`${call}\` returns a wrapped object, whose value is not evaluated`);
}

function tupleOr(items: PyVal[]): PyVal {
  return items.length === 1 ? items[0]! : { k: 'list', items, tuple: true };
}

/** `obj.method(…)` when it is one of the wrapping methods above; null otherwise. */
export function wrapperMethod(obj: PyVal, method: string, fnNode: SyntaxNode, n: SyntaxNode, args: EvaluatedArgs): PyVal | null {
  // Keywords (`device_placement=`, `move_to_device=`) do not change what is returned.
  if ((obj.k !== 'opaque' && obj.k !== 'unknown') || args.splatReason || !args.pos.length) return null;
  const row = METHODS.find((m) => m.method === method);
  if (!row) return null;
  const receiver = fnNode.childForFieldName('object')?.text ?? '';
  const ours = obj.k === 'opaque' ? row.types.test(obj.typeName) || row.receiver.test(receiver)
    : obj.k === 'unknown' && row.receiver.test(receiver);
  if (!ours || !args.pos.some((a) => passes(a.val))) return null;
  const call = shortText(n, 40);
  const items = args.pos.map((a) => wrapped(a.val, call));
  return tupleOr(items);
}

/** A call of a library function or class (by its dotted path) that hands back the optimizer it is given; null otherwise. */
const WRAPPING_CALLS = new Set(['DistributedOptimizer', 'initialize', 'ZeroRedundancyOptimizer']);

export function wrapperCall(I: Interpreter, path: string, n: SyntaxNode, args: EvaluatedArgs): PyVal | null {
  const last = path.slice(path.lastIndexOf('.') + 1);
  if (!WRAPPING_CALLS.has(last) || args.splatReason) return null;
  const call = shortText(n, 40);
  const arg = (i: number, name: string): ArgSlot | undefined => args.kw.find(([k]) => k === name)?.[1] ?? args.pos[i];
  if (last === 'DistributedOptimizer' && /(^|\.)horovod\b/.test(path)) {
    const o = arg(0, 'optimizer');
    return o && o.val.k === 'optimizer' ? o.val : null;
  }
  if (last === 'initialize' && /(^|\.)amp\.initialize$/.test(path)) {
    const models = arg(0, 'models');
    const opts = arg(1, 'optimizers');
    if (!opts || opts.val.k === 'none') return null;
    const model = models ? wrapped(models.val, call) : unknown(`\`${call}\`: no model is given`);
    return { k: 'list', items: [model, passThrough(opts.val, call)], tuple: true };
  }
  if (path === 'deepspeed.initialize') {
    const opt = arg(2, 'optimizer');
    const sched = arg(5, 'lr_scheduler');
    return {
      k: 'list', tuple: true, items: [
        unknown(`\`${call}\` returns DeepSpeed's engine, which is not evaluated`),
        opt && opt.val.k === 'optimizer' ? opt.val : unknown(`\`${call}\`: DeepSpeed builds the optimizer from its config, which is not read`),
        unknown(`\`${call}\` returns DeepSpeed's data loader, which is not evaluated`),
        sched && sched.val.k === 'scheduler' ? sched.val : unknown(`\`${call}\`: DeepSpeed builds the scheduler from its config, which is not read`),
      ],
    };
  }
  if (last === 'ZeroRedundancyOptimizer') {
    const cls = arg(1, 'optimizer_class');
    const params = arg(0, 'params');
    if (!cls || !params || cls.val.k !== 'ref') return null;
    const type = cls.val.path.slice(cls.val.path.lastIndexOf('.') + 1);
    const own = new Set(['params', 'optimizer_class', 'process_group', 'parameters_as_bucket_view', 'overlap_with_ddp']);
    return I.hooks.optimizer(type, n, { pos: [params], kw: args.kw.filter(([k]) => !own.has(k)), splatReason: null });
  }
  return null;
}

/** A list / tuple of optimizers keeps its shape; a single optimizer is itself. */
function passThrough(v: PyVal, call: string): PyVal {
  if (v.k === 'list') return { ...v, items: v.items.map((x) => wrapped(x, call)) };
  return wrapped(v, call);
}

/**
 * `parser = helper(parser)` with a helper LR Lens cannot see: it most likely adds options and hands
 * the parser back, so the options already added are kept, each labelled as an assumption.
 */
export function parserThrough(n: SyntaxNode, args: EvaluatedArgs): PyVal | null {
  const isParser = (a: ArgSlot) => a.val.k === 'ns' && a.val.typeName === 'ArgumentParser';
  if (!args.pos.some(isParser) && !args.kw.some(([, a]) => isParser(a))) return null;
  let p = n.parent;
  while (p?.type === 'parenthesized_expression') p = p.parent;
  const target = p?.type === 'assignment' ? p.childForFieldName('left')?.text : null;
  const slot = target ? [...args.pos, ...args.kw.map(([, a]) => a)].find((a) => a.node.text === target) : undefined;
  const parser = slot?.val;
  if (parser?.k !== 'ns' || parser.typeName !== 'ArgumentParser') return null;
  const fn = n.childForFieldName('function')?.text ?? '';
  const label = `\`${fn.slice(fn.lastIndexOf('.') + 1)}\` may change the options`;
  const attrs = new Map<string, PyVal>();
  for (const [k, v] of parser.attrs) attrs.set(k, v.k === 'unknown' ? v : { ...v, assumed: v.assumed ? `${v.assumed}; ${label}` : label });
  return { ...parser, attrs };
}
