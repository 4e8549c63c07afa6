/**
 * Spin 1.x modules as TinyGo, Rust and the JS SDK built them (see fixtures/spin1-toolchains.ts),
 * in Spin's legacy-apps manifest: the bodies Spin's integration test expects, Spin's headers,
 * and Spin's error variants for the interfaces Twirl cannot serve.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../../../shared/engine.ts';
import { loadManifest } from '../../../shared/manifest/parse.ts';
import { MemoryKeyValueBackend } from '../../../shared/key-value-memory.ts';
import type { LogLine } from '../../../shared/ports.ts';
import { loadComponent } from '../../../node/component/load-component.ts';
import { GREETINGS, PREVIEW1, SPIN1_INTERFACES, legacyApp, toolchainModule } from '../../fixtures/spin1-toolchains.ts';

const { manifest, files } = await legacyApp();
const app = loadManifest(manifest, '/legacy/spin.toml');
const logs: LogLine[] = [];
const components = new Map();
for (const component of Object.values(app.components)) components.set(component.id, await loadComponent(files[(component.source as { path: string }).path]!));
const engine = await Engine.create({
  app,
  components,
  keyValue: new MemoryKeyValueBackend(),
  fetch: (r) => fetch(r),
  files: { read: async () => undefined, list: async () => [] },
  logs: { write: (line) => void logs.push(line) },
  variables: {},
});
const send = (path: string, init?: RequestInit & { clientAddr?: string }) =>
  engine.handle(new Request(new URL(path, 'http://127.0.0.1:3000'), init), init?.clientAddr ? { clientAddr: init.clientAddr } : {});

test("Spin's legacy apps: each template's module answers the body Spin's integration test expects", async () => {
  for (const [route, expected] of [['/golang', GREETINGS.go], ['/rust', GREETINGS.rust], ['/javascript', GREETINGS.javascript], ['/typescript', GREETINGS.typescript]] as const) {
    const res = await send(route);
    assert.equal(res.status, 200, route);
    assert.equal(await res.text(), expected, route);
  }
});

test('Spin 1.x TinyGo module: _start runs once (ending in proc_exit(0)) before requests; each request is served and logs to stdout', async () => {
  for (let i = 0; i < 3; i++) {
    const res = await send('/golang/hello');
    assert.equal(res.headers.get('content-type'), 'text/plain');
    assert.equal(await res.text(), 'Hello Fermyon!\n');
  }
  assert.ok(logs.some((l) => l.component === 'go' && l.stream === 'stdout' && l.line === 'handling a request'));
  assert.ok(!logs.some((l) => l.component === 'go' && l.stream === 'stderr'), JSON.stringify(logs.filter((l) => l.stream === 'stderr')));
});

test('Spin 1.x Rust and JS modules: response headers as the module sets them, content-length as Spin sends it', async () => {
  for (const route of ['/rust', '/javascript']) {
    const res = await send(route);
    assert.equal(res.headers.get('foo'), 'bar');
    assert.equal(res.headers.get('content-length'), String(new TextEncoder().encode(await res.clone().text()).length));
  }
});

test('Spin 1.x JS SDK module (imports all of wasi_snapshot_preview1 and every Spin 1.x interface) sees Spin\'s spin-* request headers', async () => {
  const imports = WebAssembly.Module.imports(new WebAssembly.Module((await toolchainModule('js', 'x')) as Uint8Array<ArrayBuffer>));
  assert.equal(imports.filter((i) => i.module === 'wasi_snapshot_preview1').length, Object.keys(PREVIEW1).length);
  assert.equal(Object.keys(PREVIEW1).length, 46);
  assert.equal(imports.length, 46 + Object.values(SPIN1_INTERFACES).reduce((n, f) => n + Object.keys(f).length, 0));

  const res = await send('/javascript/headers/a/b?x=1', { headers: { 'x-custom': 'yes' }, clientAddr: '203.0.113.9:51234' });
  assert.equal(res.status, 200);
  const headers = Object.fromEntries((await res.text()).trimEnd().split('\n').map((line) => line.split(': ') as [string, string]));
  assert.equal(headers['x-custom'], 'yes');
  assert.equal(headers['spin-full-url'], 'http://127.0.0.1:3000/javascript/headers/a/b?x=1');
  assert.equal(headers['spin-path-info'], '/headers/a/b');
  assert.equal(headers['spin-matched-route'], '/javascript/...');
  assert.equal(headers['spin-raw-component-route'], '/javascript/...');
  assert.equal(headers['spin-component-route'], '/javascript');
  assert.equal(headers['spin-base-path'], '/');
  assert.equal(headers['spin-client-addr'], '203.0.113.9:51234');
});

test('Spin 1.x interfaces Twirl cannot serve answer their own error variants per call: redis error, pg/mysql connection-failed, sqlite access-denied, llm invalid-input naming the component', async () => {
  const res = await send('/javascript/unserved');
  assert.equal(res.status, 200);
  const [tags, message] = (await res.text()).split('\n') as [string, string];
  // (err, case) for outbound-redis get, outbound-pg execute, outbound-mysql query, sqlite open, llm infer
  assert.equal(tags, '1111111112');
  assert.match(message, /^javascript: .*model 'llama2-chat'.*ai_models/);
  for (const iface of ['outbound-redis get', 'outbound-pg execute', 'outbound-mysql query', 'sqlite open', 'llm infer']) {
    assert.ok(logs.some((l) => l.component === 'javascript' && l.stream === 'stderr' && l.line.startsWith(`[twirl] javascript: ${iface}:`)), iface);
  }
  // The instance is still good for the next request.
  assert.equal(await (await send('/javascript')).text(), GREETINGS.javascript);
});

test('Spin 1.x: a module importing an interface Twirl does not know still serves; only a call to it fails that request, naming the component; a failing _start is logged, not fatal (Spin never runs _start)', async () => {
  const { parse } = await import('@bytecodealliance/jco-transpile/wasm-tools');
  const bytes = await parse(`(module
    (import "wasi-cache" "get" (func $cache_get (param i32 i32 i32)))
    (memory (export "memory") 1)
    (data (i32.const 16) "ok")
    (func (export "_start") unreachable)
    (global $heap (mut i32) (i32.const 4096))
    (func (export "canonical_abi_realloc") (param i32 i32 i32 i32) (result i32)
      (global.get $heap)
      (global.set $heap (i32.add (global.get $heap) (i32.and (i32.add (local.get 3) (i32.const 7)) (i32.const -8)))))
    (func (export "handle-http-request") (param $m i32) (param $u i32) (param i32 i32 i32 i32 i32 i32 i32 i32) (result i32)
      (if (i32.eq (i32.load8_u offset=1 (local.get $u)) (i32.const 0x63)) (then (call $cache_get (i32.const 0) (i32.const 0) (i32.const 64))))
      (i32.store16 (i32.const 512) (i32.const 200))
      (i32.store8 (i32.const 528) (i32.const 1))
      (i32.store (i32.const 532) (i32.const 16))
      (i32.store (i32.const 536) (i32.const 2))
      (i32.const 512)))`);
  const lone = loadManifest('spin_version = "1"\nname = "lone"\ntrigger = { type = "http" }\n[[component]]\nid = "cached"\nsource = "c.wasm"\n[component.trigger]\nroute = "/..."\n', '/lone/spin.toml');
  const lines: LogLine[] = [];
  const loneEngine = await Engine.create({
    app: lone,
    components: new Map([['cached', await loadComponent(bytes)]]),
    keyValue: new MemoryKeyValueBackend(),
    fetch: (r) => fetch(r),
    files: { read: async () => undefined, list: async () => [] },
    logs: { write: (line) => void lines.push(line) },
    variables: {},
  });
  const ok = await loneEngine.handle(new Request('http://127.0.0.1:3000/plain'));
  assert.equal(ok.status, 200);
  assert.equal(await ok.text(), 'ok');
  assert.ok(lines.some((l) => l.stream === 'stderr' && /_start failed/.test(l.line)), JSON.stringify(lines));
  const failed = await loneEngine.handle(new Request('http://127.0.0.1:3000/cache'));
  assert.equal(failed.status, 500, JSON.stringify(lines));
  assert.ok(lines.some((l) => l.stream === 'stderr' && l.line.includes('cached: the Spin 1.x module called wasi-cache#get, which Twirl does not provide')), JSON.stringify(lines));
});
