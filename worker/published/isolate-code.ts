/**
 * The Worker Loader's code for a published app: the app runtime, the generated `app.js`, each
 * component's glue and core modules, and the mounted files; bindings are the two gates only.
 */
import { publishedRuntime } from 'twirl:isolates';
import type { TranspiledComponent } from '../../shared/component/prepare.ts';
import { resolveAppVariables } from '../../shared/host/variables.ts';
import type { App } from '../../shared/manifest/types.ts';
import { COMPATIBILITY_DATE, COMPATIBILITY_FLAGS } from '../compatibility.ts';
import { appModuleSource, componentModuleNames, fileModuleName, type AppModulePlan } from '../isolates/app-module.ts';
import type { KeyValueGateProps, OutboundGateProps } from '../gates.ts';
import type { AppArchive } from './archive.ts';

export interface PublishedAppParts {
  digest: string;
  archive: AppArchive;
  prepared: Map<string, TranspiledComponent>;
}

export function publishedModules({ archive, prepared }: PublishedAppParts): WorkerLoaderWorkerCode['modules'] {
  const modules: WorkerLoaderWorkerCode['modules'] = { 'index.js': publishedRuntime.source };
  const app: App = { ...archive.app, warnings: [] };
  const plan: AppModulePlan = { app, components: [], files: {} };
  [...prepared].forEach(([id, component], index) => {
    const names = componentModuleNames(index, Object.keys(component.modules).sort());
    modules[names.glue] = { js: component.glue };
    for (const [file, name] of Object.entries(names.modules)) modules[name] = { wasm: arrayBuffer(component.modules[file]!) };
    plan.components.push({ id, kind: component.kind, ...names });
  });
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
    // Templates in allowed_outbound_hosts name application variables, as in Spin (and the engine).
    rules: Object.values(app.components).map((c) => ({ hosts: c.allowedOutboundHosts, variables: resolveAppVariables(app, {}) })),
  };
}

export const publishedCompatibility = { compatibilityDate: COMPATIBILITY_DATE, compatibilityFlags: COMPATIBILITY_FLAGS };

function arrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? (bytes.buffer as ArrayBuffer) : (bytes.slice().buffer as ArrayBuffer);
}
