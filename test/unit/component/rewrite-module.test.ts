import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { capMemory, exportMutableGlobals, globalExportPrefix, wasmPageBytes } from '../../../shared/component/rewrite-module.ts';

const module = await parse(`(module
  (import "env" "g" (global i32))
  (memory 2)
  (global $sp (mut i32) (i32.const 1024))
  (global $k i32 (i32.const 7))
  (global $f (mut f64) (f64.const 1.5))
  (func (export "bump") (global.set $sp (i32.add (global.get $sp) (i32.const 16))))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))`);

const imports = { env: { g: new WebAssembly.Global({ value: 'i32' }, 3) } };
const instantiate = (bytes: Uint8Array) => new WebAssembly.Instance(new WebAssembly.Module(bytes as BufferSource), imports);

test('mutable globals the module keeps private become exports, immutable ones do not', () => {
  const instance = instantiate(exportMutableGlobals(module));
  const names = Object.keys(instance.exports).filter((n) => n.startsWith(globalExportPrefix)).sort();
  assert.deepEqual(names, [`${globalExportPrefix}1`, `${globalExportPrefix}3`]);
  const sp = instance.exports[`${globalExportPrefix}1`] as WebAssembly.Global;
  (instance.exports['bump'] as () => void)();
  assert.equal(sp.value, 1040);
});

test('capped memory refuses to grow past the cap', () => {
  const instance = instantiate(capMemory(module, 4 * wasmPageBytes));
  const grow = instance.exports['grow'] as (pages: number) => number;
  assert.equal(grow(2), 2);
  assert.equal(grow(1), -1);
});

test('both rewrites together keep the module valid', () => {
  assert.ok(WebAssembly.validate(capMemory(exportMutableGlobals(module), 8 * wasmPageBytes) as BufferSource));
});
