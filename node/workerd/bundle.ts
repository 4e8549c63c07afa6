/**
 * Deployed mode (Node): bundles an app into a worker wrangler can deploy as is: `wrangler.toml`
 * (with the key-value Durable Object) beside `worker/`, which holds the app runtime (`index.js`),
 * a generated `app.js` importing each component's glue and core modules (uploaded as compiled
 * Wasm modules), and the mounted files as data modules. Glue and core modules are named by
 * content, so a JS engine (or a .wasm several components share) is in the bundle once; each JS
 * component adds its snapshot, whose pages go into one pool for the whole bundle.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { digestOf, prepareOnDisk, readSnapshot } from '../component/load-component.ts';
import { PagePool } from '../../shared/component/engine-snapshot.ts';
import { encodeSnapshot } from '../../shared/component/snapshot-codec.ts';
import { directoryFileSource } from '../host/directory-file-source.ts';
import { ManifestError, TwirlError } from '../../shared/errors.ts';
import { planMounts } from '../../shared/host/files.ts';
import { parseManifest } from '../../shared/manifest/parse.ts';
import type { App, ComponentConfig } from '../../shared/manifest/types.ts';
import { buildIsolates } from './isolates-build.ts';
import { cloudflareLimits, estimateMemory, type BundleFootprint } from './bundle-limits.ts';
import { readLayout } from '../../shared/wasm/module-layout.ts';
import { COMPATIBILITY_DATE, COMPATIBILITY_FLAGS } from '../../worker/compatibility.ts';
import { appModuleSource, contentModuleName, fileModuleName, type AppModulePlan, type SnapshotModules } from '../../worker/isolates/app-module.ts';
import { appWranglerToml } from './app-wrangler-toml.ts';
import { readKeptSourceMap } from '../toolchain/component-source-map.ts';
import type { SourceMapJson } from '../../shared/build/source-map.ts';

export interface BundleOptions {
  appDir: string;
  /** Default: `<appDir>/spin.toml`. */
  manifestPath?: string;
  /** Default: `<appDir>/.twirl/deploy`. */
  outDir?: string;
}

export interface AppBundle {
  outDir: string;
  /** `<outDir>/worker`: the modules, and nothing else, so wrangler uploads nothing foreign. */
  modulesDir: string;
  configPath: string;
  app: App;
  workerName: string;
  /** Sizes that Cloudflare's limits apply to (known when bundleApp made the bundle). */
  footprint?: BundleFootprint;
}

const MARKER = '.twirl-bundle';
const MODULES_DIR = 'worker';

export async function bundleApp(options: BundleOptions): Promise<AppBundle> {
  const appDir = resolve(options.appDir);
  const manifestPath = resolve(options.manifestPath ?? join(appDir, 'spin.toml'));
  const outDir = resolve(options.outDir ?? join(appDir, '.twirl', 'deploy'));
  const modulesDir = join(outDir, MODULES_DIR);
  const app = await readManifest(manifestPath);
  const { deployed } = await buildIsolates();

  await clearPreviousBundle(outDir);
  const plan: AppModulePlan = { app, components: [], files: {} };
  // Write tracking makes each reset copy back only the pages a request dirtied, at the price of
  // bigger compiled code: kept where the isolate's memory allows it, dropped where it does not.
  const used = new Set(app.triggers.flatMap((t) => (t.component ? [t.component] : [])));
  // Read (or downloaded) once: the untracked attempt, if any, prepares the same bytes.
  const sources = new Map<ComponentConfig, Uint8Array>();
  for (const component of Object.values(app.components).filter((c) => used.has(c.id))) sources.set(component, await componentBytes(appDir, component));
  let added = await addComponents(sources, modulesDir, true);
  if (estimateMemory(added.footprint).total > cloudflareLimits.isolateMemoryBytes) {
    await rm(modulesDir, { recursive: true, force: true });
    added = await addComponents(sources, modulesDir, false);
  }
  const { footprint } = added;
  const maps = sourceMapsOf(sources, appDir);
  plan.components = added.components.map((c) => {
    const sourceMap = maps.get(c.id);
    return sourceMap ? { ...c, sourceMap } : c;
  });
  const files = await mountedFiles(appDir, app);
  for (const [i, path] of files.entries()) {
    plan.files[path] = fileModuleName(i);
    const bytes = await readFile(join(appDir, path));
    footprint.bytes += bytes.length;
    await copyInto(modulesDir, fileModuleName(i), bytes);
  }

  const bundle = { ...bundleAt(outDir, app), footprint };
  const appModule = appModuleSource(plan);
  footprint.bytes += Buffer.byteLength(appModule) + Buffer.byteLength(deployed.source);
  await writeFile(join(modulesDir, 'app.js'), appModule);
  await writeFile(join(modulesDir, 'index.js'), deployed.source);
  const config = { name: bundle.workerName, modulesDir: MODULES_DIR, compatibilityDate: COMPATIBILITY_DATE, compatibilityFlags: COMPATIBILITY_FLAGS };
  await writeFile(bundle.configPath, appWranglerToml(config));
  await writeFile(join(outDir, MARKER), `${app.name}\n`);
  return bundle;
}

/** The source maps kept beside the app's JS components (component-source-map.ts), their sources named from the app's folder. */
function sourceMapsOf(sources: Map<ComponentConfig, Uint8Array>, appDir: string): Map<string, SourceMapJson> {
  const maps = new Map<string, SourceMapJson>();
  for (const [component, bytes] of sources) {
    const map = 'path' in component.source ? readKeptSourceMap(resolve(appDir, component.source.path), appDir, bytes) : undefined;
    if (map) maps.set(component.id, map.json);
  }
  return maps;
}

interface AddedComponents {
  components: AppModulePlan['components'];
  footprint: BundleFootprint;
}

/** Writes each component's glue, core modules and snapshots, each content-named once. */
async function addComponents(sources: Map<ComponentConfig, Uint8Array>, modulesDir: string, trackWrites: boolean): Promise<AddedComponents> {
  const components: AppModulePlan['components'] = [];
  const written = new Set<string>();
  const footprint: BundleFootprint = { bytes: 0, wasmBytes: [], componentMemory: [] };
  const addContent = async (bytes: Uint8Array, extension: '.wasm' | '.js' | '.bin'): Promise<string> => {
    const name = contentModuleName(digestOf(bytes), extension);
    if (!written.has(name)) {
      await copyInto(modulesDir, name, bytes);
      footprint.bytes += bytes.length;
      if (extension === '.wasm') footprint.wasmBytes.push(bytes.length);
    }
    written.add(name);
    return name;
  };
  const pool = new PagePool();
  const snapshotPlans: SnapshotModules[] = [];
  // Components made from one .wasm share their instances in the engine: their memory counts once.
  const counted = new Set<string>();
  for (const [component, bytes] of sources) {
    const prepared = await prepareOnDisk(bytes, { trackWrites }).catch((err: unknown) => {
      if (!(err instanceof TwirlError)) throw err;
      const source = 'path' in component.source ? component.source.path : component.source.url;
      throw new TwirlError(err.code, `component ${component.id} (${source}): ${err.message}`, { cause: err });
    });
    const modules: Record<string, string> = {};
    let memory = 0;
    for (const [name, path] of Object.entries(prepared.modules).sort()) {
      const bytes = await readFile(path);
      if (!prepared.engines[name]) memory += (readLayout(bytes).memories[0]?.min ?? 0) * 65536;
      modules[name] = await addContent(bytes, '.wasm');
    }
    const snapshots: Record<string, SnapshotModules> = {};
    for (const [name, ref] of Object.entries(prepared.engines)) {
      const decoded = await readSnapshot(ref);
      memory += decoded.memoryPages * 65536;
      const snapshot = await addContent(encodeSnapshot(decoded, pool), '.bin');
      snapshotPlans.push((snapshots[name] = { engine: ref.digest, snapshot, pages: '' }));
    }
    // The preparation's folder is named by the component's digest: one folder, one .wasm.
    if (!counted.has(prepared.dir)) footprint.componentMemory.push({ id: component.id, bytes: memory });
    counted.add(prepared.dir);
    components.push({ id: component.id, kind: prepared.kind, glue: await addContent(await readFile(prepared.glue), '.js'), modules, snapshots });
  }
  if (snapshotPlans.length > 0) {
    const pages = await addContent(pool.bytes(), '.bin');
    for (const s of snapshotPlans) s.pages = pages;
  }
  return { components, footprint };
}

/** Where the bundle of `app` in `outDir` has its parts (written by bundleApp, now or earlier). */
export function bundleAt(outDir: string, app: App): AppBundle {
  return { outDir, modulesDir: join(outDir, MODULES_DIR), configPath: join(outDir, 'wrangler.toml'), app, workerName: workerNameFor(app.name) };
}

export async function readManifest(manifestPath: string): Promise<App> {
  const text = await readFile(manifestPath, 'utf8').catch((err: unknown) => {
    throw new TwirlError('no-manifest', `cannot read ${manifestPath}`, { cause: err });
  });
  // Required variables get their values at run time (SPIN_VARIABLE_* secrets), not now.
  const { app, diagnostics } = parseManifest(text, manifestPath);
  if (!app) throw new ManifestError(diagnostics.filter((d) => d.severity === 'error'));
  return app;
}

/** Removes what an earlier bundle wrote; a folder Twirl did not write is never cleared. */
async function clearPreviousBundle(outDir: string): Promise<void> {
  if (await stat(join(outDir, MARKER)).catch(() => undefined)) {
    for (const owned of [MODULES_DIR, 'wrangler.toml']) await rm(join(outDir, owned), { recursive: true, force: true });
  } else if ((await readdir(join(outDir, MODULES_DIR)).catch(() => [])).length > 0) {
    // An empty one is what a failed bundle of an earlier Twirl, which claimed the folder last, left.
    throw new TwirlError('bundle-dir-taken', `${join(outDir, MODULES_DIR)} exists and was not written by Twirl, which never clears a folder it did not write: move it away or delete it`);
  }
  await mkdir(join(outDir, MODULES_DIR), { recursive: true });
  // Claimed before anything is written: a bundle that fails half-way is still Twirl's to clear.
  await writeFile(join(outDir, MARKER), '');
}

async function copyInto(outDir: string, moduleName: string, bytes: Uint8Array): Promise<void> {
  const path = join(outDir, moduleName);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, bytes);
}

async function componentBytes(appDir: string, component: ComponentConfig): Promise<Uint8Array> {
  if ('path' in component.source) {
    const path = resolve(appDir, component.source.path);
    try {
      return new Uint8Array(await readFile(path));
    } catch (err) {
      const problem = (err as NodeJS.ErrnoException).code === 'EISDIR' ? 'is a folder, not a .wasm file' : 'does not exist; build the app first';
      throw new TwirlError('missing-source', `component ${component.id}: ${component.source.path} ${problem}`, { cause: err });
    }
  }
  const { url, digest } = component.source;
  const response = await fetch(url);
  if (!response.ok) throw new TwirlError('source-download-failed', `component ${component.id}: GET ${url} answered ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  const actual = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  if (actual !== digest) throw new TwirlError('digest-mismatch', `component ${component.id}: ${url} has digest ${actual}, the manifest says ${digest}`);
  return bytes;
}

/** App-relative paths of every file some component mounts. */
export async function mountedFiles(appDir: string, app: App): Promise<string[]> {
  const components = Object.values(app.components).filter((c) => c.files.length > 0);
  if (components.length === 0) return [];
  const available = await directoryFileSource(appDir).list();
  const paths = new Set<string>();
  for (const c of components) for (const source of planMounts(c.files, c.excludeFiles, available).values()) paths.add(source);
  return [...paths].sort();
}

/** Worker names are lowercase letters, digits and dashes, at most 63 long. */
export function workerNameFor(appName: string): string {
  const name = appName.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63);
  return name || 'twirl-app';
}
