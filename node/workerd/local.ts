/**
 * Local run (Node): Twirl's workers on workerd through miniflare's API, with key-value data and
 * published apps persisted under `persistDir`. With `appDir`, that app is served at `/` as it
 * would be deployed; without, the platform worker (playground + API). `twirl up`, `twirl start`
 * and `npm start` call this.
 */
import { join, resolve } from 'node:path';
import { Miniflare, type MiniflareOptions, type WorkerOptions } from 'miniflare';
import type { LogSink } from '../../shared/ports.ts';
import type { Limits } from '../../shared/limits.ts';
import { environmentNameOf } from '../../shared/host/variables.ts';
import { COMPATIBILITY_DATE, COMPATIBILITY_FLAGS } from '../../worker/compatibility.ts';
import { storeObjectName } from '../../worker/key-value-names.ts';
import { bundleModules } from './miniflare-modules.ts';
import { cachedBundle } from './bundle-cache.ts';
import { platformWorkerOptions } from './local-platform.ts';
import { logHandler } from './local-logs.ts';
import { watchOrphans } from './orphan-watchdog.ts';
import { peerSecret, startPeerProxy, type PeerProxy } from './peer-proxy.ts';

export interface LocalWorkerOptions {
  /** The app to serve at `/`; without it, the platform worker is served there instead. */
  appDir?: string;
  /** Default: `<appDir>/spin.toml`. */
  manifestPath?: string;
  /** Default 3000; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Durable Object (key-value) and R2 (published apps) data, and the app's bundle (reused while the app and worker code are unchanged). */
  persistDir: string;
  /** Values for the app's `[variables]`. */
  variables?: Record<string, string>;
  /** Environment variables added to every component. */
  environment?: Record<string, string>;
  /** Keys set in the app's `default` store before it serves (values as UTF-8). */
  keyValues?: Record<string, string>;
  /** Per-request budgets for the app's engine (e.g. `twirl up --fuel`). */
  limits?: Partial<Limits>;
  /** Where component output goes; by default, the terminal. */
  logs?: LogSink;
  /** Variables of the platform worker (e.g. `TWIRL_LIMITS`, `MAX_ARCHIVE_BYTES`), as wrangler vars set them. */
  platformVars?: Record<string, string>;
  /** With `appDir`: also serve the platform worker (playground and API) here. */
  playground?: PlaygroundListen;
  /** Open workerd's inspector (Chrome DevTools protocol) on this port, 0 for any free one: for profiles. */
  inspectorPort?: number;
}

export interface PlaygroundListen {
  /** Default: the app's host. */
  host?: string;
  /** 0 picks a free port. */
  port: number;
  /** The built playground (`vite build` of web/); default `dist/web` of this repo. */
  assetsDir?: string;
}

export interface LocalWorker {
  url: string;
  /** Where workerd itself listens, behind the local front (peer-proxy.ts) at `url`. */
  workerdUrl: string;
  /** Where the platform worker answers, when it runs beside an app. */
  playgroundUrl?: string;
  /** workerd's inspector, when `inspectorPort` was given: `/json` lists its workers (the app's is `core:user:app`). */
  inspectorUrl?: string;
  stop(): Promise<void>;
}

/** Where the apps' key-value stores (Durable Objects) keep their data under `persistDir`. */
export const keyValueDir = (persistDir: string): string => join(resolve(persistDir), 'key-value');

function sharedOptions(options: LocalWorkerOptions, port: number, host = options.host): Partial<MiniflareOptions> {
  const persistDir = resolve(options.persistDir);
  return {
    host: host ?? '127.0.0.1',
    port,
    durableObjectsPersist: keyValueDir(persistDir),
    r2Persist: join(persistDir, 'published'),
    structuredWorkerdLogs: true,
    handleStructuredLogs: logHandler(options.logs),
    ...(options.inspectorPort === undefined ? {} : { inspectorPort: options.inspectorPort }),
  };
}

export async function startLocalWorker(options: LocalWorkerOptions): Promise<LocalWorker> {
  const port = options.port ?? 3000;
  const secret = peerSecret();
  if (!options.appDir) {
    const platform = await startPlatform(options, secret, options.host, port);
    const watchdog = await watchOrphans([platform.workerdUrl]);
    return { url: platform.url, workerdUrl: platform.workerdUrl, ...inspected(platform.inspectorUrl), stop: () => (watchdog.stop(), platform.stop()) };
  }
  const { worker, appName } = await appWorker(options, secret);
  // workerd listens on loopback only; clients reach it through the front that tells it their port.
  const app = new Miniflare({ ...sharedOptions(options, 0, '127.0.0.1'), ...worker } as MiniflareOptions);
  let playground: FrontedPlatform | undefined;
  let front: PeerProxy | undefined;
  try {
    const workerdUrl = await app.ready;
    await seedKeyValues(app, appName, options.keyValues ?? {});
    front = await startPeerProxy(options.host ?? '127.0.0.1', port, workerdUrl, secret);
    const url = new URL(front.url);
    const stopApp = () => Promise.all([front!.close(), app.dispose()]).then(() => {});
    if (options.playground) {
      const { host, port: playgroundPort, assetsDir } = options.playground;
      playground = await startPlatform(options, secret, host ?? options.host, playgroundPort, assetsDir);
      const watchdog = await watchOrphans([workerdUrl.href, playground.workerdUrl]);
      return { url: url.href, workerdUrl: workerdUrl.href, playgroundUrl: playground.url, stop: () => (watchdog.stop(), Promise.all([stopApp(), playground!.stop()]).then(() => {})) };
    }
    const watchdog = await watchOrphans([workerdUrl.href]);
    const inspectorUrl = options.inspectorPort === undefined ? undefined : (await app.getInspectorURL()).href;
    return { url: url.href, workerdUrl: workerdUrl.href, ...inspected(inspectorUrl), stop: () => (watchdog.stop(), stopApp()) };
  } catch (err) {
    await Promise.allSettled([app.dispose(), playground?.stop(), front?.close()]);
    throw err;
  }
}

interface FrontedPlatform {
  /** Where clients reach it: the front. */
  url: string;
  workerdUrl: string;
  inspectorUrl?: string;
  stop(): Promise<void>;
}

const inspected = (inspectorUrl: string | undefined): { inspectorUrl?: string } => (inspectorUrl === undefined ? {} : { inspectorUrl });

/**
 * The platform worker (playground, API, published apps) on loopback behind a front of its own: it
 * keeps kept-alive clients' connections through workerd's idle close, and tells published apps
 * their clients' ports (`spin-client-addr`).
 */
async function startPlatform(options: LocalWorkerOptions, secret: string, host: string | undefined, port: number, assetsDir?: string): Promise<FrontedPlatform> {
  const platform = new Miniflare({
    ...sharedOptions(options, 0, '127.0.0.1'),
    ...(await platformWorkerOptions({ ...options.platformVars, TWIRL_PEER_SECRET: secret }, assetsDir)),
  } as MiniflareOptions);
  let front: PeerProxy | undefined;
  try {
    const workerdUrl = await platform.ready;
    front = await startPeerProxy(host ?? '127.0.0.1', port, workerdUrl, secret);
    const inspectorUrl = options.inspectorPort === undefined ? undefined : (await platform.getInspectorURL()).href;
    return { url: front.url, workerdUrl: workerdUrl.href, ...inspected(inspectorUrl), stop: () => Promise.all([front!.close(), platform.dispose()]).then(() => {}) };
  } catch (err) {
    await Promise.allSettled([platform.dispose(), front?.close()]);
    throw err;
  }
}

const APP_WORKER = 'app';

async function appWorker(options: LocalWorkerOptions, peerSecret: string): Promise<{ worker: WorkerOptions & { name: string }; appName: string }> {
  const appDir = resolve(options.appDir!);
  const bundle = await cachedBundle({
    appDir,
    manifestPath: resolve(options.manifestPath ?? join(appDir, 'spin.toml')),
    outDir: join(resolve(options.persistDir), 'bundle'),
  });
  const bindings: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.variables ?? {})) bindings[environmentNameOf(name)] = value;
  if (options.environment && Object.keys(options.environment).length > 0) bindings['TWIRL_ENVIRONMENT'] = JSON.stringify(options.environment);
  if (options.limits && Object.keys(options.limits).length > 0) bindings['TWIRL_LIMITS'] = JSON.stringify(options.limits);
  bindings['TWIRL_PEER_SECRET'] = peerSecret;
  const worker = {
    name: APP_WORKER,
    ...(await bundleModules(bundle.modulesDir)),
    compatibilityDate: COMPATIBILITY_DATE,
    compatibilityFlags: COMPATIBILITY_FLAGS,
    bindings,
    durableObjects: { KEY_VALUE: { className: 'KeyValueObject', useSQLite: true } },
  };
  return { worker, appName: bundle.app.name };
}

async function seedKeyValues(mf: Miniflare, appName: string, keyValues: Record<string, string>): Promise<void> {
  const entries = Object.entries(keyValues);
  if (entries.length === 0) return;
  const namespace = await mf.getDurableObjectNamespace('KEY_VALUE', APP_WORKER);
  const store = namespace.get(namespace.idFromName(storeObjectName(appName, 'default'))) as unknown as {
    set(key: string, value: Uint8Array): Promise<void>;
  };
  for (const [key, value] of entries) await store.set(key, new TextEncoder().encode(value));
}
