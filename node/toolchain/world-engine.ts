/**
 * A world's engine, kept on disk after its first full build: the spliced StarlingMonkey module
 * with its bindings, and that build's component. With them, a rebuild after an edit is bundle +
 * pre-initialise: the new state is written into the kept component's engine module. Splicing
 * takes seconds and must not be paid per edit, nor per process (`twirl build` runs once per edit).
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { JsComponentInput, SpliceResult, Spliced } from '../../shared/build/componentize.ts';
import { compileForPreinit, preinitRunnable } from '../../shared/build/preinit.ts';
import { worldIdentity } from '../../shared/build/world-key.ts';
import { toolchainCacheDir } from './wit-dir.ts';
import { sharedCodeDigest } from '../component/code-digest.ts';

export interface WorldEngine {
  spliced: Spliced;
  /** A component of this world, built in full, whose engine module takes each new state. */
  reference: Uint8Array;
}

type SpliceIndex = Omit<SpliceResult, 'wasm'>;

/** The files of one world's engine: `spliced.wasm`, `splice.json`, `component.wasm`, and `runnable-<key>.wasm` (spliced.wasm as pre-initialisation runs it). */
async function worldDir(key: string): Promise<string> {
  return join(await toolchainCacheDir(), 'worlds', key);
}

/** What the engine of `input`'s world depends on: componentize-js's version, the features, the world and its WIT. */
export function worldKey(input: JsComponentInput, componentizeVersion: string): string {
  return createHash('sha256').update(worldIdentity(input, componentizeVersion)).digest('hex').slice(0, 24);
}

/**
 * The code that turns a spliced engine into what pre-initialisation runs (`preinitRunnable`), and
 * what it imports (relative to `shared/`; a test checks the list against the imports): the kept
 * file is named by it.
 */
export const runnableSources = [
  'build/memory-segments.ts',
  'build/preinit.ts',
  'build/snapshot-module.ts',
  'build/wasi-init.ts',
  'component/async-imports.ts',
  'component/fuel.ts',
  'component/rewrite-module.ts',
  'component/wait-points.ts',
  'errors.ts',
  'limits.ts',
  'wasm/bytes.ts',
  'wasm/function-imports.ts',
  'wasm/function-types.ts',
  'wasm/instructions.ts',
  'wasm/module-layout.ts',
];
let runnableName: Promise<string> | undefined;

/** `runnable-<key>.wasm`: a Twirl whose metering differs makes its own instead of running another's. */
function runnableFile(): Promise<string> {
  runnableName ??= sharedCodeDigest(runnableSources).then((key) => `runnable-${key}.wasm`);
  return runnableName;
}

const loaded = new Map<string, Promise<WorldEngine | undefined>>();

/** The engine kept for `key`, compiled for pre-initialisation once per process; undefined when none is kept. */
export function cachedWorldEngine(key: string): Promise<WorldEngine | undefined> {
  let pending = loaded.get(key);
  if (!pending) {
    pending = readWorldEngine(key);
    loaded.set(key, pending);
    // A miss is asked again: a full build may keep the engine later in this process.
    void pending.then((engine) => engine ?? loaded.delete(key), () => loaded.delete(key));
  }
  return pending;
}

async function readWorldEngine(key: string): Promise<WorldEngine | undefined> {
  const dir = await worldDir(key);
  const runnableName = await runnableFile();
  const files = await Promise.all(['splice.json', 'spliced.wasm', 'component.wasm', runnableName].map((f) => readFile(join(dir, f)).catch(() => undefined)));
  const [index, wasm, reference, runnable] = files;
  if (!index || !wasm || !reference) return undefined;
  const result: SpliceResult = { ...(JSON.parse(index.toString('utf8')) as SpliceIndex), wasm: viewOf(wasm) };
  // An engine kept by another version of Twirl has no runnable of this one: it is made once, and kept.
  const run = runnable ? viewOf(runnable) : preinitRunnable(result.wasm);
  if (!runnable) await keepRunnable(dir, runnableName, run).catch(() => {});
  return { spliced: { result, module: await compileForPreinit(result.wasm, run) }, reference: viewOf(reference) };
}

/** Keeps the engine of a world whose component was just built in full, unless one is kept already. */
export async function keepWorldEngine(key: string, spliced: Spliced, component: Uint8Array): Promise<void> {
  const dir = await worldDir(key);
  if (await stat(join(dir, 'component.wasm')).then(() => true, () => false)) return;
  // Write beside, then rename: a build in another process never reads a half-written engine.
  const staging = `${dir}.${process.pid}.${Date.now()}`;
  await mkdir(staging, { recursive: true });
  const { wasm, ...index } = spliced.result;
  await writeFile(join(staging, 'splice.json'), JSON.stringify(index));
  await writeFile(join(staging, 'spliced.wasm'), wasm);
  await writeFile(join(staging, 'component.wasm'), component);
  await writeFile(join(staging, await runnableFile()), preinitRunnable(wasm));
  await rename(staging, dir).catch(() => rm(staging, { recursive: true, force: true }));
  loaded.set(key, Promise.resolve({ spliced, reference: component }));
}

/** Writes this version's runnable and drops those of other versions (10 MB each). */
async function keepRunnable(dir: string, name: string, bytes: Uint8Array): Promise<void> {
  await writeBeside(join(dir, name), bytes);
  const stale = (await readdir(dir)).filter((f) => /^runnable.*\.wasm$/.test(f) && f !== name);
  await Promise.all(stale.map((f) => rm(join(dir, f), { force: true })));
}

/** Writes a file whole or not at all: another process may be reading the folder. */
async function writeBeside(path: string, bytes: Uint8Array): Promise<void> {
  const staging = `${path}.${process.pid}.${Date.now()}`;
  await writeFile(staging, bytes);
  await rename(staging, path);
}

/** The file's bytes as a plain Uint8Array, not copied: copying megabytes of fresh memory is not free. */
function viewOf(file: Buffer): Uint8Array {
  return new Uint8Array(file.buffer, file.byteOffset, file.byteLength);
}
