import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { ExternKind, importEntries, readLayout } from '../../../shared/wasm/module-layout.ts';
import { transpileComponent } from '../../../shared/component/prepare.ts';
import { TwirlError } from '../../../shared/errors.ts';
import { SectionId, sectionReader } from '../../../shared/wasm/bytes.ts';
import { addFuel } from '../../../shared/component/fuel.ts';

// Typed references (`(ref null $t)`) carry a type index after their type byte: a reader taking
// one byte for the type would read the index as the limits and lose its place.
const wat = `(module
  (type $unary (func (param i32) (result i32)))
  (import "env" "table" (table 1 (ref null $unary)))
  (import "env" "global" (global (ref null $unary)))
  (import "env" "memory" (memory 1))
  (import "env" "log" (func $log (param i32)))
  (global $g (mut i32) (i32.const 0))
  (func (export "f") (param i32) (loop $l (call $log (local.get 0)) (br_if $l (i32.const 0)))))`;

test('an import section is read entry by entry, typed references included', async () => {
  const bytes = await parse(wat);
  const layout = readLayout(bytes);
  assert.equal(layout.importedGlobals, 1);
  assert.equal(layout.importedMemories, 1);
  const imports = [...importEntries(sectionReader(bytes, layout.sections.find((s) => s.id === SectionId.import)!))];
  assert.deepEqual(
    imports.map(({ name, kind, type }) => [name, kind, type]),
    [['table', ExternKind.table, undefined], ['global', ExternKind.global, undefined], ['memory', ExternKind.memory, undefined], ['log', ExternKind.func, 1]],
  );
  assert.ok(WebAssembly.validate(addFuel(bytes, 10n) as BufferSource), 'the metered module is valid');
});

test('a module whose sections are garbage is refused as such, not read as one without exports', async () => {
  const garbage = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...new TextEncoder().encode('garbage')]);
  assert.throws(() => readLayout(garbage), /unknown section id 103 at byte 8/);
  const truncated = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 40, 1]);
  assert.throws(() => readLayout(truncated), /section 1 at byte 8 runs past the end of the module/);
  await assert.rejects(transpileComponent(garbage), (err: unknown) => err instanceof TwirlError && err.code === 'invalid-component' && err.message.startsWith('not a valid WebAssembly core module: unknown section id'));
});
