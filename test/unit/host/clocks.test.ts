/** wasi:clocks/monotonic-clock as components read it: never backwards, in step with the platform's clock. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clockImports } from '../../../shared/host/wasi/clocks-random.ts';

const clock = clockImports['wasi:clocks/monotonic-clock'];

test('monotonic now never goes back, and moves with performance.now()', async () => {
  const startMs = performance.now();
  const first = clock.now();
  let last = first;
  for (let i = 0; i < 10_000; i++) {
    const reading = clock.now();
    assert.ok(reading >= last, `reading ${i} went back: ${reading} < ${last}`);
    last = reading;
  }
  // Time passes: the clock follows, to the platform clock's resolution.
  const waited = performance.now();
  while (performance.now() - waited < 5) await new Promise((r) => setImmediate(r));
  const later = clock.now();
  const elapsedNs = BigInt(Math.round((performance.now() - startMs) * 1e6));
  assert.ok(later - first >= 5_000_000n, `5 ms later the clock moved ${later - first} ns`);
  assert.ok(later - first <= elapsedNs + 1_000_000n, `the clock moved ${later - first} ns in ${elapsedNs} ns`);
});

test('an instant already past is ready at once; one ahead is not', () => {
  assert.equal(clock.subscribeInstant(clock.now()).ready(), true);
  assert.equal(clock.subscribeInstant(clock.now() + 60_000_000_000n).ready(), false);
});
