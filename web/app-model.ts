/**
 * What the playground stores and shares: an app is a set of files; a built component is a file
 * too, held by reference to its prepared form (jco glue + core modules).
 */
import type { ComponentKind } from '../shared/component/prepare.ts';

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
}

export const MANIFEST = 'spin.toml';
/** A prepared component's glue for browsers without JSPI, beside `glue.js`. */
export const SYNC_GLUE = 'glue-sync.js';
/** The component's own bytes beside its prepared form: `components/<digest>/component.wasm`. */
export const ORIGINAL = 'component.wasm';

export function isComponentFile(file: AppFile | undefined): file is { component: ComponentRef } {
  return file !== undefined && 'component' in file;
}
