/** Published archives in R2, content-addressed by the sha256 of their bytes. */
import type { PlatformEnv } from '../env.ts';

const archiveKey = (digest: string): string => `apps/${digest}.zip`;

/** Digests this isolate has seen stored; archives are immutable, so the answer never goes stale. */
const known = new Set<string>();

/** `fresh`: asks R2 even if this isolate saw the archive before (an app taken down is gone for new isolates at once). */
export async function hasArchive(env: PlatformEnv, digest: string, fresh = false): Promise<boolean> {
  if (known.has(digest) && !fresh) return true;
  const found = (await env.APPS.head(archiveKey(digest))) !== null;
  if (found) known.add(digest);
  else known.delete(digest);
  return found;
}

export async function getArchive(env: PlatformEnv, digest: string): Promise<Uint8Array | undefined> {
  const object = await env.APPS.get(archiveKey(digest));
  return object ? new Uint8Array(await object.arrayBuffer()) : undefined;
}

export async function putArchive(env: PlatformEnv, digest: string, bytes: Uint8Array): Promise<void> {
  await env.APPS.put(archiveKey(digest), bytes, { httpMetadata: { contentType: 'application/zip' }, sha256: digest });
  known.add(digest);
}
