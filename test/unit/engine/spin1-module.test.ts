import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { Engine } from '../../../shared/engine.ts';
import { loadManifest } from '../../../shared/manifest/parse.ts';
import { MemoryKeyValueBackend } from '../../../shared/key-value-memory.ts';
import { transpileComponent } from '../../../shared/component/prepare.ts';
import { TwirlError } from '../../../shared/errors.ts';
import type { LogLine } from '../../../shared/ports.ts';
import { loadComponent } from '../../../node/component/load-component.ts';
import { spin1Module } from '../../fixtures/spin1-module.ts';
import { startHelloUpstream } from '../../support/conformance-contract.ts';

const upstream = await startHelloUpstream();
after(() => upstream.server.close());
const manifestPath = new URL('../../fixtures/spin1/spin.toml', import.meta.url);
const app = loadManifest(await readFile(manifestPath, 'utf8'), manifestPath.pathname, { variables: { upstream: upstream.host } });
const logs: LogLine[] = [];
const keyValue = new MemoryKeyValueBackend();
const engine = await Engine.create({
  app,
  components: new Map([['probe', await loadComponent(spin1Module())]]),
  keyValue,
  fetch: (r) => fetch(r),
  files: { read: async () => undefined, list: async () => [] },
  logs: { write: (line) => void logs.push(line) },
  variables: { upstream: upstream.host },
});
const send = (path: string, init?: RequestInit) => engine.handle(new Request(new URL(path, 'http://127.0.0.1:3000'), init));

test('Spin 1.x: a core module exporting handle-http-request answers through the old ABI, stdout to the logs', async () => {
  const res = await send('/hello');
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/plain');
  assert.equal(res.headers.get('content-length'), '17');
  assert.equal(await res.text(), 'Hello, Spin 1.x!\n');
  assert.ok(logs.some((l) => l.component === 'probe' && l.stream === 'stdout' && l.line === 'a log line'), JSON.stringify(logs));
});

test('Spin 1.x: key-value opens a granted store, sets and gets', async () => {
  const res = await send('/kv', { method: 'POST', body: 'stored value' });
  assert.equal(res.status, 200);
  assert.equal(await res.text(), 'stored value');
  assert.equal(new TextDecoder().decode(await (await keyValue.open('default')).get('k')), 'stored value');
});

test('Spin 1.x: key-value answers access-denied (error 2) for a store the component is not granted', async () => {
  const res = await send('/denied');
  assert.equal(res.status, 403);
  assert.equal(await res.text(), '2');
});

test('Spin 1.x: spin-config get-config reads the component config, resolved from app variables', async () => {
  const res = await send('/config');
  assert.equal(res.status, 200);
  assert.equal(await res.text(), 'hello from config');
});

test('Spin 1.x: wasi-outbound-http reaches a host in allowed_http_hosts', async () => {
  const res = await send('/outbound', { method: 'POST', body: `http://${upstream.host}/` });
  assert.equal(res.status, 200);
  assert.equal(await res.text(), 'Hello, world!');
});

test('Spin 1.x: wasi-outbound-http answers destination-not-allowed (error 1) for any other host', async () => {
  const res = await send('/outbound', { method: 'POST', body: 'http://example.org/' });
  assert.equal(res.status, 502);
  assert.equal(await res.text(), '1');
  assert.ok(logs.some((l) => /denied/.test(l.line) && l.line.includes('example.org')));
});

test('Spin 1.x: outbound-redis fails the call with its error, and the log says no Redis is reachable', async () => {
  const res = await send('/redis');
  assert.equal(res.status, 503);
  assert.equal(await res.text(), '1');
  assert.ok(logs.some((l) => l.stream === 'stderr' && /outbound-redis publish: no Redis server/.test(l.line)));
});

test('a core module without handle-http-request is refused, saying what kind of module it is (hosts name the component: test/cli/errors.test.ts)', async () => {
  const bytes = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
  await assert.rejects(transpileComponent(bytes), (err: unknown) =>
    err instanceof TwirlError && err.code === 'unsupported-component' && err.message.startsWith('this is a WebAssembly core module, not a component') && /handle-http-request/.test(err.message),
  );
});
