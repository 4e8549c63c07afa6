/**
 * A rebuild that makes only a snapshot. Once a world's engine is known (its digest, from any
 * full build of that world), an edited source needs only to be initialised in the spliced
 * engine and its state read: no WASI stubbing, no component, no jco transpile, no new engine.
 */
import { defaultFuel } from '../component/prepare.ts';
import { snapshotPageBytes, type EngineSnapshot, type SnapshotGlobal } from '../component/engine-snapshot.ts';
import { ValueType, type ModuleLayout } from '../wasm/module-layout.ts';
import { featuresFor, initializeState, splice, type JsComponentInput, type JsToolchain } from './componentize.ts';
import { witAsOneText } from './wit-text.ts';
import { WASM_PAGE, type Snapshot } from './snapshot-module.ts';

export interface SnapshotBuild {
  snapshot: EngineSnapshot;
  /** Milliseconds spent in each step. */
  timings: { splice: number; initialize: number };
}

/** The snapshot of `input` for the engine `engineDigest` of its world (`fuel`: as the engine was prepared with). */
export async function snapshotJs(input: JsComponentInput, toolchain: JsToolchain, engineDigest: string, fuel = defaultFuel): Promise<SnapshotBuild> {
  const features = featuresFor(input.code);
  let started = performance.now();
  const spliced = await splice(toolchain, features, witAsOneText(input.wit), input.world);
  const timings = { splice: performance.now() - started, initialize: 0 };
  started = performance.now();
  const state = await initializeState(spliced, input.code, features);
  const snapshot = engineSnapshotOf(spliced.module.layout, state, engineDigest, fuel);
  timings.initialize = performance.now() - started;
  return { snapshot, timings };
}

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

function nonZeroPages(memory: Uint8Array): Map<number, Uint8Array> {
  const pages = new Map<number, Uint8Array>();
  const words = new Uint32Array(memory.buffer, memory.byteOffset, memory.length >> 2);
  const perPage = snapshotPageBytes / 4;
  for (let page = 0; page * perPage < words.length; page++) {
    for (let w = page * perPage; w < (page + 1) * perPage; w++) {
      if (words[w] !== 0) {
        pages.set(page, memory.slice(page * snapshotPageBytes, (page + 1) * snapshotPageBytes));
        break;
      }
    }
  }
  return pages;
}
