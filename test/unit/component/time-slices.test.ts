import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { addFuel, fuelExport } from '../../../shared/component/fuel.ts';
import { CoreLinker } from '../../../shared/component/core-linker.ts';
import { HostCallBudget } from '../../../shared/component/host-call-budget.ts';
import { RunMeter } from '../../../shared/component/run-meter.ts';
import { TimeSlices, nextMacrotask } from '../../../shared/component/time-slices.ts';

const jspi = WebAssembly as unknown as {
  promising<F extends (...args: never[]) => unknown>(f: F): (...args: Parameters<F>) => Promise<ReturnType<F>>;
  Suspending: new (f: (...args: never[]) => unknown) => object;
};

/**
 * A guest shaped like a component's: a handler entered through `WebAssembly.promising` that
 * spins, then calls a synchronous host function and an async one; each of them calls back into
 * the guest's `cabi_realloc`, which spins as well — long enough to run out of fuel there.
 */
const guest = await parse(`(module
  (import "host" "sync" (func $sync (result i32)))
  (import "host" "async" (func $async (result i32)))
  (global $g (mut i32) (i32.const 0))
  (func $spin (param $n i32) (result i32) (local $i i32)
    (loop $l
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $i))
  (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32) (call $spin (i32.const 5000000)))
  (func (export "wasi:http/incoming-handler@0.2.3#handle") (result i32)
    (i32.add (call $spin (i32.const 5000000)) (i32.add (call $sync) (call $async)))))`);

async function setUp(yields: { count: number }) {
  const hostCalls = new HostCallBudget();
  const slices = new TimeSlices(hostCalls, true, () => {
    yields.count++;
    return nextMacrotask();
  });
  const linker = new CoreLinker(() => slices.hostCall(), slices);
  let seen: WebAssembly.Exports = {};
  const realloc = () => (seen['cabi_realloc'] as (...a: number[]) => number)(0, 0, 1, 1);
  const instance = await linker.instantiate(new WebAssembly.Module(addFuel(guest, 1_000_000n) as BufferSource), {
    host: {
      sync: realloc,
      async: new jspi.Suspending(async () => {
        await nextMacrotask();
        return realloc();
      }) as WebAssembly.ImportValue,
    },
  });
  seen = instance.exports;
  const raw = linker.cores[0]!.exports;
  slices.meter([raw[fuelExport] as WebAssembly.Global]);
  hostCalls.start(1000, [raw[fuelExport] as WebAssembly.Global]);
  slices.start(1_000_000_000n, new RunMeter(60_000));
  return { raw, seen, slices };
}

test('fuel running out inside a call into the guest from JS (realloc from a host function, after an async import) never suspends there', async () => {
  const yields = { count: 0 };
  const { raw } = await setUp(yields);
  const handle = jspi.promising(raw['wasi:http/incoming-handler@0.2.3#handle'] as () => number);
  assert.equal(await handle(), 15_000_000);
  assert.ok(yields.count > 0, 'the handler itself yielded while it spun');
});

test('the entry point stays a Wasm function for WebAssembly.promising; every other export the glue sees is wrapped', async () => {
  const { raw, seen } = await setUp({ count: 0 });
  assert.equal(seen['wasi:http/incoming-handler@0.2.3#handle'], raw['wasi:http/incoming-handler@0.2.3#handle']);
  assert.notEqual(seen['cabi_realloc'], raw['cabi_realloc']);
  assert.equal(seen[fuelExport], raw[fuelExport]);
});
