/**
 * Templates built with the TypeScript pre-initializer, cached on disk like `builtTemplate`'s
 * native builds, and a way to run either kind through the engine.
 */
import { createHash } from 'node:crypto';
import { cp, mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { componentizeBundleTs } from '../../../node/toolchain/preinit-node.ts';
import { bundleEntry } from '../../../node/toolchain/bundle.ts';
import { parseComponentizeArgs } from '../../../node/toolchain/componentize.ts';
import { loadComponent } from '../../../node/component/load-component.ts';
import { directoryFileSource } from '../../../node/host/directory-file-source.ts';
import { Engine, type EngineOptions } from '../../../shared/engine.ts';
import { MemoryKeyValueBackend } from '../../../shared/key-value-memory.ts';
import { loadManifest, parseManifest } from '../../../shared/manifest/parse.ts';
import type { LoadedComponent } from '../../../shared/component/instantiate.ts';
import { builtTemplate, type BuiltTemplate } from '../../../node/templates/built-template.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const cacheRoot = join(repoRoot, '.cache', 'components-ts');
/** What a TS-built component depends on besides what the native build's cache key covers. */
const BUILD_INPUTS = ['shared/build', 'node/toolchain/preinit-node.ts', 'test/unit/build/ts-built-template.ts'];

const builds = new Map<string, Promise<BuiltTemplate>>();

/** `templates/<name>` with every component built by the TypeScript pre-initializer. */
export function tsBuiltTemplate(name: string): Promise<BuiltTemplate> {
  let build = builds.get(name);
  if (!build) {
    build = buildTs(name);
    builds.set(name, build);
    build.catch(() => builds.delete(name));
  }
  return build;
}

async function buildTs(name: string): Promise<BuiltTemplate> {
  // The native build's folder name already hashes the template and the shared toolchain.
  const native = await builtTemplate(name);
  const dir = join(cacheRoot, `${basename(native.dir)}-${(await inputsHash()).slice(0, 12)}`);
  const manifestPath = join(dir, 'spin.toml');
  const sources = buildCommands(await readFile(native.manifestPath, 'utf8'), native.manifestPath);
  if (!(await stat(join(dir, '.built')).then(() => true, () => false))) {
    const staging = `${dir}.${process.pid}.${Date.now()}`;
    await mkdir(cacheRoot, { recursive: true });
    await cp(native.dir, staging, { recursive: true });
    for (const { command, workdir } of sources) {
      const args = parseComponentizeArgs(command.trim().split(/\s+/).slice(2));
      const base = join(staging, workdir ?? '');
      const { component } = await componentizeBundleTs(await bundleEntry(join(base, args.entry)), args.world);
      await mkdir(dirname(join(base, args.out)), { recursive: true });
      await writeFile(join(base, args.out), component);
    }
    await writeFile(join(staging, '.built'), '');
    await rename(staging, dir).catch(() => rm(staging, { recursive: true, force: true }));
  }
  const components: Record<string, Uint8Array> = {};
  for (const id of Object.keys(native.components)) {
    const source = sourceOf(await readFile(manifestPath, 'utf8'), manifestPath, id);
    components[id] = new Uint8Array(await readFile(join(dir, source)));
  }
  return { dir, manifestPath, components };
}

function buildCommands(text: string, file: string): Array<{ command: string; workdir?: string }> {
  const { app } = parseManifest(text, file);
  if (!app) throw new Error(`${file} does not parse`);
  return Object.values(app.components).flatMap((c) => (c.build ? [c.build] : []));
}

function sourceOf(text: string, file: string, id: string): string {
  const source = parseManifest(text, file).app?.components[id]?.source;
  if (!source || !('path' in source)) throw new Error(`component ${id} has no local source`);
  return source.path;
}

async function inputsHash(): Promise<string> {
  const hash = createHash('sha256');
  for (const input of BUILD_INPUTS) {
    const path = join(repoRoot, input);
    const files = (await stat(path)).isDirectory() ? (await readdir(path)).sort().map((f) => join(path, f)) : [path];
    for (const file of files) hash.update(`${file.slice(repoRoot.length)}\0`).update(await readFile(file)).update('\0');
  }
  return hash.digest('hex');
}

/** An engine over a built template with in-memory key-value; `request` takes a path. */
export async function engineFor(built: BuiltTemplate, overrides: Partial<EngineOptions> = {}): Promise<(path: string, init?: RequestInit) => Promise<Response>> {
  const app = loadManifest(await readFile(built.manifestPath, 'utf8'), built.manifestPath, { variables: overrides.variables });
  const components = new Map<string, LoadedComponent>();
  for (const [id, bytes] of Object.entries(built.components)) components.set(id, await loadComponent(bytes));
  const engine = await Engine.create({
    app,
    components,
    keyValue: new MemoryKeyValueBackend(),
    fetch: (r) => fetch(r),
    files: directoryFileSource(built.dir),
    logs: { write: () => {} },
    ...overrides,
  });
  return (path, init) => engine.handle(new Request(new URL(path, 'http://127.0.0.1:3000'), init), { clientAddr: '127.0.0.1:54321' });
}
