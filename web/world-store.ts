/**
 * A prepared world's glue and modules as the preview runs them (web/build-worlds.ts wrote them):
 * loaded and compiled once per worker and kept across the app's rebuilds, so a new build costs
 * the preview only its snapshot. The engine (~14 MB) is compiled from its response as it
 * streams. Chromium keeps no compiled code for it in the service worker: traced over 4,000
 * requests and 6 s idle, its code-caching callback never ran, for a response from the HTTP cache
 * or from Cache Storage. So each start of the worker compiles the engine again (87–160 ms).
 */
import type { GlueInstantiate } from '../shared/component/instantiate.ts';
import type { ComponentKind } from '../shared/component/prepare.ts';
import { BASE_PAGES, ENGINES, type PreparedWorld } from './app-model.ts';
import { glueFromSource } from './glue-function.ts';
import { timed } from './timing.ts';

export interface LoadedWorld {
  kind: ComponentKind;
  engineDigest: string;
  engineModule: string;
  instantiate: GlueInstantiate;
  /** Every core module the glue asks for, the engine among them (its memory starts empty). */
  modules: ReadonlyMap<string, WebAssembly.Module>;
  /** Digest of the pages every snapshot of the world starts from, and the pages. */
  base: string;
  basePages: Uint8Array;
}

const worlds = new Map<string, Promise<LoadedWorld>>();

/** The world in `folder` (`…/__twirl/worlds/<key>/`), loaded once per worker. */
export function loadWorld(folder: URL): Promise<LoadedWorld> {
  let pending = worlds.get(folder.href);
  if (!pending) {
    pending = fetchWorld(folder);
    worlds.set(folder.href, pending);
    pending.catch(() => worlds.delete(folder.href));
  }
  return pending;
}

/**
 * The prepared engine `digest`, served by the playground at `base`: compiled once per worker,
 * whichever components (templates, prepared worlds) run on it.
 */
export function compiledEngine(digest: string, base: string | URL): Promise<WebAssembly.Module> {
  const url = new URL(`${ENGINES}${digest}.wasm`, base);
  let pending = engines.get(url.href);
  if (!pending) {
    pending = compileFrom(url);
    engines.set(url.href, pending);
    pending.catch(() => engines.delete(url.href));
  }
  return pending;
}
const engines = new Map<string, Promise<WebAssembly.Module>>();

async function fetchWorld(folder: URL): Promise<LoadedWorld> {
  const index = (await fetchOk(new URL('world.json', folder)).then((r) => r.json())) as PreparedWorld;
  // The world's folder is `<base>__twirl/worlds/<key>/`.
  const base = new URL('../../../', folder);
  const [glue, basePages, engine, ...modules] = await Promise.all([
    fetchOk(new URL('glue.js', folder)).then((r) => r.text()),
    fetchOk(new URL(BASE_PAGES, folder)).then(async (r) => new Uint8Array(await r.arrayBuffer())),
    timed('sw: compile the engine', () => compiledEngine(index.engineDigest, base)),
    ...index.modules.map(async (name) => [name, await compileFrom(new URL(name, folder))] as const),
  ]);
  return {
    kind: index.kind,
    engineDigest: index.engineDigest,
    engineModule: index.engineModule,
    instantiate: glueFromSource(glue),
    modules: new Map([...modules, [index.engineModule, engine]]),
    base: index.base,
    basePages,
  };
}

export async function compileFrom(url: URL): Promise<WebAssembly.Module> {
  const response = await fetchOk(url);
  if (response.headers.get('content-type')?.startsWith('application/wasm')) return WebAssembly.compileStreaming(response);
  return WebAssembly.compile(await response.arrayBuffer());
}

async function fetchOk(url: URL): Promise<Response> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`fetching ${url.pathname} failed: ${response.status}`);
  return response;
}
