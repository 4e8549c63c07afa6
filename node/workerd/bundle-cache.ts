/**
 * A local run bundles an app once per content: the bundle is kept beside the hash of all that
 * went into it (manifest, component bytes, mounted files, the worker code and dependencies) and
 * used as is while that hash holds, so a second `twirl up` of an unchanged app skips esbuild,
 * preparation and copying.
 */
import { createHash, type Hash } from 'node:crypto';
import { readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleApp, bundleAt, mountedFiles, readManifest, type AppBundle } from './bundle.ts';
import { sourceMapPathOf } from '../toolchain/component-source-map.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
/** Sources a bundle is made from besides the app: the runtime, the bundler, component preparation, and dependency versions. */
const CODE_INPUTS = ['worker', 'shared', 'node/workerd', 'node/component', 'node/host', 'node/toolchain/component-source-map.ts', 'package-lock.json'];
const KEY_FILE = '.twirl-bundle-key';

export interface CachedBundleOptions {
  appDir: string;
  manifestPath: string;
  outDir: string;
}

/** The bundle in `outDir` when it was made from the same inputs; otherwise a new one, put there. */
export async function cachedBundle(options: CachedBundleOptions): Promise<AppBundle & { reused: boolean }> {
  const keyFile = join(options.outDir, KEY_FILE);
  // Any input that cannot be read is left to bundleApp, which says what is wrong.
  const key = await bundleKey(options).catch(() => undefined);
  if (key && (await readFile(keyFile, 'utf8').catch(() => '')) === key) {
    return { ...bundleAt(options.outDir, await readManifest(options.manifestPath)), reused: true };
  }
  // Written only once the bundle is whole, so a bundle cut short is never taken for a good one.
  await rm(keyFile, { force: true });
  const bundle = await bundleApp(options);
  if (key) await writeFile(keyFile, key);
  return { ...bundle, reused: false };
}

async function bundleKey({ appDir, manifestPath }: CachedBundleOptions): Promise<string> {
  const hash = createHash('sha256').update(`twirl-bundle 1\0${await codeVersion()}\0`);
  const app = await readManifest(manifestPath);
  hash.update(await readFile(manifestPath)).update('\0');
  for (const component of Object.values(app.components)) {
    // A downloaded component is named by its digest, which the manifest already holds.
    if (!('path' in component.source)) continue;
    const path = resolve(appDir, component.source.path);
    addFile(hash, component.source.path, await readFile(path));
    // The source map kept beside it goes into the bundle too (its log lines name the app's files).
    addFile(hash, `${component.source.path}.map`, await readFile(sourceMapPathOf(path)).catch(() => new Uint8Array()));
  }
  for (const path of await mountedFiles(appDir, app)) addFile(hash, path, await readFile(join(appDir, path)));
  return hash.digest('hex');
}

function addFile(hash: Hash, name: string, bytes: Uint8Array): void {
  hash.update(`${name}\0${bytes.length}\0`).update(bytes);
}

let version: Promise<string> | undefined;

/** Hash of the code a bundle is made from, once per process. */
function codeVersion(): Promise<string> {
  version ??= (async () => {
    const hash = createHash('sha256');
    for (const input of CODE_INPUTS) {
      for (const file of await filesUnder(join(repoRoot, input))) addFile(hash, relative(repoRoot, file), await readFile(file));
    }
    return hash.digest('hex');
  })();
  return version;
}

/** Files under `path` (itself when a file, none when absent), in a stable order. */
async function filesUnder(path: string): Promise<string[]> {
  const info = await stat(path).catch(() => undefined);
  if (!info) return [];
  if (!info.isDirectory()) return [path];
  return (await readdir(path, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
}
