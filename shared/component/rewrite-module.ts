/**
 * Small rewrites of core modules at preparation time: export the mutable globals (the instance
 * pool must read and restore them, and modules keep globals such as the stack pointer private),
 * and cap linear memory (a component that allocates without end fails its own request).
 */
import { concat, importCounts, readLeb, rebuild, scanSections, section, skipLeb, writeLeb, type Section } from './wasm-binary.ts';

const exportKindGlobal = 3;
export const globalExportPrefix = 'twirl-global-';
export const wasmPageBytes = 65536;

/** Position after a constant expression; the MVP constant instructions are enough here. */
export function skipConstExpr(bytes: Uint8Array, at: number): number {
  while (bytes[at] !== 0x0b) {
    const op = bytes[at++]!;
    if (op === 0x41 || op === 0x42 || op === 0x23 || op === 0xd2) at = skipLeb(bytes, at);
    else if (op === 0x43) at += 4;
    else if (op === 0x44) at += 8;
    else if (op === 0xd0) at += 1;
    else throw new Error(`unsupported opcode 0x${op.toString(16)} in a constant expression`);
  }
  return at + 1;
}

/** Indices of the module's own mutable globals (after any imported ones). */
function mutableGlobals(bytes: Uint8Array, sections: Section[]): number[] {
  const globals = sections.find((s) => s.id === 6);
  if (!globals) return [];
  const imported = importCounts(bytes).globals;
  const out: number[] = [];
  let [count, at] = readLeb(bytes, globals.start);
  for (let i = 0; i < count; i++) {
    const mutable = bytes[at + 1] === 1;
    at = skipConstExpr(bytes, at + 2);
    if (mutable) out.push(imported + i);
  }
  return out;
}

export function exportMutableGlobals(bytes: Uint8Array): Uint8Array {
  const sections = scanSections(bytes);
  const globals = mutableGlobals(bytes, sections);
  if (globals.length === 0) return bytes;
  const added: number[] = [];
  for (const index of globals) {
    const name = new TextEncoder().encode(globalExportPrefix + index);
    added.push(...writeLeb(name.length), ...name, exportKindGlobal, ...writeLeb(index));
  }
  const existing = sections.find((s) => s.id === 7);
  let count = 0;
  let entries: Uint8Array = new Uint8Array(0);
  if (existing) {
    const [n, first] = readLeb(bytes, existing.start);
    count = n;
    entries = bytes.subarray(first, existing.end);
  }
  const exports = section(7, [...writeLeb(count + globals.length), ...entries, ...added]);
  if (existing) return rebuild(bytes, (s) => (s.id === 7 ? exports : undefined));
  // No export section yet: it goes before start/element/data-count/code/data.
  const parts: Uint8Array[] = [bytes.subarray(0, 8)];
  let placed = false;
  for (const s of sections) {
    if (!placed && s.id >= 8 && s.id <= 12) {
      parts.push(exports);
      placed = true;
    }
    parts.push(bytes.subarray(s.headerStart, s.end));
  }
  if (!placed) parts.push(exports);
  return concat(parts);
}

/** Gives every memory the module defines a maximum of at most `maxBytes`. */
export function capMemory(bytes: Uint8Array, maxBytes: number): Uint8Array {
  const memory = scanSections(bytes).find((s) => s.id === 5);
  if (!memory) return bytes;
  const cap = Math.floor(maxBytes / wasmPageBytes);
  let [count, at] = readLeb(bytes, memory.start);
  const body: number[] = [...writeLeb(count)];
  for (; count > 0; count--) {
    const flags = bytes[at++]!;
    // Shared and 64-bit memories are left as they are.
    if (flags > 1) return bytes;
    const [min, next] = readLeb(bytes, at);
    at = next;
    let max = cap;
    if (flags & 1) {
      const [declared, after] = readLeb(bytes, at);
      at = after;
      max = Math.min(declared, cap);
    }
    body.push(1, ...writeLeb(min), ...writeLeb(Math.max(min, max)));
  }
  return rebuild(bytes, (s) => (s.id === 5 ? section(5, body) : undefined));
}
