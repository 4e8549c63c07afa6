/**
 * Splits a pre-initialised JS engine module (componentize-js's StarlingMonkey, whoever built it)
 * into the engine — the module with its memory image gone and its mutable globals zeroed, byte
 * for byte the same for every component of one world — and the snapshot that makes an instance
 * of it the component's. Any other module is left whole.
 */
import { ByteReader, ByteWriter, SectionId, rebuildModule } from '../wasm/bytes.ts';
import { ExternKind, ValueType, readLayout, type GlobalEntry, type ModuleLayout } from '../wasm/module-layout.ts';
import { sha256Hex, snapshotPageBytes, type EngineSnapshot, type SnapshotGlobal } from './engine-snapshot.ts';

/** StarlingMonkey's componentize runtime exports this (its pre-initialisation check). */
const starlingMonkeyExport = 'check_init';

export interface SplitEngine {
  engine: Uint8Array;
  engineDigest: string;
  snapshot: EngineSnapshot;
}

interface ActiveSegment {
  offset: number;
  bytes: Uint8Array;
}

/** The engine and snapshot of `bytes`, or undefined where the module is not one this applies to. */
export async function splitEngine(bytes: Uint8Array): Promise<SplitEngine | undefined> {
  const layout = readLayout(bytes);
  if (!isSplittable(layout)) return undefined;
  const segments = activeSegments(layout);
  const globals = mutableGlobals(layout.globals);
  if (!segments || !globals) return undefined;

  const memoryPages = layout.memories[0]!.min;
  const pages = memoryPagesOf(segments, memoryPages);
  if (!pages) return undefined;
  const engine = engineModule(bytes, layout);
  const engineDigest = await sha256Hex(engine);
  return { engine, engineDigest, snapshot: { engineDigest, memoryPages, globals, pages } };
}

function isSplittable(layout: ModuleLayout): boolean {
  return (
    layout.exports.some((e) => e.name === starlingMonkeyExport && e.kind === ExternKind.func) &&
    !layout.hasStart &&
    layout.importedMemories === 0 &&
    // Memory 0 is the engine's heap; another is only ever the dirty-page map preparation adds.
    layout.memories.length >= 1 &&
    layout.memories[0]!.flags <= 1 &&
    layout.importedGlobals === 0
  );
}

/** Active segments into memory 0 at constant offsets; undefined if any is otherwise. */
function activeSegments(layout: ModuleLayout): ActiveSegment[] | undefined {
  const out: ActiveSegment[] = [];
  for (const { passive, encoded } of layout.data) {
    if (passive) continue;
    const r = new ByteReader(encoded);
    const flags = r.u32();
    if (flags === 2 && r.u32() !== 0) return undefined;
    if (r.byte() !== 0x41) return undefined;
    const offset = Number(signedLeb(r));
    if (r.byte() !== 0x0b) return undefined;
    out.push({ offset: offset >>> 0, bytes: r.take(r.u32()) });
  }
  return out;
}

/** The captured values of the mutable globals (constants in a pre-initialised module). */
function mutableGlobals(globals: readonly GlobalEntry[]): SnapshotGlobal[] | undefined {
  const out: SnapshotGlobal[] = [];
  for (const g of globals.filter((entry) => entry.mutable)) {
    const r = new ByteReader(g.init);
    const op = r.byte();
    const view = new DataView(g.init.buffer, g.init.byteOffset + 1);
    let value: number | bigint;
    if (op === 0x41 && g.valueType === ValueType.i32) value = Number(signedLeb(r));
    else if (op === 0x42 && g.valueType === ValueType.i64) value = signedLeb(r);
    else if (op === 0x43 && g.valueType === ValueType.f32) [value, r.at] = [view.getFloat32(0, true), 5];
    else if (op === 0x44 && g.valueType === ValueType.f64) [value, r.at] = [view.getFloat64(0, true), 9];
    else return undefined;
    if (r.byte() !== 0x0b) return undefined;
    out.push({ index: g.index, valueType: g.valueType, value });
  }
  return out;
}

/** Memory as its non-zero 4 KiB pages; undefined if a segment lies outside the memory. */
function memoryPagesOf(segments: readonly ActiveSegment[], memoryPages: number): Map<number, Uint8Array> | undefined {
  const size = memoryPages * 65536;
  const pages = new Map<number, Uint8Array>();
  for (const { offset, bytes } of segments) {
    if (offset + bytes.length > size) return undefined;
    for (let at = 0; at < bytes.length; ) {
      const address = offset + at;
      const number = Math.floor(address / snapshotPageBytes);
      const within = address - number * snapshotPageBytes;
      const count = Math.min(snapshotPageBytes - within, bytes.length - at);
      let page = pages.get(number);
      if (!page) pages.set(number, (page = new Uint8Array(snapshotPageBytes)));
      page.set(bytes.subarray(at, at + count), within);
      at += count;
    }
  }
  // Segments may carry zeros; an all-zero page is no part of the image.
  for (const [number, page] of pages) if (page.every((b) => b === 0)) pages.delete(number);
  return pages;
}

/** The module with memory starting empty, mutable globals at zero and no active data. */
function engineModule(bytes: Uint8Array, layout: ModuleLayout): Uint8Array {
  const lastPassive = layout.data.findLastIndex((d) => d.passive);
  const data = new ByteWriter().u32(lastPassive + 1);
  // Passive segments keep their indices (code names them); active ones before them become empty passive ones.
  for (const segment of layout.data.slice(0, lastPassive + 1)) {
    if (segment.passive) data.bytes(segment.encoded);
    else data.byte(1).u32(0);
  }
  return rebuildModule(bytes, layout.sections, (s, w) => {
    if (s.id === SectionId.memory) {
      const body = new ByteWriter().u32(layout.memories.length);
      layout.memories.forEach((memory, index) => {
        body.byte(memory.flags).u32(index === 0 ? 0 : memory.min);
        if (memory.max !== undefined) body.u32(memory.max);
      });
      w.section(s.id, body);
    } else if (s.id === SectionId.global) w.section(s.id, zeroedGlobals(layout.globals));
    else if (s.id === SectionId.dataCount) w.section(s.id, new ByteWriter().u32(lastPassive + 1));
    else if (s.id === SectionId.data) w.section(s.id, data);
    else return false;
    return true;
  });
}

function zeroedGlobals(globals: readonly GlobalEntry[]): ByteWriter {
  const w = new ByteWriter().u32(globals.length);
  for (const g of globals) {
    w.byte(g.valueType).byte(g.mutable ? 1 : 0);
    if (!g.mutable) w.bytes(g.init);
    else if (g.valueType === ValueType.i32) w.byte(0x41).byte(0).byte(0x0b);
    else if (g.valueType === ValueType.i64) w.byte(0x42).byte(0).byte(0x0b);
    else if (g.valueType === ValueType.f32) w.byte(0x43).bytes(new Uint8Array(4)).byte(0x0b);
    else w.byte(0x44).bytes(new Uint8Array(8)).byte(0x0b);
  }
  return w;
}

/** A signed LEB128 number (an i32 or i64 constant). */
function signedLeb(r: ByteReader): bigint {
  let result = 0n;
  let shift = 0n;
  let b: number;
  do {
    b = r.byte();
    result |= BigInt(b & 0x7f) << shift;
    shift += 7n;
  } while (b & 0x80);
  if (b & 0x40) result -= 1n << shift;
  return result;
}

/** A prepared component's core modules: the engines split off, every other module whole. */
export async function splitModules(modules: Readonly<Record<string, Uint8Array>>): Promise<{ whole: Record<string, Uint8Array>; engines: Record<string, SplitEngine> }> {
  const whole: Record<string, Uint8Array> = {};
  const engines: Record<string, SplitEngine> = {};
  for (const [name, bytes] of Object.entries(modules)) {
    const split = await splitEngine(bytes);
    if (split) engines[name] = split;
    else whole[name] = bytes;
  }
  return { whole, engines };
}
