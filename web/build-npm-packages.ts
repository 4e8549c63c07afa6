/**
 * The npm packages the templates depend on, packed for the in-browser build (Node, run by
 * build-templates.ts): `__twirl/npm/index.json` (the names) and `__twirl/npm/<name>.json`, each
 * a package's manifest and its ES module files as text, read by web/build/npm-packages.ts.
 */
import { readFile, readdir, writeFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { packedPackageFile, type NpmPackage, type PackageManifest } from '../shared/build/npm-package.ts';
import { messageOf } from '../shared/errors.ts';

/** Module files a bundle may load; CommonJS builds and type declarations are left behind. */
const MODULE_FILE = /\.(js|mjs|json)$/;
const SKIPPED_DIRS = new Set(['node_modules', 'cjs', 'types', 'test', 'tests', '.git']);

/** The installed package `name` as the browser build sees it. */
export async function packNpmPackage(name: string, from = import.meta.url): Promise<NpmPackage> {
  const dir = packageDir(name, from);
  const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as PackageManifest;
  const files: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !MODULE_FILE.test(entry.name) || entry.name.endsWith('.d.ts')) continue;
    const path = relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/');
    if (path.split('/').some((part) => SKIPPED_DIRS.has(part))) continue;
    files[path] = await readFile(join(dir, path), 'utf8');
  }
  const { exports, module, main, browser, version } = manifest;
  return { manifest: { name, version, exports, module, main, browser }, files };
}

/** Writes each package and the index into `<out>/npm/`. */
export async function writeNpmPackages(out: string, names: readonly string[]): Promise<void> {
  await mkdir(join(out, 'npm'), { recursive: true });
  const written: string[] = [];
  for (const name of [...new Set(names)].sort()) {
    try {
      await writeFile(join(out, 'npm', packedPackageFile(name)), JSON.stringify(await packNpmPackage(name)));
      written.push(name);
    } catch (err) {
      console.error(`twirl playground: npm package ${name} left out of the browser build: ${messageOf(err)}`);
    }
  }
  await writeFile(join(out, 'npm', 'index.json'), JSON.stringify(written));
}

/** The dependencies a template's package.json names; none without one. */
export async function templateDependencies(templateDir: string): Promise<string[]> {
  const text = await readFile(join(templateDir, 'package.json'), 'utf8').catch(() => undefined);
  if (!text) return [];
  return Object.keys((JSON.parse(text) as { dependencies?: Record<string, string> }).dependencies ?? {});
}

function packageDir(name: string, from: string): string {
  // Resolving the main entry would obey `exports`; the folder is found by walking up from it.
  const require = createRequire(from);
  for (const base of require.resolve.paths(name) ?? []) {
    const dir = join(base, name);
    try {
      require.resolve(join(dir, 'package.json'));
      return dir;
    } catch {
      continue;
    }
  }
  return dirname(require.resolve(`${name}/package.json`));
}
