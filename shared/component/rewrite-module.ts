/**
 * Small rewrites of core modules at preparation time: export the mutable globals (the instance
 * pool must read and restore them, and modules keep globals such as the stack pointer private),
 * and cap linear memory (a component that allocates without end fails its own request).
 */

function readLeb(bytes: Uint8Array, at: number): [value: number, next: number] {
  let result = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[at++]!;
    result += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if ((byte & 0x80) === 0) return [result, at];
  }
}

function writeLeb(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

const exportKindGlobal = 3;
export const globalExportPrefix = 'twirl-global-';

/** Indices of the module's own mutable globals (after any imported ones). */
function mutableGlobals(bytes: Uint8Array, sections: Map<number, [number, number]>): number[] {
  let imported = 0;
  const importSection = sections.get(2);
  if (importSection) {
    let [count, at] = readLeb(bytes, importSection[0]);
    for (; count > 0; count--) {
      for (let s = 0; s < 2; s++) {
        const [len, next] = readLeb(bytes, at);
        at = next + len;
      }
      const kind = bytes[at++]!;
      if (kind === 0) at = readLeb(bytes, at)[1];
      else if (kind === 1) {
        at++;
        const flags = bytes[at++]!;
        at = readLeb(bytes, at)[1];
        if (flags & 1) at = readLeb(bytes, at)[1];
      } else if (kind === 2) {
        const flags = bytes[at++]!;
        at = readLeb(bytes, at)[1];
        if (flags & 1) at = readLeb(bytes, at)[1];
      } else if (kind === 3) {
        at += 2;
        imported++;
      } else if (kind === 4) at = readLeb(bytes, at + 1)[1];
      else throw new Error(`unknown import kind ${kind}`);
    }
  }
  const globalSection = sections.get(6);
  if (!globalSection) return [];
  const out: number[] = [];
  let [count, at] = readLeb(bytes, globalSection[0]);
  for (let i = 0; i < count; i++) {
    const mutable = bytes[at + 1] === 1;
    at += 2;
    // Skip the constant init expression up to its `end` opcode; MVP constant expressions suffice here.
    while (bytes[at] !== 0x0b) {
      const op = bytes[at++]!;
      if (op === 0x41 || op === 0x42 || op === 0x23 || op === 0xd2) at = readLeb(bytes, at)[1];
      else if (op === 0x43) at += 4;
      else if (op === 0x44) at += 8;
      else if (op === 0xd0) at += 1;
      else throw new Error(`unsupported opcode 0x${op.toString(16)} in a global initializer`);
    }
    at++;
    if (mutable) out.push(imported + i);
  }
  return out;
}

type SectionList = Array<[id: number, start: number, end: number, headerStart: number]>;

function scanSections(bytes: Uint8Array): { sections: Map<number, [number, number]>; order: SectionList } {
  const sections = new Map<number, [number, number]>();
  const order: SectionList = [];
  let at = 8;
  while (at < bytes.length) {
    const id = bytes[at]!;
    const [size, start] = readLeb(bytes, at + 1);
    order.push([id, start, start + size, at]);
    if (id !== 0) sections.set(id, [start, start + size]);
    at = start + size;
  }
  return { sections, order };
}

function join(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

export const wasmPageBytes = 65536;

/** Gives every memory the module defines a maximum of at most `maxBytes`. */
export function capMemory(bytes: Uint8Array, maxBytes: number): Uint8Array {
  const { sections, order } = scanSections(bytes);
  const memory = sections.get(5);
  if (!memory) return bytes;
  const cap = Math.floor(maxBytes / wasmPageBytes);
  let [count, at] = readLeb(bytes, memory[0]);
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
  const section = new Uint8Array([5, ...writeLeb(body.length), ...body]);
  return join([bytes.subarray(0, 8), ...order.map(([id, , end, headerStart]) => (id === 5 ? section : bytes.subarray(headerStart, end)))]);
}

export function exportMutableGlobals(bytes: Uint8Array): Uint8Array {
  const { sections, order } = scanSections(bytes);
  const globals = mutableGlobals(bytes, sections);
  if (globals.length === 0) return bytes;

  const added: number[] = [];
  for (const index of globals) {
    const name = new TextEncoder().encode(globalExportPrefix + index);
    added.push(...writeLeb(name.length), ...name, exportKindGlobal, ...writeLeb(index));
  }
  const existing = sections.get(7);
  let body: Uint8Array;
  if (existing) {
    const [count, entries] = readLeb(bytes, existing[0]);
    const rest = bytes.subarray(entries, existing[1]);
    body = new Uint8Array([...writeLeb(count + globals.length), ...rest, ...added]);
  } else {
    body = new Uint8Array([...writeLeb(globals.length), ...added]);
  }
  const section = new Uint8Array([7, ...writeLeb(body.length), ...body]);

  // The export section goes after the global (and tag) sections, before start/element/data-count/code/data.
  const parts: Uint8Array[] = [bytes.subarray(0, 8)];
  let placed = false;
  for (const [id, , end, headerStart] of order) {
    if (id === 7) {
      parts.push(section);
      placed = true;
      continue;
    }
    if (!placed && id >= 8 && id <= 12) {
      parts.push(section);
      placed = true;
    }
    parts.push(bytes.subarray(headerStart, end));
  }
  if (!placed) parts.push(section);
  return join(parts);
}
