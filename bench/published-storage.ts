/**
 * What published apps leave in the platform's R2 bucket, read from a stopped local worker's state
 * (miniflare persists R2 under `<persistDir>/published`): every object's key and size.
 */
import { join, resolve } from 'node:path';
import { Miniflare } from 'miniflare';

export interface StoredObject {
  key: string;
  size: number;
  /** The object's bytes, where `read` asked for them. */
  bytes?: Uint8Array;
}

/** Every object in the `APPS` bucket of the worker state at `persistDir` (the worker must be stopped). */
export async function storedObjects(persistDir: string, read: (key: string) => boolean = () => false): Promise<StoredObject[]> {
  const mf = bucketReader(persistDir);
  try {
    const bucket = await mf.getR2Bucket('APPS');
    const out: StoredObject[] = [];
    let cursor: string | undefined;
    do {
      const page = await bucket.list({ ...(cursor ? { cursor } : {}), limit: 1000 });
      for (const o of page.objects) {
        const object: StoredObject = { key: o.key, size: o.size };
        if (read(o.key)) object.bytes = new Uint8Array(await (await bucket.get(o.key))!.arrayBuffer());
        out.push(object);
      }
      cursor = page.truncated ? page.cursor : undefined;
    } while (cursor);
    return out.sort((a, b) => a.key.localeCompare(b.key));
  } finally {
    await mf.dispose();
  }
}

/** Removes `keys` from the `APPS` bucket of the worker state at `persistDir` (the worker must be stopped). */
export async function deleteStoredObjects(persistDir: string, keys: string[]): Promise<void> {
  const mf = bucketReader(persistDir);
  try {
    await (await mf.getR2Bucket('APPS')).delete(keys);
  } finally {
    await mf.dispose();
  }
}

/** A bare worker on the persisted bucket, to reach it from Node. */
function bucketReader(persistDir: string): Miniflare {
  return new Miniflare({
    modules: true,
    script: 'export default { fetch: () => new Response(null, { status: 204 }) };',
    r2Buckets: { APPS: 'twirl-apps' },
    r2Persist: join(resolve(persistDir), 'published'),
  });
}
