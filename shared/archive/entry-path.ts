/** Paths inside an app archive or an imported folder, and where its spin.toml may be. */
import { TwirlError } from '../errors.ts';

export const MANIFEST_NAME = 'spin.toml';

/** Forward slashes, no leading `./`; a path that is absolute, names a drive or climbs with `..` would leave the app, so it is refused. */
export function appEntryPath(name: string): string {
  const path = name.replace(/\\/g, '/').replace(/^(\.\/)+/, '');
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path) || path.split('/').includes('..')) {
    throw new TwirlError('invalid-path', `archive entry "${name}" leaves the app folder`);
  }
  return path;
}

/**
 * The app's files relative to its spin.toml. The one layout rule: spin.toml at the top, or under
 * exactly one top folder that holds everything (as zipping a folder gives).
 */
export function appRootEntries(entries: Map<string, Uint8Array>): Map<string, Uint8Array> {
  if (entries.has(MANIFEST_NAME)) return entries;
  const tops = new Set([...entries.keys()].map((name) => name.split('/')[0]));
  const [top] = tops;
  if (tops.size !== 1 || !entries.has(`${top}/${MANIFEST_NAME}`)) {
    throw new TwirlError('missing-manifest', `there is no ${MANIFEST_NAME} at the top of the app, nor under a single top folder holding everything`);
  }
  return new Map([...entries].map(([name, data]) => [name.slice(top!.length + 1), data]));
}
