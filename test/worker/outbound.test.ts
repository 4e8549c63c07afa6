import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { builtTemplate } from '../../node/templates/built-template.ts';
import { published, removeState, startWorker, templateFiles, text, zip } from './support/platform.ts';

const seen: string[] = [];
const server = createServer((req, res) => {
  seen.push(`${req.method} ${req.url}`);
  res.setHeader('content-type', 'text/plain');
  res.end(`upstream saw ${req.method} ${req.url}`);
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
after(() => server.close());
const upstream = `http://127.0.0.1:${(server.address() as AddressInfo).port}/data?q=1`;

const platform = await startWorker();
after(() => removeState(platform));
const files = await templateFiles('outbound-http');
const manifest = new TextDecoder().decode(files['spin.toml']);

/** The template with its upstream pointed at the test server, and optionally another allow-list. */
function archive(allowed?: string[]): Uint8Array {
  let toml = manifest.replace(/upstream = \{ default = "[^"]*" \}/, `upstream = { default = "${upstream}" }`);
  if (allowed) toml = toml.replace(/allowed_outbound_hosts = \[[^\]]*\]/, `allowed_outbound_hosts = ${JSON.stringify(allowed)}`);
  assert.notEqual(toml, manifest);
  return zip({ ...files, 'spin.toml': text(toml) });
}

test('a published app reaches a host in its allowed_outbound_hosts', async () => {
  const app = await published(platform, archive());
  const res = await fetch(app.url);
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { url: upstream, status: 200, body: 'upstream saw GET /data?q=1' });
});

test('a published app is refused a host not in its allowed_outbound_hosts, and nothing leaves', async () => {
  const app = await published(platform, archive(['https://example.com']));
  const before = seen.length;
  const res = await fetch(app.url);
  assert.equal(res.status, 502);
  const body = (await res.json()) as { url: string; error?: string };
  assert.equal(body.url, upstream);
  assert.ok(body.error, 'the component saw an error');
  assert.equal(seen.length, before, 'the test server received no request');
});

test('a deployed app is refused a host not in its allowed_outbound_hosts, and reaches one that is', async () => {
  const { dir } = await builtTemplate('outbound-http');
  const worker = await startWorker({ appDir: dir, variables: { upstream } });
  try {
    const before = seen.length;
    const allowed = await fetch(worker.at('/'));
    assert.deepEqual(await allowed.json(), { url: upstream, status: 200, body: 'upstream saw GET /data?q=1' });
    const refused = await fetch(worker.at(`/?url=${encodeURIComponent('http://example.org/')}`));
    assert.equal(refused.status, 502);
    assert.equal(seen.length, before + 1, 'only the allowed request reached the test server');
  } finally {
    await removeState(worker);
  }
});
