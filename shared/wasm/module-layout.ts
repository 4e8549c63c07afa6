/**
 * What the pre-initializer needs to know of a core module: its imported globals and memories,
 * its own globals, memories and exports, and its data segments.
 */
import { ByteReader, SectionId, readSections, sectionReader, type Section } from './bytes.ts';
import { skipConstExpr, skipValueType } from './instructions.ts';

export const ExternKind = { func: 0, table: 1, memory: 2, global: 3, tag: 4 } as const;

export interface GlobalEntry {
  /** Index in the global index space (imported globals come first). */
  index: number;
  valueType: number;
  mutable: boolean;
  /** The init expression's bytes, `end` included. */
  init: Uint8Array;
}

export interface MemoryEntry {
  flags: number;
  min: number;
  max?: number;
}

export interface ExportEntry {
  name: string;
  kind: number;
  index: number;
}

export interface DataSegment {
  passive: boolean;
  /** The whole encoded segment, for copying it unchanged. */
  encoded: Uint8Array;
}

export interface ModuleLayout {
  sections: Section[];
  importedGlobals: number;
  importedMemories: number;
  globals: GlobalEntry[];
  memories: MemoryEntry[];
  exports: ExportEntry[];
  data: DataSegment[];
  hasStart: boolean;
}

export const ValueType = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, v128: 0x7b, funcref: 0x70, externref: 0x6f } as const;

/** Reads a module's layout; code and the other sections are left unread. */
export function readLayout(bytes: Uint8Array): ModuleLayout {
  const sections = readSections(bytes);
  const layout: ModuleLayout = {
    sections,
    importedGlobals: 0,
    importedMemories: 0,
    globals: [],
    memories: [],
    exports: [],
    data: [],
    hasStart: false,
  };
  for (const s of sections) {
    const r = sectionReader(bytes, s);
    if (s.id === SectionId.import) readImports(r, layout);
    else if (s.id === SectionId.global) readGlobals(r, layout);
    else if (s.id === SectionId.memory) readMemories(r, layout);
    else if (s.id === SectionId.export) readExports(r, layout);
    else if (s.id === SectionId.data) readData(r, layout);
    else if (s.id === SectionId.start) layout.hasStart = true;
  }
  return layout;
}

export interface ImportEntry {
  module: string;
  name: string;
  kind: number;
  /** A function import's type index. */
  type?: number;
}

/** The entries of an import section, `r` at its start; what each describes is skipped but a function's type. */
export function* importEntries(r: ByteReader): Generator<ImportEntry> {
  for (let n = r.u32(); n > 0; n--) {
    const module = r.name();
    const name = r.name();
    const kind = r.byte();
    if (kind === ExternKind.func) {
      yield { module, name, kind, type: r.u32() };
      continue;
    }
    if (kind === ExternKind.table) {
      skipValueType(r);
      r.skipLimits();
    } else if (kind === ExternKind.memory) r.skipLimits();
    else if (kind === ExternKind.global) {
      skipValueType(r);
      r.byte(); // mutability
    } else if (kind === ExternKind.tag) {
      r.byte();
      r.u32();
    } else throw new Error(`unknown import kind ${kind}`);
    yield { module, name, kind };
  }
}

function readImports(r: ByteReader, layout: ModuleLayout): void {
  for (const { kind } of importEntries(r)) {
    if (kind === ExternKind.memory) layout.importedMemories++;
    else if (kind === ExternKind.global) layout.importedGlobals++;
  }
}

function readGlobals(r: ByteReader, layout: ModuleLayout): void {
  const count = r.u32();
  for (let i = 0; i < count; i++) {
    const valueType = r.byte();
    if (valueType === 0x63 || valueType === 0x64) r.skipLeb(); // (ref null? <heap type>)
    const mutable = r.byte() === 1;
    const start = r.at;
    skipConstExpr(r);
    layout.globals.push({ index: layout.importedGlobals + i, valueType, mutable, init: r.bytes.subarray(start, r.at) });
  }
}

function readMemories(r: ByteReader, layout: ModuleLayout): void {
  for (let n = r.u32(); n > 0; n--) {
    const flags = r.byte();
    const min = r.u32();
    layout.memories.push(flags & 1 ? { flags, min, max: r.u32() } : { flags, min });
  }
}

function readExports(r: ByteReader, layout: ModuleLayout): void {
  for (let n = r.u32(); n > 0; n--) {
    layout.exports.push({ name: r.name(), kind: r.byte(), index: r.u32() });
  }
}

function readData(r: ByteReader, layout: ModuleLayout): void {
  for (let n = r.u32(); n > 0; n--) {
    const start = r.at;
    const flags = r.u32();
    if (flags === 2) r.u32(); // explicit memory index
    if (flags !== 1) skipConstExpr(r);
    r.take(r.u32());
    layout.data.push({ passive: flags === 1, encoded: r.bytes.subarray(start, r.at) });
  }
}
