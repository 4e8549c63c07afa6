/**
 * From an app's source files to a component, on any host: bundle (esbuild), choose the world
 * from what the code imports, assemble the WIT, componentize with the TypeScript
 * pre-initializer. Errors point at the user's files (SourceError).
 */
import type { Esbuild } from './bundle-files.ts';
import { atUserSource, bundleForComponent, type SourceBuildInput, type WitSources } from './component-input.ts';
import { componentizeJs, type BuildStep, type BuiltComponent, type JsToolchain } from './componentize.ts';
import type { SourceMapJson } from './source-map.ts';

export type { SourceBuildInput, WitSources } from './component-input.ts';

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

/** `onOutput`: given what the code's top level printed while it was initialised, when it printed anything. */
export async function buildFromSources(
  input: SourceBuildInput,
  tools: SourceBuildTools,
  onProgress: (step: SourceBuildStep) => void = () => {},
  onOutput?: (stdout: string) => void,
): Promise<SourceBuilt> {
  onProgress('bundle');
  const started = performance.now();
  const { bundle, componentInput } = await bundleForComponent(input, tools);
  const bundleMs = performance.now() - started;
  try {
    const built = await componentizeJs(componentInput, tools.toolchain, onProgress, tools.reuseWorldComponent, onOutput);
    return { ...built, bundleMs, world: componentInput.world, sourceMap: bundle.sourceMap.json };
  } catch (err) {
    throw atUserSource(err, bundle);
  }
}
