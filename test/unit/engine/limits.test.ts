import { test } from 'node:test';
import assert from 'node:assert/strict';
import { templateEngine } from '../../support/template-engine.ts';

test('a request past the time limit is answered 504, logged, and the next request works', async () => {
  // Far apart, so that a busy machine cannot make the quick request late or the slow one early.
  const app = await templateEngine('fixtures/apps/stateful', { limits: { timeoutMs: 2000 } });
  const slow = await app.request('/slow?ms=4000');
  assert.equal(slow.status, 504);
  assert.equal(await slow.text(), '');
  assert.ok(app.logs.some((l) => l.stream === 'stderr' && /longer than 2 s/.test(l.line)));
  const next = await app.request('/');
  assert.equal(next.status, 200);
  assert.equal(((await next.json()) as { hits: number }).hits, 1);
});

test('time-outs do not exhaust the instance pool', async () => {
  const app = await templateEngine('fixtures/apps/stateful', { limits: { timeoutMs: 1000 }, pool: { maxInstances: 2 } });
  for (let i = 0; i < 5; i++) assert.equal((await app.request('/slow?ms=3000')).status, 504);
  assert.equal((await app.request('/')).status, 200);
});

test('a request body over the limit is refused with 413 before the component runs', async () => {
  const app = await templateEngine('kv-counter', { limits: { maxRequestBytes: 1000 } });
  const res = await app.request('/kv/big', { method: 'PUT', body: 'x'.repeat(5000) });
  assert.equal(res.status, 413);
  assert.equal(await (await app.keyValue.open('default')).get('big'), undefined);
});

test('a key-value value over the limit fails the write with a clear error', async () => {
  const app = await templateEngine('kv-counter', { limits: { maxValueBytes: 10 } });
  const res = await app.request('/kv/big', { method: 'PUT', body: 'this is more than ten bytes' });
  assert.equal(res.status, 500);
  assert.equal(await (await app.keyValue.open('default')).get('big'), undefined);
});

test('a component that allocates past its memory cap fails its own request only', async () => {
  const app = await templateEngine('fixtures/apps/stateful');
  const res = await app.request('/grow?mb=400');
  assert.equal(res.status, 500);
  const next = await app.request('/');
  assert.equal(next.status, 200);
  assert.equal(((await next.json()) as { retained: number }).retained, 0);
});

test('a loop that never ends is stopped by its CPU budget: 504, logged once, next request fine', async () => {
  const app = await templateEngine('fixtures/apps/stateful');
  const res = await app.request('/loop');
  assert.equal(res.status, 504);
  const failures = app.logs.filter((l) => /CPU budget/.test(l.line));
  assert.equal(failures.length, 1);
  assert.equal((await app.request('/')).status, 200);
});

test('bounded work within the CPU budget completes', async () => {
  const app = await templateEngine('fixtures/apps/stateful');
  const res = await app.request('/work?n=100000');
  assert.equal(res.status, 200);
});
