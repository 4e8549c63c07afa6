import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { PreinitError, PreinitTimeout, preinitialize } from '../../../shared/build/preinit.ts';
import { memoryRuns, nonZeroRuns } from '../../../shared/build/memory-segments.ts';
import { readLayout } from '../../../shared/wasm/module-layout.ts';

/**
 * `init` grows memory, writes past the original data, overwrites a data segment, sets every
 * kind of mutable global; a passive segment is copied in by code that must still find it.
 */
const STATEFUL = `(module
  (import "wasi_snapshot_preview1" "random_get" (func $random (param i32 i32) (result i32)))
  (import "env" "never" (func $never))
  (memory (export "memory") 1 10)
  (global $count (mut i32) (i32.const 1))
  (global $big (mut i64) (i64.const 2))
  (global $f (mut f32) (f32.const 0.5))
  (global $d (mut f64) (f64.const 0.25))
  (global $fixed i32 (i32.const 99))
  (data (i32.const 16) "original")
  (data $later "passive!")
  (func (export "init")
    (global.set $count (i32.const -7))
    (global.set $big (i64.const 0x123456789abc))
    (global.set $f (f32.const 1.5))
    (global.set $d (f64.const -3.125))
    (drop (memory.grow (i32.const 2)))
    (i32.store (i32.const 16) (i32.const 0x44434241))
    (i32.store (i32.const 70000) (i32.const 0x01020304))
    (drop (call $random (i32.const 190000) (i32.const 4))))
  (func (export "count") (result i32) global.get $count)
  (func (export "big") (result i64) global.get $big)
  (func (export "f") (result f32) global.get $f)
  (func (export "d") (result f64) global.get $d)
  (func (export "fixed") (result i32) global.get $fixed)
  (func (export "copy_passive") (memory.init $later (i32.const 150000) (i32.const 0) (i32.const 8)))
  (func (export "call_never") call $never))`;

const noImports = { env: { never: () => {} }, wasi_snapshot_preview1: { random_get: () => 0 } };

async function instantiate(bytes: Uint8Array): Promise<Record<string, unknown>> {
  const { instance } = await WebAssembly.instantiate(bytes as Uint8Array<ArrayBuffer>, noImports);
  return instance.exports as Record<string, unknown>;
}

describe('preinitialize', () => {
  test('the output starts with the memory and globals init left behind', async () => {
    const module = await parse(STATEFUL);
    const { module: out } = await preinitialize(module, { initFunc: 'init', wasi: { files: new Map() } });
    const exports = await instantiate(out);
    const memory = new Uint8Array((exports.memory as WebAssembly.Memory).buffer);
    assert.equal(memory.length, 3 * 65536, 'memory starts at the size init grew it to');
    assert.equal(new TextDecoder().decode(memory.subarray(16, 24)), 'ABCDinal');
    assert.deepEqual([...memory.subarray(70000, 70004)], [4, 3, 2, 1]);
    assert.equal((exports.count as () => number)(), -7);
    assert.equal((exports.big as () => bigint)(), 0x123456789abcn);
    assert.equal((exports.f as () => number)(), 1.5);
    assert.equal((exports.d as () => number)(), -3.125);
    assert.equal((exports.fixed as () => number)(), 99);
  });

  test('the init export is gone, the others stay, and passive segments keep their index', async () => {
    const { module: out } = await preinitialize(await parse(STATEFUL), { initFunc: 'init', wasi: { files: new Map() } });
    const exports = await instantiate(out);
    assert.equal(exports.init, undefined);
    (exports.copy_passive as () => void)();
    const memory = new Uint8Array((exports.memory as WebAssembly.Memory).buffer);
    assert.equal(new TextDecoder().decode(memory.subarray(150000, 150008)), 'passive!');
    const layout = readLayout(out);
    assert.equal(layout.data.filter((d) => d.passive).length, 2, 'the dropped active segment before it became an empty passive one');
  });

  test('an import other than WASI traps during init, with the import named', async () => {
    const wat = STATEFUL.replace('(drop (call $random', '(call $never) (drop (call $random');
    await assert.rejects(preinitialize(await parse(wat), { initFunc: 'init', wasi: { files: new Map() } }), (err: unknown) => {
      assert.ok(err instanceof PreinitError);
      assert.match(err.message, /env#never is not available during initialisation/);
      return true;
    });
  });

  test('a failing init reports what the module wrote to stderr', async () => {
    const wat = `(module
      (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
      (memory (export "memory") 1)
      (data (i32.const 8) "\\10\\00\\00\\00\\05\\00\\00\\00")
      (data (i32.const 16) "oops\\n")
      (func (export "init") (drop (call $write (i32.const 2) (i32.const 8) (i32.const 1) (i32.const 32))) unreachable))`;
    await assert.rejects(preinitialize(await parse(wat), { initFunc: 'init', wasi: { files: new Map() } }), (err: unknown) => {
      assert.ok(err instanceof PreinitError);
      assert.equal(err.stderr, 'oops\n');
      assert.match(err.message, /init trapped/);
      return true;
    });
  });
});

describe('initialisation that does not end', () => {
  /** `init` counts to `$n` in a loop, storing the count (in a module with no data segments); `forever` never returns. */
  const LOOPS = `(module
    (memory (export "memory") 1)
    (global $n (mut i32) (i32.const 0))
    (func (export "init") (param) (local $i i32)
      (loop $again
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $again (i32.lt_u (local.get $i) (i32.const 30000000))))
      (i32.store (i32.const 64) (local.get $i))
      (global.set $n (local.get $i)))
    (func (export "forever") (loop $again (br $again)))
    (func (export "n") (result i32) global.get $n))`;

  test('is stopped at its time limit, and the error says so', async () => {
    const started = Date.now();
    await assert.rejects(preinitialize(await parse(LOOPS), { initFunc: 'forever', wasi: { files: new Map() }, timeLimitMs: 300 }), (err: unknown) => {
      assert.ok(err instanceof PreinitTimeout);
      assert.equal(err.limitMs, 300);
      assert.match(err.message, /forever was still running after 0\.3 s and was stopped/);
      return true;
    });
    // Stopped soon after the limit, not at the default one.
    assert.ok(Date.now() - started < 15_000, `stopped after ${Date.now() - started} ms`);
  });

  test('a long loop that ends within the limit runs to its end, what it wrote is kept, and the metering leaves nothing in the output', async () => {
    const { module: out } = await preinitialize(await parse(LOOPS), { initFunc: 'init', wasi: { files: new Map() } });
    const exports = await instantiate(out);
    assert.equal((exports.n as () => number)(), 30_000_000, 'more iterations than one slice of fuel');
    assert.deepEqual([...new Uint8Array((exports.memory as WebAssembly.Memory).buffer, 64, 4)], [0x80, 0xc3, 0xc9, 0x01]);
    assert.deepEqual(WebAssembly.Module.imports(new WebAssembly.Module(out as Uint8Array<ArrayBuffer>)), [], 'no fuel import');
    assert.ok(!WebAssembly.Module.exports(new WebAssembly.Module(out as Uint8Array<ArrayBuffer>)).some((e) => e.name.startsWith('twirl')), 'no fuel export');
    assert.equal(readLayout(out).globals.length, 1, 'no fuel global');
  });
});

test('initialisation may grow memory as far as a component may run with, no further', async () => {
  const grows = (pages: number) => `(module
    (memory (export "memory") 1)
    (func (export "init") (if (i32.eq (memory.grow (i32.const ${pages})) (i32.const -1)) (then unreachable))))`;
  const { module: out } = await preinitialize(await parse(grows(2000)), { initFunc: 'init', wasi: { files: new Map() } });
  assert.equal(readLayout(out).memories[0]!.min, 2001, '125 MB: within the limit');
  await assert.rejects(preinitialize(await parse(grows(4096)), { initFunc: 'init', wasi: { files: new Map() } }), /init trapped/, '256 MB more: past it');
});

describe('memory runs', () => {
  test('zero gaps shorter than a segment header are merged, longer ones split', () => {
    const memory = new Uint8Array(200);
    memory.set([1, 2], 10);
    memory.set([3], 15); // 3 zeros apart: one run
    memory.set([4], 100); // far apart: its own run
    assert.deepEqual(nonZeroRuns(memory), [[10, 16], [100, 101]]);
  });

  test('past the segment cap, runs merge until they fit', () => {
    const memory = new Uint8Array(64 * 1000);
    for (let at = 0; at < memory.length; at += 64) memory[at] = 1;
    assert.equal(nonZeroRuns(memory).length, 1000);
    const runs = memoryRuns(memory, 100);
    assert.ok(runs.length <= 100);
    const rebuilt = new Uint8Array(memory.length);
    for (const run of runs) rebuilt.set(run.bytes, run.offset);
    assert.deepEqual(rebuilt, memory);
  });
});
