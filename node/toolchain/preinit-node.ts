/**
 * Node's side of the TypeScript pre-initializer (`shared/build/`): the toolchain's bytes from
 * node_modules, the WIT dir read into memory, and the choice between it and native wizer.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TwirlError } from '../../shared/errors.ts';
import { componentizeJs, featuresFor, initializeState, splice, type BuildStep, type BuiltComponent, type JsComponentInput, type JsToolchain, type Splicer } from '../../shared/build/componentize.ts';
import { componentWithState } from '../../shared/build/snapshot-component.ts';
import type { Snapshot } from '../../shared/build/snapshot-module.ts';
import { witAsOneText } from '../../shared/build/wit-text.ts';
import type { Bundle } from './bundle.ts';
import { assembleWitDir } from './wit-dir.ts';
import { snapshotJs, type SnapshotBuild } from '../../shared/build/snapshot-build.ts';
import { DETECTED_WORLD, worldForImports } from './world.ts';
import { cachedWorldEngine, keepWorldEngine, worldKey, type WorldEngine } from './world-engine.ts';

/** `native` runs componentize-js with wizer; `ts` runs `shared/build/` in this process. */
export type PreinitMode = 'native' | 'ts';

let toolchain: Promise<JsToolchain> | undefined;

/** The engine, adapter and splicer of the installed componentize-js and jco, loaded once. */
export function nodeJsToolchain(): Promise<JsToolchain> {
  toolchain ??= loadToolchain();
  return toolchain;
}

async function loadToolchain(): Promise<JsToolchain> {
  // componentize-js exports only its main module; its lib/ sits beside src/.
  const main = import.meta.resolve('@bytecodealliance/componentize-js');
  const jcoMain = import.meta.resolve('@bytecodealliance/jco');
  const splicerModule = (await import(new URL('../lib/spidermonkey-embedding-splicer.js', main).href)) as { splicer: Splicer };
  const [engine, preview1Adapter, pkg] = await Promise.all([
    readFile(new URL('../lib/starlingmonkey_embedding.wasm', main)),
    readFile(new URL('../lib/wasi_snapshot_preview1.reactor.wasm', jcoMain)),
    readFile(new URL('../package.json', main), 'utf8'),
  ]);
  return {
    engine: new Uint8Array(engine),
    preview1Adapter: new Uint8Array(preview1Adapter),
    splicer: splicerModule.splicer,
    version: (JSON.parse(pkg) as { version: string }).version,
  };
}

let nativeAvailable: Promise<boolean> | undefined;

/** Whether wizer's native binary is installed for this platform (componentize-js needs it). */
export function nativePreinitAvailable(): Promise<boolean> {
  nativeAvailable ??= findNativeWizer();
  return nativeAvailable;
}

async function findNativeWizer(): Promise<boolean> {
  try {
    // Resolved as componentize-js would resolve it; the package throws where no binary fits the platform.
    const fromComponentize = createRequire(fileURLToPath(import.meta.resolve('@bytecodealliance/componentize-js')));
    const wizer = pathToFileURL(fromComponentize.resolve('@bytecodealliance/wizer')).href;
    const { default: binary } = (await import(wizer)) as { default: string };
    return (await stat(binary)).isFile();
  } catch {
    return false;
  }
}

/**
 * The mode asked for; without one, `ts`: a world's first build is rebuilt on its kept engine by
 * `ts` anyway, and only `ts` stops top-level code that never ends (wizer would run it forever).
 */
export function choosePreinit(requested?: PreinitMode): PreinitMode {
  return requested ?? 'ts';
}

/** Reads `--preinit=<mode>` (or `--preinit <mode>`) out of `argv`; the rest is left as it was. */
export function takePreinitArg(argv: readonly string[]): { preinit?: PreinitMode; rest: string[] } {
  const rest: string[] = [];
  let preinit: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg.startsWith('--preinit=')) preinit = arg.slice('--preinit='.length);
    else if (arg === '--preinit') preinit = argv[++i];
    else rest.push(arg);
  }
  if (preinit !== undefined && preinit !== 'native' && preinit !== 'ts') throw new TwirlError('bad-arguments', `--preinit takes native or ts, not ${preinit}`);
  return preinit === undefined ? { rest } : { preinit, rest };
}

/** Every `.wit` file under `dir`, by path relative to it with `/` separators. */
export async function witDirFiles(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.wit')) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(relative(dir, path).split(sep).join('/'), await readFile(path, 'utf8'));
  }
  return files;
}

/**
 * Builds a bundle as `node/toolchain/componentize.ts` does — against `namedWorld` of Twirl's worlds, or a
 * world of exactly the bundle's host imports — with the TypeScript pre-initializer.
 */
export async function componentizeBundleTs(bundle: Bundle, namedWorld?: string, onProgress?: (step: BuildStep) => void, onOutput?: (stdout: string) => void): Promise<BuiltComponent> {
  const witDir = await assembleWitDir(namedWorld ? '' : worldForImports(bundle.hostImports));
  const [tools, wit] = await Promise.all([nodeJsToolchain(), witDirFiles(witDir)]);
  return componentizeJs({ code: bundle.code, wit, world: namedWorld ?? DETECTED_WORLD }, tools, onProgress, false, onOutput);
}

/**
 * Only the snapshot of a bundle for an engine already prepared for its world (`engineDigest`):
 * the rebuild after an edit, with no new component.
 */
export async function snapshotBundleTs(bundle: Bundle, engineDigest: string, namedWorld?: string): Promise<SnapshotBuild> {
  const witDir = await assembleWitDir(namedWorld ? '' : worldForImports(bundle.hostImports));
  const [tools, wit] = await Promise.all([nodeJsToolchain(), witDirFiles(witDir)]);
  return snapshotJs({ code: bundle.code, wit, world: namedWorld ?? DETECTED_WORLD }, tools, engineDigest);
}

/** What componentize-js is given for `bundle`: its code, the WIT of its world, the world's name. */
async function jsInput(bundle: Bundle, namedWorld?: string): Promise<JsComponentInput> {
  const witDir = await assembleWitDir(namedWorld ? '' : worldForImports(bundle.hostImports));
  return { code: bundle.code, wit: await witDirFiles(witDir), world: namedWorld ?? DETECTED_WORLD };
}

let version: Promise<string> | undefined;

/** componentize-js's version, read without loading its toolchain. */
function componentizeVersion(): Promise<string> {
  version ??= readFile(new URL('../package.json', import.meta.resolve('@bytecodealliance/componentize-js')), 'utf8').then(
    (text) => (JSON.parse(text) as { version: string }).version,
  );
  return version;
}

/**
 * The component of `bundle` made from its world's kept engine — pre-initialise, then write the
 * state into the kept component — or undefined when no engine is kept for its world yet.
 */
export async function rebuildFromWorldEngine(bundle: Bundle, namedWorld?: string, onOutput?: (stdout: string) => void): Promise<Uint8Array | undefined> {
  const initialised = await initialiseOnKeptEngine(bundle, namedWorld, onOutput);
  return initialised && componentWithState(initialised.engine.reference, initialised.state);
}

/** `bundle` initialised on its world's kept engine, or undefined when none is kept. */
async function initialiseOnKeptEngine(bundle: Bundle, namedWorld?: string, onOutput?: (stdout: string) => void): Promise<{ engine: WorldEngine; state: Snapshot } | undefined> {
  const input = await jsInput(bundle, namedWorld);
  const engine = await cachedWorldEngine(worldKey(input, await componentizeVersion()));
  if (!engine) return undefined;
  return { engine, state: await initializeState(engine.spliced, input.code, featuresFor(input.code), { onOutput }) };
}

/**
 * Reads and compiles the kept engine of `bundle`'s world and runs one initialisation, discarded,
 * so that the next rebuild in this process starts warm: the engine's functions that
 * initialisation runs are compiled once per module. `twirl watch` calls it while the user edits.
 */
export async function warmWorldEngine(bundle: Bundle, namedWorld?: string): Promise<void> {
  await initialiseOnKeptEngine(bundle, namedWorld);
}

/** Keeps the engine of `bundle`'s world, with `component` (its full build), for the rebuilds after it. */
export async function keepEngineOf(bundle: Bundle, component: Uint8Array, namedWorld?: string): Promise<void> {
  const input = await jsInput(bundle, namedWorld);
  const key = worldKey(input, await componentizeVersion());
  if (await cachedWorldEngine(key)) return;
  const spliced = await splice(await nodeJsToolchain(), featuresFor(input.code), witAsOneText(input.wit), input.world);
  await keepWorldEngine(key, spliced, component);
}

/**
 * The key and kept engine of `bundle`'s world, kept now with `component` (a build of that
 * world) as its reference where none is kept yet.
 */
export async function worldEngineFor(bundle: Bundle, component: Uint8Array, namedWorld?: string): Promise<{ key: string; engine: WorldEngine }> {
  const key = await worldKeyFor(bundle, namedWorld);
  let engine = await cachedWorldEngine(key);
  if (!engine) {
    await keepEngineOf(bundle, component, namedWorld);
    engine = await cachedWorldEngine(key);
  }
  if (!engine) throw new TwirlError('componentize-failed', `the engine of world ${key} could not be kept`);
  return { key, engine };
}

/** The key of `bundle`'s world (shared/build/world-key.ts), as the browser's build computes it too. */
export async function worldKeyFor(bundle: Bundle, namedWorld?: string): Promise<string> {
  return worldKey(await jsInput(bundle, namedWorld), await componentizeVersion());
}
