/**
 * The source files a module reaches through its imports, directly or not, and the packages they
 * import: what a cache of that module's output must be keyed on. esbuild resolves the imports
 * (static and dynamic, as the bundler would), without writing anything.
 */
import { build } from 'esbuild';
import { join, resolve } from 'node:path';

const repoRoot = resolve(import.meta.dirname, '../..');

export interface SourceClosure {
  /** Absolute paths, sorted. */
  files: string[];
  /** Package names (`@scope/name`), sorted; `node:` modules left out. */
  packages: string[];
}

/** `entries`: paths relative to the repository's root. */
export async function sourceClosure(entries: readonly string[]): Promise<SourceClosure> {
  const { metafile } = await build({
    entryPoints: entries.map((entry) => join(repoRoot, entry)),
    absWorkingDir: repoRoot,
    bundle: true,
    write: false,
    metafile: true,
    outdir: 'closure',
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'silent',
  });
  const packages = new Set<string>();
  for (const input of Object.values(metafile.inputs)) {
    for (const { path, external } of input.imports) if (external && !path.startsWith('node:')) packages.add(packageName(path));
  }
  return { files: Object.keys(metafile.inputs).map((path) => join(repoRoot, path)).sort(), packages: [...packages].sort() };
}

/** `@scope/name/sub/path` → `@scope/name`; `name/sub` → `name`. */
const packageName = (specifier: string): string => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
