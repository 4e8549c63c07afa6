/**
 * The npm packages the in-browser build can bundle: those the playground build packed into
 * `__twirl/npm/` (web/build-npm-packages.ts), fetched when a bundle first imports one.
 */
import { packedPackageFile, type NpmPackage, type NpmPackages } from '../../shared/build/npm-package.ts';

const byBase = new Map<string, NpmPackages>();

/** The packages served under `<base>__twirl/npm/`; each fetched at most once per worker. */
export function servedPackages(base: string): NpmPackages {
  let packages = byBase.get(base);
  if (!packages) byBase.set(base, (packages = fetchedPackages(base)));
  return packages;
}

function fetchedPackages(base: string): NpmPackages {
  const folder = new URL('__twirl/npm/', base);
  let index: Promise<string[]> | undefined;
  const loaded = new Map<string, Promise<NpmPackage | undefined>>();
  const available = (): Promise<string[]> =>
    (index ??= fetch(new URL('index.json', folder))
      .then((r) => (r.ok ? (r.json() as Promise<string[]>) : []))
      .catch(() => []));
  return {
    available,
    load(name) {
      let pkg = loaded.get(name);
      if (!pkg) {
        pkg = available().then(async (names) => {
          if (!names.includes(name)) return undefined;
          const response = await fetch(new URL(packedPackageFile(name), folder));
          if (!response.ok) throw new Error(`fetching the npm package ${name} failed: ${response.status}`);
          return (await response.json()) as NpmPackage;
        });
        loaded.set(name, pkg);
        pkg.catch(() => loaded.delete(name));
      }
      return pkg;
    },
  };
}
