/**
 * Which pages of linear memory a request wrote, so a reset copies back only those.
 *
 * At preparation, every instruction that writes memory also sets one byte per 4 KiB page in a
 * dirty-page map, a second memory of its own. Writes by the host count too: the host writes only
 * into what the component's realloc returned (wrapped, to mark the block) and into the return
 * area a component passes as the last argument of an import (marked at the call). Operations a
 * reset cannot undo (dropping segments, changing tables) set an `irreversible` flag instead, and
 * the instance is then replaced. A module the pass cannot describe is left as it is: its memory
 * is then copied back whole.
 */
import { ByteReader, ByteWriter, SectionId, rebuildModule, sectionReader } from '../wasm/bytes.ts';
import { ExternKind, ValueType, readLayout } from '../wasm/module-layout.ts';
import { readFunctionTypes, type FunctionTypes } from '../wasm/function-types.ts';
import { isUnknownInstruction, readInstruction, type Instruction } from '../wasm/instructions.ts';
import { addExports } from './rewrite-module.ts';

export const dirtyPageShift = 12;
export const dirtyPageBytes = 1 << dirtyPageShift;
/** The map's name as a module that defines memory exports it, and as one that imports memory imports it. */
export const dirtyMapExport = 'twirl-dirty-pages';
export const dirtyMapImport = { module: 'twirl', name: 'dirty-pages' } as const;
export const irreversibleExport = 'twirl-irreversible';

/**
 * How far past a marked page a reset copies. A store whose offset and width fit in it marks the
 * page of its base address alone (it may land in the next page, within this margin): most
 * stores are to a field near a pointer, and their mark then needs no addition.
 */
export const markMarginBytes = 64;

/** Host return areas are small records; marking two pages from their start covers them. */
const returnAreaPages = 2;

class Unsupported extends Error {}

interface Context {
  ft: FunctionTypes;
  /** Map pages that exist: a mark at or beyond it would be out of bounds. */
  limit: number;
  irreversible: number | undefined;
  irreversibleUsed: boolean;
}

/** `i32.const v`, its signed LEB128 written without BigInt (this runs for every store of a large module). */
function i32Const(w: ByteWriter, v: number): ByteWriter {
  w.byte(0x41);
  let value = v | 0;
  for (;;) {
    const b = value & 0x7f;
    value >>= 7;
    const done = (value === 0 && (b & 0x40) === 0) || (value === -1 && (b & 0x40) !== 0);
    w.byte(done ? b : b | 0x80);
    if (done) return w;
  }
}
const local = (w: ByteWriter, op: 0x20 | 0x21 | 0x22, index: number): ByteWriter => w.byte(op).u32(index);
/** `i32.store8`/`store16` into memory 1 at offset 0 (alignment 0, multi-memory bit set). */
const storeMap = (w: ByteWriter, op: 0x3a | 0x3b): ByteWriter => w.byte(op).byte(0x40).byte(1).byte(0);

/** map[(a + offset) >> 12] = 1 */
function markPage(w: ByteWriter, a: number, offset: number): void {
  local(w, 0x20, a);
  if (offset !== 0) i32Const(w, offset).byte(0x6a);
  i32Const(w, dirtyPageShift).byte(0x76);
  i32Const(w, 1);
  storeMap(w, 0x3a);
}

/** map[d >> 12 .. (d + n + 4095) >> 12] = 1, by memory.fill on the map. */
function markRange(w: ByteWriter, d: number, n: number): void {
  local(w, 0x20, d);
  i32Const(w, dirtyPageShift).byte(0x76);
  i32Const(w, 1);
  local(w, 0x20, d);
  local(w, 0x20, n).byte(0x6a);
  i32Const(w, dirtyPageBytes - 1).byte(0x6a);
  i32Const(w, dirtyPageShift).byte(0x76);
  local(w, 0x20, d);
  i32Const(w, dirtyPageShift).byte(0x76).byte(0x6b);
  w.byte(0xfc).u32(11).byte(1);
}

/** The two pages from `p` on, when `p` lies within memory (a last i32 argument may be no pointer). */
function markReturnArea(w: ByteWriter, p: number, q: number, limit: number): void {
  local(w, 0x20, p);
  i32Const(w, dirtyPageShift).byte(0x76);
  local(w, 0x22, q);
  i32Const(w, limit - returnAreaPages + 1).byte(0x49); // i32.lt_u
  w.byte(0x04).byte(0x40);
  local(w, 0x20, q);
  i32Const(w, 0x0101);
  storeMap(w, 0x3b);
  w.byte(0x0b);
}

/** Whether a function of this type may take a return area: no results, an i32 last parameter. */
function takesReturnArea(ft: FunctionTypes, type: number): boolean {
  const t = ft.types[type];
  return t !== undefined && t.results.length === 0 && t.params.at(-1) === ValueType.i32;
}

/** An instruction that only pushes a value: before it, the operand beneath is already on the stack's top. */
const pushesOnly = (op: number, sub: number): boolean => (op >= 0x41 && op <= 0x44) || op === 0x20 || op === 0x23 || (op === 0xfd && sub === 12);

/** Each store (0x36–0x3e) by opcode: the type of the value it takes and the bytes it writes. */
const stores: Record<number, readonly [type: number, width: number]> = {
  0x36: [ValueType.i32, 4], 0x37: [ValueType.i64, 8], 0x38: [ValueType.f32, 4], 0x39: [ValueType.f64, 8], 0x3a: [ValueType.i32, 1],
  0x3b: [ValueType.i32, 2], 0x3c: [ValueType.i64, 1], 0x3d: [ValueType.i64, 2], 0x3e: [ValueType.i64, 4],
};
/** The SIMD stores (v128.store and the lane stores) by sub-opcode: each takes a v128; the bytes it writes. */
const simdStoreWidth: Record<number, number> = { 11: 16, 88: 1, 89: 2, 90: 4, 91: 8 };
const scratchTypes = [ValueType.i32, ValueType.i32, ValueType.i32, ValueType.i32, ValueType.i64, ValueType.f32, ValueType.f64, ValueType.v128];
const scratchOf: Record<number, number> = { [ValueType.i32]: 1, [ValueType.i64]: 4, [ValueType.f32]: 5, [ValueType.f64]: 6, [ValueType.v128]: 7 };

/** One body with marks inserted; undefined when nothing in it writes memory. */
function instrumentBody(bytes: Uint8Array, r: ByteReader, end: number, params: number, cx: Context): ByteWriter | undefined {
  const groups: Array<[number, number]> = [];
  let locals = params;
  for (let n = r.u32(); n > 0; n--) {
    const count = r.u32();
    const type = r.byte();
    if (type === 0x63 || type === 0x64) throw new Unsupported('typed references');
    groups.push([count, type]);
    locals += count;
  }
  const [a, v, q, d] = [locals, locals + 1, locals + 2, locals + 3];
  const code = new ByteWriter();
  let copied = r.at;
  let changed = false;
  const before = (at: number, insert: (w: ByteWriter) => void): void => {
    code.bytes(bytes.subarray(copied, at));
    insert(code);
    copied = at;
    changed = true;
  };
  const after = (insert: (w: ByteWriter) => void): void => before(r.at, insert);
  const ins: Instruction = { op: 0, sub: -1 };
  // The instruction before this one, when it only pushed a value.
  let pushAt = -1;
  while (r.at < end) {
    const at = r.at;
    readInstruction(r, ins);
    const { op, sub } = ins;
    const simdStore = op === 0xfd && simdStoreWidth[sub] !== undefined;
    if ((op >= 0x36 && op <= 0x3e) || simdStore) {
      if (ins.memory !== 0) throw new Unsupported('a store to a second memory');
      // The address lies beneath the value: when one instruction pushed the value, the address
      // is kept before it; otherwise the value is set aside to reach the address.
      const [type, width] = simdStore ? [ValueType.v128, simdStoreWidth[sub]!] : stores[op]!;
      if (pushAt >= 0) before(pushAt, (w) => local(w, 0x22, a));
      else {
        const value = locals + scratchOf[type]!;
        before(at, (w) => local(local(local(w, 0x21, value), 0x22, a), 0x20, value));
      }
      after((w) => markPage(w, a, ins.offset! + width <= markMarginBytes ? 0 : ins.offset!));
    } else if (op === 0xfc && (sub === 8 || sub === 10 || sub === 11)) {
      if (ins.memory !== 0) throw new Unsupported('a bulk operation on a second memory');
      before(at, (w) => local(local(local(local(local(w, 0x21, q), 0x21, v), 0x22, d), 0x20, v), 0x20, q));
      after((w) => markRange(w, d, q));
    } else if ((op === 0xfc && [9, 12, 13, 14, 15, 17].includes(sub)) || op === 0x26) {
      cx.irreversibleUsed = true;
      before(at, (w) => i32Const(w, 1).byte(0x24).u32(cx.irreversible!));
    } else if ((op === 0x10 || op === 0x12) && ins.index! < cx.ft.importedFunctions && takesReturnArea(cx.ft, cx.ft.functions[ins.index!]!)) {
      before(at, (w) => {
        local(w, 0x22, a);
        markReturnArea(w, a, q, cx.limit);
      });
    } else if ((op === 0x11 || op === 0x13) && takesReturnArea(cx.ft, ins.index!)) {
      // An import may sit in a table: calls through it are marked like direct ones.
      before(at, (w) => {
        local(local(w, 0x21, d), 0x22, a);
        markReturnArea(w, a, q, cx.limit);
        local(w, 0x20, d);
      });
    } else if (op === 0x14 || op === 0x15 || (op === 0xfe && sub >= 0x17)) {
      throw new Unsupported(`instruction 0x${op.toString(16)} ${sub}`);
    }
    pushAt = pushesOnly(op, sub) ? at : -1;
  }
  if (!changed) return undefined;
  code.bytes(bytes.subarray(copied, end));
  const body = new ByteWriter().u32(groups.length + scratchTypes.length);
  for (const [count, type] of groups) body.u32(count).byte(type);
  for (const type of scratchTypes) body.u32(1).byte(type);
  return body.bytes(code.finish());
}

/** `realloc` as the host sees it: the original, then the returned block marked. */
function reallocWrapper(original: number): ByteWriter {
  const w = new ByteWriter().u32(1).u32(1).byte(ValueType.i32);
  for (let i = 0; i < 4; i++) local(w, 0x20, i);
  w.byte(0x10).u32(original);
  local(w, 0x21, 4);
  markRange(w, 4, 3);
  local(w, 0x20, 4);
  return w.byte(0x0b);
}

/**
 * Adds dirty-page tracking to a module with one memory; returns it unchanged when it has no
 * memory or uses something the pass does not handle (shared or 64-bit memory, atomics, GC types, an
 * instruction it cannot decode).
 */
export function trackWrites(bytes: Uint8Array, maxMemoryBytes: number): Uint8Array {
  try {
    return instrument(bytes, Math.ceil(maxMemoryBytes / dirtyPageBytes));
  } catch (err) {
    if (err instanceof Unsupported || isUnknownInstruction(err)) return bytes;
    throw err;
  }
}

function instrument(bytes: Uint8Array, pages: number): Uint8Array {
  const layout = readLayout(bytes);
  const code = layout.sections.find((s) => s.id === SectionId.code);
  const memories = layout.importedMemories + layout.memories.length;
  if (memories === 0) return bytes;
  if (memories > 1 || !code || layout.memories.some((m) => m.flags > 1)) throw new Unsupported('memories');
  const ft = readFunctionTypes(bytes, layout.sections);
  if (!ft) throw new Unsupported('types');

  const limit = pages + returnAreaPages;
  const cx: Context = { ft, limit, irreversible: layout.importedGlobals + layout.globals.length, irreversibleUsed: false };
  const r = sectionReader(bytes, code);
  const count = r.u32();
  const bodies = new ByteWriter();
  for (let i = 0; i < count; i++) {
    const size = r.u32();
    const end = r.at + size;
    const start = r.at;
    const params = ft.types[ft.functions[ft.importedFunctions + i]!]!.params.length;
    const body = instrumentBody(bytes, r, end, params, cx);
    if (body) bodies.u32(body.length).bytes(body.finish());
    else bodies.u32(size).bytes(bytes.subarray(start, end));
    r.at = end;
  }

  const reallocType = ft.types.findIndex((t) => t.params.length === 4 && t.params.every((p) => p === ValueType.i32) && t.results.length === 1 && t.results[0] === ValueType.i32);
  const reallocs = layout.exports.filter((e) => e.kind === ExternKind.func && e.name.includes('realloc') && ft.functions[e.index] === reallocType);
  const firstWrapper = ft.functions.length;
  for (const e of reallocs) bodies.bytes(withSize(reallocWrapper(e.index)));
  const codeSection = new ByteWriter().u32(count + reallocs.length).bytes(bodies.finish());

  if (cx.irreversibleUsed && !layout.sections.some((s) => s.id === SectionId.global)) throw new Unsupported('no global section');
  const mapPages = Math.ceil(limit / 65536);
  const rewritten = rebuildModule(bytes, layout.sections, (s, out) => {
    const rs = sectionReader(bytes, s);
    if (s.id === SectionId.code) out.section(SectionId.code, codeSection);
    else if (s.id === SectionId.function && reallocs.length > 0) {
      const n = rs.u32();
      const w = new ByteWriter().u32(n + reallocs.length).bytes(bytes.subarray(rs.at, s.end));
      for (let i = 0; i < reallocs.length; i++) w.u32(reallocType);
      out.section(SectionId.function, w);
    } else if (s.id === SectionId.memory) {
      const n = rs.u32();
      out.section(SectionId.memory, new ByteWriter().u32(n + 1).bytes(bytes.subarray(rs.at, s.end)).byte(1).u32(mapPages).u32(mapPages));
    } else if (s.id === SectionId.import && layout.importedMemories === 1) {
      const n = rs.u32();
      const w = new ByteWriter().u32(n + 1).bytes(bytes.subarray(rs.at, s.end));
      w.name(dirtyMapImport.module).name(dirtyMapImport.name).byte(ExternKind.memory).byte(0).u32(mapPages);
      out.section(SectionId.import, w);
    } else if (s.id === SectionId.global && cx.irreversibleUsed) {
      const n = rs.u32();
      out.section(SectionId.global, new ByteWriter().u32(n + 1).bytes(bytes.subarray(rs.at, s.end)).byte(ValueType.i32).byte(1).byte(0x41).byte(0).byte(0x0b));
    } else if (s.id === SectionId.export && reallocs.length > 0) {
      const w = new ByteWriter().u32(layout.exports.length);
      for (const e of layout.exports) {
        const k = reallocs.indexOf(e);
        w.name(e.name).byte(e.kind).u32(k >= 0 ? firstWrapper + k : e.index);
      }
      out.section(SectionId.export, w);
    } else return false;
    return true;
  });
  const added: Array<{ name: string; kind: number; index: number }> = [];
  if (layout.memories.length === 1) added.push({ name: dirtyMapExport, kind: ExternKind.memory, index: 1 });
  if (cx.irreversibleUsed) added.push({ name: irreversibleExport, kind: ExternKind.global, index: cx.irreversible! });
  return addExports(rewritten, added);
}

function withSize(body: ByteWriter): Uint8Array {
  return new ByteWriter().u32(body.length).bytes(body.finish()).finish().slice();
}
