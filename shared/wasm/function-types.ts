/**
 * The signatures of a module's functions: its function types, and which type each function
 * (imported ones first) has. Modules using GC type definitions are not described.
 */
import { SectionId, sectionReader, type Section } from './bytes.ts';
import { ExternKind } from './module-layout.ts';
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
      for (let n = r.u32(); n > 0; n--) {
        r.name();
        r.name();
        const kind = r.byte();
        if (kind === ExternKind.func) {
          result.functions.push(r.u32());
          result.importedFunctions++;
        } else if (kind === ExternKind.table) {
          skipValueType(r);
          r.skipLimits();
        } else if (kind === ExternKind.memory) r.skipLimits();
        else if (kind === ExternKind.global) {
          skipValueType(r);
          r.byte();
        } else if (kind === ExternKind.tag) {
          r.byte();
          r.u32();
        } else return undefined;
      }
    } else if (s.id === SectionId.function) {
      for (let n = r.u32(); n > 0; n--) result.functions.push(r.u32());
    }
  }
  return result;
}
