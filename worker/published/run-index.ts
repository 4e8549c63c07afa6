/**
 * What running a published app needs to know of its archive without inflating its components:
 * where each component's entry is and the digest its prepared record is kept under. Written at
 * publishing (`run-index/<app digest>.json`); an app published before there was one gets it on
 * its first run. Without it, a new isolate would inflate and hash every component (most of an
 * archive) only to look up records it names by digest.
 */
import { sha256Hex } from '../../shared/digest.ts';
import type { PlatformEnv } from '../env.ts';
import type { AppArchive } from './archive.ts';

export interface RunIndex {
  /** Where the app sits in the archive: `''`, or its one top folder (`<folder>/`). */
  root: string;
  /** Component id → its entry's path relative to the manifest, and the sha256 of its bytes. */
  components: Record<string, { path: string; digest: string }>;
}

const runIndexKey = (digest: string): string => `run-index/${digest}.json`;

export async function runIndexOf(archive: AppArchive): Promise<RunIndex> {
  const components: RunIndex['components'] = {};
  for (const [id, bytes] of archive.components) components[id] = { path: archive.componentPaths.get(id)!, digest: await sha256Hex(bytes) };
  return { root: archive.root, components };
}

export async function putRunIndex(env: PlatformEnv, digest: string, index: RunIndex): Promise<void> {
  await env.APPS.put(runIndexKey(digest), JSON.stringify(index), { httpMetadata: { contentType: 'application/json' } });
}

/** The app's index; undefined where there is none or it does not read as one (it is then made again). */
export async function getRunIndex(env: PlatformEnv, digest: string): Promise<RunIndex | undefined> {
  const object = await env.APPS.get(runIndexKey(digest));
  if (!object) return undefined;
  try {
    const index = (await object.json()) as RunIndex;
    const valid =
      typeof index.root === 'string' &&
      typeof index.components === 'object' &&
      index.components !== null &&
      Object.values(index.components).every((c) => typeof c?.path === 'string' && /^[0-9a-f]{64}$/.test(String(c.digest)));
    return valid ? index : undefined;
  } catch {
    return undefined;
  }
}
