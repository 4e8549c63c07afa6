/**
 * Decoding one instruction of a function body at a time: its opcode, the sub-opcode of prefixed
 * instructions, and the immediates a rewrite needs (memory arguments, call targets). Everything
 * else is skipped, so a pass can copy the body's bytes and insert code around chosen instructions.
 * Every pass that rewrites code (fuel, write tracking) reads it here.
 */
import type { ByteReader } from './bytes.ts';
import { TwirlError } from '../errors.ts';

export interface Instruction {
  op: number;
  /** The sub-opcode of 0xfc/0xfd/0xfe-prefixed instructions; -1 otherwise. */
  sub: number;
  /** A memory argument's memory index (multi-memory) and offset, where the instruction has one. */
  memory?: number;
  offset?: number;
  /** The first index immediate: the callee of `call`, the type of `call_indirect`/`call_ref`. */
  index?: number;
}

function skipBlockType(r: ByteReader): void {
  const b = r.bytes[r.at]!;
  if (b === 0x40 || (b >= 0x6f && b <= 0x7f)) r.at++;
  else if (b === 0x63 || b === 0x64) {
    r.at++;
    r.skipLeb();
  } else r.skipLeb();
}

export function skipValueType(r: ByteReader): void {
  const b = r.byte();
  if (b === 0x63 || b === 0x64) r.skipLeb();
}

function readMemArg(r: ByteReader, into: Instruction): void {
  // Bit 6 of the alignment says a memory index follows (multi-memory).
  into.memory = r.u32() & 0x40 ? r.u32() : 0;
  into.offset = r.u32();
}

/** Opcodes with no immediates: numeric and parametric instructions, and control ones such as `end`. */
const noImmediates = new Set([0x00, 0x01, 0x05, 0x0a, 0x0b, 0x0f, 0x19, 0x1a, 0x1b, 0xd1, 0xd3, 0xd4]);
for (let op = 0x45; op <= 0xc4; op++) noImmediates.add(op);

/** The last SIMD opcode (relaxed SIMD's i32x4.relaxed_dot_i8x16_i7x16_add_s); all but those readFd names take no immediates. */
const lastSimd = 0x113;

/**
 * An instruction this reader does not know the immediates of (GC's 0xfb prefix, a newer
 * proposal): skipping it as if it had none would read its immediates as code and desynchronise
 * everything after, so the module is refused instead.
 */
function unknown(start: number, name: string): never {
  throw new TwirlError('unsupported-instruction', `unknown instruction ${name} at byte ${start} of a core module: a WebAssembly proposal Twirl does not read (such as GC) is not supported`);
}

/** Whether `err` is the refusal of an instruction this reader cannot decode: a pass that can leave the module as it is does. */
export const isUnknownInstruction = (err: unknown): boolean => err instanceof TwirlError && err.code === 'unsupported-instruction';

const oneIndex = new Set([0x07, 0x08, 0x09, 0x0c, 0x0d, 0x10, 0x12, 0x14, 0x15, 0x18, 0xd2, 0xd5, 0xd6]);

function readFc(r: ByteReader, ins: Instruction, start: number): void {
  const sub = (ins.sub = r.u32());
  if (sub > 17) unknown(start, `0xfc ${sub}`);
  if (sub <= 7) return;
  if (sub === 8 || sub === 12 || sub === 14) {
    r.skipLeb();
    ins.memory = r.u32();
  } else if (sub === 10) {
    ins.memory = r.u32();
    if (r.u32() !== ins.memory) ins.memory = -1; // a copy between two memories
  } else ins.memory = r.u32(); // data.drop, elem.drop, table.grow/size/fill, memory.fill: one index
}

function readFd(r: ByteReader, ins: Instruction, start: number): void {
  const sub = (ins.sub = r.u32());
  if (sub > lastSimd) unknown(start, `0xfd ${sub}`);
  if (sub <= 11 || sub === 92 || sub === 93) readMemArg(r, ins);
  else if (sub === 12 || sub === 13) r.at += 16;
  else if (sub >= 21 && sub <= 34) r.at += 1;
  else if (sub >= 84 && sub <= 91) {
    readMemArg(r, ins);
    r.at += 1;
  }
}

/** Reads one instruction, immediates included, into `ins` (reused: bodies hold millions of instructions). */
export function readInstruction(r: ByteReader, ins: Instruction): Instruction {
  const start = r.at;
  const op = r.byte();
  ins.op = op;
  ins.sub = -1;
  ins.memory = undefined;
  ins.offset = undefined;
  ins.index = undefined;
  if (op === 0x02 || op === 0x03 || op === 0x04 || op === 0x06) skipBlockType(r);
  else if (oneIndex.has(op)) ins.index = r.u32();
  else if (op === 0x0e) for (let n = r.u32() + 1; n > 0; n--) r.skipLeb();
  else if (op === 0x11 || op === 0x13) {
    ins.index = r.u32();
    r.skipLeb();
  } else if (op === 0x1c) for (let n = r.u32(); n > 0; n--) skipValueType(r);
  else if ((op >= 0x20 && op <= 0x26) || op === 0x41 || op === 0x42 || op === 0xd0) r.skipLeb();
  else if (op === 0x3f || op === 0x40) ins.memory = r.u32();
  else if (op >= 0x28 && op <= 0x3e) readMemArg(r, ins);
  else if (op === 0x43) r.at += 4;
  else if (op === 0x44) r.at += 8;
  else if (op === 0x1f) {
    skipBlockType(r);
    for (let n = r.u32(); n > 0; n--) {
      if (r.byte() <= 1) r.skipLeb();
      r.skipLeb();
    }
  } else if (op === 0xfc) readFc(r, ins, start);
  else if (op === 0xfd) readFd(r, ins, start);
  else if (op === 0xfe) {
    const sub = (ins.sub = r.u32());
    if (sub === 3) r.at += 1;
    else if (sub <= 2 || (sub >= 0x10 && sub <= 0x4e)) readMemArg(r, ins);
    else unknown(start, `0xfe ${sub}`);
  } else if (!noImmediates.has(op)) unknown(start, `0x${op.toString(16).padStart(2, '0')}`);
  return ins;
}

/** Skips a constant expression (an initialiser, a segment's offset) up to and including its `end`. */
export function skipConstExpr(r: ByteReader): void {
  const ins: Instruction = { op: 0, sub: -1 };
  while (readInstruction(r, ins).op !== 0x0b);
}
