/** Just enough of the Wasm binary format to rewrite core modules section by section. */

export function readLeb(bytes: Uint8Array, at: number): [value: number, next: number] {
  let result = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[at++];
    if (byte === undefined) throw new Error('truncated LEB128');
    result += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if ((byte & 0x80) === 0) return [result, at];
  }
}

/** Position after a LEB128 number (signed or not) starting at `at`. */
export function skipLeb(bytes: Uint8Array, at: number): number {
  while ((bytes[at++]! & 0x80) !== 0);
  return at;
}

export function writeLeb(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

export function writeSignedLeb(value: bigint): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = Number(value & 0x7fn);
    value >>= 7n;
    const done = (value === 0n && (byte & 0x40) === 0) || (value === -1n && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

export interface Section {
  id: number;
  /** Start of the section's content (after id and size). */
  start: number;
  end: number;
  /** Start of the section including its id byte. */
  headerStart: number;
}

export function scanSections(bytes: Uint8Array): Section[] {
  const sections: Section[] = [];
  let at = 8;
  while (at < bytes.length) {
    const id = bytes[at]!;
    const [size, start] = readLeb(bytes, at + 1);
    sections.push({ id, start, end: start + size, headerStart: at });
    at = start + size;
  }
  return sections;
}

export function section(id: number, body: ArrayLike<number>): Uint8Array {
  const out = new ByteWriter(body.length + 6);
  out.byte(id).bytes(writeLeb(body.length)).bytes(body);
  return out.done();
}

/** A growable byte buffer (spreading megabytes of code into arrays would overflow the stack). */
export class ByteWriter {
  #buffer: Uint8Array;
  #length = 0;
  constructor(capacity = 1024) {
    this.#buffer = new Uint8Array(capacity);
  }
  #reserve(extra: number): void {
    if (this.#length + extra <= this.#buffer.length) return;
    const grown = new Uint8Array(Math.max(this.#buffer.length * 2, this.#length + extra));
    grown.set(this.#buffer.subarray(0, this.#length));
    this.#buffer = grown;
  }
  byte(b: number): this {
    this.#reserve(1);
    this.#buffer[this.#length++] = b;
    return this;
  }
  bytes(bs: ArrayLike<number>): this {
    this.#reserve(bs.length);
    this.#buffer.set(bs, this.#length);
    this.#length += bs.length;
    return this;
  }
  get length(): number {
    return this.#length;
  }
  done(): Uint8Array {
    return this.#buffer.slice(0, this.#length);
  }
}

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** The module with some sections replaced (by id); `undefined` keeps a section as it is. */
export function rebuild(bytes: Uint8Array, replace: (s: Section) => Uint8Array | undefined): Uint8Array {
  return concat([bytes.subarray(0, 8), ...scanSections(bytes).map((s) => replace(s) ?? bytes.subarray(s.headerStart, s.end))]);
}

/** How many functions and globals the module imports (they come first in their index spaces). */
export function importCounts(bytes: Uint8Array): { functions: number; globals: number } {
  const imports = scanSections(bytes).find((s) => s.id === 2);
  const counts = { functions: 0, globals: 0 };
  if (!imports) return counts;
  let [count, at] = readLeb(bytes, imports.start);
  for (; count > 0; count--) {
    for (let name = 0; name < 2; name++) {
      const [len, next] = readLeb(bytes, at);
      at = next + len;
    }
    const kind = bytes[at++]!;
    if (kind === 0) {
      counts.functions++;
      at = skipLeb(bytes, at);
    } else if (kind === 1) {
      at++; // reference type
      const flags = bytes[at++]!;
      at = skipLeb(bytes, at);
      if (flags & 1) at = skipLeb(bytes, at);
    } else if (kind === 2) {
      const flags = bytes[at++]!;
      at = skipLeb(bytes, at);
      if (flags & 1) at = skipLeb(bytes, at);
    } else if (kind === 3) {
      counts.globals++;
      at += 2;
    } else if (kind === 4) at = skipLeb(bytes, at + 1);
    else throw new Error(`unknown import kind ${kind}`);
  }
  return counts;
}
