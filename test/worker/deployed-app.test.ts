import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deployApp } from '../../worker/deploy.ts';
import { builtTemplate } from '../fixtures/components.ts';
import { removeState, startWorker } from './support/platform.ts';

const { dir } = await builtTemplate('multi-route');
const worker = await startWorker({ appDir: dir });
after(() => removeState(worker));
const origin = worker.at('/').origin;

interface Echo {
  component: string;
  method: string;
  path: string;
  headers: Record<string, string>;
}

async function echo(path: string, init?: RequestInit): Promise<Echo> {
  const res = await fetch(worker.at(path), init);
  assert.equal(res.status, 200, `status for ${path}`);
  return (await res.json()) as Echo;
}

test('wrangler accepts the deployed-mode bundle (deploy --dry-run), and uploads nothing else in its folder', async () => {
  const outDir = await mkdtemp(join(tmpdir(), 'twirl-bundle-'));
  // As with `--outdir dist` in an app whose components are built to dist/.
  await writeFile(join(outDir, 'stray.wasm'), new Uint8Array([0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0]));
  try {
    const result = await deployApp({ appDir: dir, dryRun: true, outDir, echo: false });
    assert.equal(result.workerName, 'multi-route');
    assert.match(result.output, /--dry-run: exiting now/);
    assert.match(result.output, /env\.KEY_VALUE \(KeyValueObject\)\s+Durable Object/);
    for (const module of ['app.js', 'components/0/component.js', 'components/0/component.core.wasm']) assert.match(result.output, new RegExp(module.replaceAll('.', '\\.')));
    assert.doesNotMatch(result.output, /stray\.wasm/);
    assert.match(await readFile(join(outDir, 'wrangler.toml'), 'utf8'), /new_sqlite_classes = \["KeyValueObject"\]/);
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
});

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

test('anything else falls to the catch-all, with the full URL, base path and client address', async () => {
  const body = await echo('/no/such/page?x=1');
  assert.equal(body.component, 'fallback');
  assert.equal(body.headers['spin-path-info'], '/no/such/page');
  assert.equal(body.headers['spin-full-url'], `${origin}/no/such/page?x=1`);
  assert.equal(body.headers['spin-base-path'], '/');
  assert.match(body.headers['spin-client-addr'] ?? '', /^127\.0\.0\.1:\d+$/);
});

test('private component is never routed to', async () => {
  for (const path of ['/internal', '/', '/private']) assert.notEqual((await echo(path)).component, 'internal');
});

test('request method and body reach the component', async () => {
  assert.equal((await echo('/api/x', { method: 'POST', body: 'payload' })).method, 'POST');
});

test('health endpoint answers OK without running a component', async () => {
  const res = await fetch(worker.at('/.well-known/spin/health'));
  assert.equal(res.status, 200);
  assert.equal(await res.text(), 'OK');
});

test('the worker adds no response headers of its own', async () => {
  const res = await fetch(worker.at('/hello'), { headers: { 'accept-encoding': 'identity' } });
  await res.arrayBuffer();
  assert.deepEqual([...res.headers.keys()].filter((h) => !['content-length', 'transfer-encoding'].includes(h)), ['content-type']);
});
