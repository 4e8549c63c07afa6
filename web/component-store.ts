/**
 * Prepared components by digest: the uploaded ones live in IndexedDB; the templates' are fetched
 * from the playground's own `components/<digest>/`. Each is compiled once per worker or page.
 * A browser without JSPI takes each component's synchronous glue (`glue-sync.js`, `syncGlue`);
 * one without multi-memory the core modules without write tracking (`untracked/`).
 */
import { createStore, get, promisifyRequest, set, type UseStore } from 'idb-keyval';
import type { LoadedComponent } from '../shared/component/instantiate.ts';
import type { ComponentKind } from '../shared/component/prepare.ts';
import type { SourceMapJson } from '../shared/build/source-map.ts';
import type { ComponentRef, PreparedIndex } from './app-model.ts';
import { glueFromSource } from './glue-function.ts';
import { SYNC_GLUE } from './app-model.ts';
import { JSPI_BROWSERS, hostHasJspi } from '../shared/host/host-waits.ts';
import { TwirlError } from '../shared/errors.ts';
import { hostHasMultiMemory } from '../shared/wasm/features.ts';
import { checkEngine } from '../shared/component/engine-snapshot.ts';
import { decodeSnapshot } from '../shared/component/snapshot-codec.ts';
import { compiledEngine, loadWorld } from './world-store.ts';
import { timed } from './timing.ts';

/** A prepared component as IndexedDB keeps it: whole, or a snapshot of a prepared world's engine. */
export type StoredComponent = WholeComponent | SnapshotComponent;

/** A whole prepared component, with the original bytes for publishing. */
export interface WholeComponent {
  kind: ComponentKind;
  glue: string;
  /** The glue for a browser without JSPI; made only where one prepared it. */
  syncGlue?: string | undefined;
  modules: Record<string, Uint8Array>;
  bytes: Uint8Array;
  /**
   * The build worker that prepared it (its `builderId`): glue and modules prepared by another
   * release of the playground are prepared again from `bytes` before they run (component-import.ts).
   */
  preparedBy?: string;
  /** For a component built in this browser: where its `bundle.js` came from, to map its stack traces. */
  sourceMap?: SourceMapJson;
}

/**
 * A JS component built in this browser as a snapshot of the engine of a world the playground
 * prepared: the world's glue and engine are the playground's, compiled once per worker.
 */
export interface SnapshotComponent {
  kind: ComponentKind;
  snapshotOf: {
    /** The world's folder, relative to the playground's base. */
    world: string;
    /** The prepared engine the snapshot was made for. */
    engineDigest: string;
    /** The world's base pages the snapshot's page pool starts with. */
    base: string;
  };
  /** The snapshot (snapshot-codec.ts) and the pages of its pool after the base's, back to back. */
  snapshot: Uint8Array;
  pages: Uint8Array;
  sourceMap?: SourceMapJson;
}

export const isSnapshot = (stored: StoredComponent): stored is SnapshotComponent => 'snapshotOf' in stored;

let db: UseStore | undefined;
const components = (): UseStore => (db ??= createStore('twirl-components', 'prepared'));

/**
 * The components this page (or worker) saved last, by digest: a Run reads the one it just built
 * again (its source map, then to hand it to the preview), and megabytes need not come back out
 * of IndexedDB for that. Stored components are never changed, so a copy in memory stays true.
 */
const justSaved = new Map<string, StoredComponent>();
const JUST_SAVED = 2;

/**
 * Keeps the component: readable here at once (from memory), and in IndexedDB once the promise
 * resolves — a Run hands the component to the preview while it is being written.
 */
export function saveComponent(digest: string, component: StoredComponent): Promise<void> {
  justSaved.delete(digest);
  justSaved.set(digest, component);
  if (justSaved.size > JUST_SAVED) justSaved.delete(justSaved.keys().next().value!);
  return set(digest, component, components());
}

export const readComponent = async (digest: string): Promise<StoredComponent | undefined> => justSaved.get(digest) ?? get<StoredComponent>(digest, components());

/** Whether the component is kept here, read by its key alone (a component is megabytes). */
export const hasComponent = async (digest: string): Promise<boolean> =>
  justSaved.has(digest) || (await components()('readonly', (store) => promisifyRequest(store.getKey(digest)))) !== undefined;

/** A component built in this browser, as the builds cache names it. */
export interface BuiltBefore {
  digest: string;
  kind: ComponentKind;
  bytes: number;
  /** For a snapshot: the engine it was made for. */
  engine?: string;
}

let builds: UseStore | undefined;
const buildCache = (): UseStore => (builds ??= createStore('twirl-builds', 'by-inputs'));

/** Builds by the digest of everything that went into them (sources, entry, world, the build worker's own build). */
export const rememberBuild = (inputs: string, built: BuiltBefore): Promise<void> => set(inputs, built, buildCache());
export async function builtBefore(inputs: string): Promise<BuiltBefore | undefined> {
  const built = await get<BuiltBefore>(inputs, buildCache());
  // The component itself may have gone with cleared storage: then the build runs again.
  return built && (await hasComponent(built.digest)) ? built : undefined;
}

const loaded = new Map<string, Promise<LoadedComponent>>();

/** The component, compiled; `base` resolves a template component's relative `url`. */
export function loadComponent(ref: ComponentRef, base: string | URL): Promise<LoadedComponent> {
  let pending = loaded.get(ref.digest);
  if (!pending) {
    // A load that began before the component was handed over (a start of the preview's worker
    // racing the page's hand-over) fails for want of it: once it is here, a second load finds it.
    pending = loadFresh(ref, base).catch((err: unknown) => {
      if (justSaved.has(ref.digest)) return loadFresh(ref, base);
      throw err;
    });
    loaded.set(ref.digest, pending);
    pending.catch(() => loaded.delete(ref.digest));
  }
  return pending;
}

async function loadFresh(ref: ComponentRef, base: string | URL): Promise<LoadedComponent> {
  const jspi = hostHasJspi();
  if (!jspi && ref.kind === 'spin1-http') {
    throw new TwirlError('needs-jspi', `a Spin 1.x module waits on the host for every call, which needs JSPI (WebAssembly.Suspending): open the app in ${JSPI_BROWSERS}`);
  }
  const stored = await timed('read a component (IndexedDB)', () => readComponent(ref.digest));
  if (stored && isSnapshot(stored)) return loadSnapshot(stored, base);
  if (stored) {
    const glue = jspi ? stored.glue : stored.syncGlue;
    if (glue === undefined) {
      throw new TwirlError(
        'needs-jspi',
        `component ${ref.digest.slice(0, 12)} was prepared in a browser with JSPI, and this one lacks it: upload or build it again here, or open the app in ${JSPI_BROWSERS}`,
      );
    }
    const modules = await Promise.all(Object.entries(stored.modules).map(async ([name, bytes]) => [name, await WebAssembly.compile(bytes as BufferSource)] as const));
    return { kind: stored.kind, instantiate: glueFromSource(glue), modules: new Map(modules), sync: !jspi };
  }
  if (!ref.url) throw new Error(`component ${ref.digest.slice(0, 12)} is not in this browser's storage; open the app from its share link again`);
  const folder = new URL(ref.url, base);
  const index = (await fetchOk(new URL('prepared.json', folder)).then((r) => r.json())) as PreparedIndex;
  const untracked = new Set(hostHasMultiMemory() ? [] : (index.untracked ?? []));
  // Engines shared with other components (and with edits built as snapshots) are compiled once.
  const engines = new Map(hostHasMultiMemory() ? Object.entries(index.engines ?? {}) : []);
  // Fetched, parsed and compiled side by side: the engine compiles off the thread meanwhile.
  const [instantiate, modules, snapshots] = await Promise.all([
    fetchOk(new URL(jspi ? 'glue.js' : SYNC_GLUE, folder)).then(async (r) => glueFromSource(await r.text())),
    Promise.all(
      index.modules.map(async (name) => {
        const engine = engines.get(name);
        if (engine) return [name, await compiledEngine(engine, base)] as const;
        const file = new URL(untracked.has(name) ? `untracked/${name}` : name, folder);
        return [name, await WebAssembly.compile(await fetchOk(file).then((r) => r.arrayBuffer()))] as const;
      }),
    ),
    Promise.all(
      [...engines].map(async ([name, digest]) => {
        const [snapshot, pages] = await Promise.all(['snapshot', 'pages'].map(async (part) => new Uint8Array(await (await fetchOk(new URL(`${name}.${part}`, folder))).arrayBuffer())));
        return [name, checkEngine(decodeSnapshot(snapshot!, pages!), digest)] as const;
      }),
    ),
  ]);
  return { kind: index.kind, instantiate, modules: new Map(modules), snapshots: new Map(snapshots), sync: !jspi };
}

/** A snapshot on its world's engine: the engine and glue are the world's, loaded once per worker; the snapshot is checked against the engine. */
async function loadSnapshot(stored: SnapshotComponent, base: string | URL): Promise<LoadedComponent> {
  if (!hostHasJspi()) throw new TwirlError('needs-jspi', `this component was built in a browser with JSPI as a snapshot of a shared engine: build it again here, or open the app in ${JSPI_BROWSERS}`);
  const world = await timed('sw: load the world', () => loadWorld(new URL(stored.snapshotOf.world, base)));
  if (world.base !== stored.snapshotOf.base) {
    throw new TwirlError('snapshot-engine-mismatch', `this component was built on another release of the playground's engine for its world (base pages ${stored.snapshotOf.base.slice(0, 12)}, now ${world.base.slice(0, 12)}): edit and run it to build it again`);
  }
  const snapshot = checkEngine(decodeSnapshot(stored.snapshot, [world.basePages, stored.pages]), world.engineDigest);
  return { kind: world.kind, instantiate: world.instantiate, modules: world.modules, snapshots: new Map([[world.engineModule, snapshot]]), sync: false };
}

async function fetchOk(url: URL): Promise<Response> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`fetching ${url.pathname} failed: ${response.status}`);
  return response;
}
