import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SharedDeadlines } from '../../../shared/host/deadlines.ts';

/** Resolves with the time a deadline fired, measured from `since`. */
function firing(deadlines: SharedDeadlines, ms: number, since: number): { fired: Promise<number>; cancel(): void } {
  let cancel = (): void => {};
  const fired = new Promise<number>((resolve) => {
    cancel = deadlines.start(ms, () => resolve(Date.now() - since));
  });
  return { fired, cancel };
}

test('one timer for all: each deadline fires once, not before its time, and cancelled ones never', async () => {
  const deadlines = new SharedDeadlines();
  const since = Date.now();
  const late = firing(deadlines, 120, since);
  const cancelled = firing(deadlines, 40, since);
  const early = firing(deadlines, 60, since);
  cancelled.cancel();
  let cancelledFired = false;
  void cancelled.fired.then(() => (cancelledFired = true));
  assert.ok((await early.fired) >= 60);
  assert.ok((await late.fired) >= 120);
  assert.equal(cancelledFired, false);
});

test('one timer for all: a deadline shorter than the one the timer waits for is not kept waiting behind it', async () => {
  const deadlines = new SharedDeadlines();
  const since = Date.now();
  const distant = firing(deadlines, 600_000, since);
  const near = await firing(deadlines, 30, since).fired;
  distant.cancel();
  assert.ok(near >= 30 && near < 600_000);
});

test('one timer for all: deadlines started after the timer fired are kept', async () => {
  const deadlines = new SharedDeadlines();
  const first = Date.now();
  assert.ok((await firing(deadlines, 20, first).fired) >= 20);
  const second = Date.now();
  const fired = await Promise.all([firing(deadlines, 30, second).fired, firing(deadlines, 10, second).fired]);
  assert.ok(fired[0] >= 30 && fired[1] >= 10);
});
