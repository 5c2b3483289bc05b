/**
 * Quick-fix builders. Each edits only the argument concerned and keeps the
 * user's layout; spelling follows the call's language (Python `False`, TS
 * `false`; `name=value` vs an object literal's `name: value`). A builder
 * returns null when the edit would be ambiguous, and the rule then offers none.
 */
import type { QuickFix, Range, TextEdit } from '../analysis/types';
import type { RuleContext } from './context';
import { appendItem, containerOf, openParenOf, removeItem, scanList, type ItemList, type Lang, type SourceText } from './source';

/** A boolean literal in the call's language. */
export function boolLit(ctx: RuleContext, v: boolean): string {
  if (ctx.lang === 'ts') return v ? 'true' : 'false';
  return v ? 'True' : 'False';
}

function fix(title: string, edits: TextEdit[] | null, preferred: boolean): QuickFix | null {
  return edits && edits.length ? { title, edits, preferred } : null;
}

/** Keeps the non-null fixes. */
export function fixes(...xs: (QuickFix | null)[]): QuickFix[] {
  return xs.filter((x): x is QuickFix => x !== null);
}

/** The argument list of the call spanning `callRange`: the first `(` after the callee (or the call's start). */
function argList(src: SourceText, lang: Lang, callRange: Range, calleeRange?: Range): ItemList | null {
  const start = src.offsetAt((calleeRange ?? callRange).end);
  const from = calleeRange ? start : src.offsetAt(callRange.start);
  const paren = openParenOf(src.text, from, src.offsetAt(callRange.end));
  return paren < 0 ? null : scanList(src.text, paren, lang);
}

/** Edits inserting the keyword argument `name` = `value` into a call (Python) or its options object (TS). */
function insertKeyword(ctx: RuleContext, callRange: Range, calleeRange: Range | undefined, name: string, value: string): TextEdit[] | null {
  const src = ctx.src;
  const list = argList(src, ctx.lang, callRange, calleeRange);
  if (!list) return null;
  if (ctx.lang === 'python') {
    // A `**kwargs` could already hold the keyword: then inserting it would be a TypeError.
    if (list.items.some((it) => src.text.slice(it.start, it.end).startsWith('**'))) return null;
    return [appendItem(src, list, `${name}=${value}`)];
  }
  const last = list.items[list.items.length - 1];
  if (last && src.text[last.start] === '{') {
    const obj = scanList(src.text, last.start, 'ts');
    if (!obj) return null;
    if (obj.items.some((it) => src.text.slice(it.start, it.end).startsWith('...'))) return null;
    if (!obj.items.length) return [{ range: src.range(obj.open + 1, obj.close), newText: ` ${name}: ${value} ` }];
    return [appendItem(src, obj, `${name}: ${value}`)];
  }
  return [appendItem(src, list, `{ ${name}: ${value} }`)];
}

/** Replace the value of `name` when written, else add it as a keyword argument. */
export function setArg(ctx: RuleContext, name: string, value: string, title: string, preferred: boolean): QuickFix | null {
  const info = ctx.info(name);
  if (info?.range && !info.isDefault) return fix(title, [{ range: info.range, newText: value }], preferred);
  return fix(title, insertKeyword(ctx, ctx.call.range, ctx.call.calleeRange, name, value), preferred);
}

/** Replace the written value of `name` (no fix when it is not written). */
export function replaceArg(ctx: RuleContext, name: string, value: string, title: string, preferred: boolean): QuickFix | null {
  const info = ctx.info(name);
  if (!info?.range || info.isDefault) return null;
  return fix(title, [{ range: info.range, newText: value }], preferred);
}

/** Remove the argument `name`, with one separating comma. */
export function removeArg(ctx: RuleContext, name: string, title: string, preferred: boolean): QuickFix | null {
  const whole = argSpan(ctx, name);
  if (!whole) return null;
  const src = ctx.src;
  const start = src.offsetAt(whole.start);
  const end = src.offsetAt(whole.end);
  const list = containerOf(src.text, src.offsetAt(ctx.call.calleeRange.end), start, ctx.lang);
  if (!list) return null;
  const item = list.items.find((it) => it.start === start && it.end === end);
  if (!item) return null;
  return fix(title, [removeItem(src, list, item.start, item.end)], preferred);
}

/**
 * The optimizer's call and its lr value expression: the frontend's ranges when it gives them,
 * else found in the call's text (a keyword `lr=` / `lr:` or the first positional after params).
 */
export function optimizerSpans(ctx: RuleContext): { call: Range | null; lr: Range | null } {
  const opt = ctx.call.optimizer;
  if (!opt) return { call: null, lr: null };
  const call = opt.callRange ?? (opt.range && /\)\s*$/.test(ctx.src.slice(opt.range)) ? opt.range : null);
  if (opt.lrRange !== undefined || !call) return { call, lr: opt.lrRange ?? null };
  const src = ctx.src;
  const list = argList(src, ctx.lang, call);
  if (!list) return { call, lr: null };
  const items = list.items.map((it) => ({ ...it, text: src.text.slice(it.start, it.end) }));
  const keyword = ctx.lang === 'python' ? /^lr\s*=\s*/ : /^lr\s*:\s*/;
  const scope = ctx.lang === 'ts' && items.length && items[items.length - 1]!.text.startsWith('{')
    ? (scanList(src.text, items[items.length - 1]!.start, 'ts')?.items ?? []).map((it) => ({ ...it, text: src.text.slice(it.start, it.end) }))
    : items;
  for (const it of scope) {
    const m = keyword.exec(it.text);
    if (m) return { call, lr: src.range(it.start + m[0].length, it.end) };
  }
  const second = items[1];
  if (second && !/^[A-Za-z_]\w*\s*=|^\*|^\{/.test(second.text)) return { call, lr: src.range(second.start, second.end) };
  return { call, lr: null };
}

/**
 * The `lr` value written in param group `g`'s own dict (`[{'params': …, 'lr': 0.01}, …]` or the TS
 * object form), or null when that group has no own lr (it then takes the optimizer's lr).
 */
export function groupLrSpan(ctx: RuleContext, g: number): Range | null {
  const { call } = optimizerSpans(ctx);
  if (!call) return null;
  const src = ctx.src;
  const args = argList(src, ctx.lang, call);
  const first = args?.items[0];
  if (!first || src.text[first.start] !== '[') return null;
  const groups = scanList(src.text, first.start, ctx.lang);
  const item = groups?.items[g];
  if (!item || src.text[item.start] !== '{') return null;
  for (const kv of scanList(src.text, item.start, ctx.lang)?.items ?? []) {
    const m = /^(['"]lr['"]|lr)\s*:\s*/.exec(src.text.slice(kv.start, kv.end));
    if (m) return src.range(kv.start + m[0].length, kv.end);
  }
  return null;
}

/**
 * Set the optimizer's lr to `value`: replace its `lr` expression, or add `lr=…` to the optimizer call.
 * Null when the optimizer call is not in view or its param groups set their own lr (the top-level lr
 * would not reach them).
 */
export function setOptimizerLr(ctx: RuleContext, value: string, preferred: boolean): QuickFix | null {
  const { call, lr } = optimizerSpans(ctx);
  if (!call) return null;
  const title = `Set the optimizer's lr to ${value}`;
  // A group dict with its own `lr` key keeps it whatever the top-level lr says. In TS the
  // top-level lr is itself an `lr:` property of the options object.
  const keys = ctx.src.slice(call).match(/(['"]lr['"]|\blr)\s*:/g)?.length ?? 0;
  if (keys > (ctx.lang === 'ts' && lr ? 1 : 0)) return null;
  if (lr) return fix(title, [{ range: lr, newText: value }], preferred);
  return fix(title, insertKeyword(ctx, call, undefined, 'lr', value), preferred);
}

/** The whole argument `name=value` (or `name: value`, or the positional value): the frontend's range, else found in the text. */
export function argSpan(ctx: RuleContext, name: string): Range | null {
  const info = ctx.info(name);
  if (!info?.range || info.isDefault) return null;
  if (info.fullRange) return info.fullRange;
  const src = ctx.src;
  const start = src.offsetAt(info.range.start);
  const head = src.text.slice(Math.max(0, start - name.length - 40), start);
  const sep = ctx.lang === 'python' ? '=' : ':';
  const m = new RegExp(`(['"]?)${name}\\1\\s*${sep}\\s*$`).exec(head);
  return m ? src.range(start - (head.length - m.index), src.offsetAt(info.range.end)) : info.range;
}

/** Rewrite the written list literal of `name` to `values` (a subset of its items), keeping item texts and separators. */
export function rewriteList(ctx: RuleContext, name: string, keep: (items: { text: string; value: number | null }[]) => number[] | null,
  title: string, preferred: boolean): QuickFix | null {
  const info = ctx.info(name);
  if (!info?.range || info.isDefault) return null;
  const src = ctx.src;
  const start = src.offsetAt(info.range.start);
  const list = scanList(src.text, start, ctx.lang);
  if (!list || list.close + 1 !== src.offsetAt(info.range.end)) return null;
  const items = list.items.map((it) => {
    const text = src.text.slice(it.start, it.end);
    return { text, value: /^[-+]?(\d[\d_]*\.?\d*(e[-+]?\d+)?|\.\d+(e[-+]?\d+)?)$/i.test(text) ? Number(text.replace(/_/g, '')) : null };
  });
  if (items.some((i) => i.value === null)) return null;
  const order = keep(items);
  if (!order) return null;
  const sep = list.items.length >= 2 ? src.text.slice(list.items[0]!.end, list.items[1]!.start).replace(/\n[ \t]*/g, ' ') : ', ';
  const open = src.text[list.open]!;
  const close = src.text[list.close]!;
  const body = order.map((k) => items[k]!.text).join(sep.trim() === ',' ? sep : ', ');
  const tupleComma = open === '(' && order.length === 1 ? ',' : '';
  return fix(title, [{ range: info.range, newText: `${open}${body}${tupleComma}${close}` }], preferred);
}
