/**
 * An initialised engine's state as a snapshot of the prepared engine: what a rebuild that
 * makes only a snapshot hands on, in Node and in the browser alike.
 */
import { snapshotPageBytes, type EngineSnapshot, type SnapshotGlobal } from '../component/engine-snapshot.ts';
import { ValueType, type ModuleLayout } from '../wasm/module-layout.ts';
import { WASM_PAGE, type Snapshot } from './snapshot-module.ts';

/**
 * The snapshot a full build would split off: memory as the pre-initialised module starts it
 * (its minimum raised to the captured size), the captured mutable globals, and the fuel global
 * preparation appends after them, full.
 */
export function engineSnapshotOf(layout: ModuleLayout, state: Snapshot, engineDigest: string, fuel: bigint): EngineSnapshot {
  const globals: SnapshotGlobal[] = layout.globals
    .filter((g) => g.mutable)
    .map((g) => ({ index: g.index, valueType: g.valueType, value: state.globals.get(g.index) as number | bigint }));
  globals.push({ index: layout.importedGlobals + layout.globals.length, valueType: ValueType.i64, value: fuel });
  const memoryPages = Math.max(layout.memories[0]?.min ?? 0, state.memory.length / WASM_PAGE);
  return { engineDigest, memoryPages, globals, pages: nonZeroPages(state.memory) };
}

/** Views into `memory` (a copy captured for this snapshot), not copies: a page pool copies what it keeps. */
function nonZeroPages(memory: Uint8Array): Map<number, Uint8Array> {
  const pages = new Map<number, Uint8Array>();
  const words = new Uint32Array(memory.buffer, memory.byteOffset, memory.length >> 2);
  const perPage = snapshotPageBytes / 4;
  for (let page = 0; page * perPage < words.length; page++) {
    for (let w = page * perPage; w < (page + 1) * perPage; w++) {
      if (words[w] !== 0) {
        pages.set(page, memory.subarray(page * snapshotPageBytes, (page + 1) * snapshotPageBytes));
        break;
      }
    }
  }
  return pages;
}
