import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lazyRetrying } from '../../shared/lazy.ts';

test('a lazy value is made once, on first use, and shared by every caller', async () => {
  let made = 0;
  const value = lazyRetrying(async () => ++made);
  assert.equal(made, 0);
  assert.deepEqual(await Promise.all([value(), value(), value()]), [1, 1, 1]);
  assert.equal(made, 1);
});

test('a failed make is forgotten: the next call tries again', async () => {
  let attempts = 0;
  const value = lazyRetrying(async () => {
    if (++attempts === 1) throw new Error('first start fails');
    return 'started';
  });
  await assert.rejects(value(), /first start fails/);
  assert.equal(await value(), 'started');
  assert.equal(attempts, 2);
});

test('reset makes the value anew; a stale failure does not forget the newer one', async () => {
  let attempts = 0;
  let failFirst!: (err: Error) => void;
  const value = lazyRetrying(() => (++attempts === 1 ? new Promise<number>((_, reject) => (failFirst = reject)) : Promise.resolve(attempts)));
  const first = value();
  value.reset();
  assert.equal(await value(), 2);
  failFirst(new Error('old start failed late'));
  await assert.rejects(first);
  assert.equal(await value(), 2, 'the newer value is kept');
  assert.equal(attempts, 2);
});
