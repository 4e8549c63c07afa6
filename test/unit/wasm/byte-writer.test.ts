/**
 * The byte writer keeps large pieces by reference and copies once, in finish: what it returns
 * must still be every byte written, in order, and belong to the writer.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ByteWriter, readSections, rebuildModule, rebuildModuleWriter } from '../../../shared/wasm/bytes.ts';

const pattern = (length: number, seed: number): Uint8Array => Uint8Array.from({ length }, (_, i) => (i * 31 + seed) & 0xff);

test('small and large writes, sections and LEB numbers come out in order', () => {
  const large = pattern(200_000, 1);
  const body = new ByteWriter().u32(300).bytes(pattern(10, 2)).bytes(large).byte(7);
  const out = new ByteWriter().byte(1).section(11, body).bytes(pattern(70_000, 3)).u32(5).finish();
  const expected = [1, 11, ...leb(body.length), 0xac, 0x02, ...pattern(10, 2), ...large, 7, ...pattern(70_000, 3), 5];
  assert.equal(out.length, expected.length);
  assert.deepEqual(out, Uint8Array.from(expected));
});

test('what finish returns is a copy: changing a piece kept by reference afterwards changes nothing', () => {
  const large = pattern(100_000, 4);
  const writer = new ByteWriter().bytes(large);
  const out = writer.finish();
  assert.notEqual(out.buffer, large.buffer);
  large.fill(0);
  assert.deepEqual(out, pattern(100_000, 4));
  // A second finish gives the same bytes without copying again.
  assert.equal(writer.finish(), out);
});

test('writes after finish go on from where it stopped', () => {
  const writer = new ByteWriter().bytes(pattern(80_000, 5));
  writer.finish();
  writer.byte(9).bytes(pattern(90_000, 6));
  assert.deepEqual(writer.finish(), Uint8Array.from([...pattern(80_000, 5), 9, ...pattern(90_000, 6)]));
});

test('a module rebuilt into a writer and appended equals the module rebuilt alone', () => {
  // Two custom sections: "a" with 1 2 3, "b" with 9. The first is rewritten, the second copied.
  const module = Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 0, 5, 1, 0x61, 1, 2, 3, 0, 3, 1, 0x62, 9]);
  const sections = readSections(module);
  const write = (s: { headerStart: number }, w: ByteWriter): boolean => {
    if (s.headerStart !== 8) return false;
    w.section(0, new ByteWriter().name('c').bytes(pattern(70_000, 7)));
    return true;
  };
  const alone = rebuildModule(module, sections, write);
  assert.deepEqual(alone, Uint8Array.from([...module.subarray(0, 8), 0, ...leb(70_002), 1, 0x63, ...pattern(70_000, 7), ...module.subarray(15)]));
  const appended = new ByteWriter().byte(42).append(rebuildModuleWriter(module, sections, write)).finish();
  assert.deepEqual(appended, Uint8Array.from([42, ...alone]));
});

function leb(value: number): number[] {
  const out: number[] = [];
  do {
    let b = value & 0x7f;
    value >>>= 7;
    if (value) b |= 0x80;
    out.push(b);
  } while (value);
  return out;
}
