import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { addFuel, fuelExport } from '../../../shared/component/fuel.ts';
import { TwirlError } from '../../../shared/errors.ts';

const module = await parse(`(module
  (global $g (mut i32) (i32.const 0))
  (func (export "count") (param $n i32) (result i32) (local $i i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $i))
  (func (export "forever") (loop $again (br $again))))`);

const instantiate = (budget: bigint) => new WebAssembly.Instance(new WebAssembly.Module(addFuel(module, budget) as BufferSource), {});

test('loops spend fuel and keep their results', () => {
  const instance = instantiate(1000n);
  assert.equal((instance.exports['count'] as (n: number) => number)(100), 100);
  assert.equal((instance.exports[fuelExport] as WebAssembly.Global).value, 1000n - 101n);
});

test('a loop that never ends traps when the fuel runs out', () => {
  const instance = instantiate(10_000n);
  assert.throws(() => (instance.exports['forever'] as () => void)(), WebAssembly.RuntimeError);
  assert.equal((instance.exports[fuelExport] as WebAssembly.Global).value, 0n);
});

test('work that needs more than the budget is stopped too', () => {
  const instance = instantiate(50n);
  assert.throws(() => (instance.exports['count'] as (n: number) => number)(100), WebAssembly.RuntimeError);
});

test('an instruction the instrumenter cannot decode is refused, naming it and where it is', async () => {
  // ref.i31 (GC, prefix 0xfb): skipped as if it had no immediates, its operands would be read as code.
  const gc = await parse(`(module
    (global $g (mut i32) (i32.const 0))
    (func (export "f") (loop $l (drop (ref.i31 (i32.const 1))))))`);
  assert.throws(() => addFuel(gc, 100n), (err: unknown) => {
    assert.ok(err instanceof TwirlError);
    assert.equal(err.code, 'unsupported-instruction');
    assert.match(err.message, /unknown instruction 0xfb at byte \d+/);
    return true;
  });
});

test('bulk memory, SIMD and atomics instructions are read with their immediates', async () => {
  const module = await parse(`(module
    (memory 1 1 shared)
    (global $g (mut i32) (i32.const 0))
    (func (export "f") (param $n i32) (result i32)
      (loop $l
        (memory.fill (i32.const 0) (i32.const 7) (i32.const 16))
        (drop (i32x4.extract_lane 2 (v128.load offset=4 (i32.const 0))))
        (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))
        (atomic.fence)
        (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
      (i32.atomic.load (i32.const 0))))`);
  const instance = new WebAssembly.Instance(new WebAssembly.Module(addFuel(module, 1000n) as BufferSource), {});
  // Each iteration refills the bytes with 7 and then adds 1: the last iteration's sum is left.
  assert.equal((instance.exports['f'] as (n: number) => number)(3), 0x07070707 + 1);
  assert.equal((instance.exports[fuelExport] as WebAssembly.Global).value, 1000n - 3n);
});
