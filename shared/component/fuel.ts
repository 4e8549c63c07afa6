/**
 * CPU budget by instrumentation: every loop iteration spends one unit of a fuel global, and a
 * component that runs out traps. A runaway loop then fails its own request in any host, even
 * one (a browser, Node) that cannot interrupt running Wasm from outside.
 */
import { ByteWriter, importCounts, readLeb, rebuild, scanSections, section, skipLeb, writeLeb, writeSignedLeb } from './wasm-binary.ts';
import { skipConstExpr } from './rewrite-module.ts';

export const fuelExport = 'twirl-fuel';

/** Position after the immediates of the instruction whose opcode is at `at`. */
function skipInstruction(code: Uint8Array, at: number): number {
  const op = code[at++]!;
  if (op === 0x02 || op === 0x03 || op === 0x04) return skipBlockType(code, at);
  if (op === 0x0c || op === 0x0d || op === 0x10 || op === 0x12 || op === 0x14 || op === 0x15) return skipLeb(code, at);
  if (op === 0x0e) {
    let [n, next] = readLeb(code, at);
    for (n++; n > 0; n--) next = skipLeb(code, next);
    return next;
  }
  if (op === 0x11 || op === 0x13) return skipLeb(code, skipLeb(code, at));
  if (op === 0x1c) {
    let [n, next] = readLeb(code, at);
    for (; n > 0; n--) next = skipValType(code, next);
    return next;
  }
  if (op >= 0x20 && op <= 0x26) return skipLeb(code, at);
  if (op >= 0x28 && op <= 0x3e) return skipMemArg(code, at);
  if (op === 0x3f || op === 0x40) return skipLeb(code, at);
  if (op === 0x41 || op === 0x42) return skipLeb(code, at);
  if (op === 0x43) return at + 4;
  if (op === 0x44) return at + 8;
  if (op === 0xd0) return skipHeapType(code, at);
  if (op === 0xd2 || op === 0xd5 || op === 0xd6) return skipLeb(code, at);
  // Exceptions: try/catch/throw/delegate/rethrow and try_table.
  if (op === 0x06) return skipBlockType(code, at);
  if (op === 0x07 || op === 0x08 || op === 0x09 || op === 0x18) return skipLeb(code, at);
  if (op === 0x1f) {
    let next = skipBlockType(code, at);
    let [n, after] = readLeb(code, next);
    for (; n > 0; n--) {
      const kind = code[after++]!;
      after = kind <= 1 ? skipLeb(code, skipLeb(code, after)) : skipLeb(code, after);
    }
    return after;
  }
  if (op === 0xfc) return skipPrefixedFc(code, at);
  if (op === 0xfd) return skipPrefixedSimd(code, at);
  if (op === 0xfe) {
    const [sub, next] = readLeb(code, at);
    return sub === 3 ? next + 1 : skipMemArg(code, next);
  }
  // Everything else (numeric, parametric, control without immediates) has none.
  return at;
}

function skipBlockType(code: Uint8Array, at: number): number {
  const b = code[at]!;
  if (b === 0x40 || (b >= 0x6f && b <= 0x7f)) return at + 1;
  if (b === 0x63 || b === 0x64) return skipHeapType(code, at + 1);
  return skipLeb(code, at);
}
function skipValType(code: Uint8Array, at: number): number {
  const b = code[at]!;
  return b === 0x63 || b === 0x64 ? skipHeapType(code, at + 1) : at + 1;
}
function skipHeapType(code: Uint8Array, at: number): number {
  return skipLeb(code, at);
}
function skipMemArg(code: Uint8Array, at: number): number {
  const [align, next] = readLeb(code, at);
  // Bit 6 of the alignment says a memory index follows (multi-memory).
  return skipLeb(code, align & 0x40 ? skipLeb(code, next) : next);
}
function skipPrefixedFc(code: Uint8Array, at: number): number {
  const [sub, next] = readLeb(code, at);
  if (sub <= 7) return next;
  if (sub === 8 || sub === 12 || sub === 10 || sub === 14) return skipLeb(code, skipLeb(code, next));
  return skipLeb(code, next);
}
function skipPrefixedSimd(code: Uint8Array, at: number): number {
  const [sub, next] = readLeb(code, at);
  if (sub <= 11 || sub === 92 || sub === 93) return skipMemArg(code, next);
  if (sub === 12 || sub === 13) return next + 16;
  if (sub >= 21 && sub <= 34) return next + 1;
  if (sub >= 84 && sub <= 91) return skipMemArg(code, next) + 1;
  return next;
}

/** `if (fuel == 0) unreachable; fuel -= 1` */
function spend(fuel: number): number[] {
  const get = [0x23, ...writeLeb(fuel)];
  return [...get, 0x50, 0x04, 0x40, 0x00, 0x0b, ...get, 0x42, 0x01, 0x7d, 0x24, ...writeLeb(fuel)];
}

function instrumentBody(code: Uint8Array, start: number, end: number, charge: number[]): Uint8Array {
  let at = start;
  let [groups, next] = readLeb(code, at);
  at = next;
  for (; groups > 0; groups--) at = skipValType(code, skipLeb(code, at));
  const out = new ByteWriter(end - start + 64);
  out.bytes(code.subarray(start, at));
  let copied = at;
  while (at < end) {
    const op = code[at]!;
    at = skipInstruction(code, at);
    if (op === 0x03) {
      out.bytes(code.subarray(copied, at)).bytes(charge);
      copied = at;
    }
  }
  return out.bytes(code.subarray(copied, end)).done();
}

/** Adds a fuel global (exported as `twirl-fuel`, starting at `budget`) spent by every loop iteration. */
export function addFuel(bytes: Uint8Array, budget: bigint): Uint8Array {
  const sections = scanSections(bytes);
  const code = sections.find((s) => s.id === 10);
  const globals = sections.find((s) => s.id === 6);
  const exportsSection = sections.find((s) => s.id === 7);
  // The small adapter modules jco adds have no loops worth metering and may lack these sections.
  if (!code || !globals || !exportsSection) return bytes;
  const [defined, firstGlobal] = readLeb(bytes, globals.start);
  let end = firstGlobal;
  for (let i = 0; i < defined; i++) end = skipConstExpr(bytes, end + 2);
  const globalEntries = bytes.subarray(firstGlobal, end);
  const fuel = importCounts(bytes).globals + defined;
  const globalSection = section(
    6,
    new ByteWriter().bytes(writeLeb(defined + 1)).bytes(globalEntries).bytes([0x7e, 0x01, 0x42]).bytes(writeSignedLeb(budget)).byte(0x0b).done(),
  );

  const charge = spend(fuel);
  let [count, at] = readLeb(bytes, code.start);
  const bodies = new ByteWriter(code.end - code.start + 1024).bytes(writeLeb(count));
  for (; count > 0; count--) {
    const [size, start] = readLeb(bytes, at);
    const body = instrumentBody(bytes, start, start + size, charge);
    bodies.bytes(writeLeb(body.length)).bytes(body);
    at = start + size;
  }
  const name = new TextEncoder().encode(fuelExport);
  const [exported, firstExport] = readLeb(bytes, exportsSection.start);
  const exportBody = new ByteWriter()
    .bytes(writeLeb(exported + 1))
    .bytes(bytes.subarray(firstExport, exportsSection.end))
    .bytes(writeLeb(name.length))
    .bytes(name)
    .byte(3)
    .bytes(writeLeb(fuel))
    .done();
  return rebuild(bytes, (s) => (s.id === 6 ? globalSection : s.id === 7 ? section(7, exportBody) : s.id === 10 ? section(10, bodies.done()) : undefined));
}
