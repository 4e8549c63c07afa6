/**
 * A JS component's source map, kept beside it (`dist/hello.wasm.map`): the engine names
 * positions in the component's `bundle.js`, and an app's bundle carries the map so that its
 * worker (under `twirl up` or deployed) logs the app's files instead. The map names the component it belongs to by digest, so one left behind by an
 * earlier build (or beside a component some other tool wrote) is never applied.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { unlink, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { SourceMap, type SourceMapJson } from '../../shared/build/source-map.ts';
import { BUNDLE_FILE } from '../../shared/build/bundle-files.ts';

interface ComponentSourceMapJson extends SourceMapJson {
  file: string;
  /** sha256 of the component the map was written with. */
  x_twirl_component: string;
}

export const sourceMapPathOf = (componentPath: string): string => `${componentPath}.map`;

const digestOf = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Writes `map` (sources named by absolute path) beside the component at `componentPath`; without a map, removes any old one. */
export async function keepSourceMap(componentPath: string, component: Uint8Array, map: SourceMap | undefined): Promise<void> {
  const path = sourceMapPathOf(componentPath);
  if (!map) return unlink(path).catch(() => {});
  const json: ComponentSourceMapJson = {
    version: 3,
    file: BUNDLE_FILE,
    // Relative to the map's folder, as source maps name their sources.
    sources: map.sources.map((source) => relative(dirname(path), source)),
    mappings: map.json.mappings,
    x_twirl_component: digestOf(component),
  };
  await writeFile(path, `${JSON.stringify(json)}\n`);
}

/**
 * The source map kept beside the component at `componentPath` (whose bytes are `component`, when
 * already read), its sources named relative to `base`; undefined when there is none or it
 * belongs to another build.
 */
export function readKeptSourceMap(componentPath: string, base: string, component?: Uint8Array): SourceMap | undefined {
  try {
    const path = sourceMapPathOf(componentPath);
    const json = JSON.parse(readFileSync(path, 'utf8')) as Partial<ComponentSourceMapJson>;
    if (json.version !== 3 || !Array.isArray(json.sources) || typeof json.mappings !== 'string') return undefined;
    if (json.x_twirl_component !== digestOf(component ?? readFileSync(componentPath))) return undefined;
    const sources = json.sources.map((source) => relative(base, resolve(dirname(path), source)));
    return new SourceMap({ version: 3, sources, mappings: json.mappings });
  } catch {
    return undefined;
  }
}
