import { test } from 'node:test';
import assert from 'node:assert/strict';
import { templateEngine } from '../../support/template-engine.ts';
import { SharedDeadlines } from '../../../shared/host/deadlines.ts';

test('a synchronous loop is stopped by its fuel: 504, logged, and the next request works', async () => {
  const app = await templateEngine('fixtures/apps/hostile');
  const res = await app.request('/sync-loop');
  assert.equal(res.status, 504);
  assert.ok(app.logs.some((l) => /CPU budget/.test(l.line)));
  assert.equal((await app.request('/ok')).status, 200);
});

test('a loop of awaits (never a wait on the host) is stopped by its budget of host calls: 504, logged naming it, next request fine', async () => {
  // No deadline of its own: the 30 s one would come far later, and the host never gets a turn
  // anyway (every turn of the engine's job queue stays inside one call of the guest).
  const app = await templateEngine('fixtures/apps/hostile', { limits: { timeoutMs: 600_000, cpuMs: 600_000 } });
  const res = await app.request('/await-loop');
  assert.equal(res.status, 504);
  assert.ok(app.logs.some((l) => /CPU budget \(20000 calls to the host/.test(l.line)));
  assert.equal((await app.request('/ok')).status, 200);
});

test('the host-call budget is a limit of each app: a plain request fits in a small one, a loop of awaits does not', async () => {
  const app = await templateEngine('fixtures/apps/hostile', { limits: { maxHostCalls: 500, timeoutMs: 600_000, cpuMs: 600_000 } });
  assert.equal((await app.request('/ok')).status, 200);
  assert.equal((await app.request('/await-loop')).status, 504);
  assert.ok(app.logs.some((l) => /500 calls to the host/.test(l.line)));
  assert.equal((await app.request('/ok')).status, 200);
});

for (const [kind, deadlines] of [
  ['a timer each', undefined],
  ['one timer for all', new SharedDeadlines()],
] as const) {
  test(`a loop of zero-delay timers lets the host in, so the deadline (${kind}) stops it: 504, and the next request works`, async () => {
    const app = await templateEngine('fixtures/apps/hostile', { limits: { timeoutMs: 2000 }, ...(deadlines ? { deadlines } : {}) });
    const res = await app.request('/timer-loop');
    assert.equal(res.status, 504);
    assert.ok(app.logs.some((l) => /longer than 2 s|CPU budget/.test(l.line)));
    assert.equal((await app.request('/ok')).status, 200);
  });

  test(`a response stream that never ends is cut off at the deadline (${kind}): the client sees it fail, the log names the limit`, async () => {
    const app = await templateEngine('fixtures/apps/hostile', { limits: { timeoutMs: 2000 }, ...(deadlines ? { deadlines } : {}) });
    // Its headers come at once: the component waits after answering, so the body goes out as it is written.
    const res = await app.request('/endless-stream');
    assert.equal(res.status, 200);
    await assert.rejects(res.arrayBuffer());
    assert.ok(app.logs.some((l) => /longer than 2 s/.test(l.line)));
    assert.equal((await app.request('/ok')).status, 200);
  });
}

test('the fuel budget is the engine limit of each app', async () => {
  const generous = await templateEngine('fixtures/apps/stateful');
  assert.equal((await generous.request('/work?n=100000')).status, 200);
  const meagre = await templateEngine('fixtures/apps/stateful', { limits: { fuel: 50_000 } });
  assert.equal((await meagre.request('/work?n=100000')).status, 504);
  assert.equal((await meagre.request('/work?n=10')).status, 200);
});
