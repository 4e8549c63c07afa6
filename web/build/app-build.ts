/**
 * Which of an app's components the browser rebuilds, and rebuilding one: a component whose
 * build command is `twirl componentize` and whose sources changed since its `.wasm` was built
 * (or whose `.wasm` is missing). The result is stored like an uploaded component and referred
 * to from the app by digest, with the digests of the sources it was built from.
 */
import { parseComponentizeCommand, type ComponentizeCommand } from '../../shared/build/build-command.ts';
import { globToRegExp } from '../../shared/host/files.ts';
import { parseManifest } from '../../shared/manifest/parse.ts';
import { ENGINES, MANIFEST, type AppFile, type StoredApp } from '../app-model.ts';
import { builtBefore, hasComponent, rememberBuild, saveComponent } from '../component-store.ts';
import { sha256Hex } from '../../shared/digest.ts';
import type { BuildPhase, BuildSources, BuildTimings, BuiltOutput } from './build-protocol.ts';
import { buildComponent, builderId, warmBuilder } from './component-builder.ts';
import { timed } from '../timing.ts';

/** What the user reads while the build is in each phase. */
export const PHASE_TEXT: Record<BuildPhase, string> = {
  loading: 'loading the toolchain',
  bundling: 'bundling',
  splicing: 'splicing the engine',
  initialising: 'initialising',
  assembling: 'assembling the component',
  transpiling: 'transpiling',
};

/** Spin watches `src/**` where a component names no `watch` globs. */
const DEFAULT_WATCH = ['src/**'];

export interface BuildableComponent {
  id: string;
  /** The component's `source`: where its `.wasm` lives among the app's files. */
  output: string;
  /** The entry module's path among the app's files. */
  entry: string;
  command: ComponentizeCommand;
  watch: RegExp[];
}

/** Components the browser can build: a local `source` and a `twirl componentize` build command. */
export function buildableComponents(app: StoredApp): BuildableComponent[] {
  const manifest = app.files[MANIFEST];
  if (!manifest || !('text' in manifest)) return [];
  const components = Object.values(parseManifest(manifest.text).app?.components ?? {});
  return components.flatMap((c) => {
    const command = c.build && parseComponentizeCommand(c.build.command);
    if (!command || !('path' in c.source)) return [];
    const dir = c.build?.workdir ? `${trimPath(c.build.workdir)}/` : '';
    const watch = (c.build?.watch.length ? c.build.watch : DEFAULT_WATCH).map((g) => globToRegExp(dir + trimPath(g)));
    return [{ id: c.id, output: trimPath(c.source.path), entry: dir + trimPath(command.entry), command, watch }];
  });
}

/** sha-256 of each text file the component's `watch` globs match. */
export async function sourceDigests(app: StoredApp, component: BuildableComponent): Promise<Record<string, string>> {
  const digests: Record<string, string> = {};
  for (const [path, file] of Object.entries(app.files)) {
    if ('text' in file && component.watch.some((w) => w.test(path))) digests[path] = await sha256Hex(file.text);
  }
  return digests;
}

/**
 * The buildable components whose `.wasm` is missing or was built from other sources. A
 * component brought in with no record of its sources (an upload) is taken as it is.
 */
export async function staleComponents(app: StoredApp): Promise<BuildableComponent[]> {
  const stale: BuildableComponent[] = [];
  for (const component of buildableComponents(app)) {
    const file = app.files[component.output];
    if (file && !('component' in file)) continue;
    const built = file?.component.sources;
    if (file && !built) continue;
    if (!built || !sameDigests(built, await sourceDigests(app, component))) stale.push(component);
    else if (file.component.engine && !(await engineServed(file.component.engine))) stale.push(component);
    // A Run stores the app while its build is still being written: a page closed meanwhile left the app without it.
    else if (!file.component.url && !(await hasComponent(file.component.digest))) stale.push(component);
  }
  return stale;
}

/**
 * Whether the playground still serves the engine `digest`, for a component built as a snapshot
 * of it: after a release that changed a world's engine the component is built again, never run
 * on an engine it was not made for.
 */
async function engineServed(digest: string): Promise<boolean> {
  const response = await fetch(new URL(`${ENGINES}${digest}.wasm`, new URL(import.meta.env.BASE_URL, import.meta.url)), { method: 'HEAD' }).catch(() => undefined);
  return response?.ok ?? true;
}

export interface Rebuilt {
  /** The app file for `component.output`: the new component, by reference. */
  file: AppFile;
  timings: BuildTimings;
  bytes: number;
  /** Built earlier in this browser from the same inputs (e.g. before sharing the app, or before an undo): not built again. */
  reused: boolean;
  /** `snapshot`: on the engine of a world the playground prepared; `component`: built in full. */
  via: BuiltOutput['via'];
  /** Resolves once the component is in IndexedDB (it is readable in this page at once): a Run need not wait for it to start the preview. */
  saved: Promise<void>;
  /** What the code's top level printed while this build initialised it (not for a build taken from earlier). */
  initOutput?: string;
}

/**
 * Builds the component in the build worker and keeps it in IndexedDB, as an upload is kept;
 * the same inputs built before in this browser (a share link opened where it was made, an edit
 * undone) take the component built then.
 */
export async function rebuildComponent(app: StoredApp, component: BuildableComponent, onPhase?: (phase: BuildPhase) => void): Promise<Rebuilt> {
  const input = buildSources(app, component);
  const [sources, inputs, earlier] = await timed('page: built before?', async () => {
    const sources = await sourceDigests(app, component);
    const inputs = await sha256Hex(JSON.stringify([builderId, input.entry, input.world ?? '', Object.entries(input.files).sort(([a], [b]) => (a < b ? -1 : 1))]));
    return [sources, inputs, await builtBefore(inputs)] as const;
  });
  if (earlier) {
    const engine = earlier.engine ? { engine: earlier.engine } : {};
    const kept = { file: { component: { digest: earlier.digest, kind: earlier.kind, sources, builtHere: true, ...engine } }, bytes: earlier.bytes };
    return { ...kept, timings: {}, reused: true, via: earlier.engine ? 'snapshot' : 'component', saved: Promise.resolve() };
  }
  const output = await timed('page: build worker round trip', () => buildComponent(input, onPhase));
  const { digest, bytes, saved } = await timed('page: digest of the build', () => keepBuilt(output));
  const engine = output.via === 'snapshot' ? { engine: output.engineDigest } : {};
  // Remembered once stored: builtBefore also checks the component is there.
  const remembered = timed('page: keep the build (IndexedDB)', async () => {
    await saved;
    await rememberBuild(inputs, { digest, kind: output.kind, bytes, ...engine });
  });
  const printed = output.initOutput ? { initOutput: output.initOutput } : {};
  return { file: { component: { digest, kind: output.kind, sources, builtHere: true, ...engine } }, timings: output.timings, bytes, reused: false, via: output.via, saved: remembered, ...printed };
}

/**
 * Stores the build's output as a component: a whole one by the digest of its bytes, a snapshot
 * by the digest of the snapshot (which names the engine it is for), its pages and their base.
 */
async function keepBuilt(output: BuiltOutput): Promise<{ digest: string; bytes: number; saved: Promise<void> }> {
  if (output.via === 'component') {
    const digest = await sha256Hex(output.component);
    const saved = saveComponent(digest, { kind: output.kind, glue: output.glue, syncGlue: output.syncGlue, modules: output.modules, bytes: output.component, sourceMap: output.sourceMap, preparedBy: builderId });
    return { digest, bytes: output.component.byteLength, saved };
  }
  // The base's digest too: the same pages after another base are another component.
  const digest = await sha256Hex(`${output.base}\0${output.contentDigest}`);
  const snapshotOf = { world: output.world, engineDigest: output.engineDigest, base: output.base };
  const saved = saveComponent(digest, { kind: output.kind, snapshotOf, snapshot: output.snapshot, pages: output.pages, sourceMap: output.sourceMap });
  return { digest, bytes: output.snapshot.byteLength + output.pages.byteLength, saved };
}

/** What the build worker needs of the app to build `component`. */
export function buildSources(app: StoredApp, component: BuildableComponent): BuildSources {
  const files: Record<string, string> = {};
  for (const [path, file] of Object.entries(app.files)) if ('text' in file) files[path] = file.text;
  return { files, entry: component.entry, ...(component.command.world ? { world: component.command.world } : {}) };
}

/** Editing a buildable component's source warms the build worker for it (see WarmRequest), once per page. */
export function warmForEdit(app: StoredApp | undefined, path: string): void {
  if (!app) return;
  const component = buildableComponents(app).find((c) => c.watch.some((w) => w.test(path)));
  const key = `${app.id}/${component?.id}`;
  if (!component || warmed.has(key)) return;
  warmed.add(key);
  const file = app.files[component.output];
  warmBuilder(buildSources(app, component), file && 'component' in file ? file.component.world : undefined);
}
/** Components (`<app id>/<component id>`) warmed for in this page. */
const warmed = new Set<string>();

function sameDigests(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

const trimPath = (path: string): string => path.replace(/^\.\//, '').replace(/\/$/, '');
