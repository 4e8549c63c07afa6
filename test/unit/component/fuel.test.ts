import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse, print } from '@bytecodealliance/jco-transpile/wasm-tools';
import { Checkpoint, addFuel, fuelExport, fuelImports } from '../../../shared/component/fuel.ts';
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

/** A host that gives no more fuel: a module out of it traps. */
const noRefill = { [fuelImports.module]: { [fuelImports.checkpoint]: () => Checkpoint.trap, [fuelImports.yield]: () => {} } };

const instantiate = (budget: bigint) => new WebAssembly.Instance(new WebAssembly.Module(addFuel(module, budget) as BufferSource), noRefill);

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
  const instance = new WebAssembly.Instance(new WebAssembly.Module(addFuel(module, 1000n) as BufferSource), noRefill);
  // Each iteration refills the bytes with 7 and then adds 1: the last iteration's sum is left.
  assert.equal((instance.exports['f'] as (n: number) => number)(3), 0x07070707 + 1);
  assert.equal((instance.exports[fuelExport] as WebAssembly.Global).value, 1000n - 3n);
});

test('out of fuel, the module asks the host: refilled, it goes on; told to yield, it calls yield first', () => {
  let checkpoints = 0;
  let yields = 0;
  let fuel: WebAssembly.Global | undefined;
  const host = {
    [fuelImports.module]: {
      [fuelImports.checkpoint]: () => {
        checkpoints++;
        fuel!.value = 10n;
        return checkpoints % 2 === 0 ? Checkpoint.yield : Checkpoint.proceed;
      },
      [fuelImports.yield]: () => void yields++,
    },
  };
  const instance = new WebAssembly.Instance(new WebAssembly.Module(addFuel(module, 10n) as BufferSource), host);
  fuel = instance.exports[fuelExport] as WebAssembly.Global;
  assert.equal((instance.exports['count'] as (n: number) => number)(100), 100);
  // 101 iterations from 10 at first and 10 per refill: 10 checkpoints, every other one a yield.
  assert.equal(checkpoints, 10);
  assert.equal(yields, 5);
});

test('the added imports move every defined function: calls, ref.func, tables, exports, start and names stay right', async () => {
  const wat = `(module
    (type $unary (func (param i32) (result i32)))
    (import "env" "log" (func $log (param i32)))
    (import "env" "base" (global $base i32))
    (global $g (mut i32) (i32.const 0))
    (global $ref (ref $unary) (ref.func $double))
    (table $t 4 funcref)
    (table $u 2 funcref)
    (elem (table $t) (i32.const 0) func $double $triple)
    (elem (table $u) (i32.const 0) funcref (ref.func $triple) (ref.null func))
    (elem $passive func $double)
    (elem declare func $indirect)
    (func $double (type $unary) (i32.mul (local.get 0) (i32.const 2)))
    (func $triple (type $unary) (i32.mul (local.get 0) (i32.const 3)))
    (func $init (global.set $g (i32.const 7)) (call $log (i32.const 1)))
    (func $indirect (param i32) (param i32) (result i32)
      (call_indirect $t (type $unary) (local.get 1) (local.get 0)))
    (func $tail (param i32) (result i32) (return_call $double (local.get 0)))
    (func (export "run") (param $n i32) (result i32) (local $i i32) (local $sum i32)
      (table.init $t $passive (i32.const 2) (i32.const 0) (i32.const 1))
      (loop $l
        (local.set $sum (i32.add (local.get $sum)
          (i32.add (call $indirect (local.get $i) (i32.const 1)) (call_ref $unary (i32.const 1) (ref.func $triple)))))
        (local.set $sum (i32.add (local.get $sum) (call_indirect $u (type $unary) (i32.const 10) (i32.const 0))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
      (i32.add (i32.add (local.get $sum) (global.get $g))
        (i32.add (call $tail (global.get $base)) (call_ref $unary (i32.const 5) (global.get $ref)))))
    (export "triple" (func $triple))
    (export "table" (table $t))
    (start $init))`;
  const original = await parse(wat);
  const metered = addFuel(original, 1000n);
  assert.ok(WebAssembly.validate(metered as BufferSource), 'the rewritten module is valid');
  const logged: number[] = [];
  const imports = { env: { log: (v: number) => void logged.push(v), base: new WebAssembly.Global({ value: 'i32' }, 4) } };
  const before = new WebAssembly.Instance(new WebAssembly.Module(original as BufferSource), imports);
  const after = new WebAssembly.Instance(new WebAssembly.Module(metered as BufferSource), { ...imports, ...noRefill });
  const run = (i: WebAssembly.Instance) => (i.exports['run'] as (n: number) => number)(3);
  assert.equal(run(after), run(before));
  assert.equal(logged.length, 2, 'the start function ran in both');
  assert.equal((after.exports['triple'] as (n: number) => number)(5), 15);
  assert.equal((after.exports['table'] as WebAssembly.Table).get(2), (after.exports['table'] as WebAssembly.Table).get(0), 'the passive segment names $double too');
  const text = await print(metered);
  for (const name of ['$double', '$triple', '$init', '$indirect', '$tail']) assert.match(text, new RegExp(`\\(func \\${name} `), `${name} keeps its name`);
  assert.match(text, /\(start \$init\)/);
  assert.match(text, /\(import "twirl:fuel" "checkpoint"/);
});
