/**
 * The bridge page, on an app's own origin, embedded (hidden) by the playground: keeps the app in
 * this origin's storage, registers the service worker that serves it, and answers the
 * playground's calls (send a request, list or edit key-value data) and relays the worker's events.
 * It talks only to the page that embeds it, named by `?parent=` and checked against the browser's
 * own record of the embedder, and only through the MessagePort that page hands it once, at load.
 *
 * An app's own pages share this origin, so they can script this frame. The port is why they cannot
 * speak for it: the playground listens to nothing else, and the intrinsics that touch the port
 * and its messages are taken here, before any app page exists, so patching this frame's
 * prototypes later never hands the port over.
 */
import { saveApp } from '../app-store.ts';
import { IdbKeyValueBackend } from '../key-value-idb.ts';
import { EVENTS_CHANNEL, TRACE_HEADER, appIdOfHost, type KeepServingMessage, type BridgeCall, type BridgeNotice, type BridgeReply, type PreviewEvent, type ReceivedResponse, type SentRequest } from '../preview-protocol.ts';
import { registerPreviewWorker, resetEngine } from './worker-registration.ts';
import { messageOf } from '../../shared/errors.ts';
import { timed } from '../timing.ts';

const apply = Reflect.apply;
const postOnPort = MessagePort.prototype.postMessage;
const getter = (name: 'data' | 'origin' | 'source' | 'ports') => Object.getOwnPropertyDescriptor(MessageEvent.prototype, name)!.get!;
const [dataOf, originOf, sourceOf, portsOf] = [getter('data'), getter('origin'), getter('source'), getter('ports')];
const read = <T>(get: () => unknown, event: MessageEvent): T => apply(get, event, []) as T;

const appId = appIdOfHost(location.hostname);
const parentOrigin = embedderOrigin();
const keyValue = new IdbKeyValueBackend(appId);
const hasJspi = typeof (WebAssembly as { Suspending?: unknown }).Suspending === 'function';

function embedderOrigin(): string | undefined {
  const claimed = new URLSearchParams(location.search).get('parent') ?? undefined;
  const actual = location.ancestorOrigins?.[0] ?? (document.referrer ? new URL(document.referrer).origin : undefined);
  return claimed && claimed === actual && window.parent !== window ? claimed : undefined;
}

let port: MessagePort | undefined;

function tell(message: BridgeNotice | BridgeReply): void {
  if (port) apply(postOnPort, port, [message]);
}

/** The port the embedder hands over at load; the first one from the embedder is the only one ever taken. */
function connected(origin: string): Promise<MessagePort> {
  return new Promise((resolve) => {
    const onMessage = (event: MessageEvent): void => {
      const [handed] = read<readonly MessagePort[]>(portsOf, event);
      if (read(originOf, event) !== origin || read(sourceOf, event) !== window.parent || !handed) return;
      window.removeEventListener('message', onMessage);
      resolve(handed);
    };
    window.addEventListener('message', onMessage);
  });
}

async function answer(call: BridgeCall): Promise<unknown> {
  switch (call.type) {
    case 'load':
      if (call.app.id !== appId) throw new Error(`this origin serves app ${appId}, not ${call.app.id}`);
      await timed('bridge: save app', () => saveApp(call.app));
      // The worker stores the components: it starts the app from them meanwhile, not from IndexedDB.
      await timed('bridge: hand over to the worker', () => resetEngine(call.uploads, call.app));
      return true;
    case 'fetch':
      return send(call.request);
    case 'kv-list':
      return listKeyValue();
    case 'kv-set':
      await (await keyValue.open(call.label)).set(call.key, call.value);
      return dataChanged();
    case 'kv-delete':
      await (await keyValue.open(call.label)).delete(call.key);
      return dataChanged();
  }
}

/** Without JSPI the worker holds the app's data in memory: it reads it again after an edit here. */
async function dataChanged(): Promise<void> {
  if (!hasJspi) await resetEngine();
}

/**
 * The browser stops a service worker after ~30 s without events, and the next request starts it
 * again, the app's engine with it: ~0.3–0.5 s before that response, where a running worker
 * answers in milliseconds. While the playground is on screen a message every 20 s keeps the
 * app's worker serving, as `spin up` keeps serving; in a hidden or closed tab it stops as before.
 */
const KEEP_SERVING_MS = 20_000;
function keepServing(): void {
  setInterval(() => {
    if (document.visibilityState === 'visible') navigator.serviceWorker.controller?.postMessage({ type: 'keep-serving' } satisfies KeepServingMessage);
  }, KEEP_SERVING_MS);
}

async function send(request: SentRequest): Promise<ReceivedResponse> {
  const trace = crypto.randomUUID();
  const headers = new Headers(request.headers);
  headers.set(TRACE_HEADER, trace);
  const started = performance.now();
  const response = await fetch(request.path, { method: request.method, headers, body: request.body ?? null, redirect: 'manual', cache: 'no-store' });
  const body = await response.arrayBuffer();
  const ms = performance.now() - started;
  return { status: response.status, statusText: response.statusText, headers: [...response.headers], body, ms, trace };
}

async function listKeyValue() {
  const entries = [];
  for (const label of await keyValue.labels()) {
    const store = await keyValue.open(label);
    for (const key of await store.keys()) entries.push({ label, key, value: (await store.get(key)) ?? new Uint8Array() });
  }
  return entries;
}

if (parentOrigin) {
  port = await connected(parentOrigin);
  port.onmessage = (event: MessageEvent) => {
    const call = read<BridgeCall>(dataOf, event);
    answer(call).then(
      (value) => tell({ type: 'reply', id: call.id, ok: true, value }),
      (err: unknown) => tell({ type: 'reply', id: call.id, ok: false, error: messageOf(err) }),
    );
  };
  // The worker posts its events in batches, passed on as they come.
  new BroadcastChannel(EVENTS_CHANNEL).onmessage = (event: MessageEvent) => tell({ type: 'events', events: read<PreviewEvent[]>(dataOf, event) });
  registerPreviewWorker().then(
    () => {
      keepServing();
      tell({ type: 'ready', jspi: hasJspi });
    },
    (err: unknown) => tell({ type: 'reply', id: 0, ok: false, error: `the preview service worker did not start: ${messageOf(err)}` }),
  );
}
