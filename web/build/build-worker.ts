/**
 * The playground's build worker: JS/TS sources in, a transpiled component out, off the page's
 * thread. Builds run one at a time; the toolchain and the spliced engine of each world stay
 * in memory for the next build.
 */
/// <reference lib="webworker" />
import { buildFromSources, type SourceBuildStep } from '../../shared/build/build-source.ts';
import { SourceError } from '../../shared/build/source-error.ts';
import { transpileComponent } from '../../shared/component/prepare.ts';
import type { BuildPhase, BuildRequest, BuildTimings, FromWorker, ToWorker } from './build-protocol.ts';
import { browserTools } from './browser-toolchain.ts';
import { servedPackages } from './npm-packages.ts';

declare const self: DedicatedWorkerGlobalScope;

const PHASES: Record<SourceBuildStep, BuildPhase> = {
  bundle: 'bundling',
  splice: 'splicing',
  initialize: 'initialising',
  stub: 'assembling',
  component: 'assembling',
};

let queue: Promise<unknown> = Promise.resolve();

self.addEventListener('message', (event: MessageEvent<ToWorker>) => {
  const request = event.data;
  if (request.type === 'warm') {
    void browserTools().catch(() => {});
    return;
  }
  queue = queue.then(() => build(request));
});

async function build(request: BuildRequest): Promise<void> {
  const post = (message: FromWorker, transfer: Transferable[] = []) => self.postMessage(message, transfer);
  const started = performance.now();
  try {
    post({ type: 'progress', id: request.id, phase: 'loading' });
    const tools = await browserTools();
    const loadMs = performance.now() - started;
    const input = {
      files: new Map(Object.entries(request.files)),
      entry: request.entry,
      packages: servedPackages(request.base),
      ...(request.world ? { world: request.world } : {}),
    };
    const built = await buildFromSources(input, tools, (step) => post({ type: 'progress', id: request.id, phase: PHASES[step] }));
    post({ type: 'progress', id: request.id, phase: 'transpiling' });
    const transpileStarted = performance.now();
    const prepared = await transpileComponent(built.component);
    const timings: BuildTimings = {
      load: loadMs,
      bundle: built.bundleMs,
      ...built.timings,
      transpile: performance.now() - transpileStarted,
      total: performance.now() - started,
    };
    const output = { component: built.component, kind: prepared.kind, glue: prepared.glue, modules: prepared.modules, timings };
    // Modules may be views of one buffer: each buffer is transferred once.
    const buffers = new Set<ArrayBufferLike>([built.component.buffer, ...Object.values(prepared.modules).map((m) => m.buffer)]);
    post({ type: 'done', id: request.id, output }, [...buffers] as ArrayBuffer[]);
  } catch (err) {
    const diagnostics = err instanceof SourceError ? err.diagnostics : [];
    post({ type: 'failed', id: request.id, message: err instanceof Error ? err.message : String(err), diagnostics });
  }
}
