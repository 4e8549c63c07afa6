/**
 * How the playground talks to an app's preview.
 *
 * Documents with an opaque origin (CSP `sandbox` without `allow-same-origin`) are never
 * controlled by a service worker, so their subresources and `fetch` calls would miss the
 * engine. Each app is instead served from an origin of its own, `<appId>.<host>`: its HTML
 * never runs with the playground's origin, and its storage (the app, its key-value data) is
 * apart from the playground's and from every other app's. The playground embeds a small bridge
 * page of that origin (`/__twirl/frame.html`), which stores the app there, sends requests, edits
 * key-value data and relays the service worker's logs.
 */
import type { LogLine } from '../shared/ports.ts';
import type { StoredApp } from './app-model.ts';
import type { StoredComponent } from './component-store.ts';

/** Paths the playground itself owns on every origin; the service worker lets them through. */
export const RESERVED_PREFIX = '/__twirl/';
export const BRIDGE_PATH = '/__twirl/frame.html';
/** A request header the bridge sets to find its request's logs; the worker strips it. */
export const TRACE_HEADER = 'x-twirl-trace';
/** Where the worker posts logs and request summaries, within the app's origin. */
export const EVENTS_CHANNEL = 'twirl-preview-events';

export { PREVIEW_CSP } from '../shared/preview-policy.ts';

/** The app's origin: a subdomain of the playground's host (`localhost` for an IP), or `VITE_TWIRL_PREVIEW_ORIGIN` with `{app}`. */
export function previewOrigin(appId: string, playground: URL, pattern?: string): string {
  if (pattern) return pattern.replace('{app}', appId);
  const host = /^[\d.]+$|^\[/.test(playground.hostname) ? 'localhost' : playground.hostname;
  const port = playground.port ? `:${playground.port}` : '';
  return `${playground.protocol}//${appId}.${host}${port}`;
}

/** The app id a preview origin serves: its first host label. */
export const appIdOfHost = (hostname: string): string => hostname.split('.')[0] ?? '';

export interface RequestEvent {
  type: 'request';
  requestId?: string;
  trace?: string;
  method: string;
  path: string;
  status: number;
  ms: number;
  /** Why the app could not start (bad manifest, missing component), when it could not. */
  error?: string;
  time: number;
}

export interface LogEvent extends LogLine {
  type: 'log';
}

export type PreviewEvent = RequestEvent | LogEvent;

export interface SentRequest {
  method: string;
  path: string;
  headers: Array<[string, string]>;
  body?: ArrayBuffer;
}

export interface ReceivedResponse {
  status: number;
  statusText: string;
  headers: Array<[string, string]>;
  body: ArrayBuffer;
  ms: number;
  trace: string;
}

export interface KeyValueEntry {
  label: string;
  key: string;
  value: Uint8Array;
}

/** Calls from the playground to the bridge; each gets one `BridgeReply` with the same `id`. */
export type BridgeCall =
  | { id: number; type: 'load'; app: StoredApp; uploads: Record<string, StoredComponent> }
  | { id: number; type: 'fetch'; request: SentRequest }
  | { id: number; type: 'kv-list' }
  | { id: number; type: 'kv-set'; label: string; key: string; value: Uint8Array }
  | { id: number; type: 'kv-delete'; label: string; key: string };

export type BridgeReply = { type: 'reply'; id: number; ok: true; value: unknown } | { type: 'reply'; id: number; ok: false; error: string };

/** Unprompted messages from the bridge. */
export type BridgeNotice = { type: 'ready'; jspi: boolean } | { type: 'events'; events: PreviewEvent[] };

/** From the bridge to its worker while the playground is on screen: the message is all (see bridge.ts). */
export interface KeepServingMessage {
  type: 'keep-serving';
}

/**
 * The service worker's own messages: forget an app's engine; replies `{ done: true }`. With
 * `uploads`, components the app now refers to: the worker keeps them (IndexedDB) and starts the
 * app from them without reading them back. With `app`, the app as just stored: an engine the
 * worker started from that very app (at its own start) is kept.
 */
export interface InvalidateMessage {
  type: 'invalidate';
  uploads?: Record<string, StoredComponent>;
  app?: StoredApp;
}
