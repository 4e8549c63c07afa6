import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { addFuel, fuelExport } from '../../../shared/component/fuel.ts';

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
