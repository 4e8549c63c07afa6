/**
 * CPU budget by instrumentation: every loop iteration spends one unit of a fuel global, and a
 * component that runs out traps. A runaway loop then fails its own request in any host, even
 * one (a browser, Node) that cannot interrupt running Wasm from outside.
 */
import { ByteReader, ByteWriter, SectionId, rebuildModule, sectionReader } from '../wasm/bytes.ts';
import { ExternKind, ValueType, readLayout } from '../wasm/module-layout.ts';
import { addExports } from './rewrite-module.ts';
import { TwirlError } from '../errors.ts';

export const fuelExport = 'twirl-fuel';

function skipBlockType(r: ByteReader): void {
  const b = r.bytes[r.at]!;
  if (b === 0x40 || (b >= 0x6f && b <= 0x7f)) r.at++;
  else if (b === 0x63 || b === 0x64) {
    r.at++;
    r.skipLeb();
  } else r.skipLeb();
}

function skipValueType(r: ByteReader): void {
  const b = r.byte();
  if (b === 0x63 || b === 0x64) r.skipLeb();
}

function skipMemArg(r: ByteReader): void {
  // Bit 6 of the alignment says a memory index follows (multi-memory).
  if (r.u32() & 0x40) r.skipLeb();
  r.skipLeb();
}

/** Opcodes with no immediates: numeric and parametric instructions, and control ones such as `end`. */
const NO_IMMEDIATES = new Set([0x00, 0x01, 0x05, 0x0a, 0x0b, 0x0f, 0x19, 0x1a, 0x1b, 0xd1, 0xd3, 0xd4]);
for (let op = 0x45; op <= 0xc4; op++) NO_IMMEDIATES.add(op);

/**
 * An instruction this reader does not know the immediates of (GC's 0xfb prefix, a newer
 * proposal): skipping it as if it had none would read its immediates as code and desynchronise
 * everything after, so the module is refused instead.
 */
function unknown(start: number, name: string): never {
  throw new TwirlError('unsupported-instruction', `cannot meter this module: unknown instruction ${name} at byte ${start}`);
}

function skipPrefixedFc(r: ByteReader, start: number): void {
  const sub = r.u32();
  if (sub > 17) unknown(start, `0xfc ${sub}`);
  if (sub <= 7) return;
  if (sub === 8 || sub === 10 || sub === 12 || sub === 14) r.skipLeb();
  r.skipLeb();
}

/** The last SIMD opcode (relaxed SIMD's i32x4.relaxed_dot_i8x16_i7x16_add_s); all but the cases below take no immediates. */
const LAST_SIMD = 0x113;

function skipPrefixedSimd(r: ByteReader, start: number): void {
  const sub = r.u32();
  if (sub > LAST_SIMD) unknown(start, `0xfd ${sub}`);
  if (sub <= 11 || sub === 92 || sub === 93) skipMemArg(r);
  else if (sub === 12 || sub === 13) r.at += 16;
  else if (sub >= 21 && sub <= 34) r.at += 1;
  else if (sub >= 84 && sub <= 91) {
    skipMemArg(r);
    r.at += 1;
  }
}

/** Reads one instruction, immediates included; returns its opcode. */
function skipInstruction(r: ByteReader): number {
  const start = r.at;
  const op = r.byte();
  if (op === 0x02 || op === 0x03 || op === 0x04 || op === 0x06) skipBlockType(r);
  else if ([0x07, 0x08, 0x09, 0x0c, 0x0d, 0x10, 0x12, 0x14, 0x15, 0x18, 0xd2, 0xd5, 0xd6].includes(op)) r.skipLeb();
  else if (op === 0x0e) for (let n = r.u32() + 1; n > 0; n--) r.skipLeb();
  else if (op === 0x11 || op === 0x13) {
    r.skipLeb();
    r.skipLeb();
  } else if (op === 0x1c) for (let n = r.u32(); n > 0; n--) skipValueType(r);
  else if ((op >= 0x20 && op <= 0x26) || op === 0x3f || op === 0x40 || op === 0x41 || op === 0x42 || op === 0xd0) r.skipLeb();
  else if (op >= 0x28 && op <= 0x3e) skipMemArg(r);
  else if (op === 0x43) r.at += 4;
  else if (op === 0x44) r.at += 8;
  else if (op === 0x1f) {
    skipBlockType(r);
    for (let n = r.u32(); n > 0; n--) {
      if (r.byte() <= 1) r.skipLeb();
      r.skipLeb();
    }
  } else if (op === 0xfc) skipPrefixedFc(r, start);
  else if (op === 0xfd) skipPrefixedSimd(r, start);
  else if (op === 0xfe) {
    const sub = r.u32();
    if (sub === 3) r.at += 1;
    else if (sub <= 2 || (sub >= 0x10 && sub <= 0x4e)) skipMemArg(r);
    else unknown(start, `0xfe ${sub}`);
  } else if (!NO_IMMEDIATES.has(op)) unknown(start, `0x${op.toString(16).padStart(2, '0')}`);
  return op;
}

/** `if (fuel == 0) unreachable; fuel -= 1` */
function spend(fuel: number): Uint8Array {
  const get = new ByteWriter().byte(0x23).u32(fuel).finish();
  return new ByteWriter().bytes(get).bytes(new Uint8Array([0x50, 0x04, 0x40, 0x00, 0x0b])).bytes(get).bytes(new Uint8Array([0x42, 0x01, 0x7d, 0x24])).u32(fuel).finish().slice();
}

/** One function body with the charge inserted after every `loop`. */
function instrumentBody(bytes: Uint8Array, end: number, r: ByteReader, charge: Uint8Array, out: ByteWriter): void {
  const start = r.at;
  for (let groups = r.u32(); groups > 0; groups--) {
    r.skipLeb();
    skipValueType(r);
  }
  let copied = start;
  while (r.at < end) {
    if (skipInstruction(r) === 0x03) {
      out.bytes(bytes.subarray(copied, r.at)).bytes(charge);
      copied = r.at;
    }
  }
  out.bytes(bytes.subarray(copied, end));
}

/** Adds a fuel global (exported as `twirl-fuel`, starting at `budget`) spent by every loop iteration. */
export function addFuel(bytes: Uint8Array, budget: bigint): Uint8Array {
  const layout = readLayout(bytes);
  const code = layout.sections.find((s) => s.id === SectionId.code);
  // The small adapter modules jco adds have no globals and no loops worth metering.
  if (!code || !layout.sections.some((s) => s.id === SectionId.global)) return bytes;
  const fuel = layout.importedGlobals + layout.globals.length;
  const charge = spend(fuel);

  const globals = new ByteWriter().u32(layout.globals.length + 1);
  for (const g of layout.globals) globals.byte(g.valueType).byte(g.mutable ? 1 : 0).bytes(g.init);
  globals.byte(ValueType.i64).byte(1).byte(0x42).sleb(budget).byte(0x0b);

  const r = sectionReader(bytes, code);
  const bodies = new ByteWriter().u32(r.u32());
  while (r.at < code.end) {
    const size = r.u32();
    const end = r.at + size;
    const body = new ByteWriter();
    instrumentBody(bytes, end, r, charge, body);
    bodies.u32(body.length).bytes(body.finish());
    r.at = end;
  }

  const rewritten = rebuildModule(bytes, layout.sections, (s, out) => {
    if (s.id === SectionId.global) out.section(SectionId.global, globals);
    else if (s.id === SectionId.code) out.section(SectionId.code, bodies);
    else return false;
    return true;
  });
  return addExports(rewritten, [{ name: fuelExport, kind: ExternKind.global, index: fuel }]);
}
