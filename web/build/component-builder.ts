/**
 * The page's side of the build worker: `buildComponent` sends an app's sources to the worker
 * (created on first use, kept for the page's life) and resolves with the transpiled component,
 * or rejects with a BuildFailure that carries diagnostics at the user's lines;
 * `transpileInWorker` has a component the user brought transpiled there.
 */
import workerUrl from './build-worker.ts?worker&url';
import type { Diagnostic } from '../../shared/errors.ts';
import { startModuleWorker } from '../module-worker.ts';
import type { BuildPhase, BuildSources, BuiltOutput, FromWorker, ToWorker, TranspiledOutput } from './build-protocol.ts';

export class BuildFailure extends Error {
  readonly diagnostics: Diagnostic[];
  /** What the code's top level printed before it failed. */
  readonly initOutput: string;
  constructor(message: string, diagnostics: Diagnostic[], initOutput = '') {
    super(message);
    this.name = 'BuildFailure';
    this.diagnostics = diagnostics;
    this.initOutput = initOutput;
  }
}

/** The worker's last word on a request. */
type Outcome = Extract<FromWorker, { type: 'done' | 'transpiled' | 'failed' }>;

interface Pending {
  settle: (outcome: Outcome) => void;
  reject: (err: Error) => void;
  onPhase: (phase: BuildPhase) => void;
  request: ToWorker & { id: number };
  /** Sent again to a new worker after its first worker's toolchain trapped. */
  retried: boolean;
}

/**
 * What names the build worker's own code and toolchain: vite names its file by a hash of its
 * content (toolchain URLs included), so two builds of the same sources by the same worker give
 * the same component, and a new playground release never reuses an older one's builds.
 */
export const builderId: string = workerUrl;

let worker: Worker | undefined;
const pending = new Map<number, Pending>();
let nextId = 1;
/** The playground that serves this script (the embed may run on another origin): its toolchain and `__twirl/npm/`. */
const base = (): string => new URL(import.meta.env.BASE_URL, import.meta.url).href;

function buildWorker(): Worker {
  if (worker) return worker;
  const created = startModuleWorker(workerUrl, import.meta.url, 'twirl-build');
  created.addEventListener('message', (event: MessageEvent<FromWorker>) => receive(event.data));
  created.addEventListener('error', (event) => {
    // A worker that fails to start (or dies) fails every build waiting on it; the next build starts a new one.
    const reason = new Error(`the build worker failed: ${event.message || 'it could not start'}`);
    for (const entry of pending.values()) entry.reject(reason);
    pending.clear();
    if (worker === created) worker = undefined;
    created.terminate();
  });
  worker = created;
  return created;
}

function receive(message: FromWorker): void {
  const entry = pending.get(message.id);
  if (!entry) return;
  if (message.type === 'progress') return entry.onPhase(message.phase);
  // A trap is the toolchain's failure, not the sources': seen intermittently in WebKit, on a
  // first build in a new browser, and gone in a new worker. Every build and transpile waiting
  // on the worker moves to a new one; one that traps there too fails.
  if (message.type === 'failed' && message.trapped && !entry.retried) {
    console.warn(`twirl: the build worker's toolchain failed (${message.message}); ${entry.request.type === 'build' ? 'building' : 'transpiling'} again in a new worker`);
    entry.retried = true;
    replaceWorker();
    return;
  }
  pending.delete(message.id);
  entry.settle(message);
}

/**
 * Starts loading the toolchain (tens of megabytes of Wasm) before the first build needs it,
 * and splicing the engine for the world of `sources` (see WarmRequest).
 */
export function warmBuilder(sources?: BuildSources, world?: string): void {
  buildWorker().postMessage({ type: 'warm', base: base(), ...(sources ? { sources } : {}), ...(world ? { world } : {}) } satisfies ToWorker);
}

export function buildComponent(sources: BuildSources, onPhase: (phase: BuildPhase) => void = () => {}): Promise<BuiltOutput> {
  return send({ type: 'build', id: nextId++, base: base(), ...sources }, onPhase, (outcome) => (outcome.type === 'done' ? outcome.output : undefined));
}

/** A component the user brought, transpiled in the worker: the page stays responsive, and a trap there is retried as a build's. */
export function transpileInWorker(bytes: Uint8Array): Promise<TranspiledOutput> {
  return send({ type: 'transpile', id: nextId++, bytes }, () => {}, (outcome) => (outcome.type === 'transpiled' ? outcome.output : undefined));
}

/** Sends `request` and reads the worker's answer with `read`; a failure rejects with a BuildFailure. */
function send<T>(request: ToWorker & { id: number }, onPhase: (phase: BuildPhase) => void, read: (outcome: Outcome) => T | undefined): Promise<T> {
  return new Promise((resolve, reject) => {
    const settle = (outcome: Outcome) => {
      if (outcome.type === 'failed') return reject(new BuildFailure(outcome.message, outcome.diagnostics, outcome.initOutput));
      const output = read(outcome);
      if (output === undefined) reject(new Error(`the build worker answered a ${request.type} request with ${outcome.type}`));
      else resolve(output);
    };
    pending.set(request.id, { settle, reject, onPhase, request, retried: false });
    buildWorker().postMessage(request);
  });
}

/** Ends the current worker and sends every request still waiting on it (builds and transpiles) to a new one. */
function replaceWorker(): void {
  worker?.terminate();
  worker = undefined;
  for (const entry of pending.values()) buildWorker().postMessage(entry.request);
}
