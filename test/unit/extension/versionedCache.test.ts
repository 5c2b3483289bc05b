import * as assert from 'assert';
import { VersionedCache } from '../../../src/extension/versionedCache';

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => { resolve = res; reject = rej; });
  return { promise, resolve, reject };
}

describe('extension/versionedCache', () => {
  it('computes once per (key, version)', async () => {
    const cache = new VersionedCache<string>();
    let calls = 0;
    const compute = async () => `r${++calls}`;
    const [a, b] = await Promise.all([cache.get('doc', '1', compute), cache.get('doc', '1', compute)]);
    assert.strictEqual(a, 'r1');
    assert.strictEqual(b, 'r1');
    assert.strictEqual(await cache.get('doc', '1', compute), 'r1');
    assert.strictEqual(calls, 1);
    assert.strictEqual(cache.peek('doc', '1'), 'r1');
    assert.strictEqual(cache.peek('doc', '2'), undefined);
  });

  it('drops a stale result: returned to its caller, but never cached or announced', async () => {
    const cache = new VersionedCache<string>();
    const slow = deferred<string>();
    const fresh: string[] = [];
    const v1 = cache.get('doc', '1', () => slow.promise, (v) => fresh.push(v));
    const v2 = cache.get('doc', '2', async () => 'v2', (v) => fresh.push(v));
    assert.strictEqual(await v2, 'v2');
    slow.resolve('v1');
    assert.strictEqual(await v1, 'v1');
    assert.deepStrictEqual(fresh, ['v2']);
    assert.strictEqual(cache.peek('doc', '1'), undefined);
    assert.strictEqual(cache.peek('doc', '2'), 'v2');
    assert.ok(cache.isCurrent('doc', '2'));
    assert.ok(!cache.isCurrent('doc', '1'));
  });

  it('does not cache failures', async () => {
    const cache = new VersionedCache<string>();
    await assert.rejects(cache.get('doc', '1', async () => { throw new Error('boom'); }));
    assert.strictEqual(await cache.get('doc', '1', async () => 'ok'), 'ok');
  });

  it('forgets deleted keys', async () => {
    const cache = new VersionedCache<string>();
    const pending = deferred<string>();
    const fresh: string[] = [];
    const p = cache.get('doc', '1', () => pending.promise, (v) => fresh.push(v));
    cache.delete('doc');
    pending.resolve('late');
    await p;
    assert.deepStrictEqual(fresh, [], 'a closed document gets no late announcement');
    assert.deepStrictEqual(cache.keys(), []);
  });
});
