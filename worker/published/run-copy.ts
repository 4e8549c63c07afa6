/**
 * A published app as a new isolate needs it: its manifest, its files and each component's
 * digest (the key of its prepared record), without the components themselves — which are most
 * of an archive, and which a run would otherwise read from R2, inflate and hash only to look up
 * records it can name by digest. Made at publishing (`run-copies/<app digest>.zip`); an app
 * published before there were copies gets one on its first run.
 */
import { zipSync } from 'fflate';
import { sha256Hex } from '../../shared/digest.ts';
import { readZipEntries, type ArchiveLimits } from '../../shared/archive/zip-entries.ts';
import { loadManifest } from '../../shared/manifest/parse.ts';
import type { App } from '../../shared/manifest/types.ts';
import type { PlatformEnv } from '../env.ts';
import { componentEntries, type AppArchive } from './archive.ts';
import { preparedByDigest, type PrepareUse } from './prepared.ts';
import type { SplitPrepared } from './split-prepared.ts';

export interface RunCopy {
  app: App;
  /** Every file of the app but its manifest and components, by its path relative to the manifest. */
  files: Map<string, Uint8Array>;
  /** Component id → the sha256 of its bytes, for every component a trigger routes to. */
  components: Map<string, string>;
}

const runCopyKey = (digest: string): string => `run-copies/${digest}.zip`;
/** The copy's own entry; the app's entries are under `app/`, so no file of the app can take its name. */
const COMPONENTS_ENTRY = 'components.json';
const APP_PREFIX = 'app/';

/**
 * Prepares (or finds prepared) every component of `archive` and writes the app's run copy: what
 * publishing does, and a first run of an app published before there were copies.
 */
export async function preparedApp(env: PlatformEnv, digest: string, archive: AppArchive, use: PrepareUse = {}): Promise<Map<string, SplitPrepared>> {
  const digests = new Map<string, string>();
  for (const [id, bytes] of archive.components) digests.set(id, await sha256Hex(bytes));
  const prepared = await preparedComponents(env, digests, async (id) => archive.components.get(id)!, use);
  await putRunCopy(env, digest, archive, digests);
  return prepared;
}

/**
 * The record of each component (id → the sha256 of its bytes), each digest's once: components
 * may share one .wasm, as in Spin, and then share its record.
 */
export async function preparedComponents(env: PlatformEnv, digests: ReadonlyMap<string, string>, bytesOf: (id: string) => Promise<Uint8Array>, use: PrepareUse = {}): Promise<Map<string, SplitPrepared>> {
  const byDigest = new Map<string, SplitPrepared>();
  const prepared = new Map<string, SplitPrepared>();
  for (const [id, digest] of digests) {
    let record = byDigest.get(digest);
    if (!record) byDigest.set(digest, (record = await preparedByDigest(env, digest, id, () => bytesOf(id), use)));
    prepared.set(id, record);
  }
  return prepared;
}

async function putRunCopy(env: PlatformEnv, digest: string, archive: AppArchive, components: ReadonlyMap<string, string>): Promise<void> {
  const encoder = new TextEncoder();
  const entries: Record<string, Uint8Array> = {
    [COMPONENTS_ENTRY]: encoder.encode(JSON.stringify(Object.fromEntries(components))),
    [`${APP_PREFIX}spin.toml`]: encoder.encode(archive.manifest),
  };
  for (const [path, bytes] of archive.files) entries[APP_PREFIX + path] = bytes;
  await env.APPS.put(runCopyKey(digest), zipSync(entries, { level: 1 }), { httpMetadata: { contentType: 'application/zip' } });
}

/** The app's run copy; undefined where there is none or it does not read as one (it is then made again). */
export async function getRunCopy(env: PlatformEnv, digest: string, limits: ArchiveLimits): Promise<RunCopy | undefined> {
  const object = await env.APPS.get(runCopyKey(digest));
  if (!object) return undefined;
  try {
    const entries = await readZipEntries(new Uint8Array(await object.arrayBuffer()), limits);
    const listed = JSON.parse(new TextDecoder().decode(entries.get(COMPONENTS_ENTRY))) as Record<string, unknown>;
    const app = loadManifest(new TextDecoder().decode(entries.get(`${APP_PREFIX}spin.toml`)), 'spin.toml');
    const components = new Map(Object.entries(listed).filter((e): e is [string, string] => typeof e[1] === 'string' && /^[0-9a-f]{64}$/.test(e[1])));
    const routed = [...componentEntries(app).keys()];
    if (components.size !== Object.keys(listed).length || routed.length !== components.size || !routed.every((id) => components.has(id))) return undefined;
    const files = new Map<string, Uint8Array>();
    for (const [path, bytes] of entries) if (path.startsWith(APP_PREFIX) && path !== `${APP_PREFIX}spin.toml`) files.set(path.slice(APP_PREFIX.length), bytes);
    return { app, files, components };
  } catch {
    return undefined;
  }
}
