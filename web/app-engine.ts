/** A stored app becomes a running Engine: manifest parsed, components loaded by reference, files from storage. */
import { Engine } from '../shared/engine.ts';
import { TwirlError } from '../shared/errors.ts';
import { loadManifest } from '../shared/manifest/parse.ts';
import type { LoadedComponent } from '../shared/component/instantiate.ts';
import type { KeyValueBackend, LogSink, OutboundFetch } from '../shared/ports.ts';
import { MANIFEST, isComponentFile, type StoredApp } from './app-model.ts';
import { appFileSource } from './app-files.ts';
import { loadComponent } from './component-store.ts';
import { timed } from './timing.ts';
import { SharedDeadlines } from '../shared/host/deadlines.ts';
import { nextMacrotask } from '../shared/component/time-slices.ts';

/** A browser's timers outlive their request: one serves every engine of this page or worker. */
const deadlines = new SharedDeadlines();

export interface AppHost {
  keyValue: KeyValueBackend;
  logs: LogSink;
  fetch: OutboundFetch;
  /** Resolves template components' relative URLs: the playground's base URL. */
  base: string | URL;
}

export async function createAppEngine(app: StoredApp, host: AppHost): Promise<Engine> {
  const manifest = app.files[MANIFEST];
  if (!manifest || !('text' in manifest)) throw new TwirlError('missing-manifest', `the app has no ${MANIFEST}`);
  const parsed = loadManifest(manifest.text, MANIFEST, { variables: app.variables ?? {} });
  const components = new Map<string, LoadedComponent>();
  const routed = new Set(parsed.triggers.flatMap((t) => (t.component ? [t.component] : [])));
  await Promise.all(
    [...routed].map(async (id) => {
      const source = parsed.components[id]?.source;
      if (!source) return;
      if (!('path' in source)) throw new TwirlError('unsupported-source', `component "${id}": URL sources cannot be fetched in the playground; upload the .wasm and name its path`);
      const file = app.files[source.path.replace(/^\.\//, '')];
      if (!isComponentFile(file)) {
        throw new TwirlError('component-not-built', `component "${id}": ${source.path} is not in the app; build it with the CLI (\`twirl build\`) and upload the .wasm`);
      }
      components.set(id, await timed('sw: load a component', () => loadComponent(file.component, host.base)));
    }),
  );
  return Engine.create({
    app: parsed,
    appName: app.name,
    components,
    keyValue: host.keyValue,
    fetch: host.fetch,
    files: appFileSource(app.files),
    logs: host.logs,
    variables: app.variables ?? {},
    deadlines,
    // The page or worker answers, then resets the instance while the next request is on its way.
    pool: { resetLater: nextMacrotask },
  });
}
