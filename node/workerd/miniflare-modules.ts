/** A bundle folder (deployed app or platform worker) as miniflare's module list, typed as wrangler's rules type them. */
import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

type ModuleType = 'ESModule' | 'CompiledWasm' | 'Data';

const typeByExtension: Record<string, ModuleType> = { '.js': 'ESModule', '.wasm': 'CompiledWasm', '.bin': 'Data' };

export interface BundleModules {
  modulesRoot: string;
  /** The entry first, as miniflare expects. */
  modules: Array<{ type: ModuleType; path: string }>;
}

export async function bundleModules(dir: string, entry = 'index.js'): Promise<BundleModules> {
  const files = (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
    .filter((name) => name !== entry);
  const modules: BundleModules['modules'] = [{ type: 'ESModule', path: join(dir, entry) }];
  for (const name of files.sort()) {
    const type = typeByExtension[name.slice(name.lastIndexOf('.'))];
    if (type) modules.push({ type, path: join(dir, name) });
  }
  return { modulesRoot: dir, modules };
}
