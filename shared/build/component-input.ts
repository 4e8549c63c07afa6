/**
 * An app's sources as componentize-js takes them: bundled (esbuild), the world chosen from what
 * the code imports, its WIT assembled. Needs no Wasm tool but esbuild: a rebuild that makes only
 * a snapshot starts here as a full build does.
 */
import { TwirlError } from '../errors.ts';
import { bundleFiles, type Esbuild, type FileBundle } from './bundle-files.ts';
import type { JsComponentInput } from './componentize.ts';
import type { NpmPackages } from './npm-package.ts';
import { initErrorAtSource } from './source-error.ts';
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

/** The bundle, and what componentize-js needs of it: the code, the WIT, the world chosen from its imports. */
export async function bundleForComponent(input: SourceBuildInput, tools: { esbuild: Esbuild; wit: WitSources }): Promise<{ bundle: FileBundle; componentInput: JsComponentInput }> {
  const bundle = await bundleFiles(tools.esbuild, input);
  const wit = witFiles(tools.wit.twirl, tools.wit.jcoWasi, input.world ? '' : worldForImports(bundle.hostImports));
  return { bundle, componentInput: { code: bundle.code, wit, world: input.world ?? DETECTED_WORLD } };
}

/** An exception the engine threw while initialising, at the user's line where the bundle's position maps back to one. */
export function atUserSource(err: unknown, bundle: Pick<FileBundle, 'sourceMap'>): unknown {
  if (err instanceof TwirlError && err.code === 'componentize-failed' && /bundle\.js:\d+:\d+/.test(err.message)) return initErrorAtSource(err, bundle.sourceMap);
  return err;
}
