/**
 * Runs inside an app's own isolate (a deployed app's worker, or a published app's loader
 * isolate): the generated app module plus this host's ports become the engine, created once per
 * isolate and reused by every request.
 */
import { Engine } from '../../shared/engine.ts';
import type { LoadedComponent } from '../../shared/component/instantiate.ts';
import type { FileSource, KeyValueBackend, LogLine } from '../../shared/ports.ts';
import type { Limits } from '../../shared/limits.ts';
import type * as AppModule from './app.js';

export interface AppHostOptions {
  keyValue: KeyValueBackend;
  /** Values for `[variables]`. */
  variables: Record<string, string>;
  /** Extra environment variables for every component (`twirl up --env`). */
  environment: Record<string, string>;
  limits?: Partial<Limits>;
}

/** Variables from `SPIN_VARIABLE_<NAME>` bindings (Spin's environment provider), as secrets are set with wrangler. */
export function variablesFromBindings(env: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (name.startsWith('SPIN_VARIABLE_') && typeof value === 'string') out[name.slice('SPIN_VARIABLE_'.length).toLowerCase()] = value;
  }
  return out;
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

export function createEngine(module: typeof AppModule, options: AppHostOptions): Promise<Engine> {
  const components = new Map<string, LoadedComponent>(
    module.components.map((c) => [c.id, { kind: c.kind, instantiate: c.instantiate, modules: new Map(Object.entries(c.modules)) }]),
  );
  const app = structuredClone(module.app);
  for (const component of Object.values(app.components)) Object.assign(component.environment, options.environment);
  return Engine.create({
    app,
    components,
    keyValue: options.keyValue,
    fetch: (request) => fetch(request),
    files: fileSource(module.files),
    logs: { write: writeLogLine },
    variables: options.variables,
    ...(options.limits ? { limits: options.limits } : {}),
  });
}

/** `ip:port` of the caller as Spin reports it; workerd gives no port. */
export function clientAddr(request: Request): string {
  return `${request.headers.get('cf-connecting-ip') ?? '127.0.0.1'}:0`;
}

/** One engine per isolate, made on the first request (env is only known then); a failed start is retried by the next request. */
export function lazyEngine(make: () => Promise<Engine>): () => Promise<Engine> {
  let engine: Promise<Engine> | undefined;
  return () => {
    engine ??= make();
    engine.catch(() => (engine = undefined));
    return engine;
  };
}

/** Serves one request; an app that cannot start (e.g. a required variable without a value) answers 500 with an empty body, as a failing component does, and says why in the logs. */
export async function serve(engine: () => Promise<Engine>, request: Request): Promise<Response> {
  let ready: Engine;
  try {
    ready = await engine();
  } catch (err) {
    console.error(`[twirl] the app cannot start: ${err instanceof Error ? err.message : String(err)}`);
    return new Response(null, { status: 500 });
  }
  return whileWaitedOn(ready.handle(request, { clientAddr: clientAddr(request) }));
}

/**
 * workerd cancels a request as hung when it awaits something no I/O of its own can settle — as
 * a request queued for a pooled instance does, freed by another request's work. A pending
 * timer is I/O it can see, so the request stays alive until its response is ready.
 */
async function whileWaitedOn(response: Promise<Response>): Promise<Response> {
  const timer = setInterval(() => {}, 10_000);
  try {
    return await response;
  } finally {
    clearInterval(timer);
  }
}
