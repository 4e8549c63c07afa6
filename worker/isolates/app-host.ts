/**
 * Runs inside an app's own isolate (a deployed app's worker, or a published app's loader
 * isolate): the generated app module plus this host's ports become the engine, created once per
 * isolate and reused by every request.
 */
import { Engine } from '../../shared/engine.ts';
import type { LoadedComponent } from '../../shared/component/instantiate.ts';
import { checkEngine, type EngineSnapshot } from '../../shared/component/engine-snapshot.ts';
import { decodeSnapshot } from '../../shared/component/snapshot-codec.ts';
import type { FileSource, KeyValueBackend, LogLine } from '../../shared/ports.ts';
import type { Limits } from '../../shared/limits.ts';
import type * as AppModule from './app.js';
import { messageOf } from '../../shared/errors.ts';
import { atSource } from '../../shared/build/source-error.ts';
import { SourceMap } from '../../shared/build/source-map.ts';
import type { Lazy } from '../../shared/lazy.ts';
import { PEER_HEADER, peerClientAddr } from './peer-address.ts';
import { afterBody, DRAIN_FACTOR, receiveBody } from '../request-body.ts';

export interface AppHostOptions {
  keyValue: KeyValueBackend;
  /** Values for `[variables]`. */
  variables: Record<string, string>;
  /** Extra environment variables for every component (`twirl up --env`). */
  environment: Record<string, string>;
  limits?: Partial<Limits>;
}

/** A log line as one JSON object: Workers Logs indexes its fields; the local runner routes it to the CLI. */
export function writeLogLine(line: LogLine): void {
  const text = JSON.stringify({ twirl: 'log', ...line });
  if (line.stream === 'stderr') console.error(text);
  else console.log(text);
}

function fileSource(files: typeof AppModule.files): FileSource {
  const byPath = new Map(files.map(([path, bytes]) => [path, new Uint8Array(bytes)]));
  return {
    read: async (path) => byPath.get(path),
    list: async () => [...byPath.keys()],
  };
}

/** Decoded once per isolate; a snapshot made for another engine than the bundled one is refused. */
function snapshotsOf(stored: (typeof AppModule.components)[number]['snapshots'] | undefined): Map<string, EngineSnapshot> {
  const out = new Map<string, EngineSnapshot>();
  for (const [name, s] of Object.entries(stored ?? {})) out.set(name, checkEngine(decodeSnapshot(new Uint8Array(s.snapshot), new Uint8Array(s.pages)), s.engine));
  return out;
}

type ModuleComponent = (typeof AppModule.components)[number];

/**
 * The engine names positions in a JS component's bundle (`bundle.js:5:13`); where the component's
 * build kept its source map, a log line names the app's file instead (`src/greet.js:5:13`).
 */
function atSourceLines(entries: readonly ModuleComponent[]): (line: LogLine) => LogLine {
  const json = new Map(entries.flatMap((c) => (c.sourceMap ? [[c.id, c.sourceMap] as const] : [])));
  // Decoded when a line first needs it: most lines name no position.
  const maps = new Map<string, SourceMap>();
  return (line) => {
    const source = json.get(line.component);
    if (!source || !line.line.includes('bundle.js:')) return line;
    let map = maps.get(line.component);
    if (!map) maps.set(line.component, (map = new SourceMap(source)));
    return { ...line, line: atSource(line.line, map).text };
  };
}

/**
 * The same parts make one loaded component: app.js imports a module once however many
 * components use it, so components made from one .wasm hold the very same glue, modules and
 * snapshot buffers — and then share their instances in the engine.
 */
function loadedComponents(entries: readonly ModuleComponent[]): Map<string, LoadedComponent> {
  const ids = new Map<unknown, number>();
  const idOf = (part: unknown): number => ids.get(part) ?? (ids.set(part, ids.size), ids.size - 1);
  const partsOf = (c: ModuleComponent): string =>
    [c.kind, idOf(c.instantiate), ...Object.entries(c.modules).map(([name, m]) => `${name}=${idOf(m)}`), ...Object.entries(c.snapshots ?? {}).map(([name, s]) => `${name}=${s.engine}:${idOf(s.snapshot)}:${idOf(s.pages)}`)].join(' ');
  const byParts = new Map<string, LoadedComponent>();
  const out = new Map<string, LoadedComponent>();
  for (const c of entries) {
    const parts = partsOf(c);
    let loaded = byParts.get(parts);
    if (!loaded) byParts.set(parts, (loaded = { kind: c.kind, instantiate: c.instantiate, modules: new Map(Object.entries(c.modules)), snapshots: snapshotsOf(c.snapshots) }));
    out.set(c.id, loaded);
  }
  return out;
}

export function createEngine(module: typeof AppModule, options: AppHostOptions): Promise<Engine> {
  const components = loadedComponents(module.components);
  const mapped = atSourceLines(module.components);
  const app = structuredClone(module.app);
  for (const component of Object.values(app.components)) Object.assign(component.environment, options.environment);
  return Engine.create({
    app,
    components,
    keyValue: options.keyValue,
    fetch: (request) => fetch(request),
    files: fileSource(module.files),
    logs: { write: (line) => writeLogLine(mapped(line)) },
    variables: options.variables,
    ...(options.limits ? { limits: options.limits } : {}),
  });
}

/**
 * Serves one request; an app that cannot start (e.g. a required variable without a value) answers
 * 500 with an empty body, as a failing component does, and says why in the logs. The request's
 * body must arrive within the request's deadline (else 408), and is received to its end before
 * the answer completes (request-body.ts). `url`: the URL the app sees, when not the request's.
 */
export async function serve(engine: Lazy<Engine>, request: Request, peerSecret?: string, url?: URL): Promise<Response> {
  // The front's header stays on the request (a copy per request costs), hidden from the component by the engine.
  const clientAddr = peerClientAddr(request, peerSecret);
  let ready: Engine;
  try {
    ready = engine.made() ?? (await whileWaitedOn(engine()));
  } catch (err) {
    console.error(`[twirl] the app cannot start: ${messageOf(err)}`);
    return new Response(null, { status: 500 });
  }
  const { maxRequestBytes, timeoutMs } = ready.limits;
  const body = receiveBody(request, { maxBytes: DRAIN_FACTOR * maxRequestBytes, deadlineMs: timeoutMs });
  const response = await ready.handle(body.request, { clientAddr, hostHeaders, ...(url ? { url } : {}) }).then((r) => afterBody(r, body));
  if (!body.late()) return response;
  // Late before the answer went out (a streamed answer already has): the client is told why.
  body.close();
  await response.body?.cancel();
  console.error(`[twirl] ${request.method} ${(url ?? new URL(request.url)).pathname}: 408, the request body did not arrive within ${timeoutMs / 1000} s`);
  return new Response(null, { status: 408 });
}

/** The front's header is the host's alone, whatever it says: a component never sees it. */
const hostHeaders = [PEER_HEADER];

/**
 * workerd cancels a request as hung when it awaits something no I/O of its own can settle — as
 * a request does that waits for the engine another request is making. A pending timer is I/O it
 * can see, so the request stays alive until the engine is made. Past that, a request that waits
 * (for a pooled instance, say) has its deadline's timer armed (engine.ts), which does the same.
 */
async function whileWaitedOn<T>(pending: Promise<T>): Promise<T> {
  const timer = setInterval(() => {}, 10_000);
  try {
    return await pending;
  } finally {
    clearInterval(timer);
  }
}
