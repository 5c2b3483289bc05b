/**
 * Import statements → bindings. A module or anything imported from one is a
 * `ref` carrying its qualified name (`torch.optim.lr_scheduler.StepLR`), so
 * every import style resolves to the same name whatever the aliases.
 */
import { SCHEDULER_KINDS } from '../../engine/signatures';
import { MATH_CONSTANTS } from './builtins';
import { importBindings } from './modules';
import { kids, SyntaxNode } from './syntax';
import type { PyVal, Scope } from './values';

/** The blog's classes (docs/torch-schedulers.md §6): recognised by name when defined in or imported into the file. */
export const BLOG_CLASSES = new Set(['CosineAnnealingWarmUpRestarts', 'WarmupConstantSchedule']);

/** The torch scheduler classes (SIGNATURES minus the blog's). */
export const TORCH_SCHEDULERS: ReadonlySet<string> = new Set(SCHEDULER_KINDS.filter((k) => !BLOG_CLASSES.has(k)));

/**
 * Binds the names an `import` / `from … import …` statement introduces into `scope`: library names
 * as references, then the repository's own modules as their values (modules.ts) when a workspace is given.
 */
export function bindImport(stmt: SyntaxNode, scope: Scope): void {
  // The repository's modules first: `from . import m` in a package must not find the reference bound below.
  const own = importBindings(stmt, scope);
  bindLibraryImport(stmt, scope);
  for (const [k, v] of own ?? []) scope.vars.set(k, v);
}

function bindLibraryImport(stmt: SyntaxNode, scope: Scope): void {
  if (stmt.type === 'import_statement') {
    for (const item of kids(stmt)) {
      if (item.type === 'dotted_name') {
        // `import torch.optim` binds `torch`.
        const first = kids(item)[0]?.text;
        if (first) scope.vars.set(first, { k: 'ref', path: first });
      } else if (item.type === 'aliased_import') {
        const name = item.childForFieldName('name')?.text;
        const alias = item.childForFieldName('alias')?.text;
        if (name && alias) scope.vars.set(alias, { k: 'ref', path: dotted(name) });
      }
    }
    return;
  }
  if (stmt.type !== 'import_from_statement') return;
  const moduleNode = stmt.childForFieldName('module_name');
  if (!moduleNode) return;
  const mod = dotted(moduleNode.text);
  // The module name is the first named child; the imported names follow it.
  for (const item of kids(stmt).slice(1)) {
    if (item.type === 'wildcard_import') {
      bindWildcard(mod, scope);
    } else if (item.type === 'dotted_name') {
      scope.vars.set(item.text, imported(mod, item.text));
    } else if (item.type === 'aliased_import') {
      const name = item.childForFieldName('name')?.text;
      const alias = item.childForFieldName('alias')?.text;
      if (name && alias) scope.vars.set(alias, imported(mod, name));
    }
  }
}

function dotted(text: string): string {
  return text.replace(/\s+/g, '');
}

function imported(mod: string, name: string): PyVal {
  return refOrConstant(mod.startsWith('.') ? name : `${mod}.${name}`);
}

/** A name from another module, or the number it is when that is one of math's (or numpy's) constants (`from math import pi`). */
function refOrConstant(path: string): PyVal {
  const m = /^(math|numpy)\.([A-Za-z_]\w*)$/.exec(path);
  return (m && MATH_CONSTANTS.get(m[2]!)) || { k: 'ref', path };
}

/** `from torch.optim.lr_scheduler import *` (and `from math import *`) bind what we know of the module. */
function bindWildcard(mod: string, scope: Scope): void {
  if (mod === 'torch.optim.lr_scheduler') {
    for (const k of TORCH_SCHEDULERS) scope.vars.set(k, { k: 'ref', path: `${mod}.${k}` });
  } else if (mod === 'math') {
    for (const n of ['pi', 'e', 'tau', 'inf', 'nan', 'cos', 'sin', 'tan', 'exp', 'log', 'log2', 'log10', 'sqrt', 'floor', 'ceil', 'pow', 'fabs']) {
      scope.vars.set(n, refOrConstant(`math.${n}`));
    }
  }
}

/** The scheduler kind a qualified name denotes, if any (`torch.optim.lr_scheduler.StepLR` → StepLR). */
export function torchSchedulerOf(path: string): string | null {
  const m = /^torch\.optim\.lr_scheduler\.([A-Za-z_]\w*)$/.exec(path);
  if (m && TORCH_SCHEDULERS.has(m[1]!)) return m[1]!;
  return null;
}

/** A blog class imported from any module (`from utils import WarmupConstantSchedule`). */
export function blogClassOf(path: string): string | null {
  const last = path.slice(path.lastIndexOf('.') + 1);
  return BLOG_CLASSES.has(last) && path.includes('.') ? last : null;
}
