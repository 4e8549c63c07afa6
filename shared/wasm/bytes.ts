/**
 * Reading and writing the parts of the Wasm binary format that Twirl rewrites (preparation, pre-initialization):
 * LEB128 numbers, names, the preambles of modules and components, and the section list of a core module.
 */

/** A cursor over a module's bytes. */
export class ByteReader {
  readonly bytes: Uint8Array;
  at: number;

  constructor(bytes: Uint8Array, at = 0) {
    this.bytes = bytes;
    this.at = at;
  }

  byte(): number {
    const b = this.bytes[this.at++];
    if (b === undefined) throw new RangeError('unexpected end of the module');
    return b;
  }

  /** An unsigned LEB128 number of up to 53 bits. */
  u32(): number {
    let result = 0;
    let scale = 1;
    for (;;) {
      const b = this.byte();
      result += (b & 0x7f) * scale;
      scale *= 128;
      if ((b & 0x80) === 0) return result;
    }
  }

  /** Skips a LEB128 number, signed or not. */
  skipLeb(): void {
    while ((this.byte() & 0x80) !== 0);
  }

  take(length: number): Uint8Array {
    const out = this.bytes.subarray(this.at, this.at + length);
    if (out.length !== length) throw new RangeError('unexpected end of the module');
    this.at += length;
    return out;
  }

  name(): string {
    return new TextDecoder().decode(this.take(this.u32()));
  }

  /** Skips limits (of a memory or table): flags, min and an optional max. */
  skipLimits(): void {
    const flags = this.byte();
    this.skipLeb();
    if (flags & 1) this.skipLeb();
  }
}

/**
 * A byte buffer written in order. Pieces of 64 KiB or more (code and data sections of megabytes)
 * are kept by reference and small writes gathered, so a module is assembled with one copy, in
 * `finish`: fresh memory is costly to touch, and a doubling buffer touched it several times over.
 * A piece kept by reference must not change before `finish`.
 */
export class ByteWriter {
  private parts: Uint8Array[] = [];
  private scratch = new Uint8Array(256);
  private used = 0;
  private whole: Uint8Array | undefined;
  length = 0;

  private flush(): void {
    if (this.used === 0) return;
    this.parts.push(this.scratch.subarray(0, this.used));
    this.scratch = new Uint8Array(Math.min(this.scratch.length * 2, BY_REFERENCE));
    this.used = 0;
  }

  byte(b: number): this {
    if (this.used === this.scratch.length) this.flush();
    this.scratch[this.used++] = b;
    this.length++;
    return this;
  }

  bytes(b: Uint8Array): this {
    if (b.length >= BY_REFERENCE) {
      this.flush();
      this.parts.push(b);
    } else {
      if (this.used + b.length > this.scratch.length) this.flush();
      if (b.length > this.scratch.length) this.scratch = new Uint8Array(BY_REFERENCE);
      this.scratch.set(b, this.used);
      this.used += b.length;
    }
    this.length += b.length;
    return this;
  }

  u32(value: number): this {
    do {
      let b = value % 128;
      value = Math.floor(value / 128);
      if (value !== 0) b |= 0x80;
      this.byte(b);
    } while (value !== 0);
    return this;
  }

  /** A signed LEB128 number (i32 or i64 constants). */
  sleb(value: bigint): this {
    for (;;) {
      const b = Number(value & 0x7fn);
      value >>= 7n;
      const done = (value === 0n && (b & 0x40) === 0) || (value === -1n && (b & 0x40) !== 0);
      this.byte(done ? b : b | 0x80);
      if (done) return this;
    }
  }

  name(text: string): this {
    const encoded = new TextEncoder().encode(text);
    return this.u32(encoded.length).bytes(encoded);
  }

  /** A section: its id, then `body` prefixed by its length. */
  section(id: number, body: ByteWriter): this {
    return this.byte(id).u32(body.length).append(body);
  }

  /** What `body` holds, its large pieces by reference. */
  append(body: ByteWriter): this {
    body.flush();
    if (body.parts.length === 1) return this.bytes(body.parts[0]!);
    this.flush();
    for (const part of body.parts) this.parts.push(part);
    this.length += body.length;
    return this;
  }

  /** Everything written, in one array. */
  finish(): Uint8Array {
    if (this.parts.length === 0) return this.scratch.subarray(0, this.used);
    this.flush();
    // A piece kept by reference is copied too: what finish returns belongs to the writer.
    if (this.parts.length > 1 || this.parts[0] !== this.whole) {
      const whole = new Uint8Array(this.length);
      let at = 0;
      for (const part of this.parts) {
        whole.set(part, at);
        at += part.length;
      }
      this.parts = [whole];
      this.whole = whole;
    }
    return this.parts[0]!;
  }
}

const BY_REFERENCE = 64 * 1024;

export const SectionId = {
  custom: 0,
  type: 1,
  import: 2,
  function: 3,
  table: 4,
  memory: 5,
  global: 6,
  export: 7,
  start: 8,
  element: 9,
  code: 10,
  data: 11,
  dataCount: 12,
} as const;

export interface Section {
  id: number;
  /** Where the section begins (its id byte). */
  headerStart: number;
  /** Where its content begins, after the id and the size. */
  start: number;
  end: number;
}

/** Every binary WebAssembly file, module or component, starts with `\0asm`. */
const MAGIC = [0x00, 0x61, 0x73, 0x6d];
/** A core module's preamble: the magic, then binary version 1. */
const CORE_MODULE_PREAMBLE = [...MAGIC, 0x01, 0x00, 0x00, 0x00];
/** A component's preamble: the magic, then binary version 0x0d, layer 1. */
export const COMPONENT_PREAMBLE = [...MAGIC, 0x0d, 0x00, 0x01, 0x00];

const startsWith = (bytes: Uint8Array, prefix: readonly number[]): boolean => prefix.every((b, i) => bytes[i] === b);

/** Binary WebAssembly of any kind; anything else (jco would take it for the text format) is not. */
export const isWasmBinary = (bytes: Uint8Array): boolean => startsWith(bytes, MAGIC);

/** A core module (binary version 1), as Spin 1.x apps are, rather than a component. */
export const isCoreModule = (bytes: Uint8Array): boolean => startsWith(bytes, CORE_MODULE_PREAMBLE);

/** A component (binary version 0x0d, layer 1). */
export const isComponent = (bytes: Uint8Array): boolean => startsWith(bytes, COMPONENT_PREAMBLE);

/** `tag` (13): the last section a core module may have. */
const LAST_SECTION_ID = 13;

/** The sections of a core module, in order. */
export function readSections(bytes: Uint8Array): Section[] {
  if (!isCoreModule(bytes)) throw new Error('not a core Wasm module (version 1)');
  const sections: Section[] = [];
  const reader = new ByteReader(bytes, CORE_MODULE_PREAMBLE.length);
  while (reader.at < bytes.length) {
    const headerStart = reader.at;
    const id = reader.byte();
    const size = reader.u32();
    if (id > LAST_SECTION_ID) throw new Error(`unknown section id ${id} at byte ${headerStart}`);
    if (reader.at + size > bytes.length) throw new Error(`section ${id} at byte ${headerStart} runs past the end of the module`);
    sections.push({ id, headerStart, start: reader.at, end: reader.at + size });
    reader.at += size;
  }
  return sections;
}

/** A reader positioned at the start of the section's content. */
export function sectionReader(bytes: Uint8Array, section: Section): ByteReader {
  return new ByteReader(bytes.subarray(0, section.end), section.start);
}

/** The module header, then each section: written by `write` where it returns true, else copied. */
export function rebuildModule(
  bytes: Uint8Array,
  sections: readonly Section[],
  write: (section: Section, out: ByteWriter) => boolean,
): Uint8Array {
  return rebuildModuleWriter(bytes, sections, write).finish();
}

/** {@link rebuildModule}, left in a writer: for a module written on into a larger whole. */
export function rebuildModuleWriter(
  bytes: Uint8Array,
  sections: readonly Section[],
  write: (section: Section, out: ByteWriter) => boolean,
): ByteWriter {
  const out = new ByteWriter().bytes(bytes.subarray(0, 8));
  for (const s of sections) {
    if (!write(s, out)) out.bytes(bytes.subarray(s.headerStart, s.end));
  }
  return out;
}
