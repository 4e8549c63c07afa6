/**
 * The Worker Loader's code for a published app: the app runtime, the generated `app.js`, each
 * component's glue and core modules, and the mounted files; bindings are the two gates only.
 * Modules are named by content, as in a deploy bundle: a JS engine is handed over under one name
 * (and one buffer) for every app, and a .wasm several components share is there once.
 */
import { publishedRuntime } from 'twirl:isolates';
import { resolveAppVariables } from '../../shared/host/variables.ts';
import type { App } from '../../shared/manifest/types.ts';
import { COMPATIBILITY_DATE, COMPATIBILITY_FLAGS } from '../compatibility.ts';
import { sha256Hex } from '../../shared/digest.ts';
import { appModuleSource, contentModuleName, fileModuleName, type AppModulePlan, type SnapshotModules } from '../isolates/app-module.ts';
import type { KeyValueGateProps, OutboundGateProps } from '../gates.ts';
import type { AppArchive } from './archive.ts';
import { appSnapshots, type SplitPrepared } from './split-prepared.ts';

export interface PublishedAppParts {
  digest: string;
  archive: Pick<AppArchive, 'app' | 'files'>;
  prepared: Map<string, SplitPrepared>;
  /** Engine digest → its module bytes, for every engine a component's snapshot names. */
  engines: Map<string, ArrayBuffer>;
  /** Base pages digest → the pages, for every base a component's snapshot starts from. */
  bases: Map<string, Uint8Array>;
}

export async function publishedModules({ archive, prepared, engines, bases }: PublishedAppParts): Promise<WorkerLoaderWorkerCode['modules']> {
  const modules: WorkerLoaderWorkerCode['modules'] = { 'index.js': publishedRuntime.source };
  const app: App = { ...archive.app, warnings: [] };
  const plan: AppModulePlan = { app, components: [], files: {} };
  const addContent = async (bytes: Uint8Array, extension: '.js' | '.wasm' | '.bin', as: (b: Uint8Array) => WorkerLoaderModule): Promise<string> => {
    const name = contentModuleName(await sha256Hex(bytes), extension);
    modules[name] ??= as(bytes);
    return name;
  };
  // As in a deploy bundle: the pages of every snapshot in one pool, each page once.
  const { snapshots: encoded, pages } = appSnapshots(prepared, bases);
  const data = (b: Uint8Array): WorkerLoaderModule => ({ data: arrayBuffer(b) });
  const pagesModule = [...encoded.values()].some((s) => Object.keys(s).length > 0) ? await addContent(pages, '.bin', data) : '';
  for (const [id, component] of prepared) {
    const names: Record<string, string> = {};
    for (const [file, bytes] of Object.entries(component.modules).sort()) names[file] = await addContent(bytes, '.wasm', (b) => ({ wasm: arrayBuffer(b) }));
    const snapshots: Record<string, SnapshotModules> = {};
    for (const [file, use] of Object.entries(component.engines)) {
      const engine = engines.get(use.engine);
      if (!engine) throw new Error(`engine ${use.engine} of component ${id} was not read`);
      names[file] = contentModuleName(use.engine, '.wasm');
      modules[names[file]] = { wasm: engine };
      snapshots[file] = { engine: use.engine, snapshot: await addContent(encoded.get(id)![file]!, '.bin', data), pages: pagesModule };
    }
    const glue = await addContent(new TextEncoder().encode(component.glue), '.js', () => ({ js: component.glue }));
    plan.components.push({ id, kind: component.kind, glue, modules: names, snapshots });
  }
  [...archive.files].forEach(([path, bytes], index) => {
    plan.files[path] = fileModuleName(index);
    modules[fileModuleName(index)] = { data: arrayBuffer(bytes) };
  });
  modules['app.js'] = appModuleSource(plan);
  return modules;
}

export function keyValueGateProps(digest: string, app: App): KeyValueGateProps {
  return { appId: digest, stores: [...new Set(Object.values(app.components).flatMap((c) => c.keyValueStores))] };
}

export function outboundGateProps(app: App): OutboundGateProps {
  return {
    // As in the engine (and Spin), templates in allowed_outbound_hosts name application variables.
    rules: Object.values(app.components).map((c) => ({ hosts: c.allowedOutboundHosts, variables: resolveAppVariables(app, {}) })),
  };
}

export const publishedCompatibility = { compatibilityDate: COMPATIBILITY_DATE, compatibilityFlags: COMPATIBILITY_FLAGS };

function arrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? (bytes.buffer as ArrayBuffer) : (bytes.slice().buffer as ArrayBuffer);
}
