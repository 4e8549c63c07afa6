/**
 * The write-behind store: data in memory for components that cannot wait, changes written to the
 * backend after, in the order they were made, and loads that never read past queued writes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryKeyValueBackend } from '../../../shared/key-value-memory.ts';
import { WriteBehindKeyValue } from '../../../shared/host/key-value-write-behind.ts';
import type { KeyValueBackend, KeyValueStore } from '../../../shared/ports.ts';
import { runKeyValueContract } from '../../support/key-value-contract.ts';

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (value: Uint8Array | undefined) => (value === undefined ? undefined : new TextDecoder().decode(value));

runKeyValueContract('write-behind over memory', () => new WriteBehindKeyValue(new MemoryKeyValueBackend()));

/** A backend whose operations finish after varying delays, out of order if let be; it records what it applied. */
class SlowBackend implements KeyValueBackend {
  readonly inner = new MemoryKeyValueBackend();
  readonly applied: string[] = [];
  failKey: string | undefined;
  #turn = 0;

  async open(label: string): Promise<KeyValueStore> {
    const store = await this.inner.open(label);
    const later = async <T>(op: () => T | Promise<T>): Promise<T> => {
      // Delays of 0–4 macrotasks: a later write would overtake an earlier one without ordering.
      for (let i = (this.#turn++ * 7) % 5; i > 0; i--) await new Promise((r) => setImmediate(r));
      return op();
    };
    return {
      get: (key) => later(() => store.get(key)),
      set: (key, value) =>
        later(async () => {
          if (key === this.failKey) throw new Error('disk full');
          this.applied.push(`set ${key}=${text(value)}`);
          await store.set(key, value);
        }),
      delete: (key) =>
        later(async () => {
          this.applied.push(`delete ${key}`);
          await store.delete(key);
        }),
      exists: (key) => later(() => store.exists(key)),
      keys: () => later(() => store.keys()),
    };
  }
}

test('a loaded store answers at once, and its writes reach the backend in the order made', async () => {
  const backend = new SlowBackend();
  const writeBehind = new WriteBehindKeyValue(backend);
  const store = (await writeBehind.load(['default'])).get('default')!;
  for (let n = 1; n <= 20; n++) store.set('n', bytes(String(n)));
  store.set('gone', bytes('x'));
  store.delete('gone');
  assert.equal(text(store.get('n')), '20', 'read back at once, from memory');
  assert.equal(store.exists('gone'), false);
  assert.deepEqual(store.keys(), ['n']);
  assert.ok(writeBehind.pendingWrites > 0, 'the backend is written after');
  await writeBehind.flushed();
  assert.equal(writeBehind.pendingWrites, 0);
  assert.deepEqual(backend.applied, [...Array.from({ length: 20 }, (_, i) => `set n=${i + 1}`), 'set gone=x', 'delete gone']);
  const onDisk = await backend.inner.open('default');
  assert.equal(text(await onDisk.get('n')), '20');
  assert.equal(await onDisk.exists('gone'), false);
});

test('a value handed to set is copied: changing the caller’s bytes later changes nothing', async () => {
  const writeBehind = new WriteBehindKeyValue(new MemoryKeyValueBackend());
  const store = (await writeBehind.load(['default'])).get('default')!;
  const value = bytes('abc');
  store.set('k', value);
  value[0] = 0x7a;
  assert.equal(text(store.get('k')), 'abc');
  store.get('k')![0] = 0x7a;
  assert.equal(text(store.get('k')), 'abc', 'nor do changes to what get returned');
});

test('a load after invalidation reads the backend only once the queued writes have landed', async () => {
  const backend = new SlowBackend();
  const writeBehind = new WriteBehindKeyValue(backend);
  const first = (await writeBehind.load(['default'])).get('default')!;
  first.set('n', bytes('1'));
  first.set('n', bytes('2'));
  writeBehind.invalidate();
  const again = (await writeBehind.load(['default'])).get('default')!;
  assert.equal(text(again.get('n')), '2');
  // A change made behind memory's back (an editor writing the backend) shows after invalidation.
  await (await backend.inner.open('default')).set('n', bytes('40'));
  assert.equal(text(again.get('n')), '2', 'memory is what requests see until invalidated');
  writeBehind.invalidate();
  assert.equal(text((await writeBehind.load(['default'])).get('default')!.get('n')), '40');
});

test('two stores of one backend stay apart, and loading is once per label', async () => {
  const backend = new SlowBackend();
  const writeBehind = new WriteBehindKeyValue(backend);
  const loaded = await writeBehind.load(['a', 'b']);
  loaded.get('a')!.set('k', bytes('in a'));
  const later = (await writeBehind.load(['a'])).get('a')!;
  assert.equal(text(later.get('k')), 'in a', 'the same memory, not a reload');
  assert.equal(loaded.get('b')!.get('k'), undefined);
  await writeBehind.flushed();
  assert.equal(text(await (await backend.inner.open('a')).get('k')), 'in a');
  assert.equal(await (await backend.inner.open('b')).get('k'), undefined);
});

test('a write the backend refuses is reported, and the writes after it still land', async () => {
  const backend = new SlowBackend();
  backend.failKey = 'bad';
  const failures: string[] = [];
  const writeBehind = new WriteBehindKeyValue(backend, { onWriteError: (label, key, message) => failures.push(`${label}/${key}: ${message}`) });
  const store = (await writeBehind.load(['default'])).get('default')!;
  store.set('bad', bytes('x'));
  store.set('good', bytes('y'));
  await writeBehind.flushed();
  assert.deepEqual(failures, ['default/bad: disk full']);
  assert.equal(text(await (await backend.inner.open('default')).get('good')), 'y');
});
