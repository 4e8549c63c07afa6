/**
 * Appending function imports to a core module. Imported functions come first in the function
 * index space, so every defined function moves up by the number added: each place a module
 * names a function by index (exports, start, element segments, constant expressions, the `name`
 * section) is rewritten here. Code bodies are left to the caller, which rewrites them anyway
 * (see `shiftFunction` for `call`, `return_call` and `ref.func`).
 */
import { ByteReader, ByteWriter, sectionReader, type Section } from './bytes.ts';
import { ExternKind, importEntries } from './module-layout.ts';
import { readInstruction, skipValueType, type Instruction } from './instructions.ts';

export interface AddedImport {
  module: string;
  name: string;
  /** Index of the function's type in the rewritten type section. */
  type: number;
}

/** How function indices move: defined functions (from `imported` on) go up by `added`. */
export interface FunctionShift {
  imported: number;
  added: number;
  /** Functions whose every use (calls, tables, exports) moves to another function, a wrapper of it. */
  redirect?: ReadonlyMap<number, number>;
}

export const shiftFunction = (shift: FunctionShift, index: number): number =>
  shift.redirect?.get(index) ?? (index < shift.imported ? index : index + shift.added);

/** Function imports the module already has. */
export function countFunctionImports(bytes: Uint8Array, section: Section | undefined): number {
  if (!section) return 0;
  let functions = 0;
  for (const { kind } of importEntries(sectionReader(bytes, section))) if (kind === ExternKind.func) functions++;
  return functions;
}

/**
 * The import section with `added` after the existing imports. They are placed last among
 * imports, yet they are the last imported *functions*: function indices count imports of that
 * kind only, so no other import moves.
 */
export function importsWith(bytes: Uint8Array, section: Section | undefined, added: readonly AddedImport[]): ByteWriter {
  const r = section ? sectionReader(bytes, section) : undefined;
  const count = r ? r.u32() : 0;
  const out = new ByteWriter().u32(count + added.length);
  if (r && section) out.bytes(bytes.subarray(r.at, section.end));
  for (const a of added) out.name(a.module).name(a.name).byte(ExternKind.func).u32(a.type);
  return out;
}

/** The type section with plain function types appended; their indices follow the existing ones. */
export function typesWith(bytes: Uint8Array, section: Section | undefined, added: ReadonlyArray<{ params: number[]; results: number[] }>): { body: ByteWriter; first: number } {
  const r = section ? sectionReader(bytes, section) : undefined;
  const count = r ? r.u32() : 0;
  const body = new ByteWriter().u32(count + added.length);
  if (r && section) body.bytes(bytes.subarray(r.at, section.end));
  for (const t of added) {
    body.byte(0x60).u32(t.params.length);
    for (const p of t.params) body.byte(p);
    body.u32(t.results.length);
    for (const p of t.results) body.byte(p);
  }
  return { body, first: count };
}

/** Copies a constant expression, `end` included, moving the function of any `ref.func`. */
function copyConstExpr(r: ByteReader, out: ByteWriter, shift: FunctionShift): void {
  const ins: Instruction = { op: 0, sub: -1 };
  do {
    const start = r.at;
    readInstruction(r, ins);
    if (ins.op === 0xd2) out.byte(ins.op).u32(shiftFunction(shift, ins.index!));
    else out.bytes(r.bytes.subarray(start, r.at));
  } while (ins.op !== 0x0b);
}

export function shiftExports(bytes: Uint8Array, section: Section, shift: FunctionShift): ByteWriter {
  const r = sectionReader(bytes, section);
  const count = r.u32();
  const out = new ByteWriter().u32(count);
  for (let n = count; n > 0; n--) {
    const name = r.name();
    const kind = r.byte();
    const index = r.u32();
    out.name(name).byte(kind).u32(kind === ExternKind.func ? shiftFunction(shift, index) : index);
  }
  return out;
}

export function shiftStart(bytes: Uint8Array, section: Section, shift: FunctionShift): ByteWriter {
  return new ByteWriter().u32(shiftFunction(shift, sectionReader(bytes, section).u32()));
}

export function shiftGlobals(bytes: Uint8Array, section: Section, shift: FunctionShift): ByteWriter {
  const r = sectionReader(bytes, section);
  const count = r.u32();
  const out = new ByteWriter().u32(count);
  for (let n = count; n > 0; n--) {
    const start = r.at;
    skipValueType(r);
    r.byte(); // mutability
    out.bytes(bytes.subarray(start, r.at));
    copyConstExpr(r, out, shift);
  }
  return out;
}

/** Element segments in all eight encodings: function indices (flags 0–3) or expressions (4–7). */
export function shiftElements(bytes: Uint8Array, section: Section, shift: FunctionShift): ByteWriter {
  const r = sectionReader(bytes, section);
  const count = r.u32();
  const out = new ByteWriter().u32(count);
  for (let n = count; n > 0; n--) {
    const flags = r.u32();
    out.u32(flags);
    if (flags === 2 || flags === 6) out.u32(r.u32()); // table index
    if ((flags & 1) === 0) copyConstExpr(r, out, shift); // active: the offset
    if (flags & 3) {
      // An element kind (0x00, funcref) or a reference type follows the table/offset.
      const start = r.at;
      if (flags & 4) skipValueType(r);
      else r.byte();
      out.bytes(bytes.subarray(start, r.at));
    }
    const items = r.u32();
    out.u32(items);
    for (let i = 0; i < items; i++) {
      if (flags & 4) copyConstExpr(r, out, shift);
      else out.u32(shiftFunction(shift, r.u32()));
    }
  }
  return out;
}

/** Subsections of the `name` section keyed by function index: functions, locals, labels. */
const byFunction = new Set([1, 2, 3]);

/** The `name` custom section with function indices moved; `undefined` for another custom section. */
export function shiftNames(bytes: Uint8Array, section: Section, shift: FunctionShift): ByteWriter | undefined {
  const r = sectionReader(bytes, section);
  if (r.name() !== 'name') return undefined;
  const out = new ByteWriter().name('name');
  while (r.at < section.end) {
    const id = r.byte();
    const size = r.u32();
    const end = r.at + size;
    if (!byFunction.has(id)) {
      out.byte(id).u32(size).bytes(bytes.subarray(r.at, end));
      r.at = end;
      continue;
    }
    const body = new ByteWriter();
    const count = r.u32();
    body.u32(count);
    for (let n = count; n > 0; n--) {
      body.u32(shiftFunction(shift, r.u32()));
      const start = r.at;
      if (id === 1) r.take(r.u32());
      else
        for (let m = r.u32(); m > 0; m--) {
          r.u32();
          r.take(r.u32());
        }
      body.bytes(bytes.subarray(start, r.at));
    }
    out.byte(id).u32(body.length).bytes(body.finish());
    r.at = end;
  }
  return out;
}
