import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { templateEngine } from '../../support/template-engine.ts';

const server = createServer((req, res) => {
  res.setHeader('content-type', 'text/plain');
  res.end(`upstream saw ${req.method} ${req.url}`);
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
after(() => server.close());
const upstream = `http://127.0.0.1:${(server.address() as AddressInfo).port}/data?q=1`;

const app = await templateEngine('outbound-http', { variables: { upstream } });

test('outbound request to an allowed host goes through fetch', async () => {
  const res = await app.request('/');
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { url: upstream, status: 200, body: 'upstream saw GET /data?q=1' });
});

test('outbound request to a host not in allowed_outbound_hosts is refused and logged', async () => {
  const target = 'http://example.org/';
  const res = await app.request(`/?url=${encodeURIComponent(target)}`);
  assert.equal(res.status, 502);
  const body = (await res.json()) as { error?: string };
  assert.ok(body.error, 'the component saw an error');
  const denied = app.logs.find((l) => l.line.includes('denied') && l.line.includes('example.org'));
  assert.ok(denied, 'the refusal is logged');
  assert.match(denied.line, /\(add "http:\/\/example\.org" to allowed_outbound_hosts of component \S+\)$/, 'it says what would allow it');
});
