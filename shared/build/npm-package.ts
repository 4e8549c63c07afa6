/**
 * npm packages as a bundler with no file system sees them: a package's manifest and its files
 * as text, and Node's rules for which file `import 'name/sub'` means (the `exports` map, then
 * `module`/`main`).
 */

/** The fields of a package.json that choose its entry points. */
export interface PackageManifest {
  name: string;
  version: string;
  exports?: unknown;
  module?: string;
  main?: string;
  browser?: unknown;
}

export interface NpmPackage {
  manifest: PackageManifest;
  /** The package's module files by path inside it (`dist/index.js`), as text. */
  files: Record<string, string>;
}

/** Where a bundle's bare imports come from; undefined for a package that is not available. */
export interface NpmPackages {
  load(name: string): Promise<NpmPackage | undefined>;
  /** The names that `load` finds, for telling the user what is there. */
  available(): Promise<string[]>;
}

/** The one file a packed package is stored in (`@scope/pkg` → `@scope__pkg.json`), so packages need no folders. */
export const packedPackageFile = (name: string): string => `${name.replace('/', '__')}.json`;

/** The conditions a component's bundle is resolved with: a worker-like runtime, ES modules. */
export const CONDITIONS = ['workerd', 'worker', 'browser', 'import', 'module', 'default'] as const;

/** `hono/cors` → `['hono', './cors']`; `@scope/pkg` → `['@scope/pkg', '.']`. */
export function splitSpecifier(specifier: string): [name: string, subpath: string] {
  const parts = specifier.split('/');
  const size = specifier.startsWith('@') ? 2 : 1;
  const rest = parts.slice(size).join('/');
  return [parts.slice(0, size).join('/'), rest ? `./${rest}` : '.'];
}

/**
 * The file (path inside the package, no `./`) that `subpath` of the package names, by its
 * `exports` map where it has one; undefined where the package does not export it.
 */
export function resolveExport(manifest: PackageManifest, subpath: string, conditions: readonly string[] = CONDITIONS): string | undefined {
  const { exports } = manifest;
  if (exports === undefined || exports === null) return subpath === '.' ? legacyMain(manifest) : subpath.slice(2);
  const map = subpathMap(exports);
  const exact = map[subpath];
  if (exact !== undefined) return stripDot(target(exact, conditions, ''));
  // `./*` patterns: the longest prefix before the star wins, as in Node.
  const patterns = Object.keys(map)
    .filter((key) => key.includes('*'))
    .sort((a, b) => b.indexOf('*') - a.indexOf('*'));
  for (const key of patterns) {
    const [prefix, suffix] = key.split('*') as [string, string];
    if (subpath.startsWith(prefix) && subpath.endsWith(suffix) && subpath.length >= key.length - 1) {
      return stripDot(target(map[key], conditions, subpath.slice(prefix.length, subpath.length - suffix.length)));
    }
  }
  return undefined;
}

/** `exports` as a map of subpaths: a string or a conditions object stands for `.` alone. */
function subpathMap(exports: unknown): Record<string, unknown> {
  if (typeof exports === 'string' || Array.isArray(exports)) return { '.': exports };
  const object = exports as Record<string, unknown>;
  return Object.keys(object).some((key) => key.startsWith('.')) ? object : { '.': object };
}

/** A target: a path, the first usable of an array, or the first matching condition of an object. */
function target(value: unknown, conditions: readonly string[], star: string): string | undefined {
  if (typeof value === 'string') return value.replaceAll('*', star);
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = target(item, conditions, star);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (value && typeof value === 'object') {
    for (const [condition, next] of Object.entries(value)) {
      if (!conditions.includes(condition)) continue;
      const found = target(next, conditions, star);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

const stripDot = (path: string | undefined): string | undefined => path?.replace(/^\.\//, '');

function legacyMain(manifest: PackageManifest): string {
  const browser = typeof manifest.browser === 'string' ? manifest.browser : undefined;
  return stripDot(browser ?? manifest.module ?? manifest.main ?? 'index.js')!;
}
