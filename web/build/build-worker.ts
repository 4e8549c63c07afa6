/**
 * The playground's build worker: JS/TS sources in, a component out, off the page's thread.
 * Where the playground prepared the sources' world (served-worlds.ts), the component is a
 * snapshot of that world's engine: bundle, initialise, done. Elsewhere it is built in full and
 * transpiled, the toolchain loaded on first need. Builds run one at a time; the toolchain, the
 * worlds and the spliced engine of each world stay in memory for the next build. Components the
 * user brings are transpiled here too, at once: not behind a warm-up or a build, whose jco calls
 * theirs cannot interleave with (each is one synchronous call).
 */
/// <reference lib="webworker" />
import type { SourceBuildStep } from '../../shared/build/build-source.ts';
import { bundleForComponent, type SourceBuildInput } from '../../shared/build/component-input.ts';
import type { FileBundle } from '../../shared/build/bundle-files.ts';
import type { JsComponentInput } from '../../shared/build/componentize.ts';
import { snapshotOfBundle } from '../../shared/build/snapshot-source.ts';
import { SourceError } from '../../shared/build/source-error.ts';
import { encodeSnapshot } from '../../shared/component/snapshot-codec.ts';
import { hostHasJspi } from '../../shared/host/host-waits.ts';
import { hostHasMultiMemory } from '../../shared/wasm/features.ts';
import { messageOf } from '../../shared/errors.ts';
import { isTrap } from '../../shared/wasm/trap.ts';
import type { BuildPhase, BuildRequest, BuildSources, BuildTimings, BuiltComponentOutput, BuiltSnapshotOutput, FromWorker, ToWorker, TranspileRequest, TranspiledOutput, WarmRequest } from './build-protocol.ts';
import { browserTools, bundleTools } from './browser-toolchain.ts';
import { servedPackages } from './npm-packages.ts';
import { servedWorld, servedWorldOf, type ServedWorld } from './served-worlds.ts';
import { span } from '../timing.ts';
import { sha256Hex } from '../../shared/digest.ts';

declare const self: DedicatedWorkerGlobalScope;

const PHASES: Record<SourceBuildStep, BuildPhase> = {
  bundle: 'bundling',
  splice: 'splicing',
  initialize: 'initialising',
  stub: 'assembling',
  component: 'assembling',
};

/** The preview runs a snapshot of a shared engine with JSPI glue and write tracking (multi-memory); elsewhere builds are whole. */
const snapshotsRun = hostHasJspi() && hostHasMultiMemory();
/** A whole component as this browser's service worker runs it: without JSPI it needs the synchronous glue. */
const forThisBrowser = { syncGlue: !hostHasJspi(), trackWrites: hostHasMultiMemory() };

// A full build's modules are imported when first needed: jco's and the splicer's Wasm are
// fetched as soon as their modules load, and a snapshot build needs none of it.
const fullBuild = () => import('../../shared/build/build-source.ts');
const transpiler = () => import('../../shared/component/prepare.ts');

let queue: Promise<unknown> = Promise.resolve();
/**
 * Why this worker's toolchain can no longer be trusted: a trap stops its Wasm mid-call, and an
 * instance left so may fail or misbuild later. Builds asked of it after that fail at once, as
 * trapped: the page builds them again in a new worker.
 */
let trapped: string | undefined;
/** Builds asked for and not started: a warm-up gives way to them once the engine is spliced. */
let waiting = 0;

self.addEventListener('message', (event: MessageEvent<ToWorker>) => {
  const request = event.data;
  if (request.type === 'warm') {
    queue = queue.then(() => warm(request));
    return;
  }
  if (request.type === 'transpile') return void transpile(request);
  waiting++;
  const asked = performance.now();
  queue = queue.then(() => {
    waiting--;
    span('worker: wait for the queue', asked);
    return build(request);
  });
});

const post = (message: FromWorker, transfer: Transferable[] = []): void => self.postMessage(message, transfer);
const failTrapped = (id: number, message: string): void => post({ type: 'failed', id, message, diagnostics: [], trapped: true });
/** Modules may be views of one buffer: each buffer is transferred once. */
const buffersOf = (...views: Uint8Array[]): ArrayBuffer[] => [...new Set(views.map((v) => v.buffer))] as ArrayBuffer[];

/** Thrown into a warm-up's build to stop it where a waiting build can take over. */
class GiveWay extends Error {}

/**
 * Loads what the sources about to be edited need, so the user's first build runs about as fast
 * as a rebuild: for a prepared world its spliced engine, fetched and compiled; otherwise the whole
 * toolchain, and the sources built once and thrown away (the world's engine spliced, every step
 * warm). A build asked for meanwhile takes over once the engine is spliced.
 */
async function warm(request: WarmRequest): Promise<void> {
  try {
    // The world the sources were built for is most likely the one they will be: fetched alongside esbuild.
    const [bundling] = await Promise.all([bundleTools(), request.world && snapshotsRun ? servedWorldOf(request.base, request.world).catch(() => undefined) : undefined]);
    if (!request.sources) return;
    const input = inputOf(request.sources, request.base);
    const { componentInput } = await bundleForComponent(input, bundling);
    // A prepared world's spliced engine is fetched and compiled now; initialising it is the build's
    // one step, left to the build (one thrown away here would hold up a Run pressed meanwhile).
    if (await worldFor(request.base, componentInput)) return;
    const [{ buildFromSources }, { transpileComponent }, tools] = await Promise.all([fullBuild(), transpiler(), browserTools()]);
    // Splicing is what the waiting build needs too; the steps after it only warm up.
    const giveWay = (step: SourceBuildStep) => {
      if (waiting > 0 && step !== 'bundle' && step !== 'splice') throw new GiveWay();
    };
    const built = await buildFromSources(input, tools, giveWay);
    if (waiting === 0) await transpileComponent(built.component);
  } catch (err) {
    // Warming is a head start, never an error: the build itself reports what is wrong.
    if (isTrap(err)) trapped ??= `warming up the toolchain: ${messageOf(err)}`;
  }
}

function inputOf(sources: BuildSources, base: string): SourceBuildInput {
  return {
    files: new Map(Object.entries(sources.files)),
    entry: sources.entry,
    packages: servedPackages(base),
    ...(sources.world ? { world: sources.world } : {}),
  };
}

/** The prepared world of `input`, where this browser runs snapshots and the playground has it; undefined means a full build. */
async function worldFor(base: string, input: JsComponentInput): Promise<ServedWorld | undefined> {
  if (!snapshotsRun) return undefined;
  try {
    return await servedWorld(base, input);
  } catch (err) {
    // A world that will not load costs speed, not the build; a trap costs the worker (see `trapped`).
    if (isTrap(err)) throw err;
    console.warn(`twirl: building in full: ${messageOf(err)}`);
    return undefined;
  }
}

async function build(request: BuildRequest): Promise<void> {
  let phase: BuildPhase = 'loading';
  const progress = (next: BuildPhase) => post({ type: 'progress', id: request.id, phase: (phase = next) });
  const started = performance.now();
  if (trapped) return failTrapped(request.id, trapped);
  // What the code's top level prints while it is initialised: the page shows it in Logs.
  let printed = '';
  const onOutput = (stdout: string) => (printed += stdout);
  try {
    progress('loading');
    const bundling = await bundleTools();
    const loadMs = performance.now() - started;
    progress('bundling');
    const input = inputOf(request, request.base);
    const { bundle, componentInput } = await bundleForComponent(input, bundling);
    const bundleMs = performance.now() - started - loadMs;
    span('worker: bundle', started + loadMs);
    const world = await worldFor(request.base, componentInput);
    const timings: BuildTimings = { load: loadMs, bundle: bundleMs, world: performance.now() - started - loadMs - bundleMs };
    if (world) {
      progress('initialising');
      const output = await snapshotBuild(bundle, componentInput, world, timings, onOutput);
      output.timings.total = performance.now() - started;
      if (printed) output.initOutput = printed;
      post({ type: 'done', id: request.id, output }, [output.snapshot.buffer, output.pages.buffer] as ArrayBuffer[]);
      return;
    }
    const output = await componentBuild(input, progress, timings, onOutput);
    output.timings.total = performance.now() - started;
    if (printed) output.initOutput = printed;
    post({ type: 'done', id: request.id, output }, buffersOf(output.component, ...Object.values(output.modules)));
  } catch (err) {
    if (isTrap(err)) {
      trapped = `the build stopped while ${phase}: ${messageOf(err)}`;
      return failTrapped(request.id, trapped);
    }
    const diagnostics = err instanceof SourceError ? err.diagnostics : [];
    post({ type: 'failed', id: request.id, message: messageOf(err), diagnostics, ...(printed ? { initOutput: printed } : {}) });
  }
}

/** A component the user brought, transpiled as a full build's is (and so, on a trap, done again in a new worker). */
async function transpile(request: TranspileRequest): Promise<void> {
  if (trapped) return failTrapped(request.id, trapped);
  try {
    const { transpileComponent } = await transpiler();
    const { kind, glue, syncGlue, modules } = await transpileComponent(request.bytes, 'component', forThisBrowser);
    const output: TranspiledOutput = { kind, glue, syncGlue, modules };
    post({ type: 'transpiled', id: request.id, output }, buffersOf(...Object.values(modules)));
  } catch (err) {
    if (isTrap(err)) {
      trapped = `the transpiler stopped: ${messageOf(err)}`;
      return failTrapped(request.id, trapped);
    }
    post({ type: 'failed', id: request.id, message: messageOf(err), diagnostics: [] });
  }
}

async function snapshotBuild(bundle: FileBundle, input: JsComponentInput, world: ServedWorld, timings: BuildTimings, onOutput: (stdout: string) => void): Promise<BuiltSnapshotOutput> {
  const started = performance.now();
  const snapshot = await snapshotOfBundle(bundle, input, world, onOutput);
  span('worker: initialise and read the state', started);
  const encoding = performance.now();
  // The pool starts with the world's base pages: the snapshot keeps only the pages the edit changed.
  const pool = world.basePool.fork();
  const encoded = encodeSnapshot(snapshot, pool);
  const pages = pool.bytes(world.basePool.size);
  const joined = new Uint8Array(encoded.length + pages.length);
  joined.set(encoded);
  joined.set(pages, encoded.length);
  const contentDigest = await sha256Hex(joined);
  span('worker: encode the snapshot', encoding);
  timings.initialize = performance.now() - started;
  return {
    via: 'snapshot',
    kind: world.index.kind,
    world: world.folder,
    engineDigest: world.engineDigest,
    base: world.index.base,
    snapshot: encoded,
    pages,
    contentDigest,
    timings,
    sourceMap: bundle.sourceMap.json,
  };
}

/** The full build, as before snapshots: the toolchain, splice, initialise, stub, wrap, transpile. */
async function componentBuild(input: SourceBuildInput, progress: (phase: BuildPhase) => void, timings: BuildTimings, onOutput: (stdout: string) => void): Promise<BuiltComponentOutput> {
  let started = performance.now();
  const [{ buildFromSources }, { transpileComponent }, tools] = await Promise.all([fullBuild(), transpiler(), browserTools()]);
  timings.load = (timings.load ?? 0) + performance.now() - started;
  const built = await buildFromSources(input, tools, (step) => progress(PHASES[step]), onOutput);
  progress('transpiling');
  started = performance.now();
  const prepared = await transpileComponent(built.component, 'component', forThisBrowser);
  Object.assign(timings, { bundle: built.bundleMs, ...built.timings, transpile: performance.now() - started });
  return { via: 'component', component: built.component, kind: prepared.kind, glue: prepared.glue, syncGlue: prepared.syncGlue, modules: prepared.modules, timings, sourceMap: built.sourceMap };
}
