import { test } from 'node:test';
import assert from 'node:assert/strict';
import { templateEngine } from '../../support/template-engine.ts';

/** Resolves with the response, or with 'pending' if `p` has not settled once `other` has. */
async function stillRunning(p: Promise<Response>, other: Promise<unknown>): Promise<'pending' | Response> {
  return Promise.race([p, other.then(() => 'pending' as const)]);
}

// Budgets so large that the runaway outlives the other app's requests by seconds on any machine.
const runaways = [
  { route: '/sync-loop', limits: { timeoutMs: 600_000, cpuMs: 600_000 }, limit: /400000000 loop iterations/ },
  { route: '/await-loop', limits: { timeoutMs: 600_000, cpuMs: 600_000, maxHostCalls: 200_000 }, limit: /200000 calls to the host/ },
];

for (const { route, limits, limit } of runaways) {
  test(`a runaway request (${route}) yields its thread: another app answers while it still runs, then it gets 504`, async () => {
    const hostile = await templateEngine('fixtures/apps/hostile', { limits });
    const hello = await templateEngine('http-js');
    assert.equal((await hello.request('/')).status, 200, 'hello warmed up');
    assert.equal((await hostile.request('/ok')).status, 200, 'hostile warmed up');
    const runaway = hostile.request(route);
    let settled = false;
    void runaway.then(() => (settled = true));
    // Several requests of the other app, one after another, each answered while the runaway runs.
    for (let i = 0; i < 5; i++) {
      const other = hello.request('/');
      const seen = await stillRunning(runaway, other);
      assert.equal(seen, 'pending', `request ${i} of the other app was answered only after the runaway ended`);
      const res = await other;
      assert.equal(res.status, 200);
      assert.match(await res.text(), /^Hello/);
    }
    assert.equal(settled, false);
    assert.equal((await runaway).status, 504, 'the budget still stops it');
    assert.ok(hostile.logs.some((l) => limit.test(l.line)), 'the log names the limit');
    assert.equal((await hostile.request('/ok')).status, 200);
  });
}
