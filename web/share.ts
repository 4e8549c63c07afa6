/**
 * Share links. A small app travels in the URL itself: `#s=` + deflated JSON of its files, its
 * components by reference to the playground's prepared ones; a component built in this browser
 * stays behind, to be built again from its sources where the link is opened. A larger app, or
 * one with an uploaded component, is published to the edge worker as a zip (`POST /api/apps`)
 * and shared as `#a=<digest>`.
 */
import { strFromU8, strToU8, deflateSync, inflateSync, zipSync } from 'fflate';
import { ORIGINAL, type AppFile, type StoredApp } from './app-model.ts';
import { bytesOf } from './app-files.ts';
import { isSnapshot, readComponent } from './component-store.ts';
import { componentOfSnapshot } from './snapshot-bytes.ts';
import { buildableComponents } from './build/app-build.ts';

export interface SharedApp {
  v: 1;
  name: string;
  files: Record<string, AppFile>;
  variables?: Record<string, string>;
}

/** Longest `#s=` fragment we hand out; links much longer than this get mangled by chat apps and mail. */
export const HASH_LIMIT = 8000;

/** The `s=…` fragment for the app, or undefined when it cannot or should not live in a URL. */
export function hashOf(app: StoredApp): string | undefined {
  const buildable = new Set(buildableComponents(app).map((c) => c.output));
  // A component built here from the app's sources: the link carries the sources, the opener builds it.
  const files = Object.fromEntries(Object.entries(app.files).filter(([path, f]) => !('component' in f && f.component.builtHere && buildable.has(path))));
  const portable = Object.values(files).every((f) => !('component' in f) || f.component.url);
  if (!portable) return undefined;
  const shared: SharedApp = { v: 1, name: app.name, files, ...(app.variables ? { variables: app.variables } : {}) };
  const fragment = `s=${toBase64Url(deflateSync(strToU8(JSON.stringify(shared)), { level: 9 }))}`;
  return fragment.length <= HASH_LIMIT ? fragment : undefined;
}

export function readHash(value: string): SharedApp {
  const shared = JSON.parse(strFromU8(inflateSync(fromBase64Url(value)))) as SharedApp;
  if (shared.v !== 1 || typeof shared.files !== 'object') throw new Error('this share link is from a newer or broken playground');
  return shared;
}

/** The app as the edge worker takes it: a zip of its files with each component's `.wasm` in place. */
export async function appArchive(app: StoredApp, origin: string): Promise<Uint8Array> {
  const entries: Record<string, Uint8Array> = {};
  for (const [path, file] of Object.entries(app.files)) {
    if (!('component' in file)) entries[path] = bytesOf(file)!;
    else if (file.component.url) entries[path] = new Uint8Array(await (await fetchOk(new URL(`${file.component.url}${ORIGINAL}`, origin))).arrayBuffer());
    else {
      const stored = await readComponent(file.component.digest);
      if (!stored) throw new Error(`${path} is missing from this browser's storage`);
      entries[path] = isSnapshot(stored) ? await componentOfSnapshot(stored, origin) : stored.bytes;
    }
  }
  // Components are compressed wasm already halfway; level 6 is the usual trade.
  return zipSync(entries, { level: 6 });
}

/** Publishes the app; returns its digest. `api` is the edge worker's origin (or '' for this one). */
export async function publishApp(app: StoredApp, api: string, origin: string): Promise<string> {
  const body = await appArchive(app, origin);
  const response = await fetch(`${api}/api/apps`, { method: 'POST', headers: { 'content-type': 'application/zip' }, body: body as BufferSource });
  if (!response.ok) throw new Error(`publishing failed: ${response.status} ${(await response.text()).slice(0, 200)}`);
  const { digest } = (await response.json()) as { digest: string };
  return digest;
}

export async function fetchPublished(digest: string, api: string): Promise<Uint8Array> {
  if (!/^[0-9a-f]{64}$/.test(digest)) throw new Error('this share link does not name a published app');
  return new Uint8Array(await (await fetchOk(`${api}/api/apps/${digest}`)).arrayBuffer());
}

async function fetchOk(url: string | URL): Promise<Response> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`fetching ${url} failed: ${response.status}`);
  return response;
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  const binary = atob(text.replaceAll('-', '+').replaceAll('_', '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}
