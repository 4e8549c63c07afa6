import { test } from 'node:test';
import assert from 'node:assert/strict';
import { templateEngine } from '../../support/template-engine.ts';

const app = await templateEngine('multi-route');

interface Echo {
  component: string;
  method: string;
  path: string;
  headers: Record<string, string>;
}

async function echo(path: string, init?: RequestInit): Promise<Echo> {
  const res = await app.request(path, init);
  assert.equal(res.status, 200, `status for ${path}`);
  return (await res.json()) as Echo;
}

test('exact route beats the catch-all', async () => {
  const body = await echo('/hello');
  assert.equal(body.component, 'hello');
  assert.equal(body.headers['spin-path-info'], '');
  assert.equal(body.headers['spin-raw-component-route'], '/hello');
});

test('wildcard route passes the rest of the path as spin-path-info', async () => {
  const body = await echo('/api/items/42');
  assert.equal(body.component, 'api');
  assert.equal(body.headers['spin-path-info'], '/items/42');
  assert.equal(body.headers['spin-matched-route'], '/api/...');
  assert.equal(body.headers['spin-component-route'], '/api');
  assert.equal(body.headers['spin-raw-component-route'], '/api/...');
});

test('tail wildcard matches its bare prefix and keeps a trailing slash', async () => {
  assert.equal((await echo('/api')).headers['spin-path-info'], '');
  assert.equal((await echo('/api/')).headers['spin-path-info'], '/');
});

test('named segment arrives as spin-path-match-<name> with underscores as hyphens', async () => {
  const body = await echo('/users/ada');
  assert.equal(body.component, 'users');
  assert.equal(body.headers['spin-path-match-user-id'], 'ada');
});

test('anything else falls to the catch-all', async () => {
  const body = await echo('/no/such/page?x=1');
  assert.equal(body.component, 'fallback');
  assert.equal(body.headers['spin-path-info'], '/no/such/page');
  assert.equal(body.headers['spin-full-url'], 'http://127.0.0.1:3000/no/such/page?x=1');
  assert.equal(body.headers['spin-base-path'], '/');
  assert.equal(body.headers['spin-client-addr'], '127.0.0.1:54321');
});

test('private component is never routed to', async () => {
  for (const path of ['/internal', '/', '/private']) assert.notEqual((await echo(path)).component, 'internal');
});

test('request method and body reach the component', async () => {
  const body = await echo('/api/x', { method: 'POST', body: 'payload' });
  assert.equal(body.method, 'POST');
});
