/**
 * Node side of component preparation: transpile once (cached on disk by content digest),
 * import the glue as a module, compile the core modules. A JS engine module is stored once per
 * engine digest (`engines/`) and compiled once per process; each component keeps only its
 * snapshot of it.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { transpileComponent, type ComponentKind, type TranspiledComponent } from '../../shared/component/prepare.ts';
import type { GlueInstantiate, LoadedComponent } from '../../shared/component/instantiate.ts';
import { splitModules } from '../../shared/component/engine-split.ts';
import { PagePool, checkEngine, type EngineSnapshot } from '../../shared/component/engine-snapshot.ts';
import { decodeSnapshot, encodeSnapshot } from '../../shared/component/snapshot-codec.ts';
import { sharedCodeDigest } from './code-digest.ts';
import { ShellIndex, preparationBeside, preparedSnapshot, sameSnapshot, shellOf, type Shell } from './engine-shells.ts';

const cacheRoot = resolve(import.meta.dirname, '../../node_modules/.cache/twirl/prepared');
const enginesDir = join(cacheRoot, 'engines');

export function digestOf(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Preparation output changes with these files (everything preparation imports, relative to
 * `shared/`; a test checks the list against the imports) and jco's version, so they are part of
 * the cache key.
 */
export const preparingFiles = [
  'build/wasi-init.ts',
  'component/async-imports.ts',
  'component/engine-snapshot.ts',
  'component/engine-split.ts',
  'component/errors.ts',
  'component/fuel.ts',
  'component/glue-host-calls.ts',
  'component/glue-rewrite.ts',
  'component/glue-waits.ts',
  'component/prepare.ts',
  'component/rewrite-module.ts',
  'component/snapshot-codec.ts',
  'component/spin1/abi.ts',
  'component/spin1/imports.ts',
  'component/spin1/module.ts',
  'component/spin1/unserved.ts',
  'component/wait-points.ts',
  'component/write-tracking.ts',
  'errors.ts',
  'limits.ts',
  'wasm/bytes.ts',
  'wasm/function-imports.ts',
  'wasm/function-types.ts',
  'wasm/instructions.ts',
  'wasm/module-layout.ts',
];
/** What preparation is: the modules whose imports `preparingFiles` must cover. */
export const preparingEntries = ['component/prepare.ts', 'component/engine-split.ts', 'component/snapshot-codec.ts'];
export const preparationKey = await sharedCodeDigest(preparingFiles, [await packageJsonOf('@bytecodealliance/jco-transpile')]);

/** The package.json of `name` as this module resolves it (hoisted or nested, wherever npm put it). */
async function packageJsonOf(name: string): Promise<string> {
  for (let dir = dirname(fileURLToPath(import.meta.resolve(name))); dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    const found = await readFile(file, 'utf8').then((text) => (JSON.parse(text) as { name?: string }).name === name, () => false);
    if (found) return file;
  }
  throw new Error(`no package.json for ${name}`);
}

/** A prepared component on disk; paths are absolute. */
export interface PreparedOnDisk {
  dir: string;
  kind: ComponentKind;
  glue: string;
  /** Core module name → its file (an engine's is in the shared engines folder). */
  modules: Record<string, string>;
  /** Core module name → engine digest and snapshot files, for modules that are shared engines. */
  engines: Record<string, EngineRef>;
  /** The preparation of another component with this one's shell that this one was made beside, with no transpile. */
  beside?: string;
}

export interface EngineRef {
  digest: string;
  snapshot: string;
  /** The snapshot's pages, back to back. */
  pages: string;
}

/** What `prepared.json` holds: file names relative to the component's folder or the engines folder. */
interface PreparedIndex {
  kind: ComponentKind;
  modules: string[];
  engines: Record<string, string>;
  beside?: string;
}

export interface PrepareMode {
  /** Split JS engines from their snapshots (default), or keep every core module whole as before. */
  split?: boolean;
  /**
   * Mark the pages each request writes, so a reset copies back only those (default). The
   * marking code makes an engine about 45% larger: deploy bundles turn it off when a Worker
   * holding every engine compiled would not fit an isolate's memory.
   */
  trackWrites?: boolean;
}

/** Transpiles into `<cache>/<digest>/` unless already there. */
export async function prepareOnDisk(bytes: Uint8Array, mode: PrepareMode = {}): Promise<PreparedOnDisk> {
  const split = mode.split ?? true;
  const track = mode.trackWrites ?? true;
  const dir = join(cacheRoot, `${digestOf(bytes)}-${preparationKey}${split ? '' : '-whole'}${track ? '' : '-untracked'}`);
  const index = await readPreparedIndex(dir);
  if (index) return onDisk(dir, index);
  if (!split) return onDisk(dir, await prepareInto(dir, bytes, split, track));
  // A JS component whose shell was prepared before needs no transpile, only its snapshot.
  const shell = await shellOf(bytes);
  const shells = new ShellIndex(join(cacheRoot, 'shells'), `${preparationKey}${track ? '' : '-untracked'}`);
  const beside = shell && (await preparedFromShell(shells, shell, dir));
  if (beside) return onDisk(dir, beside);
  const prepared = await prepareInto(dir, bytes, split, track);
  if (shell) await rememberShell(shells, shell, dir, prepared);
  return onDisk(dir, prepared);
}

function readPreparedIndex(dir: string): Promise<PreparedIndex | undefined> {
  return readFile(join(dir, 'prepared.json'), 'utf8').then(
    (text) => JSON.parse(text) as PreparedIndex,
    () => undefined,
  );
}

/** The only engine of a preparation, or undefined where it has none or several. */
function onlyEngine(dir: string, index: PreparedIndex): [string, EngineRef] | undefined {
  const engines = Object.entries(onDisk(dir, index).engines);
  return engines.length === 1 ? engines[0] : undefined;
}

async function preparedFromShell(shells: ShellIndex, shell: Shell, dir: string): Promise<PreparedIndex | undefined> {
  const from = await shells.find(shell, cacheRoot);
  const index = from && (await readPreparedIndex(from));
  const engine = index && onlyEngine(from, index);
  if (!engine) return undefined;
  const [name, ref] = engine;
  const snapshot = preparedSnapshot(shell.raw.snapshot, await readSnapshot(ref));
  const own: PreparedIndex = { kind: index.kind, modules: index.modules, engines: index.engines, beside: basename(from) };
  await preparationBeside(from, dir, [...index.modules, 'component.js'], own, name, snapshot);
  return own;
}

/** Names this preparation for its shell, once its snapshot is known to follow from the component's own split. */
async function rememberShell(shells: ShellIndex, shell: Shell, dir: string, index: PreparedIndex): Promise<void> {
  const engine = onlyEngine(dir, index);
  if (!engine) return;
  const prepared = await readSnapshot(engine[1]);
  if (sameSnapshot(preparedSnapshot(shell.raw.snapshot, prepared), prepared)) await shells.remember(shell, dir);
}

function onDisk(dir: string, index: PreparedIndex): PreparedOnDisk {
  const modules = Object.fromEntries(index.modules.map((name) => [name, join(dir, name)]));
  const engines: Record<string, EngineRef> = {};
  for (const [name, digest] of Object.entries(index.engines)) {
    modules[name] = join(enginesDir, `${digest}.wasm`);
    engines[name] = { digest, snapshot: join(dir, `${name}.snapshot`), pages: join(dir, `${name}.pages`) };
  }
  const prepared: PreparedOnDisk = { dir, kind: index.kind, glue: join(dir, 'component.js'), modules, engines };
  if (index.beside) prepared.beside = join(cacheRoot, index.beside);
  return prepared;
}

/** jco's output for `bytes`: read back from the whole preparation where there is one (transpiling takes seconds). */
async function transpiled(bytes: Uint8Array, track: boolean): Promise<TranspiledComponent> {
  const whole = join(cacheRoot, `${digestOf(bytes)}-${preparationKey}-whole${track ? '' : '-untracked'}`);
  const index = await readFile(join(whole, 'prepared.json'), 'utf8').then(
    (text) => JSON.parse(text) as PreparedIndex,
    () => undefined,
  );
  if (!index) return transpileComponent(bytes, 'component', { trackWrites: track });
  const modules = Object.fromEntries(await Promise.all(index.modules.map(async (name) => [name, new Uint8Array(await readFile(join(whole, name)))] as const)));
  return { kind: index.kind, glue: await readFile(join(whole, 'component.js'), 'utf8'), modules };
}

async function prepareInto(dir: string, bytes: Uint8Array, split: boolean, track: boolean): Promise<PreparedIndex> {
  const prepared = await transpiled(bytes, track);
  const { whole, engines } = split ? await splitModules(prepared.modules) : { whole: prepared.modules, engines: {} };
  for (const { engine, engineDigest } of Object.values(engines)) await storeEngine(engineDigest, engine);
  // Write beside, then rename: another process never sees a half-written folder.
  const staging = `${dir}.${process.pid}.${Date.now()}`;
  await mkdir(staging, { recursive: true });
  await Promise.all(Object.entries(whole).map(([name, b]) => writeFile(join(staging, name), b)));
  for (const [name, { snapshot }] of Object.entries(engines)) {
    const pool = new PagePool();
    await writeFile(join(staging, `${name}.snapshot`), encodeSnapshot(snapshot, pool));
    await writeFile(join(staging, `${name}.pages`), pool.bytes());
  }
  const index: PreparedIndex = {
    kind: prepared.kind,
    modules: Object.keys(whole),
    engines: Object.fromEntries(Object.entries(engines).map(([name, e]) => [name, e.engineDigest])),
  };
  await writeFile(join(staging, 'component.js'), prepared.glue);
  await writeFile(join(staging, 'prepared.json'), JSON.stringify(index));
  await rename(staging, dir).catch(() => rm(staging, { recursive: true, force: true }));
  return index;
}

async function storeEngine(digest: string, engine: Uint8Array): Promise<void> {
  const path = join(enginesDir, `${digest}.wasm`);
  if (await stat(path).catch(() => undefined)) return;
  await mkdir(enginesDir, { recursive: true });
  const staging = `${path}.${process.pid}.${Date.now()}`;
  await writeFile(staging, engine);
  await rename(staging, path);
}

/** Reads a component's snapshot of its engine, refusing one made for another engine. */
export async function readSnapshot(ref: EngineRef): Promise<EngineSnapshot> {
  const [snapshot, pages] = await Promise.all([readFile(ref.snapshot), readFile(ref.pages)]);
  return checkEngine(decodeSnapshot(snapshot, pages), ref.digest);
}

const loaded = new Map<string, Promise<LoadedComponent>>();
/** Compiled modules by file: an engine is compiled once, whichever components use it. */
const compiled = new Map<string, Promise<WebAssembly.Module>>();

export function loadComponent(bytes: Uint8Array, mode: PrepareMode = {}): Promise<LoadedComponent> {
  const key = `${digestOf(bytes)}${mode.split === false ? '-whole' : ''}`;
  let pending = loaded.get(key);
  if (!pending) loaded.set(key, (pending = loadFresh(bytes, mode)));
  return pending;
}

async function loadFresh(bytes: Uint8Array, mode: PrepareMode): Promise<LoadedComponent> {
  const prepared = await prepareOnDisk(bytes, mode);
  const glue = (await import(pathToFileURL(prepared.glue).href)) as { instantiate: GlueInstantiate };
  const modules = new Map(await Promise.all(Object.entries(prepared.modules).map(async ([name, path]) => [name, await compileFile(path)] as const)));
  const snapshots = new Map(await Promise.all(Object.entries(prepared.engines).map(async ([name, ref]) => [name, await readSnapshot(ref)] as const)));
  return { kind: prepared.kind, instantiate: glue.instantiate, modules, snapshots };
}

function compileFile(path: string): Promise<WebAssembly.Module> {
  let module = compiled.get(path);
  if (!module) {
    module = readFile(path).then((b) => WebAssembly.compile(b));
    compiled.set(path, module);
    module.catch(() => compiled.delete(path));
  }
  return module;
}
