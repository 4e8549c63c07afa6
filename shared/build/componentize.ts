/**
 * componentize-js's pipeline with the TypeScript pre-initializer in place of wizer, on bytes
 * and strings only: splice the world's bindings into the StarlingMonkey engine, initialise it
 * with the bundled source, check the result, stub unused WASI, wrap it as a component.
 * Hosts pass the toolchain in (Node reads it from node_modules, a browser fetches it).
 */
import { componentNew, metadataAdd } from '@bytecodealliance/jco-transpile/wasm-tools';
import { TwirlError, messageOf } from '../errors.ts';
import { PreinitError, REACTOR_INIT, captureInit, compileForPreinit, type PreinitModule } from './preinit.ts';
import { writeSnapshot, type Snapshot } from './snapshot-module.ts';
import { componentWithState } from './snapshot-component.ts';
import { witAsOneText } from './wit-text.ts';

/** The part of componentize-js's splicer (`lib/spidermonkey-embedding-splicer.js`) used here. */
export interface Splicer {
  spliceBindings(engine: Uint8Array, features: Feature[], witWorld: string | undefined, witPath: string | undefined, worldName: string | undefined, debug: boolean): SpliceResult;
  stubWasi(engine: Uint8Array, features: Feature[], witWorld: string | undefined, witPath: string | undefined, worldName: string | undefined): Uint8Array;
}

export type Feature = 'stdio' | 'clocks' | 'random' | 'http' | 'fetch-event';

export interface SpliceResult {
  wasm: Uint8Array;
  jsBindings: string;
  exports: Array<[string, { params: string[]; ret?: string; retptr: boolean; retsize: number; paramptr: boolean }]>;
  imports: Array<[string, string, number]>;
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

const DEFAULT_FEATURES: Feature[] = ['stdio', 'random', 'clocks', 'http', 'fetch-event'];
const SOURCE_FILE = 'bundle.js';
const INITIALIZER_FILE = '/initializer.js';
const INIT_FUNC = 'componentize.wizer';
/** check_init's answers, from StarlingMonkey's componentize runtime. */
const CHECK_INIT_FAILURES: Record<number, string> = {
  1: 'Unable to extract expected exports list',
  2: 'Unable to parse the core ABI export types',
};

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
    const state = await timed('initialize', () => initializeState(spliced, input.code, features));
    return { component: await timed('component', () => componentWithState(reference, state)), timings };
  }
  const initialized = await timed('initialize', () => initialize(spliced, input.code, features));
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

/** A source exporting `incomingHandler` implements wasi:http itself; the fetch event must go. */
export function featuresFor(code: string): Feature[] {
  return exportNames(code).has('incomingHandler') ? DEFAULT_FEATURES.filter((f) => f !== 'fetch-event') : DEFAULT_FEATURES;
}

/**
 * Splicing depends on the world, not on the source, and is the slowest step (seconds): the
 * last few results are kept per toolchain, so a rebuild after an edit skips it.
 */
const spliceCache = new WeakMap<JsToolchain, Map<string, Promise<Spliced>>>();
const SPLICE_CACHE_SIZE = 4;

/** A splice's bindings and its engine module, compiled once for any number of initialisations. */
export interface Spliced {
  result: SpliceResult;
  module: PreinitModule;
}

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
async function initialize(spliced: Spliced, code: string, features: readonly Feature[]): Promise<Uint8Array> {
  const { module } = spliced;
  return writeSnapshot(module.bytes, module.layout, await initializeState(spliced, code, features), new Set([INIT_FUNC, REACTOR_INIT]));
}

/** The engine's memory and globals once initialised with `code` (what `initialize` writes into a module). */
export async function initializeState({ result: spliced, module: engine }: Spliced, code: string, features: readonly Feature[]): Promise<Snapshot> {
  const encoder = new TextEncoder();
  const files = new Map([
    [`/${SOURCE_FILE}`, encoder.encode(code)],
    [INITIALIZER_FILE, encoder.encode(spliced.jsBindings)],
  ]);
  const stdin = encoder.encode(`--initializer-script-path ${INITIALIZER_FILE} --strip-path-prefix / ${SOURCE_FILE}`);
  let status = 0;
  try {
    const { snapshot } = await captureInit(engine, {
      initFunc: INIT_FUNC,
      wasi: { env: initEnv(spliced, features), stdin, files },
      inspect: (exports) => {
        status = (exports.check_init as () => number)();
      },
    });
    if (status !== 0) throw new PreinitError(CHECK_INIT_FAILURES[status] ?? `Unknown error during initialization: ${status}`, '');
    return snapshot;
  } catch (err) {
    if (!(err instanceof PreinitError)) throw err;
    // What the engine printed (the exception, at bundle.js:line:column) is what the user needs.
    const detail = err.stderr.trim() ? cleanStderr(err.stderr.trim()) : err.message;
    throw new TwirlError('componentize-failed', `initialising the component failed:\n${detail}`, { cause: err });
  }
}

/** The environment componentize-js gives wizer: the splice's exports and imports, by index. */
function initEnv(spliced: SpliceResult, features: readonly Feature[]): Record<string, string> {
  const env: Record<string, string> = {
    DEBUG: '',
    SOURCE_NAME: 'source.js',
    EXPORT_CNT: String(spliced.exports.length),
    FEATURE_CLOCKS: features.includes('clocks') ? '1' : '',
  };
  spliced.exports.forEach(([name, fn], i) => {
    env[`EXPORT${i}_NAME`] = name;
    env[`EXPORT${i}_ARGS`] = (fn.paramptr ? '*' : '') + fn.params.join(',');
    env[`EXPORT${i}_RET`] = (fn.retptr ? '*' : '') + (fn.ret ?? '');
    env[`EXPORT${i}_RETSIZE`] = String(fn.retsize);
  });
  spliced.imports.forEach(([, name, argCount], i) => {
    env[`IMPORT${i}_NAME`] = name;
    env[`IMPORT${i}_ARGCNT`] = String(argCount);
  });
  env.IMPORT_CNT = String(spliced.imports.length);
  return env;
}

/** Error lines name the initializer script by its path; the user needs only what went wrong. */
function cleanStderr(text: string): string {
  return text.replaceAll(new RegExp(`${INITIALIZER_FILE.replace('.', '\\.')}[:\\d]* ?`, 'g'), '');
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

/**
 * The names a bundled ES module exports. esbuild writes a bundle's exports as
 * `export { a as b, c }` or as declarations; a scan suffices where a full parse (componentize-js
 * uses a native parser) is not available.
 */
export function exportNames(code: string): Set<string> {
  const names = new Set<string>();
  for (const [, list] of code.matchAll(/(?:^|[;\n])\s*export\s*\{([^}]*)\}/g)) {
    for (const item of list!.split(',')) {
      const name = item.trim().split(/\s+as\s+/).pop()?.replace(/^["']|["']$/g, '');
      if (name) names.add(name);
    }
  }
  for (const [, name] of code.matchAll(/(?:^|[;\n])\s*export\s+(?:async\s+)?(?:function\s*\*?|class|const|let|var)\s*([\w$]+)/g)) names.add(name!);
  return names;
}
