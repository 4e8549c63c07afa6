/** Hand-written hostile input against the engine: each must fail alone, clearly, and leave the next request working. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { templateEngine } from '../../support/template-engine.ts';
import { Engine } from '../../../shared/engine.ts';
import { loadManifest } from '../../../shared/manifest/parse.ts';
import { MemoryKeyValueBackend } from '../../../shared/key-value-memory.ts';
import { transpileComponent } from '../../../shared/component/prepare.ts';
import { TwirlError } from '../../../shared/errors.ts';

const routes = await templateEngine('multi-route');
const files = await templateEngine('static-files');

const healthy = async () => assert.equal((await routes.request('/hello')).status, 200);

test('huge request headers reach the component intact or are refused, never crash', async () => {
  const res = await routes.request('/hello', { headers: { 'x-big': 'a'.repeat(256 * 1024) } });
  assert.ok([200, 431, 500].includes(res.status), `status ${res.status}`);
  await healthy();
});

test('thousands of headers do not break the engine', async () => {
  const headers = new Headers();
  for (let i = 0; i < 2000; i++) headers.set(`x-h${i}`, String(i));
  assert.equal((await routes.request('/hello', { headers })).status, 200);
});

test('invalid UTF-8 percent-sequences in the path route without throwing', async () => {
  for (const path of ['/users/%ff%fe', '/api/%c3%28', '/%e0%80%af', '/api/%', '/users/%zz']) {
    const res = await routes.request(path);
    assert.ok(res.status === 200 || res.status === 404, `${path} → ${res.status}`);
  }
  await healthy();
});

test('.. in a request path cannot reach files outside the mount', async () => {
  for (const path of ['/../spin.toml', '/%2e%2e/spin.toml', '/css/%2e%2e/%2e%2e/spin.toml', '/..%2fspin.toml', '/%2e%2e%2fsrc%2findex.js']) {
    const res = await files.request(path);
    assert.notEqual(res.status, 200, path);
  }
});

test('a very long path is matched in reasonable time', async () => {
  const path = '/api/' + 'segment/'.repeat(20_000);
  const started = performance.now();
  const res = await routes.request(path);
  assert.equal(res.status, 200);
  assert.ok(performance.now() - started < 5000);
});

test('.. in a file mount is refused at load with a clear error', async () => {
  await assert.rejects(
    templateEngine('static-files', {}, (app) => {
      app.components['files']!.files = [{ source: '../..', destination: '/' }];
    }),
    (err: unknown) => err instanceof TwirlError && err.code === 'invalid-file-mount' && /'\.\.'/.test(err.message),
  );
});

test('bytes that are not a component are refused with a clear error', async () => {
  for (const bytes of [new Uint8Array(0), new TextEncoder().encode('hello'), new Uint8Array([0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0, 0xff])]) {
    await assert.rejects(transpileComponent(bytes), (err: unknown) => err instanceof TwirlError && err.code === 'invalid-component');
  }
  // A core module is read as a Spin 1.x module: one without its HTTP export is refused as such.
  await assert.rejects(transpileComponent(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0])), (err: unknown) => err instanceof TwirlError && err.code === 'unsupported-component' && /core module/.test(err.message));
});

test('a component that exports no HTTP handler is refused with what it does export', async () => {
  const { parse } = await import('@bytecodealliance/jco-transpile/wasm-tools');
  const bytes = await parse('(component (core module $m (func (export "f"))) (core instance $i (instantiate $m)) (func $f (canon lift (core func $i "f"))) (export "run" (func $f)))');
  await assert.rejects(transpileComponent(bytes), (err: unknown) => err instanceof TwirlError && err.code === 'unsupported-component' && /run/.test(err.message));
});

test('deeply nested TOML is a manifest error, not a crash', () => {
  const nested = 'spin_manifest_version = 2\n[application]\nname = "x"\n[variables]\nv = ' + '['.repeat(5000) + ']'.repeat(5000) + '\n';
  assert.throws(() => loadManifest(nested), (err: unknown) => err instanceof TwirlError && /spin\.toml/.test(err.message));
});

test('a route that would need thousands of components still compiles quickly', async () => {
  const triggers = Array.from({ length: 2000 }, (_, i) => `[[trigger.http]]\nroute = "/r${i}/:id/..."\nstatic_response = { status_code = 200, body = "${i}" }\n`).join('\n');
  const started = performance.now();
  const engine = await Engine.create({
    app: loadManifest(`spin_manifest_version = 2\n[application]\nname = "many"\n${triggers}`),
    components: new Map(),
    keyValue: new MemoryKeyValueBackend(),
    fetch: (request) => fetch(request),
    files: { read: async () => undefined, list: async () => [] },
    logs: { write: () => {} },
  });
  const res = await engine.handle(new Request('http://localhost/r1999/x/tail'));
  assert.equal(await res.text(), '1999');
  assert.ok(performance.now() - started < 5000);
});
