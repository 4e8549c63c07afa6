import { test } from 'node:test';
import assert from 'node:assert/strict';
import { templateEngine } from '../../support/template-engine.ts';

const app = await templateEngine('http-js');

test('hello app answers through a fresh component instance', async () => {
  const res = await app.request('/hello/there');
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/plain');
  const body = await res.text();
  assert.match(body, /^Hello, Fermyon!/);
  assert.match(body, /path: \/hello\/there/);
});

test('health endpoint answers OK without running a component', async () => {
  const res = await app.request('/.well-known/spin/health');
  assert.equal(res.status, 200);
  assert.equal(await res.text(), 'OK');
});

test('paths under /.well-known/spin/ never reach the app, even on its catch-all route', async () => {
  const info = await app.request('/.well-known/spin/info');
  assert.deepEqual(JSON.parse(await info.text()), { name: 'http-js', version: '0.1.0' });
  const other = await app.request('/.well-known/spin/anything');
  assert.equal(other.status, 404);
  assert.equal(await other.text(), '');
  assert.match(await (await app.request('/.well-known/spinach')).text(), /^Hello, Fermyon!/);
});

test('the engine adds no response headers of its own', async () => {
  const res = await app.request('/');
  assert.deepEqual([...res.headers.keys()].sort(), ['content-length', 'content-type'].filter((h) => res.headers.has(h)).sort());
});
