/**
 * The gates a published app's isolate gets as its only bindings, called directly (not through
 * an app's engine, which applies the same rules first): what the engine might let through, the
 * gates still stop.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Miniflare } from 'miniflare';
import { platformWorkerOptions } from '../../node/workerd/local-platform.ts';
import { COMPATIBILITY_DATE } from '../../worker/compatibility.ts';

let hits = 0;
const server = createServer((_req, res) => {
  hits++;
  res.end('reached');
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
after(() => server.close());
const port = (server.address() as AddressInfo).port;

/** Calls one gate per request: `/out?url=` fetches through the outbound gate, `/kv/<app>/<label>/<key>` uses the key-value gate. */
const probe = `
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === '/out') return env.OUT.fetch(url.searchParams.get('url'));
    const [, , app, label, key] = url.pathname.split('/');
    const gate = env['KV_' + app];
    try {
      if (request.method === 'PUT') { await gate.set(label, key, new Uint8Array(await request.arrayBuffer())); return new Response('stored'); }
      const value = await gate.get(label, key);
      return value === undefined ? new Response('absent', { status: 404 }) : new Response(value);
    } catch (err) {
      return new Response(String(err.message), { status: 403 });
    }
  },
};`;

const platform = await platformWorkerOptions();
const mf = new Miniflare({
  workers: [
    {
      name: 'probe',
      modules: true,
      script: probe,
      compatibilityDate: COMPATIBILITY_DATE,
      serviceBindings: {
        OUT: { name: platform.name, entrypoint: 'OutboundGate', props: { rules: [{ hosts: ['http://127.0.0.1:{{ port }}'], variables: { port: String(port) } }] } },
        KV_A: { name: platform.name, entrypoint: 'KeyValueGate', props: { appId: 'a'.repeat(64), stores: ['default'] } },
        KV_B: { name: platform.name, entrypoint: 'KeyValueGate', props: { appId: 'b'.repeat(64), stores: ['default', 'other'] } },
      },
    },
    platform,
  ],
});
after(() => mf.dispose());

test('the outbound gate lets through a request to an allowed host', async () => {
  const before = hits;
  const res = await mf.dispatchFetch(`http://probe/out?url=${encodeURIComponent(`http://127.0.0.1:${port}/x`)}`);
  assert.equal(await res.text(), 'reached');
  assert.equal(hits, before + 1);
});

test('the outbound gate refuses any other host or port with a 403, and nothing leaves', async () => {
  const before = hits;
  for (const target of [`http://localhost:${port}/x`, `https://127.0.0.1:${port}/x`, 'http://example.org/']) {
    const res = await mf.dispatchFetch(`http://probe/out?url=${encodeURIComponent(target)}`);
    assert.equal(res.status, 403, target);
    assert.match(await res.text(), /not in the app's allowed_outbound_hosts/);
  }
  assert.equal(hits, before);
});

test("the key-value gate keeps each app's stores apart", async () => {
  assert.equal(await (await mf.dispatchFetch('http://probe/kv/A/default/k', { method: 'PUT', body: 'from A' })).text(), 'stored');
  assert.equal(await (await mf.dispatchFetch('http://probe/kv/A/default/k')).text(), 'from A');
  assert.equal((await mf.dispatchFetch('http://probe/kv/B/default/k')).status, 404);
});

test('the key-value gate refuses a store the app does not declare', async () => {
  const res = await mf.dispatchFetch('http://probe/kv/A/other/k');
  assert.equal(res.status, 403);
  assert.match(await res.text(), /declares no key-value store "other"/);
});
