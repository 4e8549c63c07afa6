/**
 * The worlds the playground build prepared (web/build-worlds.ts), as the build worker finds
 * them: by the key of a bundle's world, `__twirl/worlds/<key>/`. A world found is fetched and
 * compiled for pre-initialisation once per worker; a world the playground did not prepare (one
 * importing other interfaces, say) is no error: its components build in full.
 */
import type { JsComponentInput } from '../../shared/build/componentize.ts';
import { compileForPreinit } from '../../shared/build/preinit.ts';
import type { PreparedWorldEngine } from '../../shared/build/snapshot-source.ts';
import { worldKeyOf } from '../../shared/build/world-key.ts';
import { BASE_PAGES, SPLICED, WORLDS, type PreparedWorld } from '../app-model.ts';
import { componentizeVersion } from './browser-toolchain.ts';
import { PagePool, snapshotPageBytes } from '../../shared/component/engine-snapshot.ts';

export interface ServedWorld extends PreparedWorldEngine {
  /** The world's folder, relative to the playground's base (as the preview resolves it on its own origin). */
  folder: string;
  index: PreparedWorld;
  /** The pages every snapshot of this world starts from (`index.base` names them), pooled once: each build forks the pool. */
  basePool: PagePool;
}

/** The world's index by folder URL; undefined where the playground serves no such world. */
const indexes = new Map<string, Promise<PreparedWorld | undefined>>();
const engines = new Map<string, Promise<ServedWorld>>();

/** The world `input` builds against, if the playground at `base` prepared it. */
export async function servedWorld(base: string, input: JsComponentInput): Promise<ServedWorld | undefined> {
  return servedWorldOf(base, await worldKeyOf(input, componentizeVersion));
}

/** The world named `key`, if the playground at `base` prepared it. */
export async function servedWorldOf(base: string, key: string): Promise<ServedWorld | undefined> {
  const folder = `${WORLDS}${key}/`;
  const url = new URL(folder, base).href;
  const index = await cached(indexes, url, () => fetchIndex(url));
  if (!index) return undefined;
  return cached(engines, url, async () => {
    const [wasm, basePages] = await Promise.all([fetchBytes(new URL(SPLICED, url)), fetchBytes(new URL(BASE_PAGES, url))]);
    const spliced = { result: { ...index.splice, wasm }, module: await compileForPreinit(wasm) };
    return { folder, index, spliced, engineDigest: index.engineDigest, fuel: BigInt(index.fuel), basePool: poolOf(basePages, folder) };
  });
}

/** The base pages as a pool whose indexes are their places in the file, as the preview reads them. */
function poolOf(basePages: Uint8Array, folder: string): PagePool {
  const pool = new PagePool();
  for (let at = 0; at < basePages.length; at += snapshotPageBytes) pool.add(basePages.subarray(at, at + snapshotPageBytes));
  if (pool.size * snapshotPageBytes !== basePages.length) throw new Error(`the base pages of world ${folder} are not a page pool`);
  return pool;
}

async function fetchBytes(url: URL): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`fetching ${url.pathname} failed: ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

async function fetchIndex(url: string): Promise<PreparedWorld | undefined> {
  const response = await fetch(new URL('world.json', url));
  if (response.status === 404) return undefined;
  if (!response.ok) throw new Error(`fetching ${url}world.json failed: ${response.status}`);
  return (await response.json()) as PreparedWorld;
}

/** One fetch per key; a failed one is tried again next time. */
function cached<T>(map: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
  let pending = map.get(key);
  if (!pending) {
    pending = make();
    map.set(key, pending);
    pending.catch(() => map.delete(key));
  }
  return pending;
}
