/** FileSource over an app directory on disk. */
import { readFile, readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { FileSource } from '../../shared/ports.ts';

const skipped = new Set(['node_modules', '.twirl', '.git']);

export function directoryFileSource(root: string): FileSource {
  return {
    async read(path) {
      try {
        return new Uint8Array(await readFile(join(root, path)));
      } catch {
        return undefined;
      }
    },
    async list() {
      const entries = await readdir(root, { recursive: true, withFileTypes: true });
      return entries
        .filter((e) => e.isFile())
        .map((e) => relative(root, join(e.parentPath, e.name)).split(sep).join('/'))
        .filter((p) => !skipped.has(p.split('/')[0]!));
    },
  };
}
