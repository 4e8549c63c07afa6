/**
 * The playground's build worker: JS/TS sources in, a transpiled component out, off the page's
 * thread. Builds run one at a time; the toolchain and the spliced engine of each world stay
 * in memory for the next build.
 */
/// <reference lib="webworker" />
import { buildFromSources, type SourceBuildInput, type SourceBuildStep } from '../../shared/build/build-source.ts';
import { SourceError } from '../../shared/build/source-error.ts';
import { transpileComponent } from '../../shared/component/prepare.ts';
import { hostHasJspi } from '../../shared/host/host-waits.ts';
import { hostHasMultiMemory } from '../../shared/wasm/features.ts';
import type { BuildPhase, BuildRequest, BuildSources, BuildTimings, FromWorker, ToWorker, WarmRequest } from './build-protocol.ts';
import { browserTools } from './browser-toolchain.ts';
import { servedPackages } from './npm-packages.ts';
import { messageOf } from '../../shared/errors.ts';

declare const self: DedicatedWorkerGlobalScope;

const PHASES: Record<SourceBuildStep, BuildPhase> = {
  bundle: 'bundling',
  splice: 'splicing',
  initialize: 'initialising',
  stub: 'assembling',
  component: 'assembling',
};

let queue: Promise<unknown> = Promise.resolve();
/** Builds asked for and not started: a warm-up gives way to them once the engine is spliced. */
let waiting = 0;

self.addEventListener('message', (event: MessageEvent<ToWorker>) => {
  const request = event.data;
  if (request.type === 'warm') {
    queue = queue.then(() => warm(request));
    return;
  }
  waiting++;
  queue = queue.then(() => {
    waiting--;
    return build(request);
  });
});

/** Thrown into a warm-up's build to stop it where a waiting build can take over. */
class GiveWay extends Error {}

/**
 * Loads the toolchain and, given the sources about to be edited, builds them once and throws
 * the result away: the engine spliced for their world stays in memory, and every step's Wasm
 * gets compiled and optimised, so the user's first build runs about as fast as a rebuild. A
 * build asked for meanwhile takes over once the engine is spliced.
 */
async function warm(request: WarmRequest): Promise<void> {
  try {
    const tools = await browserTools();
    if (!request.sources) return;
    // Splicing is what the waiting build needs too; the steps after it only warm up.
    const giveWay = (step: SourceBuildStep) => {
      if (waiting > 0 && step !== 'bundle' && step !== 'splice') throw new GiveWay();
    };
    const built = await buildFromSources(inputOf(request.sources, request.base), tools, giveWay);
    if (waiting === 0) await transpileComponent(built.component);
  } catch {
    // Warming is a head start, never an error: the build itself reports what is wrong.
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

async function build(request: BuildRequest): Promise<void> {
  const post = (message: FromWorker, transfer: Transferable[] = []) => self.postMessage(message, transfer);
  const started = performance.now();
  try {
    post({ type: 'progress', id: request.id, phase: 'loading' });
    const tools = await browserTools();
    const loadMs = performance.now() - started;
    const built = await buildFromSources(inputOf(request, request.base), tools, (step) => post({ type: 'progress', id: request.id, phase: PHASES[step] }));
    post({ type: 'progress', id: request.id, phase: 'transpiling' });
    const transpileStarted = performance.now();
    const prepared = await transpileComponent(built.component, 'component', { syncGlue: !hostHasJspi(), trackWrites: hostHasMultiMemory() });
    const timings: BuildTimings = {
      load: loadMs,
      bundle: built.bundleMs,
      ...built.timings,
      transpile: performance.now() - transpileStarted,
      total: performance.now() - started,
    };
    const output = { component: built.component, kind: prepared.kind, glue: prepared.glue, syncGlue: prepared.syncGlue, modules: prepared.modules, timings, sourceMap: built.sourceMap };
    // Modules may be views of one buffer: each buffer is transferred once.
    const buffers = new Set<ArrayBufferLike>([built.component.buffer, ...Object.values(prepared.modules).map((m) => m.buffer)]);
    post({ type: 'done', id: request.id, output }, [...buffers] as ArrayBuffer[]);
  } catch (err) {
    const diagnostics = err instanceof SourceError ? err.diagnostics : [];
    post({ type: 'failed', id: request.id, message: messageOf(err), diagnostics });
  }
}
