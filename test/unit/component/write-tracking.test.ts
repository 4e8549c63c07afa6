import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { trackWrites, dirtyMapExport } from '../../../shared/component/write-tracking.ts';
import { CoreLinker } from '../../../shared/component/core-linker.ts';
import { captureSnapshot, dirtyPageCount, restoreSnapshot, type InstanceSnapshot } from '../../../shared/component/instance-snapshot.ts';

const maxMemoryBytes = 16 * 65536;

/** Defines the memory, like a component's main module; every way of writing memory has an export. */
const main = await parse(`(module
  (import "host" "fill-return-area" (func $fillReturnArea (param i32 i32)))
  (memory (export "memory") 4 16)
  (table $t (export "table") 2 funcref)
  (global $g (mut i32) (i32.const 5))
  (data $passive "hello, passive")
  (data (i32.const 100) "active")
  (elem declare func $nothing)
  (func $nothing)
  (func (export "store32") (param $a i32) (param $v i32) (i32.store offset=3 (local.get $a) (local.get $v)))
  (func (export "store8") (param $a i32) (param $v i32) (i32.store8 (local.get $a) (local.get $v)))
  (func (export "store64") (param $a i32) (i64.store offset=4094 (local.get $a) (i64.const -1)))
  (func (export "storef64") (param $a i32) (f64.store (local.get $a) (f64.const 3.5)))
  (func (export "storef32") (param $a i32) (f32.store (local.get $a) (f32.const 1.5)))
  (func (export "store128") (param $a i32) (v128.store (local.get $a) (v128.const i32x4 -1 -1 -1 -1)))
  (func (export "store128-near") (param $a i32) (v128.store offset=48 (local.get $a) (v128.const i32x4 1 2 3 4)))
  (func (export "store-computed") (param $a i32) (param $v i32) (i32.store offset=5000 (local.get $a) (i32.mul (local.get $v) (i32.const 3))))
  (func (export "fill") (param $d i32) (param $n i32) (memory.fill (local.get $d) (i32.const 0xab) (local.get $n)))
  (func (export "copy") (param $d i32) (param $s i32) (param $n i32) (memory.copy (local.get $d) (local.get $s) (local.get $n)))
  (func (export "init") (param $d i32) (memory.init $passive (local.get $d) (i32.const 0) (i32.const 14)))
  (func (export "drop") (data.drop $passive))
  (func (export "table-set") (table.set $t (i32.const 0) (ref.func $nothing)))
  (func (export "grow") (drop (memory.grow (i32.const 1))))
  (func (export "set-global") (global.set $g (i32.const 99)))
  (func (export "write-then-trap") (param $a i32) (i32.store (local.get $a) (i32.const 7)) unreachable)
  (func (export "ask-host") (param $v i32) (param $p i32) (call $fillReturnArea (local.get $v) (local.get $p)))
  (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32) (i32.const 200000)))`);

/** Imports the memory, like the WASI adapter. */
const adapter = await parse(`(module
  (import "env" "memory" (memory 1))
  (func (export "store") (param $a i32) (param $v i32) (i32.store (local.get $a) (local.get $v))))`);

type Fn = (...args: number[]) => unknown;

async function instantiate(options: { trackAdapter?: boolean } = {}) {
  const linker = new CoreLinker();
  let memory: WebAssembly.Memory | undefined;
  const host = {
    // The host writes a result record of 12 bytes where the component asked.
    'fill-return-area': (v: number, p: number) => new Uint8Array(memory!.buffer, p, 12).fill(v),
  };
  const a = await linker.instantiate(new WebAssembly.Module(trackWrites(main, maxMemoryBytes) as BufferSource), { host });
  memory = a.exports['memory'] as WebAssembly.Memory;
  const adapterBytes = options.trackAdapter === false ? adapter : trackWrites(adapter, maxMemoryBytes);
  const b = await linker.instantiate(new WebAssembly.Module(adapterBytes as BufferSource), { env: { memory } });
  const snapshot = captureSnapshot(linker);
  const fn = (name: string): Fn => (a.exports[name] ?? b.exports[name]) as Fn;
  return { linker, memory, snapshot, fn, global: a.exports, fresh: new Uint8Array(memory.buffer).slice() };
}

function assertFresh(memory: WebAssembly.Memory, fresh: Uint8Array, snapshot: InstanceSnapshot): void {
  assert.equal(restoreSnapshot(snapshot), true);
  assert.ok(Buffer.from(memory.buffer).equals(fresh), 'memory differs from a new instance after the reset');
}

test('a module with one memory gets a dirty-page map; one without memory is left as it is', async () => {
  const m = new WebAssembly.Module(trackWrites(main, maxMemoryBytes) as BufferSource);
  assert.ok(WebAssembly.Module.exports(m).some((e) => e.name === dirtyMapExport && e.kind === 'memory'));
  const none = await parse('(module (func (export "f") (result i32) (i32.const 1)))');
  assert.equal(trackWrites(none, maxMemoryBytes), none);
});

test('a module with an instruction the pass cannot decode is left as it is, to be copied back whole', async () => {
  // ref.i31 (GC, prefix 0xfb): read as having no immediates, its operands would be taken for code.
  const gc = await parse(`(module (memory 1)
    (func (export "f") (param i32) (i32.store (local.get 0) (i32.const 1)) (drop (ref.i31 (i32.const 1)))))`);
  assert.equal(trackWrites(gc, maxMemoryBytes), gc);
});

test('every kind of store, bulk operation and host write is undone, and only dirtied pages are copied', async () => {
  const { memory, snapshot, fn, fresh } = await instantiate();
  const steps: Array<[string, () => unknown]> = [
    ['i32.store with an offset', () => fn('store32')(4093, 0x01020304)],
    ['i32.store8', () => fn('store8')(70000, 9)],
    ['i64.store across a page boundary', () => fn('store64')(8192)],
    ['f64.store', () => fn('storef64')(5000)],
    ['f32.store', () => fn('storef32')(6000)],
    ['v128.store', () => fn('store128')(4096 * 3 - 8)],
    // A store near its base address marks the base's page; what lands in the next page is within the margin a reset copies.
    ['i32.store wholly in the page after its base address', () => fn('store32')(4096 * 7 - 2, 0x0a0b0c0d)],
    ['v128.store at the far edge of the margin', () => fn('store128-near')(4096 * 11 - 1)],
    ['a store of a computed value, its offset in the next page', () => fn('store-computed')(3000, 7)],
    ['memory.fill over pages', () => fn('fill')(10, 20000)],
    ['memory.copy', () => fn('copy')(50000, 100, 9000)],
    ['memory.init', () => fn('init')(123456)],
    ['the host, into a return area', () => fn('ask-host')(0xcd, 4096 * 9 - 4)],
    ['the host, into a block from realloc', () => new Uint8Array(memory.buffer, fn('cabi_realloc')(0, 0, 1, 9000) as number, 9000).fill(0xee)],
    ['a module importing the memory', () => fn('store')(150000, -1)],
  ];
  for (const [what, step] of steps) {
    step();
    assert.ok(dirtyPageCount(snapshot) > 0 && dirtyPageCount(snapshot) < 10, `${what}: ${dirtyPageCount(snapshot)} pages marked`);
    assert.ok(!Buffer.from(memory.buffer).equals(fresh), `${what} wrote nothing`);
    assertFresh(memory, fresh, snapshot);
    assert.equal(dirtyPageCount(snapshot), 0);
  }
});

test('any mix of writes is undone exactly', async () => {
  const { memory, snapshot, fn, fresh } = await instantiate();
  const size = 4 * 65536;
  const write = fc.oneof(
    fc.record({ kind: fc.constant('store32'), at: fc.nat(size - 8), value: fc.integer() }),
    fc.record({ kind: fc.constant('store-computed'), at: fc.nat(size - 5004), value: fc.integer() }),
    fc.record({ kind: fc.constant('fill'), at: fc.nat(size - 1), length: fc.nat(30000) }),
    fc.record({ kind: fc.constant('copy'), at: fc.nat(size - 1), from: fc.nat(size - 1), length: fc.nat(30000) }),
    fc.record({ kind: fc.constant('host'), at: fc.nat(size - 12), value: fc.nat(255) }),
  );
  fc.assert(
    fc.property(fc.array(write, { maxLength: 20 }), (writes) => {
      for (const w of writes) {
        try {
          if (w.kind === 'store32' || w.kind === 'store-computed') fn(w.kind)(w.at, w.value);
          else if (w.kind === 'fill') fn('fill')(w.at, w.length);
          else if (w.kind === 'copy') fn('copy')(w.at, w.from, w.length);
          else fn('ask-host')(w.value, w.at);
        } catch (err) {
          // Out of bounds: the operation traps before writing anything.
          assert.ok(err instanceof WebAssembly.RuntimeError);
        }
      }
      assertFresh(memory, fresh, snapshot);
    }),
    { numRuns: 200 },
  );
});

test('a write followed by a trap is undone too', async () => {
  const { memory, snapshot, fn, fresh } = await instantiate();
  assert.throws(() => fn('write-then-trap')(30000), WebAssembly.RuntimeError);
  assertFresh(memory, fresh, snapshot);
});

test('globals are restored', async () => {
  const { snapshot, fn, global } = await instantiate();
  const g = Object.values(global).filter((v) => v instanceof WebAssembly.Global);
  const before = g.map((x) => x.value);
  fn('set-global')();
  assert.equal(restoreSnapshot(snapshot), true);
  assert.deepEqual(g.map((x) => x.value), before);
});

test('grown memory, a changed table or a dropped segment cannot be undone: the instance must be replaced', async () => {
  for (const change of ['grow', 'table-set', 'drop']) {
    const { snapshot, fn } = await instantiate();
    fn(change)();
    assert.equal(restoreSnapshot(snapshot), false, change);
  }
});

test('a memory that a module without tracking writes is copied back whole', async () => {
  const { linker, memory, snapshot, fn, fresh } = await instantiate({ trackAdapter: false });
  assert.equal(linker.untracked.size, 1);
  fn('store')(150000, -1);
  assertFresh(memory, fresh, snapshot);
});
