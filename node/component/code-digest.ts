/**
 * Cache keys that change with the code that makes what is cached: a digest of files of
 * `shared/` (and any other files), read as this installation has them.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';

/** `files`: paths relative to `shared/`; `others`: absolute paths (a package's package.json, say). */
export async function sharedCodeDigest(files: readonly string[], others: readonly string[] = []): Promise<string> {
  const hash = createHash('sha256');
  for (const file of [...files.map((f) => resolve(import.meta.dirname, '../../shared', f)), ...others]) hash.update(await readFile(file));
  return hash.digest('hex').slice(0, 12);
}
