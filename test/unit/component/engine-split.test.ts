import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { splitEngine, splitModules } from '../../../shared/component/engine-split.ts';
import { PagePool, applySnapshot, checkEngine } from '../../../shared/component/engine-snapshot.ts';
import { decodeSnapshot, encodeSnapshot } from '../../../shared/component/snapshot-codec.ts';
import { exportMutableGlobals, globalExportPrefix } from '../../../shared/component/rewrite-module.ts';
import { transpileComponent } from '../../../shared/component/prepare.ts';
import { TwirlError } from '../../../shared/errors.ts';
import { prepareOnDisk } from '../../../node/component/load-component.ts';
import { builtTemplate } from '../../../node/templates/built-template.ts';
import { tinyComponent } from '../../fixtures/tiny-component.ts';

/** A template component's main core module, prepared as today (whole). */
async function mainModule(template: string, id: string): Promise<Uint8Array> {
  const prepared = await prepareOnDisk((await builtTemplate(template)).components[id]!, { split: false });
  return new Uint8Array(await readFile(prepared.modules['component.core.wasm']!));
}

/** Every import a function that must not be called: instantiation alone runs no code. */
function trappingImports(module: WebAssembly.Module): WebAssembly.Imports {
  const imports: Record<string, Record<string, unknown>> = {};
  for (const { module: from, name, kind } of WebAssembly.Module.imports(module)) {
    assert.equal(kind, 'function', `${from}#${name} is a ${kind}`);
    (imports[from] ??= {})[name] = () => assert.fail(`${from}#${name} was called`);
  }
  return imports as WebAssembly.Imports;
}

function state(instance: WebAssembly.Instance): { memory: Uint8Array; globals: Record<string, unknown> } {
  const memory = Object.values(instance.exports).find((e) => e instanceof WebAssembly.Memory)!;
  const globals = Object.fromEntries(
    Object.entries(instance.exports).flatMap(([name, e]) => (name.startsWith(globalExportPrefix) && e instanceof WebAssembly.Global ? [[name, e.value]] : [])),
  );
  return { memory: new Uint8Array(memory.buffer), globals };
}

async function assertSameStart(whole: Uint8Array): Promise<void> {
  const split = await splitEngine(whole);
  assert.ok(split, 'the module was recognised as a JS engine');
  const original = await WebAssembly.compile(whole as BufferSource);
  const engine = await WebAssembly.compile(split.engine as BufferSource);
  const expected = state(new WebAssembly.Instance(original, trappingImports(original)));
  const fresh = new WebAssembly.Instance(engine, trappingImports(engine));
  applySnapshot(fresh, checkEngine(decodeRoundTrip(split.snapshot), split.engineDigest));
  const actual = state(fresh);
  assert.equal(actual.memory.length, expected.memory.length);
  assert.ok(Buffer.from(actual.memory).equals(Buffer.from(expected.memory)), 'memory is byte for byte the pre-initialised one');
  assert.deepEqual(actual.globals, expected.globals);
}

function decodeRoundTrip(snapshot: Parameters<typeof encodeSnapshot>[0]) {
  const pool = new PagePool();
  const encoded = encodeSnapshot(snapshot, pool);
  return decodeSnapshot(encoded, pool.bytes());
}

test('an engine instance with its snapshot written in starts as the pre-initialised module does (http-js)', async () => {
  await assertSameStart(await mainModule('http-js', 'hello'));
});

test('a hand-written engine-shaped module keeps its passive segments and every kind of global', async () => {
  const whole = exportMutableGlobals(
    await parse(`(module
      (memory 2 16)
      (global $sp (mut i32) (i32.const -16))
      (global $n (mut i64) (i64.const 9007199254740993))
      (global $f (mut f64) (f64.const 2.5))
      (global $k i32 (i32.const 7))
      (data (i32.const 16) "hello")
      (data $p "passive")
      (data (i32.const 70000) "\\01\\00\\00\\00\\00\\00\\00\\00\\00\\02")
      (func (export "check_init") (result i32) (i32.const 0))
      (func (export "copy") (memory.init $p (i32.const 100) (i32.const 0) (i32.const 7)))
      (export "memory" (memory 0)))`),
  );
  await assertSameStart(whole);
  const split = (await splitEngine(whole))!;
  const instance = new WebAssembly.Instance(new WebAssembly.Module(split.engine as BufferSource));
  applySnapshot(instance, split.snapshot);
  (instance.exports['copy'] as () => void)();
  assert.equal(Buffer.from(state(instance).memory.subarray(100, 107)).toString(), 'passive');
});

test('components of one world share one engine byte for byte, and most snapshot pages', async () => {
  const [hello, api] = await Promise.all([mainModule('multi-route', 'hello'), mainModule('multi-route', 'api')]);
  const [a, b] = [(await splitEngine(hello))!, (await splitEngine(api))!];
  assert.equal(a.engineDigest, b.engineDigest);
  assert.ok(Buffer.from(a.engine).equals(Buffer.from(b.engine)));
  // The pre-initialised heap (megabytes of data) is in the snapshot, not the engine.
  assert.ok(hello.length - a.engine.length > 2 * 2 ** 20, `engine ${a.engine.length} bytes of ${hello.length}`);
  const pool = new PagePool();
  encodeSnapshot(a.snapshot, pool);
  encodeSnapshot(b.snapshot, pool);
  const total = a.snapshot.pages.size + b.snapshot.pages.size;
  assert.ok(pool.size < total * 0.7, `${pool.size} distinct pages of ${total}`);
});

test('a snapshot made for another engine is refused, saying to rebuild', async () => {
  const [http, kv] = [(await splitEngine(await mainModule('http-js', 'hello')))!, (await splitEngine(await mainModule('kv-counter', 'counter')))!];
  assert.notEqual(http.engineDigest, kv.engineDigest);
  assert.throws(() => checkEngine(kv.snapshot, http.engineDigest), (err: unknown) => err instanceof TwirlError && err.code === 'snapshot-engine-mismatch' && /rebuild/.test(err.message));
});

test('bytes that are not a snapshot, or point outside their pages, are refused clearly', () => {
  const refused = (err: unknown) => err instanceof TwirlError && err.code === 'snapshot-invalid';
  assert.throws(() => decodeSnapshot(new TextEncoder().encode('not a snapshot at all, just some text here!'), new Uint8Array()), refused);
  const pool = new PagePool();
  const encoded = encodeSnapshot({ engineDigest: 'ab'.repeat(32), memoryPages: 1, globals: [], pages: new Map([[3, new Uint8Array(4096).fill(1)]]) }, pool);
  assert.throws(() => decodeSnapshot(encoded, new Uint8Array()), refused);
  assert.throws(() => decodeSnapshot(encoded.subarray(0, encoded.length - 2), pool.bytes()), refused);
  assert.equal(decodeSnapshot(encoded, pool.bytes()).pages.get(3)![4095], 1);
});

test('a component that is not a JS engine stays whole', async () => {
  const prepared = await transpileComponent(tinyComponent());
  const { whole, engines } = await splitModules(prepared.modules);
  assert.deepEqual(Object.keys(engines), []);
  assert.deepEqual(Object.keys(whole).sort(), Object.keys(prepared.modules).sort());
});
