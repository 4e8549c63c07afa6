/** Registering the preview's service worker on the app's origin, and telling it to reload the app. */
import type { InvalidateMessage } from '../preview-protocol.ts';
import type { StoredApp } from '../app-model.ts';
import { isSnapshot, type StoredComponent } from '../component-store.ts';

let ready: Promise<ServiceWorker> | undefined;

/** Registers the worker once; resolves when it is active. */
export function registerPreviewWorker(): Promise<ServiceWorker> {
  return (ready ??= register());
}

async function register(): Promise<ServiceWorker> {
  if (!('serviceWorker' in navigator)) throw new Error('this browser has no service workers (a private window may disable them)');
  const url = new URL(import.meta.env.DEV ? '/sw.ts' : '/sw.js', location.href).href;
  // A worker from an earlier visit is checked for updates meanwhile. Registering it again would
  // wait for that check: 1.7–2.5 s on one returning visit in eight here, against 2 ms on the rest.
  const existing = await navigator.serviceWorker.getRegistration('/');
  if (existing?.active?.scriptURL === url) void existing.update().catch(() => {});
  else await navigator.serviceWorker.register(url, { type: 'module', scope: '/' });
  const registration = await navigator.serviceWorker.ready;
  // The bridge's requests must reach the worker: wait until it controls this page (clients.claim).
  if (!navigator.serviceWorker.controller) {
    await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
  }
  if (!registration.active) throw new Error('no active service worker');
  return registration.active;
}

/**
 * Makes the worker drop its running copy of the app, so the next request loads the stored one;
 * `uploads` (components the app refers to) are handed over for the worker to store, their
 * buffers moved, not copied; `app`, the app just stored, lets it keep an engine started from it.
 */
export async function resetEngine(uploads: Record<string, StoredComponent> = {}, app?: StoredApp): Promise<void> {
  const worker = await registerPreviewWorker();
  const channel = new MessageChannel();
  const done = new Promise<void>((resolve) => (channel.port1.onmessage = () => resolve()));
  const buffers = new Set(Object.values(uploads).flatMap((c) => (isSnapshot(c) ? [c.snapshot, c.pages] : [c.bytes, ...Object.values(c.modules)]).map((b) => b.buffer)));
  worker.postMessage({ type: 'invalidate', uploads, ...(app ? { app } : {}) } satisfies InvalidateMessage, [channel.port2, ...(buffers as Set<ArrayBuffer>)]);
  await done;
}
