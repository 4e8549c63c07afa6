/**
 * JS engine modules in R2, one object per engine (`engines/<sha256>.wasm`) however many published
 * apps run on it, the base memory pages of its snapshots (`pages/<sha256>.bin`, named by
 * `engines/<sha256>.base`), and jco's glue (`glue/<sha256>.js`). A platform isolate keeps the last few it read, so every app isolate
 * it starts is handed the same engine bytes under the same module name.
 */
import { sha256Hex } from '../../shared/digest.ts';
import { TwirlError } from '../../shared/errors.ts';
import type { PlatformEnv } from '../env.ts';
import type { BasePages } from './split-prepared.ts';

export const engineKey = (digest: string): string => `engines/${digest}.wasm`;

/** Digests this isolate has seen stored; an engine is immutable, so the answer never goes stale. */
const stored = new Set<string>();

/** Engines this isolate read and checked, most recently used last; each is ~9 MB, so only a few are kept (as many base pages). */
const read = new Map<string, Promise<ArrayBuffer | undefined>>();
const KEPT_ENGINES = 2;

export async function hasEngine(env: PlatformEnv, digest: string): Promise<boolean> {
  if (stored.has(digest)) return true;
  const found = (await env.APPS.head(engineKey(digest))) !== null;
  if (found) stored.add(digest);
  return found;
}

/** Stores an engine unless it is there; R2 checks the bytes against the digest on the way in. */
export async function putEngine(env: PlatformEnv, digest: string, bytes: Uint8Array): Promise<void> {
  if (await hasEngine(env, digest)) return;
  await env.APPS.put(engineKey(digest), bytes, { httpMetadata: { contentType: 'application/wasm' }, sha256: digest });
  stored.add(digest);
}

/** The engine's bytes, checked against its digest; undefined where no engine is stored under it. */
export function getEngine(env: PlatformEnv, digest: string): Promise<ArrayBuffer | undefined> {
  return recentlyUsed(read, digest, () => readChecked(env, digest));
}

async function readChecked(env: PlatformEnv, digest: string): Promise<ArrayBuffer | undefined> {
  const object = await env.APPS.get(engineKey(digest));
  if (!object) {
    stored.delete(digest);
    return undefined;
  }
  const bytes = await object.arrayBuffer();
  const actual = await sha256Hex(new Uint8Array(bytes));
  if (actual !== digest) {
    // Removed, so that publishing again stores it anew.
    await env.APPS.delete(engineKey(digest));
    stored.delete(digest);
    throw new TwirlError('engine-corrupt', `the stored engine ${digest.slice(0, 12)} has digest ${actual.slice(0, 12)}; publish the app again`);
  }
  return bytes;
}

/** Where an engine's base pages are named, and where base pages lie by their digest. */
const baseKey = (engine: string): string => `engines/${engine}.base`;
const pagesKey = (digest: string): string => `pages/${digest}.bin`;

/** Base pages this isolate read and checked, most recently used last (~4 MB each). */
const pagesRead = new Map<string, Promise<Uint8Array | undefined>>();

/** The base pages of `engine`, if it has some. */
export async function getBase(env: PlatformEnv, engine: string): Promise<BasePages | undefined> {
  const named = await env.APPS.get(baseKey(engine));
  if (!named) return undefined;
  const digest = await named.text();
  const pages = await getBasePages(env, digest).catch(() => undefined);
  return pages && { digest, pages };
}

/**
 * Stores base pages and names them the engine's. Two first publishes at once may each name
 * theirs: records name their base by digest, so either stays valid.
 */
export async function putBase(env: PlatformEnv, engine: string, base: BasePages): Promise<void> {
  await env.APPS.put(pagesKey(base.digest), base.pages, { sha256: base.digest });
  await env.APPS.put(baseKey(engine), base.digest);
}

export async function hasBasePages(env: PlatformEnv, digest: string): Promise<boolean> {
  return (await env.APPS.head(pagesKey(digest))) !== null;
}

/** Base pages by digest, checked against it; undefined where none are stored under it. */
export function getBasePages(env: PlatformEnv, digest: string): Promise<Uint8Array | undefined> {
  return recentlyUsed(pagesRead, digest, async () => {
    const object = await env.APPS.get(pagesKey(digest));
    if (!object) return undefined;
    const bytes = new Uint8Array(await object.arrayBuffer());
    const actual = await sha256Hex(bytes);
    if (actual !== digest) {
      // Removed, so that publishing again makes the app's records anew, on a base that is whole.
      await env.APPS.delete(pagesKey(digest));
      throw new TwirlError('pages-corrupt', `the stored memory pages ${digest.slice(0, 12)} have digest ${actual.slice(0, 12)}; publish the app again`);
    }
    return bytes;
  });
}

/** `cache`'s entry for `key`, made by `read` if absent; a failed or empty read is not kept. */
function recentlyUsed<T>(cache: Map<string, Promise<T | undefined>>, key: string, read: () => Promise<T | undefined>): Promise<T | undefined> {
  let pending = cache.get(key);
  if (pending) {
    cache.delete(key);
  } else {
    pending = read();
    pending.then(
      (value) => value ?? cache.delete(key),
      () => cache.delete(key),
    );
  }
  cache.set(key, pending);
  for (const oldest of cache.keys()) {
    if (cache.size <= KEPT_ENGINES) break;
    cache.delete(oldest);
  }
  return pending;
}

/** jco's glue by its digest (`glue/<sha256>.js`), shared by every component that has the same. */
const glueKey = (digest: string): string => `glue/${digest}.js`;

export async function putGlue(env: PlatformEnv, glue: { digest: string; bytes: Uint8Array }): Promise<void> {
  if ((await env.APPS.head(glueKey(glue.digest))) !== null) return;
  await env.APPS.put(glueKey(glue.digest), glue.bytes, { httpMetadata: { contentType: 'text/javascript' }, sha256: glue.digest });
}

export async function getGlue(env: PlatformEnv, digest: string): Promise<Uint8Array | undefined> {
  const object = await env.APPS.get(glueKey(digest));
  return object ? new Uint8Array(await object.arrayBuffer()) : undefined;
}
