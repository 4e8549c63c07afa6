import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { addFuel } from '../../../shared/component/fuel.ts';
import { CoreLinker } from '../../../shared/component/core-linker.ts';
import { mayWaitKey } from '../../../shared/component/glue-waits.ts';
import { waitImports, waitsOnHost } from '../../../shared/component/wait-points.ts';
import { TwirlError } from '../../../shared/errors.ts';

// `poll` stands for any host function that may wait: one answering an i32, one answering nothing
// (its results written to memory), called directly and through a table.
const module = await parse(`(module
  (import "wasi:io/poll@0.2.10" "poll" (func $poll (param i32) (result i32)))
  (import "wasi:io/streams@0.2.10" "[method]output-stream.blocking-flush" (func $flush (param i32)))
  (import "host" "after" (func $after (param i32)))
  (table 1 funcref)
  (elem (i32.const 0) $poll)
  (global $g (mut i32) (i32.const 0))
  (type $t (func (param i32) (result i32)))
  (func (export "direct") (param i32) (result i32)
    (call $flush (local.get 0))
    (call $after (call $poll (local.get 0)))
    (i32.const 1))
  (func (export "indirect") (param i32) (result i32)
    (call $after (call_indirect (type $t) (local.get 0) (i32.const 0)))
    (i32.const 1)))`);

type Host = (n: number) => number | Promise<number>;

async function run(exportName: string, poll: Host): Promise<{ log: string[]; result: number }> {
  const log: string[] = [];
  const mark = <F extends (...args: never[]) => unknown>(f: F): F => Object.assign(f, { [mayWaitKey]: true });
  const linker = new CoreLinker();
  const instance = await linker.instantiate(new WebAssembly.Module(addFuel(module, 1_000_000n) as BufferSource), {
    'wasi:io/poll@0.2.10': { poll: mark(poll) },
    'wasi:io/streams@0.2.10': { '[method]output-stream.blocking-flush': mark((n: number) => void log.push(`flush ${n}`)) },
    host: { after: (n: number) => void log.push(`answer ${n}`) },
  });
  const entry = (WebAssembly as unknown as { promising: (f: unknown) => (n: number) => Promise<number> }).promising(instance.exports[exportName]);
  const call = entry(3);
  log.push('returned to the host');
  return { log, result: await call };
}

test('a host function that may wait but answers at once never suspends the guest', async () => {
  for (const exportName of ['direct', 'indirect']) {
    const { log, result } = await run(exportName, (n) => n * 2);
    assert.equal(result, 1);
    // The guest ran to its end before the call returned to the host: it was never suspended.
    assert.deepEqual(log.slice(-2), ['answer 6', 'returned to the host'], exportName);
  }
});

test('a host function answering with a promise suspends the guest until it settles, and the guest gets its value', async () => {
  for (const exportName of ['direct', 'indirect']) {
    const { log, result } = await run(exportName, (n) => new Promise((resolve) => setTimeout(() => resolve(n * 7), 5)));
    assert.equal(result, 1);
    assert.deepEqual(log.slice(-2), ['returned to the host', 'answer 21'], exportName);
  }
});

test('a promise that rejects fails the guest where it waits', async () => {
  await assert.rejects(run('direct', () => Promise.reject(new Error('store unreachable'))), /store unreachable/);
});

test('only modules calling host functions that may wait get wait points', async () => {
  const prepared = addFuel(module, 1n);
  assert.deepEqual(waitsOnHost(prepared), { waits: true, throughWaitPoints: true });
  const imports = WebAssembly.Module.imports(new WebAssembly.Module(prepared as BufferSource)).filter((i) => i.module === waitImports.module);
  assert.deepEqual(imports.map((i) => i.name).sort(), [waitImports.pending, waitImports.wait, waitImports.waitI32].sort());
  const plain = await parse(`(module (global $g (mut i32) (i32.const 0)) (func (export "f")))`);
  assert.deepEqual(waitsOnHost(addFuel(plain, 1n)), { waits: false, throughWaitPoints: false });
});

test('a host function that may wait, imported with a type no wait point can give, is refused by name', async () => {
  const odd = await parse(`(module
    (import "wasi:io/poll@0.2.10" "poll" (func (result i64)))
    (global $g (mut i32) (i32.const 0))
    (func (export "f")))`);
  assert.throws(() => addFuel(odd, 1n), (err: unknown) => err instanceof TwirlError && /wasi:io\/poll@0\.2\.10#poll/.test(err.message));
});
