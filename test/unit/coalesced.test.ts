import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coalesced } from '../../shared/coalesced.ts';

/** A run that waits to be let go, and the runs started so far. */
function gatedRuns() {
  const gates: Array<() => void> = [];
  let running = 0;
  let overlapped = false;
  const run = async () => {
    running++;
    overlapped ||= running > 1;
    await new Promise<void>((resolve) => gates.push(resolve));
    running--;
  };
  return { run, gates, overlapped: () => overlapped };
}

test('calls during a run share one run after it; none overlap', async () => {
  const { run, gates, overlapped } = gatedRuns();
  const refresh = coalesced(run);
  const settled: string[] = [];
  const first = refresh().then(() => settled.push('first'));
  const burst = [refresh(), refresh(), refresh()].map((p, i) => p.then(() => settled.push(`burst ${i}`)));
  assert.equal(gates.length, 1, 'one run under way');
  gates[0]!();
  await first;
  await new Promise((r) => setImmediate(r));
  assert.equal(gates.length, 2, 'the burst folded into one more run');
  assert.deepEqual(settled, ['first'], 'the burst waits for a run that started after it');
  gates[1]!();
  await Promise.all(burst);
  assert.deepEqual(settled, ['first', 'burst 0', 'burst 1', 'burst 2']);
  assert.equal(overlapped(), false);
  const later = refresh();
  assert.equal(gates.length, 3, 'with nothing under way, a call runs at once');
  gates[2]!();
  await later;
});

test('a failed run fails its callers and does not stop the queued run', async () => {
  let runs = 0;
  let fail!: (err: Error) => void;
  const refresh = coalesced(() => (++runs === 1 ? new Promise<void>((_, reject) => (fail = reject)) : Promise.resolve()));
  const first = refresh();
  const queued = refresh();
  fail(new Error('listing failed'));
  await assert.rejects(first, /listing failed/);
  await queued;
  assert.equal(runs, 2);
  await refresh();
  assert.equal(runs, 3);
});
