/**
 * A published app travels as one zip: `spin.toml` at its root (or under one top folder), each
 * component's `.wasm` at its `source` path, and the files its components mount. Reading it
 * checks all of that; each problem is a TwirlError with a stable code.
 */
import { unzipSync, type UnzipFileInfo } from 'fflate';
import { TwirlError } from '../../shared/errors.ts';
import { loadManifest } from '../../shared/manifest/parse.ts';
import { isCoreModule } from '../../shared/component/spin1/detect.ts';
import type { App } from '../../shared/manifest/types.ts';

export interface AppArchive {
  manifest: string;
  app: App;
  /** Component id → component bytes, for every component a trigger routes to. */
  components: Map<string, Uint8Array>;
  /** Every other entry, by its path relative to the manifest. */
  files: Map<string, Uint8Array>;
}

/** The preamble of every binary WebAssembly component: magic, version 0x0d, layer 1. */
const COMPONENT_PREAMBLE = [0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00];

export function isComponent(bytes: Uint8Array): boolean {
  return COMPONENT_PREAMBLE.every((b, i) => bytes[i] === b);
}

export function readArchive(bytes: Uint8Array, maxExpandedBytes: number): AppArchive {
  const entries = unzipEntries(bytes, maxExpandedBytes);
  const manifestText = entries.get('spin.toml');
  if (!manifestText) throw new TwirlError('missing-manifest', 'the archive has no spin.toml at its root');
  const manifest = new TextDecoder().decode(manifestText);
  const app = loadManifest(manifest, 'spin.toml');
  const components = new Map<string, Uint8Array>();
  const componentPaths = new Set<string>();
  const used = new Set(app.triggers.flatMap((t) => (t.component ? [t.component] : [])));
  for (const component of Object.values(app.components).filter((c) => used.has(c.id))) {
    if (!('path' in component.source)) {
      throw new TwirlError('unsupported-source', `component ${component.id}: a published app must carry its components; source = { url = ... } is not fetched`);
    }
    const path = normalise(component.source.path);
    const wasm = entries.get(path);
    if (!wasm) throw new TwirlError('missing-component', `component ${component.id}: ${component.source.path} is not in the archive`);
    if (!isComponent(wasm) && !isCoreModule(wasm)) {
      throw new TwirlError('not-a-component', `component ${component.id}: ${component.source.path} is neither a WebAssembly component (preamble \\0asm 0d 00 01 00) nor a Spin 1.x module (\\0asm 01 00 00 00)`);
    }
    components.set(component.id, wasm);
    componentPaths.add(path);
  }
  // Removed only after every component is read: components may share one .wasm, as in Spin.
  for (const path of componentPaths) entries.delete(path);
  entries.delete('spin.toml');
  return { manifest, app, components, files: entries };
}

function unzipEntries(bytes: Uint8Array, maxExpandedBytes: number): Map<string, Uint8Array> {
  let expanded = 0;
  const filter = (file: UnzipFileInfo): boolean => {
    expanded += file.originalSize;
    // Checked before inflating anything, so a zip bomb costs nothing.
    if (expanded > maxExpandedBytes) {
      throw new TwirlError('archive-too-large', `the archive expands to more than ${formatBytes(maxExpandedBytes)}, the limit for a published app`);
    }
    return !file.name.endsWith('/');
  };
  let raw: Record<string, Uint8Array>;
  try {
    raw = unzipSync(bytes, { filter });
  } catch (err) {
    if (err instanceof TwirlError) throw err;
    throw new TwirlError('not-a-zip', `the archive is not a readable zip file: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const entries = new Map<string, Uint8Array>();
  for (const [name, data] of Object.entries(raw)) entries.set(normalise(name), data);
  return stripSingleTopFolder(entries);
}

/** Forward slashes, no leading `./` or `/`; `..` would leave the app, so it is refused. */
function normalise(path: string): string {
  const clean = path.replace(/\\/g, '/').replace(/^(\.\/|\/)+/, '');
  if (clean.split('/').includes('..')) throw new TwirlError('invalid-path', `archive entry "${path}" leaves the app folder`);
  return clean;
}

/** A zip of a folder holds `app/spin.toml`, `app/...`: read it as if zipped from inside. */
function stripSingleTopFolder(entries: Map<string, Uint8Array>): Map<string, Uint8Array> {
  if (entries.has('spin.toml')) return entries;
  const tops = new Set([...entries.keys()].map((name) => name.split('/')[0]));
  const [top] = tops;
  if (tops.size !== 1 || !entries.has(`${top}/spin.toml`)) return entries;
  return new Map([...entries].map(([name, data]) => [name.slice(top!.length + 1), data]));
}

export function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${Math.round((n / (1024 * 1024)) * 10) / 10} MB` : `${Math.round(n / 1024)} KB`;
}
