/**
 * Small rewrites of core modules at preparation time: export the mutable globals (the instance
 * pool must read and restore them, and modules keep globals such as the stack pointer private),
 * and cap linear memory (a component that allocates without end fails its own request).
 */
import { ByteWriter, SectionId, rebuildModule } from '../wasm/bytes.ts';
import { ExternKind, readLayout } from '../wasm/module-layout.ts';

export const globalExportPrefix = 'twirl-global-';
export const wasmPageBytes = 65536;

/** Appends exports to the module's export section (creating it where there is none). */
export function addExports(bytes: Uint8Array, added: ReadonlyArray<{ name: string; kind: number; index: number }>): Uint8Array {
  if (added.length === 0) return bytes;
  const layout = readLayout(bytes);
  const body = new ByteWriter().u32(layout.exports.length + added.length);
  for (const e of [...layout.exports, ...added]) body.name(e.name).byte(e.kind).u32(e.index);
  const hasExports = layout.sections.some((s) => s.id === SectionId.export);
  let placed = false;
  return rebuildModule(bytes, layout.sections, (s, out) => {
    if (s.id === SectionId.export) {
      out.section(SectionId.export, body);
      return true;
    }
    // Without an export section, it goes before start/element/data-count/code/data.
    if (!hasExports && !placed && s.id >= SectionId.start && s.id <= SectionId.dataCount) {
      out.section(SectionId.export, body);
      placed = true;
    }
    return false;
  });
}

export function exportMutableGlobals(bytes: Uint8Array): Uint8Array {
  const mutable = readLayout(bytes).globals.filter((g) => g.mutable);
  return addExports(bytes, mutable.map((g) => ({ name: globalExportPrefix + g.index, kind: ExternKind.global, index: g.index })));
}

/** Gives every memory the module defines a maximum of at most `maxBytes`. */
export function capMemory(bytes: Uint8Array, maxBytes: number): Uint8Array {
  const layout = readLayout(bytes);
  // Shared and 64-bit memories are left as they are.
  if (layout.memories.length === 0 || layout.memories.some((m) => m.flags > 1)) return bytes;
  const cap = Math.floor(maxBytes / wasmPageBytes);
  const body = new ByteWriter().u32(layout.memories.length);
  for (const { min, max } of layout.memories) body.byte(1).u32(min).u32(Math.max(min, Math.min(max ?? cap, cap)));
  return rebuildModule(bytes, layout.sections, (s, out) => s.id === SectionId.memory && (out.section(SectionId.memory, body), true));
}

