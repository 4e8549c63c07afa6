/**
 * From an app's source files to a component, on any host: bundle (esbuild), choose the world
 * from what the code imports, assemble the WIT, componentize with the TypeScript
 * pre-initializer. Errors point at the user's files (SourceError).
 */
import { TwirlError } from '../errors.ts';
import { bundleFiles, type Esbuild, type FileBundle } from './bundle-files.ts';
import { componentizeJs, type BuildStep, type BuiltComponent, type JsComponentInput, type JsToolchain } from './componentize.ts';
import type { NpmPackages } from './npm-package.ts';
import { initErrorAtSource } from './source-error.ts';
import type { SourceMapJson } from './source-map.ts';
import { witFiles } from './wit-files.ts';
import { DETECTED_WORLD, worldForImports } from './world.ts';

/** The WIT a build needs, as text: `shared/wit/*.wit` by file name, jco's WASI `package.wit` by package. */
export interface WitSources {
  twirl: ReadonlyMap<string, string>;
  jcoWasi: ReadonlyMap<string, string>;
}

export interface SourceBuildInput {
  files: ReadonlyMap<string, string>;
  entry: string;
  /** A world of `shared/wit/worlds.wit`; by default, one importing just what the code imports. */
  world?: string;
  packages?: NpmPackages;
}

export type SourceBuildStep = 'bundle' | BuildStep;

export interface SourceBuildTools {
  esbuild: Esbuild;
  toolchain: JsToolchain;
  wit: WitSources;
  /** Rebuilds of a world this toolchain built before take that component with the new state (see componentizeJs). */
  reuseWorldComponent?: boolean;
}

export interface SourceBuilt extends BuiltComponent {
  bundleMs: number;
  /** The world built against (WIT text of its package included in the component). */
  world: string;
  /** Maps positions in the component's `bundle.js` to the app's files. */
  sourceMap: SourceMapJson;
}

export async function buildFromSources(input: SourceBuildInput, tools: SourceBuildTools, onProgress: (step: SourceBuildStep) => void = () => {}): Promise<SourceBuilt> {
  onProgress('bundle');
  const started = performance.now();
  const { bundle, componentInput } = await bundleForComponent(input, tools);
  const bundleMs = performance.now() - started;
  try {
    const built = await componentizeJs(componentInput, tools.toolchain, onProgress, tools.reuseWorldComponent);
    return { ...built, bundleMs, world: componentInput.world, sourceMap: bundle.sourceMap.json };
  } catch (err) {
    if (err instanceof TwirlError && err.code === 'componentize-failed' && /bundle\.js:\d+:\d+/.test(err.message)) throw initErrorAtSource(err, bundle.sourceMap);
    throw err;
  }
}

/** The bundle, and what componentize-js needs of it: the code, the WIT, the world chosen from its imports. */
async function bundleForComponent(input: SourceBuildInput, tools: Pick<SourceBuildTools, 'esbuild' | 'wit'>): Promise<{ bundle: FileBundle; componentInput: JsComponentInput }> {
  const bundle = await bundleFiles(tools.esbuild, input);
  const wit = witFiles(tools.wit.twirl, tools.wit.jcoWasi, input.world ? '' : worldForImports(bundle.hostImports));
  return { bundle, componentInput: { code: bundle.code, wit, world: input.world ?? DETECTED_WORLD } };
}
