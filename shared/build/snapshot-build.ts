/**
 * A rebuild that makes only a snapshot. Once a world's engine is known (its digest, from any
 * full build of that world), an edited source needs only to be initialised in the spliced
 * engine and its state read: no WASI stubbing, no component, no jco transpile, no new engine.
 */
import { defaultFuel } from '../component/prepare.ts';
import type { EngineSnapshot } from '../component/engine-snapshot.ts';
import { featuresFor, initializeState, splice, type JsComponentInput, type JsToolchain } from './componentize.ts';
import { witAsOneText } from './wit-text.ts';
import { engineSnapshotOf } from './engine-snapshot-of.ts';

export { engineSnapshotOf } from './engine-snapshot-of.ts';

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
