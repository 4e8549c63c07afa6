/**
 * The engine: an App, its loaded components and the host's ports become one
 * `(Request) => Promise<Response>` that routes as Spin does and runs a fresh instance per request.
 */
import type { App } from './manifest/types.ts';
import type { FileSource, KeyValueBackend, LogSink, OutboundContext, OutboundFetch } from './ports.ts';
import { compileRoutes, type RouteMatch, type Router } from './routing/router.ts';
import { spinHeaders } from './routing/headers.ts';
import { WELL_KNOWN_PREFIX, wellKnownResponse } from './routing/well-known.ts';
import { resolveAppVariables, resolveVariables } from './host/variables.ts';
import { AllowedHosts, SELF_HOST } from './host/allowed-hosts.ts';
import { fetchWithoutRedirects } from './host/outbound-fetch.ts';
import { loadFileTree } from './host/files.ts';
import { LineSplitter } from './host/wasi/cli.ts';
import type { FileTree } from './host/wasi/filesystem.ts';
import type { InstanceContext } from './component/imports.ts';
import type { LoadedComponent } from './component/instantiate.ts';
import { InstancePool, defaultPoolOptions, type Lease, type PoolOptions } from './component/instance-pool.ts';
import { invokeHttp, type InvokeOptions } from './component/invoke.ts';
import { explainUnanswered } from './component/unanswered-fetch-event.ts';
import { isWrapperFrame } from './build/fetch-listener-errors.ts';
import { WriteBehindKeyValue } from './host/key-value-write-behind.ts';
import { ComponentTrap } from './component/errors.ts';
import { RunMeter } from './component/run-meter.ts';
import { TwirlError, messageOf } from './errors.ts';
import { defaultLimits, type Limits } from './limits.ts';
import { timerPerRequest, type Deadlines } from './host/deadlines.ts';

type Trigger = App['triggers'][number];

export interface EngineOptions {
  app: App;
  /** Tags log lines; defaults to the manifest's application name. */
  appName?: string;
  /** Loaded components by component id. */
  components: ReadonlyMap<string, LoadedComponent>;
  keyValue: KeyValueBackend;
  fetch: OutboundFetch;
  files: FileSource;
  logs: LogSink;
  /** Values for `[variables]`, overriding defaults (e.g. `--variable`, or a host's secrets). */
  variables?: Record<string, string>;
  limits?: Partial<Limits>;
  /** How instances are reused between requests (always restored to their state when new). */
  pool?: Partial<PoolOptions>;
  /** How requests time out: a timer each by default (see deadlines.ts). */
  deadlines?: Deadlines;
}

export interface RequestInfo {
  clientAddr?: string;
  /** Called with the id given to this request, so a host can show its logs. */
  onRequestId?: (id: string) => void;
  /**
   * Request headers (lower-case) meant for the host alone, never shown to the component: a host
   * that would otherwise copy the request to take them off names them here instead.
   */
  hostHeaders?: readonly string[];
  /** The URL the app sees, where the host serves it at another than the request's (a path prefix taken off). */
  url?: URL;
}

/** Per-component state that does not change between requests. */
interface ComponentRuntime {
  id: string;
  pool: InstancePool;
  kind: LoadedComponent['kind'];
  variables: Record<string, string>;
  allowedHosts: AllowedHosts;
  files: FileTree;
  environment: Array<[string, string]>;
  keyValueStores: readonly string[];
  /** Runs with glue that cannot wait on the host: what it reads is read before it starts. */
  sync: boolean;
}

export class Engine {
  readonly app: App;
  readonly appName: string;
  readonly router: Router<Trigger>;
  readonly limits: Limits;
  readonly #options: EngineOptions;
  readonly #runtimes: Map<string, ComponentRuntime>;
  /**
   * Key-value data in memory, written behind to the host's backend, where a component cannot wait
   * on the host; then every component of the app uses it, so all see the same data.
   */
  readonly #writeBehind: WriteBehindKeyValue | undefined;
  /** Request ids are this engine's own random prefix and a count: unique across engines, without a random draw per request. */
  readonly #idPrefix = crypto.randomUUID();
  #requestCount = 0;

  private constructor(options: EngineOptions, router: Router<Trigger>, runtimes: Map<string, ComponentRuntime>) {
    this.app = options.app;
    this.appName = options.appName ?? options.app.name;
    this.router = router;
    this.limits = { ...defaultLimits, ...options.limits };
    this.#options = options;
    this.#runtimes = runtimes;
    const anySync = [...runtimes.values()].some((r) => r.sync);
    this.#writeBehind = options.keyValue instanceof WriteBehindKeyValue ? options.keyValue : anySync ? new WriteBehindKeyValue(options.keyValue) : undefined;
  }

  static async create(options: EngineOptions): Promise<Engine> {
    const { app } = options;
    const { router, invalid } = compileRoutes(app.triggers, app.basePath);
    if (invalid.length > 0) throw new TwirlError('invalid-route', `invalid route: ${JSON.stringify(invalid[0])}`);
    const runtimes = new Map<string, ComponentRuntime>();
    const appVariables = resolveAppVariables(app, options.variables ?? {});
    const routed = new Set(app.triggers.flatMap((t) => (t.component ? [t.component] : [])));
    const pools = sharedPools([...routed].flatMap((id) => options.components.get(id) ?? []), options.pool);
    for (const id of routed) {
      const config = app.components[id];
      const loaded = options.components.get(id);
      if (!config) throw new TwirlError('missing-component', `a trigger names component "${id}", which the manifest does not define`);
      if (!loaded) throw new TwirlError('component-not-loaded', `component "${id}" was not built or loaded`);
      const variables = resolveVariables(app, id, options.variables ?? {});
      runtimes.set(id, {
        id,
        pool: pools.get(loaded)!,
        kind: loaded.kind,
        variables,
        // Templates in allowed_outbound_hosts name application variables, as in Spin.
        allowedHosts: AllowedHosts.compile(config.allowedOutboundHosts, appVariables),
        files: await loadFileTree(config.files, config.excludeFiles, options.files),
        environment: Object.entries(config.environment),
        keyValueStores: config.keyValueStores,
        sync: loaded.sync === true,
      });
    }
    return new Engine(options, router, runtimes);
  }

  async handle(request: Request, info: RequestInfo = {}): Promise<Response> {
    const url = info.url ?? new URL(request.url);
    if (url.pathname.startsWith(WELL_KNOWN_PREFIX)) return wellKnownResponse(url.pathname.slice(WELL_KNOWN_PREFIX.length), this.app);
    const match = this.router.match(url.pathname);
    if (!match) return new Response(null, { status: 404 });
    const trigger = match.trigger;
    if (trigger.staticResponse) {
      const { status, headers, body } = trigger.staticResponse;
      return new Response(body ?? null, { status, headers });
    }
    const runtime = this.#runtimes.get(trigger.component ?? '');
    if (!runtime) return new Response(null, { status: 500 });
    const length = Number(request.headers.get('content-length') ?? 0);
    if (length > this.limits.maxRequestBytes) return new Response(null, { status: 413 });
    const body = limitBody(request, this.limits.maxRequestBytes);
    const response = await this.#run(runtime, body.request, url, match, info);
    // A body cut off at the limit fails the component's read; the client learns why.
    return body.exceeded() ? new Response(null, { status: 413 }) : response;
  }

  async #run(runtime: ComponentRuntime, request: Request, url: URL, match: RouteMatch<Trigger>, info: RequestInfo): Promise<Response> {
    // Made when first needed: most requests log nothing.
    let requestId: string | undefined;
    const id = (): string => (requestId ??= `${this.#idPrefix}-${++this.#requestCount}`);
    if (info.onRequestId) info.onRequestId(id());
    let saidWhy = false;
    const log = (stream: 'stdout' | 'stderr') => (line: string) => {
      if (runtime.kind === 'wasi-http' && isWrapperFrame(line)) return;
      saidWhy ||= stream === 'stderr';
      this.#options.logs.write({ app: this.appName, component: runtime.id, requestId: id(), stream, line, time: Date.now() });
    };
    const ctx = this.#instanceContext(runtime, log);
    const extraHeaders = spinHeaders(match, { fullUrl: url.href, clientAddr: info.clientAddr ?? '127.0.0.1:0', basePath: this.app.basePath });
    let failureLogged = false;
    const failed = (err: unknown) => {
      // A failure can surface twice (as the response and as the export's end): say it once.
      if (failureLogged) return;
      failureLogged = true;
      log('stderr')(`[twirl] request failed: ${describeFailure(err)}`);
    };
    // Armed when the request first waits (on its body, its stores, an instance, the host): a
    // request answered without waiting cannot be stopped by a timer anyway, and on workerd,
    // where every request has timers of its own, arming one is a noticeable share of its cost.
    const timer = deadline(this.#options.deadlines ?? timerPerRequest, this.limits.timeoutMs);
    ctx.meter.onFirstWait(timer.arm);
    let lease: Lease | undefined;
    try {
      if (runtime.sync && (request.body || runtime.keyValueStores.length > 0)) timer.arm();
      const ahead = runtime.sync ? await this.#readAhead(runtime, request, ctx) : {};
      if (!runtime.pool.ready) timer.arm();
      lease = await runtime.pool.acquire(ctx);
      if (lease.waitsUnseen) timer.arm();
      // Time spent waiting for an instance is not the request's running time.
      ctx.meter.resume();
      const held = lease;
      const call = invokeHttp(runtime.kind, held.exports, request, url, extraHeaders, this.limits, {
        ...ahead,
        waits: ctx.meter,
        ...(info.hostHeaders ? { hostHeaders: info.hostHeaders } : {}),
      });
      call.done
        .then(
          () => held.release(true),
          (err: unknown) => {
            const exhausted = this.#exhausted(held);
            held.release(false);
            failed(exhausted ?? err);
          },
        )
        .finally(() => {
          timer.cancel();
          ctx.stdout.end();
          ctx.stderr.end();
        });
      // A body still streaming at the deadline (a stream that never ends) is cut off there.
      timer.expired.catch((err: unknown) => {
        failed(err);
        call.abort?.(messageOf(err));
        held.release(false);
      });
      const response = await Promise.race([call.response, timer.expired]);
      // Unless the component said why itself (an exception before respondWith, say).
      if (runtime.kind === 'wasi-http') explainUnanswered(response, runtime.id, (hint) => saidWhy || log('stderr')(hint));
      return response;
    } catch (caught) {
      const err = (lease && this.#exhausted(lease)) ?? caught;
      lease?.release(false);
      if (!lease) timer.cancel();
      failed(err);
      return new Response(null, { status: err instanceof ComponentTrap && err.code === 'timeout' ? 504 : 500 });
    }
  }

  /**
   * What a component that cannot wait reads, read before it runs: the request body, and the
   * key-value stores it may open (loaded into memory; its changes are written behind).
   */
  async #readAhead(runtime: ComponentRuntime, request: Request, ctx: InstanceContext): Promise<InvokeOptions> {
    const [body, loaded] = await Promise.all([
      request.body ? request.arrayBuffer().then((b) => new Uint8Array(b)) : undefined,
      this.#writeBehind?.load(runtime.keyValueStores),
    ]);
    ctx.keyValue.loaded = loaded;
    return { sync: true, body };
  }

  /**
   * An allowed outbound request. As in Spin, `self.alt` (the app itself) and
   * `<component>.spin.internal` (service chaining) are served in-process, never over the network.
   */
  #outbound(request: Request, context: OutboundContext): Promise<Response> {
    const url = new URL(request.url);
    const host = url.hostname.toLowerCase();
    if (host === SELF_HOST) return this.handle(request, { clientAddr: CHAINED_CLIENT_ADDR });
    const chained = chainingTarget(host);
    if (chained === undefined) return fetchWithoutRedirects(this.#options.fetch, request, context);
    const runtime = this.#runtimes.get(chained);
    if (!runtime) return Promise.reject({ errorCode: { tag: 'destination-not-found' } });
    return this.#run(runtime, request, url, chainedMatch(runtime.id, url.pathname), { clientAddr: CHAINED_CLIENT_ADDR });
  }

  /** Why a request was stopped for its CPU budget, naming the limit it reached; undefined when it was not. */
  #exhausted(lease: Lease): ComponentTrap | undefined {
    const reason = lease.stopped();
    if (reason === undefined || reason instanceof ComponentTrap) return reason;
    const limit = reason === 'host-calls' ? `${this.limits.maxHostCalls} calls to the host` : `${this.limits.fuel} loop iterations`;
    return new ComponentTrap(`the request used up its CPU budget (${limit}; a loop that never ends?) and was stopped`, { code: 'timeout' });
  }

  /** What the instance's imports see for this request: its logs, files, variables, stores, network. */
  #instanceContext(runtime: ComponentRuntime, log: (stream: 'stdout' | 'stderr') => (line: string) => void): InstanceContext {
    return {
      component: runtime.id,
      stdout: new LineSplitter(log('stdout')),
      stderr: new LineSplitter(log('stderr')),
      environment: runtime.environment,
      files: runtime.files,
      variables: runtime.variables,
      keyValue: {
        backend: this.#writeBehind ?? this.#options.keyValue,
        allowed: runtime.keyValueStores,
        limits: this.limits,
        denied: (label) =>
          log('stderr')(`[twirl] key-value store "${label}": access-denied (add it to key_value_stores of component ${runtime.id})`),
      },
      meter: new RunMeter(this.limits.cpuMs),
      fuel: BigInt(this.limits.fuel),
      maxHostCalls: this.limits.maxHostCalls,
      outbound: {
        fetch: (request) => this.#outbound(request, { allowedHosts: runtime.allowedHosts.patterns.map((p) => p.original), log: log('stderr') }),
        allows: (target) => runtime.allowedHosts.allows(target),
        denied: (target) =>
          log('stderr')(`[twirl] component ${runtime.id}: outbound request to ${target} denied: not in allowed_outbound_hosts (add "${allowedHostEntry(target)}" to allowed_outbound_hosts of component ${runtime.id})`),
      },
    };
  }
}

/** The `allowed_outbound_hosts` entry that would allow `target` (a URL): its scheme, host and port. */
function allowedHostEntry(target: string): string {
  try {
    const url = new URL(target);
    return `${url.protocol}//${url.host}`;
  } catch {
    return target;
  }
}

/** The client address Spin gives an in-process request (`self.alt` or service chaining). */
const CHAINED_CLIENT_ADDR = '0.0.0.0:0';

/** `<component>` for a `<component>.spin.internal` host, undefined for any other. */
function chainingTarget(host: string): string | undefined {
  const suffix = '.spin.internal';
  if (!host.endsWith(suffix)) return undefined;
  const id = host.slice(0, -suffix.length);
  return id === '' || id.includes('.') ? undefined : id;
}

/** Spin's synthetic match for a chained request: the whole path is the path info of a `/...` route. */
function chainedMatch(component: string, path: string): RouteMatch<Trigger> {
  return {
    trigger: { index: -1, route: { path: '/...' }, component },
    rawRoute: '/...',
    componentRoute: '',
    matchedRoute: '/...',
    pathInfo: path,
    params: {},
  };
}

/**
 * One instance pool per loaded component, shared by every component made from it (routes whose
 * components name one .wasm): an instance holds nothing of a component's own — its variables,
 * files, environment, stores and allowed hosts reach it with each request — and is restored as
 * new after each, so one warm instance (and its memory image) serves them all. The pool may hold
 * as many instances at once as the components would have held apart.
 */
function sharedPools(loaded: LoadedComponent[], options: Partial<PoolOptions> | undefined): Map<LoadedComponent, InstancePool> {
  const users = new Map<LoadedComponent, number>();
  for (const component of loaded) users.set(component, (users.get(component) ?? 0) + 1);
  const perComponent = options?.maxInstances ?? defaultPoolOptions.maxInstances;
  return new Map([...users].map(([component, n]) => [component, new InstancePool(component, { ...options, maxInstances: perComponent * n })]));
}

/** Once armed, rejects with a `timeout` trap `ms` after it was made, unless cancelled. */
function deadline(deadlines: Deadlines, ms: number): { expired: Promise<never>; arm(): void; cancel(): void } {
  const startedAt = Date.now();
  let reject!: (err: ComponentTrap) => void;
  const expired = new Promise<never>((_, r) => (reject = r));
  expired.catch(() => {});
  let state: 'idle' | (() => void) | 'over' = 'idle';
  return {
    expired,
    arm: () => {
      if (state !== 'idle') return;
      const left = Math.max(0, ms - (Date.now() - startedAt));
      state = deadlines.start(left, () => reject(new ComponentTrap(`the request took longer than ${ms / 1000} s`, { code: 'timeout' })));
    },
    cancel: () => {
      if (typeof state === 'function') state();
      state = 'over';
    },
  };
}

/** The request with a body that errors once it passes `max` bytes. */
function limitBody(request: Request, max: number): { request: Request; exceeded: () => boolean } {
  let seen = 0;
  const exceeded = () => seen > max;
  if (!request.body) return { request, exceeded };
  const counted = request.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.length;
        if (seen > max) controller.error(new ComponentTrap(`request body larger than ${max} bytes`, { code: 'request-too-large' }));
        else controller.enqueue(chunk);
      },
    }),
  );
  return { request: new Request(request, { body: counted, duplex: 'half' } as RequestInit), exceeded };
}

function describeFailure(err: unknown): string {
  if (err instanceof TwirlError) return err.message;
  if (err instanceof WebAssembly.RuntimeError) return `the component trapped: ${err.message}`;
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}
