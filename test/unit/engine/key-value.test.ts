import { test } from 'node:test';
import assert from 'node:assert/strict';
import { templateEngine } from '../../support/template-engine.ts';

const counter = await templateEngine('kv-counter');

test('counter increments across requests through the key-value store', async () => {
  const first = Number(await (await counter.request('/')).text());
  const second = Number(await (await counter.request('/')).text());
  assert.equal(second, first + 1);
  const stored = await (await counter.keyValue.open('default')).get('n');
  assert.equal(new TextDecoder().decode(stored), String(second));
});

test('values set by one request are read by the next, and deleted', async () => {
  assert.equal((await counter.request('/kv/greeting', { method: 'PUT', body: 'hi there' })).status, 201);
  const got = await counter.request('/kv/greeting');
  assert.equal(got.status, 200);
  assert.equal(await got.text(), 'hi there');
  assert.ok(((await (await counter.request('/kv')).json()) as string[]).includes('greeting'));
  assert.equal((await counter.request('/kv/greeting', { method: 'DELETE' })).status, 204);
  assert.equal((await counter.request('/kv/greeting')).status, 404);
});

test('concurrent requests each get their own instance and all succeed', async () => {
  const responses = await Promise.all(Array.from({ length: 8 }, () => counter.request('/kv/x')));
  assert.deepEqual(responses.map((r) => r.status), Array(8).fill(404));
});

test('a store the component does not list is refused with access-denied', async () => {
  const locked = await templateEngine('kv-counter', {}, (app) => {
    app.components['counter']!.keyValueStores = [];
  });
  const res = await locked.request('/');
  assert.equal(res.status, 500);
  assert.ok(locked.logs.some((l) => l.stream === 'stderr' && /access-denied/.test(l.line)), locked.logs.map((l) => l.line).join('\n'));
  assert.equal((await counter.request('/kv/x')).status, 404, 'the next request on another app still works');
});
