/**
 * Where a module waits on a host function that answered with a promise. JSPI suspends the
 * guest at every call of a `WebAssembly.Suspending` import, whatever it returns, and that costs a
 * stack switch and several turns of the job queue. So a module's calls to the host functions
 * that may wait (async-imports.ts) go through a wrapper instead: it calls the host function as a
 * plain import, asks the host whether the answer is still to come (`twirl:async#pending`), and
 * only then suspends on the one `Suspending` import (`twirl:async#wait`, `wait-i32`), which
 * gives the answer. A host that answers at once never suspends the guest.
 *
 * The wrappers are added with the fuel instrumentation (fuel.ts), which already moves every
 * function index for the imports it adds.
 */
import { ByteWriter, SectionId, sectionReader, type Section } from '../wasm/bytes.ts';
import { ValueType, importEntries, readLayout } from '../wasm/module-layout.ts';
import { skipValueType } from '../wasm/instructions.ts';
import { TwirlError } from '../errors.ts';
import { isAsyncImport } from './async-imports.ts';

export const waitImports = { module: 'twirl:async', pending: 'pending', wait: 'wait', waitI32: 'wait-i32' } as const;

export interface FunctionImport {
  /** Index in the function index space. */
  index: number;
  module: string;
  name: string;
  type: number;
}

export function functionImportsOf(bytes: Uint8Array, section: Section | undefined): FunctionImport[] {
  if (!section) return [];
  const r = sectionReader(bytes, section);
  const found: FunctionImport[] = [];
  for (const { module, name, type } of importEntries(r)) {
    if (type !== undefined) found.push({ index: found.length, module, name, type });
  }
  return found;
}

/** Each function type's parameter count and results, by type index; `undefined` past a type that is not a plain function type. */
function functionTypesOf(bytes: Uint8Array, section: Section | undefined): Array<{ params: number; results: number[] }> {
  if (!section) return [];
  const r = sectionReader(bytes, section);
  const types: Array<{ params: number; results: number[] }> = [];
  for (let n = r.u32(); n > 0; n--) {
    if (r.byte() !== 0x60) return types; // a GC type group: nothing after it is read
    let params = 0;
    for (let p = r.u32(); p > 0; p--, params++) skipValueType(r);
    const results: number[] = [];
    for (let q = r.u32(); q > 0; q--) results.push(r.byte());
    types.push({ params, results });
  }
  return types;
}

export interface WaitingImport extends FunctionImport {
  params: number;
  /** True when the function gives an i32 (a handle); otherwise it gives nothing (results go through memory). */
  i32: boolean;
}

/** The module's imports of host functions that may wait. */
export function waitingImports(bytes: Uint8Array, importSection: Section | undefined, typeSection: Section | undefined): WaitingImport[] {
  const waiting = functionImportsOf(bytes, importSection).filter((i) => isAsyncImport(i.module, i.name));
  if (waiting.length === 0) return [];
  const types = functionTypesOf(bytes, typeSection);
  return waiting.map((i) => {
    const r = types[i.type]?.results;
    if (!r || r.length > 1 || (r.length === 1 && r[0] !== ValueType.i32)) {
      throw new TwirlError('unsupported-component', `the host function ${i.module}#${i.name} is imported with a type Twirl cannot wait on`);
    }
    return { ...i, params: types[i.type]!.params, i32: r.length === 1 };
  });
}

/** Indices of the imports a module with wait points adds after its own function imports. */
export interface WaitFunctions {
  pending: number;
  wait: number;
  waitI32: number;
}

/** The wrapper of `imported`: `r = f(args); if (pending()) r = wait(); return r`. */
export function waitPointBody(imported: WaitingImport, at: WaitFunctions): Uint8Array {
  const params = imported.params;
  const body = new ByteWriter();
  body.bytes(imported.i32 ? new Uint8Array([0x01, 0x01, 0x7f]) : new Uint8Array([0x00])); // one i32 local for the answer
  for (let p = 0; p < params; p++) body.byte(0x20).u32(p);
  body.byte(0x10).u32(imported.index);
  if (imported.i32) body.byte(0x21).u32(params);
  body.byte(0x10).u32(at.pending).bytes(new Uint8Array([0x04, 0x40]));
  body.byte(0x10).u32(imported.i32 ? at.waitI32 : at.wait);
  if (imported.i32) body.byte(0x21).u32(params);
  body.byte(0x0b);
  if (imported.i32) body.byte(0x20).u32(params);
  body.byte(0x0b);
  return new ByteWriter().u32(body.length).bytes(body.finish()).finish();
}

/** Whether a module calls host functions that may wait, and whether it does so through wait points. */
export function waitsOnHost(bytes: Uint8Array): { waits: boolean; throughWaitPoints: boolean } {
  const section = readLayout(bytes).sections.find((s) => s.id === SectionId.import);
  const imports = functionImportsOf(bytes, section);
  return {
    waits: imports.some((i) => isAsyncImport(i.module, i.name)),
    throughWaitPoints: imports.some((i) => i.module === waitImports.module),
  };
}
