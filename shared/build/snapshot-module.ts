/**
 * Writing a pre-initialised module: the original module with its memory contents and mutable
 * globals replaced by their values after initialisation; every other section is copied.
 */
import { memoryRuns } from './memory-segments.ts';
import { ExternKind, ValueType, type ExportEntry, type ModuleLayout } from '../wasm/module-layout.ts';
import { ByteWriter, SectionId, rebuildModule, rebuildModuleWriter } from '../wasm/bytes.ts';

export const WASM_PAGE = 65536;
const SNAPSHOT_EXPORT = '__twirl_preinit_';

/** A captured global's value: a number, a BigInt (i64) or null (a null reference). */
export type GlobalValue = number | bigint | null;

export interface Snapshot {
  /** Linear memory after initialisation (a copy). */
  memory: Uint8Array;
  /** Global index → value, for every mutable global the module defines. */
  globals: Map<number, GlobalValue>;
}

/** The export name that exposes global `index` (or the memory) to the snapshotting host. */
export function snapshotExportName(what: number | 'memory'): string {
  return `${SNAPSHOT_EXPORT}${what}`;
}

/** The module with its mutable globals and its memory exported, so a host can read them. */
export function exposeState(bytes: Uint8Array, layout: ModuleLayout): Uint8Array {
  const extra: ExportEntry[] = layout.globals.filter((g) => g.mutable).map((g) => ({ name: snapshotExportName(g.index), kind: ExternKind.global, index: g.index }));
  if (layout.memories.length > 0) extra.push({ name: snapshotExportName('memory'), kind: ExternKind.memory, index: layout.importedMemories });
  const exports = [...layout.exports, ...extra];
  let written = false;
  const out = rebuildModule(bytes, layout.sections, (s, w) => {
    // The export section comes after globals and before start/element/data count/code/data.
    if (!written && (s.id === SectionId.export || (s.id >= SectionId.start && s.id <= SectionId.dataCount))) {
      w.section(SectionId.export, exportSection(exports));
      written = true;
      return s.id === SectionId.export;
    }
    return false;
  });
  return written ? out : new ByteWriter().bytes(out).section(SectionId.export, exportSection(exports)).finish();
}

/**
 * The original module (not the exposed one) rewritten to start in the captured state: memory
 * minimum raised to the captured size, the data section replaced by the non-zero runs of
 * memory, mutable globals initialised to their captured values, `dropExports` removed.
 */
export function writeSnapshot(bytes: Uint8Array, layout: ModuleLayout, snapshot: Snapshot, dropExports: ReadonlySet<string>): Uint8Array {
  return writeSnapshotInto(bytes, layout, snapshot, dropExports).finish();
}

/** {@link writeSnapshot}, left in a writer: for a module written on into a component. */
export function writeSnapshotInto(bytes: Uint8Array, layout: ModuleLayout, snapshot: Snapshot, dropExports: ReadonlySet<string>): ByteWriter {
  if (layout.hasStart) throw new Error('a module with a start function cannot be pre-initialised: it would run again');
  if (layout.importedMemories > 0) throw new Error('a module importing its memory cannot be pre-initialised');
  const data = dataSection(layout, snapshot.memory);
  // A module without data segments gets a data section for what initialisation wrote: it goes after the code.
  const hasData = layout.sections.some((s) => s.id === SectionId.data);
  return rebuildModuleWriter(bytes, layout.sections, (s, w) => {
    if (s.id === SectionId.code && !hasData) {
      w.bytes(bytes.subarray(s.headerStart, s.end));
      if (data.count > 0) w.section(SectionId.data, data.body);
      return true;
    }
    if (s.id === SectionId.memory) w.section(s.id, memorySection(layout, snapshot.memory.length / WASM_PAGE));
    else if (s.id === SectionId.global) w.section(s.id, globalSection(layout, snapshot.globals));
    else if (s.id === SectionId.export) w.section(s.id, exportSection(layout.exports.filter((e) => !dropExports.has(e.name))));
    else if (s.id === SectionId.dataCount) w.section(s.id, new ByteWriter().u32(data.count));
    else if (s.id === SectionId.data) w.section(s.id, data.body);
    else return false;
    return true;
  });
}

function exportSection(exports: readonly ExportEntry[]): ByteWriter {
  const w = new ByteWriter().u32(exports.length);
  for (const e of exports) w.name(e.name).byte(e.kind).u32(e.index);
  return w;
}

function memorySection(layout: ModuleLayout, pages: number): ByteWriter {
  const w = new ByteWriter().u32(layout.memories.length);
  layout.memories.forEach((m, i) => {
    if (m.flags > 1) throw new Error('shared and 64-bit memories cannot be pre-initialised');
    w.byte(m.flags).u32(i === 0 ? Math.max(m.min, pages) : m.min);
    if (m.max !== undefined) w.u32(m.max);
  });
  return w;
}

function globalSection(layout: ModuleLayout, values: ReadonlyMap<number, GlobalValue>): ByteWriter {
  const w = new ByteWriter().u32(layout.globals.length);
  for (const g of layout.globals) {
    w.byte(g.valueType);
    if (g.valueType === 0x63 || g.valueType === 0x64) throw new Error('typed reference globals are not supported');
    w.byte(g.mutable ? 1 : 0);
    if (!g.mutable) w.bytes(g.init);
    else constExpr(w, g.valueType, values.get(g.index) ?? missing(g.index));
  }
  return w;
}

function missing(index: number): never {
  throw new Error(`no captured value for global ${index}`);
}

function constExpr(w: ByteWriter, type: number, value: GlobalValue): void {
  if (type === ValueType.i32) w.byte(0x41).sleb(BigInt(Number(value) | 0));
  else if (type === ValueType.i64) w.byte(0x42).sleb(BigInt.asIntN(64, BigInt(value as bigint)));
  else if (type === ValueType.f32) w.byte(0x43).bytes(new Uint8Array(new Float32Array([Number(value)]).buffer));
  else if (type === ValueType.f64) w.byte(0x44).bytes(new Uint8Array(new Float64Array([Number(value)]).buffer));
  else if ((type === ValueType.funcref || type === ValueType.externref) && value === null) w.byte(0xd0).byte(type);
  else throw new Error(`cannot snapshot a global of type 0x${type.toString(16)} holding ${String(value)}`);
  w.byte(0x0b);
}

/**
 * Active segments for the non-zero runs of memory. Passive segments stay, at their indices,
 * because code names them (`memory.init`, `data.drop`); the original active segments are
 * dropped, their bytes being part of the snapshot — kept as empty passive ones where a
 * passive segment follows them, so indices do not move.
 */
function dataSection(layout: ModuleLayout, memory: Uint8Array): { body: ByteWriter; count: number } {
  const lastPassive = layout.data.findLastIndex((d) => d.passive);
  const runs = memoryRuns(memory);
  const body = new ByteWriter().u32(lastPassive + 1 + runs.length);
  for (const segment of layout.data.slice(0, lastPassive + 1)) {
    if (segment.passive) body.bytes(segment.encoded);
    else body.byte(1).u32(0);
  }
  for (const run of runs) body.byte(0).byte(0x41).sleb(BigInt(run.offset | 0)).byte(0x0b).u32(run.bytes.length).bytes(run.bytes);
  return { body, count: lastPassive + 1 + runs.length };
}
