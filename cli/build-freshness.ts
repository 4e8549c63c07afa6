/**
 * Whether a component's build is up to date: its `source` exists and no file its `build.watch`
 * globs match is newer. `twirl watch` rebuilds at start only what is not.
 */
import { readdir, stat } from 'node:fs/promises';
import { join, posix, relative, resolve, sep } from 'node:path';
import { globToRegExp } from '../shared/host/files.ts';
import type { App, ComponentConfig } from '../shared/manifest/types.ts';

/** Never sources: dependencies, Twirl's own state. */
const SKIPPED = new Set(['node_modules', '.twirl', '.git']);

/** The ids of components with a build command whose output is missing or older than a watched file. */
export async function staleComponents(appDir: string, app: App): Promise<string[]> {
  const stale: string[] = [];
  for (const component of Object.values(app.components)) {
    if (component.build && !(await isBuilt(appDir, component))) stale.push(component.id);
  }
  return stale;
}

async function isBuilt(appDir: string, component: ComponentConfig): Promise<boolean> {
  if (!('path' in component.source) || !component.build) return true;
  const output = await stat(resolve(appDir, component.source.path)).catch(() => undefined);
  if (!output) return false;
  const workdir = resolve(appDir, component.build.workdir ?? '.');
  const patterns = component.build.watch.map((g) => globToRegExp(posix.normalize(g)));
  // No watch globs: nothing says what the output depends on, so it is taken as current only if it exists.
  for (const file of await filesUnder(workdir)) {
    const path = relative(workdir, file).split(sep).join('/');
    if (!patterns.some((p) => p.test(path))) continue;
    const changed = await stat(file).catch(() => undefined);
    if (changed && changed.mtimeMs > output.mtimeMs) return false;
  }
  return true;
}

async function filesUnder(dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    if (SKIPPED.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await filesUnder(path)));
    else if (entry.isFile()) files.push(path);
  }
  return files;
}
