import { test } from 'node:test';
import assert from 'node:assert/strict';
import { btreeOrder } from '../../../shared/routing/btree-order.ts';

interface Item {
  value: number;
  inserted: number;
}

/** Ties sort after existing keys, as routefinder's never-equal order makes them. */
const tieGoesRight = (a: Item, b: Item) => (a.value < b.value ? -1 : 1);

test('btree order with a consistent order is a stable sort, across many node splits', () => {
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 50;
  for (const size of [0, 1, 11, 12, 13, 100, 2000]) {
    const items = Array.from({ length: size }, (_, inserted) => ({ value: random(), inserted }));
    const want = [...items].sort((a, b) => a.value - b.value || a.inserted - b.inserted);
    assert.deepEqual(btreeOrder(items, tieGoesRight), want, `size ${size}`);
  }
});

test('btree order with ascending and descending insertions stays sorted', () => {
  const up = Array.from({ length: 500 }, (_, i) => ({ value: i, inserted: i }));
  assert.deepEqual(btreeOrder(up, tieGoesRight), up);
  assert.deepEqual(btreeOrder([...up].reverse(), tieGoesRight), up);
});

test('btree order with a cyclic order places a key by the keys it was compared with', () => {
  // a < b, b < c, c < a: a key stops before the first key it beats in the leaf's linear search.
  const beats: Record<string, string> = { a: 'b', b: 'c', c: 'a' };
  const order = (x: string, y: string) => (beats[x] === y ? -1 : 1);
  assert.deepEqual(btreeOrder(['a', 'b', 'c'], order), ['c', 'a', 'b']);
  assert.deepEqual(btreeOrder(['c', 'a', 'b'], order), ['b', 'c', 'a']);
});
