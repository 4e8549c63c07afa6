/**
 * A rebuild that makes only a snapshot, from a bundle: its code initialised on the spliced
 * engine of its world, prepared ahead, and the state read as a snapshot of that world's
 * prepared engine. No splice, no WASI stubbing, no component, no jco.
 */
import type { EngineSnapshot } from '../component/engine-snapshot.ts';
import type { FileBundle } from './bundle-files.ts';
import { atUserSource } from './component-input.ts';
import type { JsComponentInput } from './componentize.ts';
import { engineSnapshotOf } from './engine-snapshot-of.ts';
import { featuresFor, initializeState, type Spliced } from './js-engine-init.ts';

/** A world prepared ahead: its spliced engine (compiled for pre-initialisation) and the prepared engine its snapshots apply to. */
export interface PreparedWorldEngine {
  spliced: Spliced;
  /** Digest of the prepared engine module. */
  engineDigest: string;
  /** Fuel the engine was prepared with: a fresh snapshot starts its fuel global full. */
  fuel: bigint;
}

/**
 * The snapshot of `input` (bundled as `bundle`) on `world`'s engine; an exception while
 * initialising points at the user's line. `onOutput`: as for initializeState.
 */
export async function snapshotOfBundle(bundle: FileBundle, input: JsComponentInput, world: PreparedWorldEngine, onOutput?: (stdout: string) => void): Promise<EngineSnapshot> {
  try {
    const state = await initializeState(world.spliced, input.code, featuresFor(input.code), { onOutput });
    return engineSnapshotOf(world.spliced.module.layout, state, world.engineDigest, world.fuel);
  } catch (err) {
    throw atUserSource(err, bundle);
  }
}
