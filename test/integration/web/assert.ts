/**
 * The part of Node's `assert` the integration suites use, for VS Code for the Web's worker host, where Node's
 * modules do not exist (the web build of the suites maps `assert` here). Same names, same failures.
 */
export class AssertionError extends Error {
  override name = 'AssertionError';
}

function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  try { return JSON.stringify(v) ?? String(v); } catch { return String(v); }
}

function fail(message: string | Error | undefined, fallback: string): never {
  if (message instanceof Error) throw message;
  throw new AssertionError(message ?? fallback);
}

export function ok(value: unknown, message?: string | Error): asserts value {
  if (!value) fail(message, `The expression evaluated to a falsy value: ${show(value)}`);
}

export function strictEqual<T>(actual: unknown, expected: T, message?: string | Error): asserts actual is T {
  if (!Object.is(actual, expected)) fail(message, `Expected values to be strictly equal:\n${show(actual)} !== ${show(expected)}`);
}

export function notStrictEqual(actual: unknown, expected: unknown, message?: string | Error): void {
  if (Object.is(actual, expected)) fail(message, `Expected "actual" to be strictly unequal to: ${show(expected)}`);
}

/** Node's strict deep equality for what tests compare: primitives (Object.is), arrays, plain objects, Dates, RegExps, Maps, Sets. */
function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (a instanceof Date) return a.getTime() === (b as Date).getTime();
  if (a instanceof RegExp) return String(a) === String(b);
  if (a instanceof Map) {
    const m = b as Map<unknown, unknown>;
    return a.size === m.size && [...a].every(([k, v]) => m.has(k) && deepEqual(v, m.get(k)));
  }
  if (a instanceof Set) {
    const s = b as Set<unknown>;
    return a.size === s.size && [...a].every((v) => s.has(v));
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k)
    && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

export function deepStrictEqual<T>(actual: unknown, expected: T, message?: string | Error): asserts actual is T {
  if (!deepEqual(actual, expected)) fail(message, `Expected values to be strictly deep-equal:\n${show(actual)}\nshould equal\n${show(expected)}`);
}

export function match(value: string, re: RegExp, message?: string | Error): void {
  if (typeof value !== 'string' || !re.test(value)) fail(message, `The input did not match the regular expression ${String(re)}. Input:\n${show(value)}`);
}

export function doesNotMatch(value: string, re: RegExp, message?: string | Error): void {
  if (typeof value !== 'string' || re.test(value)) fail(message, `The input was expected to not match the regular expression ${String(re)}. Input:\n${show(value)}`);
}
