/**
 * The signatures of a module's functions: its function types, and which type each function
 * (imported ones first) has. Modules using GC type definitions are not described.
 */
import { SectionId, sectionReader, type Section } from './bytes.ts';
import { importEntries } from './module-layout.ts';
import { skipValueType } from './instructions.ts';

export interface FunctionType {
  params: number[];
  results: number[];
}

export interface FunctionTypes {
  types: FunctionType[];
  /** Type index of every function, imported ones first. */
  functions: number[];
  importedFunctions: number;
}

function readValueTypes(r: ReturnType<typeof sectionReader>): number[] {
  const types: number[] = [];
  for (let n = r.u32(); n > 0; n--) {
    types.push(r.bytes[r.at]!);
    skipValueType(r);
  }
  return types;
}

/** The module's function signatures; undefined when its types are not plain function types. */
export function readFunctionTypes(bytes: Uint8Array, sections: readonly Section[]): FunctionTypes | undefined {
  const result: FunctionTypes = { types: [], functions: [], importedFunctions: 0 };
  for (const s of sections) {
    const r = sectionReader(bytes, s);
    if (s.id === SectionId.type) {
      for (let n = r.u32(); n > 0; n--) {
        if (r.byte() !== 0x60) return undefined;
        result.types.push({ params: readValueTypes(r), results: readValueTypes(r) });
      }
    } else if (s.id === SectionId.import) {
      for (const { type } of importEntries(r)) {
        if (type === undefined) continue;
        result.functions.push(type);
        result.importedFunctions++;
      }
    } else if (s.id === SectionId.function) {
      for (let n = r.u32(); n > 0; n--) result.functions.push(r.u32());
    }
  }
  return result;
}
