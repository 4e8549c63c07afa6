/** Resolves a component's `files` mounts against the app's FileSource into the tree it sees. */
import type { FileMount } from '../manifest/types.ts';
import type { FileSource } from '../ports.ts';
import { TwirlError } from '../errors.ts';
import type { FileTree } from './wasi/filesystem.ts';

/** Glob (`*`, `**`, `?`, `{a,b}`) to a regular expression over forward-slash paths. */
export function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const slash = glob[i + 2] === '/';
        out += slash ? '(?:.*/)?' : '.*';
        i += slash ? 2 : 1;
      } else out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else if (c === '{') {
      const end = glob.indexOf('}', i);
      if (end < 0) out += '\\{';
      else {
        out += '(?:' + glob.slice(i + 1, end).split(',').map(escape).join('|') + ')';
        i = end;
      }
    } else out += escape(c);
  }
  return new RegExp(`^${out}$`);
}
const escape = (s: string): string => s.replace(/[.+^${}()|[\]\\*?]/g, '\\$&');
const clean = (p: string): string => p.replace(/^\.?\//, '').replace(/\/+$/, '');

function checkInside(path: string, field: string): void {
  if (path.split('/').includes('..'))
    throw new TwirlError('invalid-file-mount', `${field}: "${path}" leaves the app directory ('..' is not allowed in file mounts)`);
}

/** Guest path → source path for every mounted file. */
export function planMounts(mounts: readonly FileMount[], exclude: readonly string[], available: readonly string[]): Map<string, string> {
  const excluded = exclude.map((g) => globToRegExp(clean(g)));
  const plan = new Map<string, string>();
  for (const mount of mounts) {
    if ('glob' in mount) {
      checkInside(mount.glob, 'files');
      const pattern = globToRegExp(clean(mount.glob));
      for (const path of available) if (pattern.test(path)) plan.set('/' + path, path);
    } else {
      checkInside(mount.source, 'files.source');
      checkInside(mount.destination, 'files.destination');
      const source = clean(mount.source);
      const destination = '/' + clean(mount.destination);
      for (const path of available) {
        if (path === source) plan.set(destination, path);
        else if (source === '' || path.startsWith(source + '/')) {
          const rest = source === '' ? path : path.slice(source.length + 1);
          plan.set((destination === '/' ? '' : destination) + '/' + rest, path);
        }
      }
    }
  }
  for (const [guest, source] of plan) if (excluded.some((re) => re.test(source))) plan.delete(guest);
  return plan;
}

export async function loadFileTree(mounts: readonly FileMount[], exclude: readonly string[], files: FileSource): Promise<FileTree> {
  if (mounts.length === 0) return new Map();
  const plan = planMounts(mounts, exclude, await files.list());
  const tree = new Map<string, Uint8Array>();
  await Promise.all(
    [...plan].map(async ([guest, source]) => {
      const bytes = await files.read(source);
      if (bytes) tree.set(guest, bytes);
    }),
  );
  return tree;
}
