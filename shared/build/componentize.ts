/**
 * componentize-js's pipeline with the TypeScript pre-initializer in place of wizer, on bytes
 * and strings only: splice the world's bindings into the StarlingMonkey engine, initialise it
 * with the bundled source, check the result, stub unused WASI, wrap it as a component.
 * Hosts pass the toolchain in (Node reads it from node_modules, a browser fetches it).
 */
import { componentNew, metadataAdd } from '@bytecodealliance/jco-transpile/wasm-tools';
import { TwirlError, messageOf } from '../errors.ts';
import { REACTOR_INIT, compileForPreinit } from './preinit.ts';
import { writeSnapshot } from './snapshot-module.ts';
import { INIT_FUNC, featuresFor, initializeState, type Feature, type SpliceResult, type Spliced } from './js-engine-init.ts';
import { componentWithState } from './snapshot-component.ts';
import { witAsOneText } from './wit-text.ts';

export { exportNames, featuresFor, initializeState, type Feature, type SpliceResult, type Spliced } from './js-engine-init.ts';

/** The part of componentize-js's splicer (`lib/spidermonkey-embedding-splicer.js`) used here. */
export interface Splicer {
  spliceBindings(engine: Uint8Array, features: Feature[], witWorld: string | undefined, witPath: string | undefined, worldName: string | undefined, debug: boolean): SpliceResult;
  stubWasi(engine: Uint8Array, features: Feature[], witWorld: string | undefined, witPath: string | undefined, worldName: string | undefined): Uint8Array;
}

export interface JsToolchain {
  /** componentize-js's `lib/starlingmonkey_embedding.wasm`. */
  engine: Uint8Array;
  /** jco's WASI preview1 reactor adapter (`preview1AdapterReactorPath()`). */
  preview1Adapter: Uint8Array;
  splicer: Splicer;
  /** componentize-js's version, recorded in the component's `processed-by` metadata. */
  version: string;
}

export interface JsComponentInput {
  /** The bundled ES module; host interfaces (`fermyon:*`, `wasi:*`) left as imports. */
  code: string;
  /** WIT files by path: one root file holding `world`, dependencies under `deps/`. */
  wit: ReadonlyMap<string, string>;
  world: string;
}

export type BuildStep = 'splice' | 'initialize' | 'stub' | 'component';

export interface BuiltComponent {
  component: Uint8Array;
  /** Milliseconds spent in each step. */
  timings: Record<BuildStep, number>;
}

/**
 * The last component built per world by each toolchain: everything in it but the engine's
 * memory and globals depends on the world alone, so a rebuild of that world only initialises
 * the new source and writes its state in (no WASI stubbing, no component wrapping).
 */
const worldComponents = new WeakMap<JsToolchain, Map<string, Uint8Array>>();

/**
 * Builds a component from a bundle, as componentize-js does, with no native tool.
 * `reuseWorldComponent`: a rebuild of a world built before by `toolchain` is that component with the new state.
 */
export async function componentizeJs(
  input: JsComponentInput,
  toolchain: JsToolchain,
  onProgress: (step: BuildStep) => void = () => {},
  reuseWorldComponent = false,
  onOutput?: (stdout: string) => void,
): Promise<BuiltComponent> {
  const timings: Record<BuildStep, number> = { splice: 0, initialize: 0, stub: 0, component: 0 };
  const timed = async <T>(step: BuildStep, run: () => T | Promise<T>): Promise<T> => {
    onProgress(step);
    const started = performance.now();
    try {
      return await run();
    } finally {
      timings[step] = performance.now() - started;
    }
  };

  const witText = witAsOneText(input.wit);
  const features = featuresFor(input.code);
  const spliced = await timed('splice', () => splice(toolchain, features, witText, input.world));
  const worldKey = `${features.join(',')}\0${input.world}\0${witText}`;
  let kept = worldComponents.get(toolchain);
  if (!kept) worldComponents.set(toolchain, (kept = new Map()));
  const reference = reuseWorldComponent ? kept.get(worldKey) : undefined;
  if (reference) {
    const state = await timed('initialize', () => initializeState(spliced, input.code, features, { onOutput }));
    return { component: await timed('component', () => componentWithState(reference, state)), timings };
  }
  const initialized = await timed('initialize', () => initialize(spliced, input.code, features, onOutput));
  const stubbed = await timed('stub', () => splicerCall(() => toolchain.splicer.stubWasi(initialized, features, witText, undefined, input.world)));
  const component = await timed('component', async () =>
    metadataAdd(await componentNew(stubbed, [['wasi_snapshot_preview1', toolchain.preview1Adapter]]), [
      ['language', [['JavaScript', '']]],
      ['processed-by', [['ComponentizeJS', toolchain.version]]],
    ]),
  );
  if (reuseWorldComponent) {
    if (kept.size >= SPLICE_CACHE_SIZE) kept.delete(kept.keys().next().value!);
    // A copy: hosts may hand the component's buffer on (a worker transfers it to the page).
    kept.set(worldKey, component.slice());
  }
  return { component, timings };
}

/**
 * Splicing depends on the world, not on the source, and is the slowest step (seconds): the
 * last few results are kept per toolchain, so a rebuild after an edit skips it.
 */
const spliceCache = new WeakMap<JsToolchain, Map<string, Promise<Spliced>>>();
const SPLICE_CACHE_SIZE = 4;

export function splice(toolchain: JsToolchain, features: Feature[], witText: string, world: string): Promise<Spliced> {
  let cache = spliceCache.get(toolchain);
  if (!cache) spliceCache.set(toolchain, (cache = new Map()));
  const key = `${features.join(',')}\0${world}\0${witText}`;
  let hit = cache.get(key);
  if (!hit) {
    hit = (async () => {
      const result = splicerCall(() => toolchain.splicer.spliceBindings(toolchain.engine, features, witText, undefined, world, false));
      return { result, module: await compileForPreinit(result.wasm) };
    })();
    if (cache.size >= SPLICE_CACHE_SIZE) cache.delete(cache.keys().next().value!);
    cache.set(key, hit);
    hit.catch(() => cache.delete(key));
  }
  return hit;
}

/** Runs StarlingMonkey's `componentize.wizer` on the source, as componentize-js has wizer do. */
async function initialize(spliced: Spliced, code: string, features: readonly Feature[], onOutput?: (stdout: string) => void): Promise<Uint8Array> {
  const { module } = spliced;
  return writeSnapshot(module.bytes, module.layout, await initializeState(spliced, code, features, { onOutput }), new Set([INIT_FUNC, REACTOR_INIT]));
}

/** The splicer throws its error string (jco's ComponentError puts it in `payload`). */
function splicerCall<T>(call: () => T): T {
  try {
    return call();
  } catch (err) {
    const payload = (err as { payload?: unknown }).payload;
    const message = typeof payload === 'string' ? payload : messageOf(err);
    throw new TwirlError('componentize-failed', `componentize-js failed: ${message}`, { cause: err });
  }
}

