/**
 * What the playground stores and shares: an app is a set of files; a built component is a file
 * too, held by reference to its prepared form (jco glue + core modules).
 */
import type { ComponentKind } from '../shared/component/prepare.ts';
import type { SpliceResult } from '../shared/build/js-engine-init.ts';

/** A reference to a prepared component, found by digest in IndexedDB or fetched from `url`. */
export interface ComponentRef {
  /** sha-256 (hex) of the component's bytes. */
  digest: string;
  kind: ComponentKind;
  /** Folder (ending in `/`) holding `prepared.json`, `glue.js` and the core modules; absent for uploads. */
  url?: string;
  /** sha-256 of each source file the component was built from, to tell when a source was edited. */
  sources?: Record<string, string>;
  /** Built in the browser from the app's sources: a share link may leave it behind and have it built again. */
  builtHere?: boolean;
  /**
   * For a component built as a snapshot of a world's engine: that engine's digest. A playground
   * that serves another engine for the world has the component built again.
   */
  engine?: string;
  /**
   * For a template's JS component: the key of the world the playground prepared for it, so the
   * first edit fetches that world's engine while esbuild loads (the build still finds the world
   * of what it bundles on its own).
   */
  world?: string;
}

export type AppFile = { text: string } | { base64: string } | { component: ComponentRef };

export interface StoredApp {
  id: string;
  name: string;
  /** By path relative to the app root, forward slashes; `spin.toml` is the manifest. */
  files: Record<string, AppFile>;
  /** Values for `[variables]`, as `--variable` gives them to `spin up`. */
  variables?: Record<string, string>;
  template?: string;
  updated: number;
}

/** A template as the playground build writes it: `templates/<name>.json`. */
export interface PreparedTemplate {
  name: string;
  description: string;
  files: Record<string, AppFile>;
}

export interface TemplateSummary {
  name: string;
  description: string;
}

/** `components/<digest>/prepared.json`. */
export interface PreparedIndex {
  kind: ComponentKind;
  modules: string[];
  /** Modules also kept without write tracking, in `untracked/`, for browsers without multi-memory. */
  untracked?: string[];
  /**
   * Modules that are a shared JS engine, by name: the engine's digest (`engines/<digest>.wasm`).
   * Beside prepared.json, `<name>.snapshot` and `<name>.pages` make it this component's. A
   * browser with multi-memory runs these; one without, the whole modules in `untracked/`.
   */
  engines?: Record<string, string>;
}

/**
 * `worlds/<key>/world.json`: what the playground build prepared of one world (see
 * shared/build/world-key.ts) so that an edit of a JS component of that world builds as a snapshot
 * of its engine. Beside it: `spliced.wasm` (the engine with the world's bindings, to initialise
 * the new code in), `glue.js` and the glue's other core modules; the prepared engine itself is
 * `engines/<engineDigest>.wasm`, shared by every world that has it.
 */
export interface PreparedWorld {
  kind: ComponentKind;
  /** sha-256 of the prepared engine module: every snapshot made for this world names it. */
  engineDigest: string;
  /** The name jco's glue asks for the engine module by. */
  engineModule: string;
  /** The glue's other core modules, by name, beside `world.json`. */
  modules: string[];
  /** The fuel the engine was prepared with (decimal): a snapshot starts with it. */
  fuel: string;
  /** The splice's bindings for initialisation (`SpliceResult` without its Wasm). */
  splice: { jsBindings: string; exports: SpliceExports; imports: SpliceImports };
  /** A component of this world (playground-relative URL): a snapshot written into it is the component published or downloaded. */
  reference: string;
  /**
   * sha-256 of `base.pages`, beside world.json: the memory pages of the reference's snapshot, a
   * page pool every snapshot of this world starts from, so a snapshot keeps only the pages its
   * edit changed (most are the same for every app of one world).
   */
  base: string;
}

type SpliceExports = SpliceResult['exports'];
type SpliceImports = SpliceResult['imports'];

/** Where the playground serves prepared worlds and their engines, relative to its base. */
export const WORLDS = '__twirl/worlds/';
export const ENGINES = '__twirl/engines/';
/** A world's spliced engine, beside its `world.json`. */
export const SPLICED = 'spliced.wasm';
/** A world's base pages, beside its `world.json`. */
export const BASE_PAGES = 'base.pages';

export const MANIFEST = 'spin.toml';
/** A prepared component's glue for browsers without JSPI, beside `glue.js`. */
export const SYNC_GLUE = 'glue-sync.js';
/** The component's own bytes beside its prepared form: `components/<digest>/component.wasm`. */
export const ORIGINAL = 'component.wasm';

export function isComponentFile(file: AppFile | undefined): file is { component: ComponentRef } {
  return file !== undefined && 'component' in file;
}
