/**
 * Prepared components by digest: the uploaded ones live in IndexedDB; the templates' are fetched
 * from the playground's own `components/<digest>/`. Each is compiled once per worker or page.
 */
import { createStore, get, set, type UseStore } from 'idb-keyval';
import type { LoadedComponent } from '../shared/component/instantiate.ts';
import type { ComponentKind } from '../shared/component/prepare.ts';
import type { SourceMapJson } from '../shared/build/source-map.ts';
import type { ComponentRef, PreparedIndex } from './app-model.ts';
import { glueFromSource } from './glue-function.ts';

/** A prepared component as IndexedDB keeps it, with the original bytes for publishing. */
export interface StoredComponent {
  kind: ComponentKind;
  glue: string;
  modules: Record<string, Uint8Array>;
  bytes: Uint8Array;
  /** For a component built in this browser: where its `bundle.js` came from, to map its stack traces. */
  sourceMap?: SourceMapJson;
}

let db: UseStore | undefined;
const components = (): UseStore => (db ??= createStore('twirl-components', 'prepared'));

export const saveComponent = (digest: string, component: StoredComponent): Promise<void> => set(digest, component, components());
export const readComponent = (digest: string): Promise<StoredComponent | undefined> => get<StoredComponent>(digest, components());

const loaded = new Map<string, Promise<LoadedComponent>>();

/** The component, compiled; `base` resolves a template component's relative `url`. */
export function loadComponent(ref: ComponentRef, base: string | URL): Promise<LoadedComponent> {
  let pending = loaded.get(ref.digest);
  if (!pending) {
    pending = loadFresh(ref, base);
    loaded.set(ref.digest, pending);
    pending.catch(() => loaded.delete(ref.digest));
  }
  return pending;
}

async function loadFresh(ref: ComponentRef, base: string | URL): Promise<LoadedComponent> {
  const stored = await readComponent(ref.digest);
  if (stored) {
    const modules = await Promise.all(Object.entries(stored.modules).map(async ([name, bytes]) => [name, await WebAssembly.compile(bytes as BufferSource)] as const));
    return { kind: stored.kind, instantiate: glueFromSource(stored.glue), modules: new Map(modules) };
  }
  if (!ref.url) throw new Error(`component ${ref.digest.slice(0, 12)} is not in this browser's storage; open the app from its share link again`);
  const folder = new URL(ref.url, base);
  const index = (await fetchOk(new URL('prepared.json', folder)).then((r) => r.json())) as PreparedIndex;
  const [glue, ...modules] = await Promise.all([
    fetchOk(new URL('glue.js', folder)).then((r) => r.text()),
    ...index.modules.map(async (name) => [name, await WebAssembly.compile(await fetchOk(new URL(name, folder)).then((r) => r.arrayBuffer()))] as const),
  ]);
  return { kind: index.kind, instantiate: glueFromSource(glue as string), modules: new Map(modules as Array<[string, WebAssembly.Module]>) };
}

async function fetchOk(url: URL): Promise<Response> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`fetching ${url.pathname} failed: ${response.status}`);
  return response;
}
