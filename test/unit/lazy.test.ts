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

test('made() gives the value once it is made, and nothing while it is made, after a failure or after a reset', async () => {
  let attempts = 0;
  const value = lazyRetrying(async () => {
    if (++attempts === 1) throw new Error('first start fails');
    return attempts;
  });
  assert.equal(value.made(), undefined);
  await assert.rejects(value());
  assert.equal(value.made(), undefined);
  const second = value();
  assert.equal(value.made(), undefined, 'not while it is being made');
  assert.equal(await second, 2);
  assert.equal(value.made(), 2);
  value.reset();
  assert.equal(value.made(), undefined, 'the value made before a reset is not current');
  assert.equal(await value(), 3);
  assert.equal(value.made(), 3);
});
