/**
 * A published app travels as one zip: `spin.toml` at its root (or under one top folder), each
 * component's `.wasm` at its `source` path, and the files its components mount. Reading it
 * checks all of that, and that the app would start; each problem is a TwirlError with a stable code.
 */
import { formatBytes, readZipEntries, type ArchiveLimits } from '../../shared/archive/zip-entries.ts';
import { appEntryPath, appRootEntries } from '../../shared/archive/entry-path.ts';
import { checkAppStarts } from '../../shared/app-check.ts';
import { TwirlError } from '../../shared/errors.ts';
import { loadManifest } from '../../shared/manifest/parse.ts';
import { isComponent, isCoreModule } from '../../shared/wasm/bytes.ts';
import type { App } from '../../shared/manifest/types.ts';

export { formatBytes } from '../../shared/archive/zip-entries.ts';

export interface AppArchive {
  manifest: string;
  app: App;
  /** Component id → component bytes, for every component a trigger routes to. */
  components: Map<string, Uint8Array>;
  /** Every other entry, by its path relative to the manifest. */
  files: Map<string, Uint8Array>;
}

/**
 * A spin.toml is a few KB; parsing is one synchronous go, so a manifest inflated to most of the
 * archive budget would hold up every other request on the thread while it is parsed.
 */
export const MAX_MANIFEST_BYTES = 1024 * 1024;

export async function readArchive(bytes: Uint8Array, limits: ArchiveLimits): Promise<AppArchive> {
  const entries = appRootEntries(await readZipEntries(bytes, limits));
  const manifestBytes = entries.get('spin.toml');
  if (manifestBytes && manifestBytes.length > MAX_MANIFEST_BYTES) {
    throw new TwirlError('manifest-too-large', `spin.toml is ${formatBytes(manifestBytes.length)}, more than ${formatBytes(MAX_MANIFEST_BYTES)}, the limit for a manifest`);
  }
  const manifest = new TextDecoder().decode(manifestBytes);
  const app = loadManifest(manifest, 'spin.toml');
  const components = new Map<string, Uint8Array>();
  const paths = new Set<string>();
  for (const [id, { path, source }] of componentEntries(app)) {
    const wasm = entries.get(path);
    if (!wasm) throw new TwirlError('missing-component', `component ${id}: ${source} is not in the archive`);
    if (!isComponent(wasm) && !isCoreModule(wasm)) {
      throw new TwirlError('not-a-component', `component ${id}: ${source} is neither a WebAssembly component (preamble \\0asm 0d 00 01 00) nor a Spin 1.x module (\\0asm 01 00 00 00)`);
    }
    components.set(id, wasm);
    paths.add(path);
  }
  // Removed only after every component is read: components may share one .wasm, as in Spin.
  for (const path of paths) entries.delete(path);
  entries.delete('spin.toml');
  checkAppStarts(app, [...entries.keys()]);
  return { manifest, app, components, files: entries };
}

/** Each component a trigger routes to, by id: its entry's path relative to the manifest, and its `source` as written. */
export function componentEntries(app: App): Map<string, { path: string; source: string }> {
  const used = new Set(app.triggers.flatMap((t) => (t.component ? [t.component] : [])));
  const paths = new Map<string, { path: string; source: string }>();
  for (const component of Object.values(app.components).filter((c) => used.has(c.id))) {
    if (!('path' in component.source)) {
      throw new TwirlError('unsupported-source', `component ${component.id}: a published app must carry its components; source = { url = ... } is not fetched`);
    }
    paths.set(component.id, { path: appEntryPath(component.source.path), source: component.source.path });
  }
  return paths;
}
