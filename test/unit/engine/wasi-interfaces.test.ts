import { test } from 'node:test';
import assert from 'node:assert/strict';
import { templateEngine } from '../../support/template-engine.ts';

const app = await templateEngine('fixtures/apps/wasi-interfaces');

test('wasi:keyvalue/store and wasi:config/store reach the same stores and variables', async () => {
  const first = (await (await app.request('/')).json()) as Record<string, unknown>;
  assert.deepEqual(first, { visits: 1, exists: true, keys: ['visits'], greeting: 'hej', missing: null, all: [['greeting', 'hej']] });
  const second = (await (await app.request('/')).json()) as { visits: number };
  assert.equal(second.visits, 2);
});

test('Spin: opening any store the component is not granted is access-denied, even one no component lists', async () => {
  const res = await app.request('/denied');
  assert.equal(res.status, 403);
  assert.deepEqual(await res.json(), { error: 'access-denied' });
});
