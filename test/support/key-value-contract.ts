/**
 * The behaviour every KeyValueBackend must have, as one suite: each backend's test file calls
 * `runKeyValueContract` with a way to make a fresh backend.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KeyValueBackend } from '../../shared/ports.ts';

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (value: Uint8Array | undefined) => (value === undefined ? undefined : new TextDecoder().decode(value));

export function runKeyValueContract(name: string, makeBackend: () => Promise<KeyValueBackend> | KeyValueBackend): void {
  const open = async (label = 'default') => (await makeBackend()).open(label);

  test(`${name}: a missing key reads as undefined and does not exist`, async () => {
    const store = await open();
    assert.equal(await store.get('nope'), undefined);
    assert.equal(await store.exists('nope'), false);
  });

  test(`${name}: a value set is read back byte for byte, and overwritten by the next set`, async () => {
    const store = await open();
    const binary = Uint8Array.from({ length: 256 }, (_, i) => i);
    await store.set('bin', binary);
    assert.deepEqual(await store.get('bin'), binary);
    await store.set('bin', bytes('second'));
    assert.equal(text(await store.get('bin')), 'second');
    assert.equal(await store.exists('bin'), true);
  });

  test(`${name}: delete removes a key; deleting a missing key is fine`, async () => {
    const store = await open();
    await store.set('gone', bytes('x'));
    await store.delete('gone');
    await store.delete('never-there');
    assert.equal(await store.get('gone'), undefined);
    assert.deepEqual(await store.keys(), []);
  });

  test(`${name}: keys lists every key once, including unusual ones`, async () => {
    const store = await open();
    const keys = ['a', 'b/c', 'ünïcødé ✓', ' spaced ', '', 'x'.repeat(250)];
    for (const key of keys) await store.set(key, bytes(key));
    await store.set('a', bytes('again'));
    assert.deepEqual((await store.keys()).sort(), [...keys].sort());
    for (const key of keys.slice(1)) assert.equal(text(await store.get(key)), key);
  });

  test(`${name}: an empty value is a value, not a missing key`, async () => {
    const store = await open();
    await store.set('empty', new Uint8Array(0));
    assert.equal(await store.exists('empty'), true);
    assert.equal((await store.get('empty'))?.length, 0);
  });

  test(`${name}: stores with different labels do not see each other`, async () => {
    const backend = await makeBackend();
    const a = await backend.open('a');
    const b = await backend.open('b');
    await a.set('k', bytes('from a'));
    assert.equal(await b.get('k'), undefined);
    assert.deepEqual(await b.keys(), []);
  });

  test(`${name}: changing bytes after set or get does not change the stored value`, async () => {
    const store = await open();
    const value = bytes('original');
    await store.set('k', value);
    value.fill(0);
    const read = await store.get('k');
    read?.fill(0);
    assert.equal(text(await store.get('k')), 'original');
  });

  test(`${name}: a megabyte value round-trips`, async () => {
    const store = await open();
    const big = Uint8Array.from({ length: 1024 * 1024 }, (_, i) => (i * 31) & 0xff);
    await store.set('big', big);
    assert.deepEqual(await store.get('big'), big);
  });

  test(`${name}: concurrent writes to different keys all land`, async () => {
    const store = await open();
    await Promise.all(Array.from({ length: 50 }, (_, i) => store.set(`k${i}`, bytes(String(i)))));
    assert.equal((await store.keys()).length, 50);
    assert.equal(text(await store.get('k49')), '49');
  });
}
