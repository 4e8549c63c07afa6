/** Runs a template app through the core engine in Node, with in-memory key-value and collected logs. */
import { readFile } from 'node:fs/promises';
import { loadManifest } from '../../shared/manifest/parse.ts';
import type { App } from '../../shared/manifest/types.ts';
import { Engine, type EngineOptions } from '../../shared/engine.ts';
import { MemoryKeyValueBackend } from '../../shared/key-value-memory.ts';
import type { LogLine } from '../../shared/ports.ts';
import type { LoadedComponent } from '../../shared/component/instantiate.ts';
import { loadComponent, type PrepareMode } from '../../node/component/load-component.ts';
import { directoryFileSource } from '../../node/host/directory-file-source.ts';
import { builtTemplate } from '../../node/templates/built-template.ts';

export interface TemplateEngine {
  engine: Engine;
  logs: LogLine[];
  keyValue: MemoryKeyValueBackend;
  /** Sends a request to the app at `path` (e.g. "/hello?x=1"). */
  request(path: string, init?: RequestInit): Promise<Response>;
}

/**
 * `editApp` changes the parsed manifest before the engine starts, for cases templates do not
 * cover; `mode` chooses how components are prepared (JS engines split off by default).
 */
export async function templateEngine(
  name: string,
  overrides: Partial<EngineOptions> = {},
  editApp: (app: App) => void = () => {},
  mode: PrepareMode = {},
): Promise<TemplateEngine> {
  const built = await builtTemplate(name);
  const app = loadManifest(await readFile(built.manifestPath, 'utf8'), built.manifestPath, { variables: overrides.variables });
  editApp(app);
  const components = new Map<string, LoadedComponent>();
  for (const [id, bytes] of Object.entries(built.components)) components.set(id, await loadComponent(bytes, mode));
  const logs: LogLine[] = [];
  const keyValue = new MemoryKeyValueBackend();
  const engine = await Engine.create({
    app,
    components,
    keyValue,
    fetch: (r) => fetch(r),
    files: directoryFileSource(built.dir),
    logs: { write: (line) => void logs.push(line) },
    ...overrides,
  });
  return {
    engine,
    logs,
    keyValue,
    request: (path, init) => engine.handle(new Request(new URL(path, 'http://127.0.0.1:3000'), init), { clientAddr: '127.0.0.1:54321' }),
  };
}
