/**
 * The preview's service worker, registered on an app's own origin (`<appId>.<host>`, see
 * preview-protocol.ts): serves every path with the engine — key-value data in IndexedDB, files
 * from the app's stored files, logs to the bridge page. `/__twirl/` is the playground's own.
 * Without JSPI (WebKit) components run with synchronous glue, and key-value data is held in
 * memory here, written behind to IndexedDB: this worker is the app's only writer.
 */
/// <reference lib="webworker" />
import type { Engine } from '../shared/engine.ts';
import { ManifestError, TwirlError, formatDiagnostic, messageOf } from '../shared/errors.ts';
import { readApp } from './app-store.ts';
import type { StoredApp } from './app-model.ts';
import { createAppEngine } from './app-engine.ts';
import { saveComponent, type StoredComponent } from './component-store.ts';
import { lazyRetrying } from '../shared/lazy.ts';
import { IdbKeyValueBackend } from './key-value-idb.ts';
import { relayedFetch } from './outbound-relay-fetch.ts';
import { OUTBOUND_RELAY_PATH } from '../shared/host/outbound-relay.ts';
import { WriteBehindKeyValue } from '../shared/host/key-value-write-behind.ts';
import { hostHasJspi } from '../shared/host/host-waits.ts';
import { timed } from './timing.ts';
import { EVENTS_CHANNEL, PREVIEW_CSP, RESERVED_PREFIX, TRACE_HEADER, appIdOfHost, type InvalidateMessage, type KeepServingMessage, type PreviewEvent, type RequestEvent } from './preview-protocol.ts';

declare const self: ServiceWorkerGlobalScope;

const appId = appIdOfHost(self.location.hostname);
const HOST_HEADERS = [TRACE_HEADER];
const events = new BroadcastChannel(EVENTS_CHANNEL);
/**
 * Events go out together, a frame's worth at a time: a post costs the worker more than a
 * response (its profile: 126 µs per post beside 614 µs for the whole health request), and the
 * bridge and the log panel pay per message too. A frame is as soon as the panel could show them.
 */
const EVENT_BATCH_MS = 16;
const queued: PreviewEvent[] = [];
let batchPosted: Promise<void> | undefined;
const post = (event: PreviewEvent): void => {
  queued.push(event);
  batchPosted ??= new Promise((resolve) =>
    setTimeout(() => {
      batchPosted = undefined;
      events.postMessage(queued.splice(0));
      resolve();
    }, EVENT_BATCH_MS),
  );
};
/** Keeps the worker running until the events queued so far are posted: none is lost if it would stop. */
const eventsPosted = (): Promise<void> => batchPosted ?? Promise.resolve();
/** Without JSPI: the app's data in memory, one writer to IndexedDB, in order, across engine restarts. */
const writeBehind = hostHasJspi()
  ? undefined
  : new WriteBehindKeyValue(new IdbKeyValueBackend(appId), {
      onWriteError: (label, key, message) =>
        post({ type: 'log', app: appId, component: '', requestId: '', stream: 'stderr', line: `[twirl] key-value store "${label}", key "${key}": not saved: ${message}`, time: Date.now() }),
    });
/** Made on the first request, again after an invalidation or a failed start. */
const engine = lazyRetrying(() => timed('sw: start the engine', startEngine));
/** The stored app the latest start read (as `runOf` gives it): a hand-over of the same app keeps its engine. */
let startedFrom: string | undefined;
/** Starts so far: a start that another followed does not say what it read. */
let starts = 0;
/** What of an app its engine depends on, as JSON: everything but when it was last saved. */
const runOf = (app: StoredApp): string => JSON.stringify({ ...app, updated: undefined });
// The worker starts for the bridge's page (the playground opening this app) or for a request:
// either way a request comes soon, and the stored app's engine starts meanwhile (~0.3 s: the
// engine is compiled again at every start of the worker). An app not stored yet (opened for the
// first time) fails here quietly; the bridge's hand-over starts it.
engine().catch(() => {});

self.addEventListener('install', () => void self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('message', (event) => {
  const message = event.data as InvalidateMessage | KeepServingMessage | undefined;
  // A keep-serving message asks for nothing: its event is what keeps the worker running.
  if (message?.type !== 'invalidate') return;
  if (message.app && Object.keys(message.uploads ?? {}).length === 0 && startedFrom === runOf(message.app)) {
    event.ports[0]?.postMessage({ done: true });
    return;
  }
  startedFrom = undefined;
  engine.reset();
  // The app or its data changed in the page (the key-value editor writes IndexedDB directly).
  writeBehind?.invalidate();
  event.ports[0]?.postMessage({ done: true });
  event.waitUntil(keepUploads(message.uploads ?? {}).finally(eventsPosted));
  // The preview's request follows: the engine starts now, not when it arrives.
  engine().catch(() => {});
});

/** Components handed over with the app: served from memory at once, stored for the worker's next life. */
async function keepUploads(uploads: Record<string, StoredComponent>): Promise<void> {
  await Promise.all(
    Object.entries(uploads).map(([digest, component]) =>
      saveComponent(digest, component).catch((err: unknown) =>
        post({ type: 'log', app: appId, component: '', requestId: '', stream: 'stderr', line: `[twirl] component ${digest.slice(0, 12)} was not stored in this browser: ${messageOf(err)}`, time: Date.now() }),
      ),
    ),
  );
}

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith(RESERVED_PREFIX)) return;
  const served = import.meta.env.DEV ? devRoute(event) : serve(event.request, url);
  event.respondWith(served);
  // Key-value changes written behind must land, and the request's events go out, even if the worker would stop after answering.
  event.waitUntil(served.then(() => writeBehind?.flushed(), () => undefined).finally(eventsPosted));
});

/** Under vite's dev server the bridge's modules live at arbitrary paths: what its page asks for passes through. */
async function devRoute(event: FetchEvent): Promise<Response> {
  const client = event.clientId ? await self.clients.get(event.clientId) : undefined;
  const fromBridge = client && new URL(client.url).pathname.startsWith(RESERVED_PREFIX) && !event.request.headers.has(TRACE_HEADER);
  return fromBridge ? fetch(event.request) : serve(event.request, new URL(event.request.url));
}

async function startEngine(): Promise<Engine> {
  const start = ++starts;
  const app = await readApp(appId);
  if (!app) throw new TwirlError('unknown-app', `no app ${appId} in this browser: open it in the playground first`);
  if (start === starts) startedFrom = runOf(app);
  return createAppEngine(app, {
    keyValue: writeBehind ?? new IdbKeyValueBackend(appId),
    logs: { write: (line) => post({ type: 'log', ...line }) },
    fetch: relayedFetch(new URL(OUTBOUND_RELAY_PATH, self.location.origin).href),
    base: `${self.location.origin}/`,
  });
}

async function serve(original: Request, url: URL): Promise<Response> {
  const started = performance.now();
  const trace = original.headers.get(TRACE_HEADER) ?? undefined;
  const summary = { type: 'request' as const, trace, method: original.method, path: url.pathname + url.search, time: Date.now() };
  let running: Engine;
  try {
    running = await engine();
  } catch (err) {
    return failed(summary, started, 500, describe(err));
  }
  let requestId: string | undefined;
  // The playground's trace header is the host's alone: the engine keeps it from the app, where a
  // copy of the request would cost each request that has one (the request builder's) ~70 µs.
  const response = await running.handle(original, { clientAddr: '127.0.0.1:0', onRequestId: (id) => (requestId = id), hostHeaders: HOST_HEADERS });
  post({ ...summary, requestId, status: response.status, ms: performance.now() - started });
  return sandboxed(response);
}

/**
 * The app's response with the preview's CSP, its body handed on as a stream. A body of bytes
 * would leave the worker as a blob, registered by a synchronous call to the browser process and
 * read back by the page's loader; a stream goes through a data pipe. Measured with
 * bench/browser-threads.ts (c=10, 2 cores): the blob cost ~2.2 ms of CPU per response across the
 * threads, a third of the health route's and a fifth of the hello app's.
 */
function sandboxed(response: Response): Response {
  // Copied (a fetched response's headers are immutable) as pairs: Chromium takes a Headers object
  // through its iterator, 8 µs more a response (an in-page microbenchmark: 25 → 17 µs). workerd
  // is the other way round (pairs 16–22 µs, Headers 11), so the engine keeps making Headers.
  const headers: Array<[string, string]> = [];
  for (const entry of response.headers) if (entry[0] !== 'content-security-policy') headers.push(entry);
  headers.push(['content-security-policy', PREVIEW_CSP]);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

function failed(summary: Omit<RequestEvent, 'status' | 'ms'>, started: number, status: number, message: string): Response {
  post({ ...summary, status, ms: performance.now() - started, error: message });
  return new Response(`${message}\n`, { status, headers: { 'content-type': 'text/plain; charset=utf-8', 'content-security-policy': PREVIEW_CSP } });
}

/** The user's own mistakes read as messages, never stacks. */
function describe(err: unknown): string {
  if (err instanceof ManifestError) return err.diagnostics.map(formatDiagnostic).join('\n');
  if (err instanceof TwirlError) return err.message;
  return `the app could not start: ${messageOf(err)}`;
}
