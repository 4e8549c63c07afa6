import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spin1Module } from '../fixtures/spin1-module.ts';
import { startHelloUpstream } from '../support/conformance-contract.ts';
import { published, removeState, startWorker, text, zip } from './support/platform.ts';

const upstream = await startHelloUpstream();
after(() => upstream.server.close());
const manifest = await readFile(new URL('../fixtures/spin1/spin.toml', import.meta.url), 'utf8');

// Deployed (as `twirl up` runs it): the Spin 1 app folder, its module bundled for workerd.
const appDir = await mkdtemp(join(tmpdir(), 'twirl-spin1-'));
after(() => rm(appDir, { recursive: true, force: true }));
await writeFile(join(appDir, 'spin.toml'), manifest);
await writeFile(join(appDir, 'probe.wasm'), spin1Module());
const deployed = await startWorker({ appDir, variables: { upstream: upstream.host } });
after(() => removeState(deployed));

// Published: the same app zipped, its upstream set as the variable's default.
const platform = await startWorker();
after(() => removeState(platform));
const archive = zip({ 'spin.toml': text(manifest.replace('"127.0.0.1:1"', JSON.stringify(upstream.host))), 'probe.wasm': spin1Module() });
const app = published(platform, archive);

const hosts: Array<[string, (path: string) => Promise<URL>]> = [
  ['deployed bundle on workerd', async (path) => deployed.at(path)],
  ['published app', async (path) => new URL(path.slice(1), (await app).url)],
];

for (const [host, at] of hosts) {
  test(`Spin 1.x module (${host}): handle-http-request, key-value, spin-config and wasi-outbound-http`, async () => {
    const hello = await fetch(await at('/hello'), { headers: { 'accept-encoding': 'identity' } });
    assert.equal(hello.status, 200);
    assert.equal(hello.headers.get('content-length'), '17');
    assert.equal(await hello.text(), 'Hello, Spin 1.x!\n');
    const kv = await fetch(await at('/kv'), { method: 'POST', body: 'kept' });
    assert.deepEqual([kv.status, await kv.text()], [200, 'kept']);
    const denied = await fetch(await at('/denied'));
    assert.deepEqual([denied.status, await denied.text()], [403, '2']);
    const config = await fetch(await at('/config'));
    assert.deepEqual([config.status, await config.text()], [200, 'hello from config']);
    const outbound = await fetch(await at('/outbound'), { method: 'POST', body: `http://${upstream.host}/` });
    assert.deepEqual([outbound.status, await outbound.text()], [200, 'Hello, world!']);
    const redis = await fetch(await at('/redis'));
    assert.deepEqual([redis.status, await redis.text()], [503, '1']);
  });
}
