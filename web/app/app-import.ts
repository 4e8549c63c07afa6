/** Files from a zip, a folder or a published link become a stored app. */
import { readZipEntries } from '../../shared/archive/zip-entries.ts';
import { appRootEntries } from '../../shared/archive/entry-path.ts';
import { TwirlError } from '../../shared/errors.ts';
import { parseManifest } from '../../shared/manifest/parse.ts';
import { MANIFEST, type AppFile, type StoredApp } from '../app-model.ts';
import { newAppId } from '../app-store.ts';
import { toBase64 } from '../app-files.ts';
import { buildableComponents, sourceDigests } from '../build/app-build.ts';
import { importComponent, runsAsComponent } from './component-import.ts';

const SKIPPED = new Set(['node_modules', '.twirl', '.git', 'target']);

export async function appFromEntries(name: string, entries: Map<string, Uint8Array>): Promise<StoredApp> {
  const flat = rootEntries(name, entries);
  const files: Record<string, AppFile> = {};
  for (const [path, bytes] of [...flat].sort(([a], [b]) => a.localeCompare(b))) {
    if (SKIPPED.has(path.split('/')[0]!)) continue;
    files[path] = await appFile(path, bytes);
  }
  const manifest = files[MANIFEST];
  const named = manifest && 'text' in manifest ? parseManifest(manifest.text).app?.name : undefined;
  return withBuiltSources({ id: newAppId(), name: named ?? name, files, updated: Date.now() });
}

/**
 * A component that came with its sources is taken as built from them, so editing them later
 * rebuilds it (a `.wasm` with no buildable sources beside it stays as it came).
 */
async function withBuiltSources(app: StoredApp): Promise<StoredApp> {
  const files = { ...app.files };
  for (const component of buildableComponents(app)) {
    const file = files[component.output];
    if (!file || !('component' in file) || file.component.sources) continue;
    const sources = await sourceDigests(app, component);
    if (Object.keys(sources).length) files[component.output] = { component: { ...file.component, sources } };
  }
  return { ...app, files };
}

/** A zip's entries, read as the platform reads a published app: inflated bytes, entries and time are capped. */
export function entriesOfZip(bytes: Uint8Array): Promise<Map<string, Uint8Array>> {
  return readZipEntries(bytes);
}

export async function entriesOfFiles(files: Iterable<File>): Promise<Map<string, Uint8Array>> {
  const entries = new Map<string, Uint8Array>();
  for (const file of files) entries.set(file.webkitRelativePath || file.name, new Uint8Array(await file.arrayBuffer()));
  return entries;
}

export async function appFile(path: string, bytes: Uint8Array): Promise<AppFile> {
  if (path.endsWith('.wasm') && runsAsComponent(bytes)) return { component: await importComponent(bytes) };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { base64: toBase64(bytes) };
  }
}

/** The one layout rule (spin.toml at the top or under one top folder); the error names what was imported. */
function rootEntries(name: string, entries: Map<string, Uint8Array>): Map<string, Uint8Array> {
  try {
    return appRootEntries(entries);
  } catch (err) {
    if (err instanceof TwirlError && err.code === 'missing-manifest') throw new Error(`there is no ${MANIFEST} at the top of ${name}`, { cause: err });
    throw err;
  }
}
