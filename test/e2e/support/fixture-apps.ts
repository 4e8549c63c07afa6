/** Apps the browser tests open from disk, zipped as a user would hand them to "Open zip". */
import { readFile, readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { zipSync } from 'fflate';
import { builtTemplate } from '../../../node/templates/built-template.ts';

/**
 * `test/fixtures/apps/stateful`, built: logs `hits=<n>` on stdout for each request and throws on
 * `/trap`. Its component is not one the playground ships, so opening it transpiles it in the browser.
 */
export function statefulAppZip(): Promise<Buffer> {
  return fixtureAppZip('stateful');
}

/** `test/fixtures/apps/<name>`, built and zipped under one top folder; `editManifest` may change its spin.toml. */
export async function fixtureAppZip(name: string, editManifest: (text: string) => string = (t) => t): Promise<Buffer> {
  const built = await builtTemplate(`fixtures/apps/${name}`);
  const entries: Record<string, Uint8Array> = {};
  for (const entry of await readdir(built.dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || entry.name === '.built') continue;
    const path = relative(built.dir, join(entry.parentPath, entry.name)).split(sep).join('/');
    const bytes = new Uint8Array(await readFile(join(built.dir, path)));
    entries[`${name}/${path}`] = path === 'spin.toml' ? new TextEncoder().encode(editManifest(new TextDecoder().decode(bytes))) : bytes;
  }
  return Buffer.from(zipSync(entries, { level: 1 }));
}

/** The stateful app's component alone, as a user would upload a `.wasm` built elsewhere. */
export async function statefulComponent(): Promise<Buffer> {
  const built = await builtTemplate('fixtures/apps/stateful');
  return Buffer.from(built.components['stateful']!);
}
