/**
 * Messages between the playground and its build worker (build-worker.ts): one request per
 * component build, progress as it goes, then the component or what is wrong with its sources;
 * and one per component the user brings, transpiled there as a build's is.
 */
import type { Diagnostic } from '../../shared/errors.ts';
import type { ComponentKind } from '../../shared/component/prepare.ts';
import type { SourceMapJson } from '../../shared/build/source-map.ts';

/** What the user sees the build doing. */
export type BuildPhase = 'loading' | 'bundling' | 'splicing' | 'initialising' | 'assembling' | 'transpiling';

export interface BuildSources {
  /** The app's text files by path. */
  files: Record<string, string>;
  entry: string;
  world?: string;
}

export interface BuildRequest extends BuildSources {
  type: 'build';
  id: number;
  /** The playground's base URL, where `__twirl/npm/` lives. */
  base: string;
}

/**
 * Loads the toolchain ahead of the first build and, given the sources about to be edited,
 * builds them once unseen (splicing the engine for their world, warming every step), so the
 * first build the user asks for runs as fast as a rebuild.
 */
export interface WarmRequest {
  type: 'warm';
  base: string;
  sources?: BuildSources;
  /** The key of the world the sources were last built for, to fetch alongside the toolchain. */
  world?: string;
}

/** A component the user brought (uploaded, in a zip or a published app), to transpile for this browser. */
export interface TranspileRequest {
  type: 'transpile';
  id: number;
  bytes: Uint8Array;
}

export type ToWorker = BuildRequest | WarmRequest | TranspileRequest;

/** Milliseconds per step, as the worker measured them. */
export type BuildTimings = Partial<Record<'load' | 'bundle' | 'world' | 'splice' | 'initialize' | 'stub' | 'component' | 'transpile' | 'total', number>>;

/** A whole component: built in full (a world the playground did not prepare, a browser the snapshot path does not serve). */
export interface BuiltComponentOutput {
  via: 'component';
  /** The component's bytes. */
  component: Uint8Array;
  kind: ComponentKind;
  glue: string;
  /** The glue for a browser without JSPI, made in such a browser. */
  syncGlue?: string | undefined;
  modules: Record<string, Uint8Array>;
  timings: BuildTimings;
  /** Maps the component's `bundle.js` back to the app's files: its stack traces read as the user's lines. */
  sourceMap: SourceMapJson;
  /** What the code's top level printed while it was initialised (its `console.log`s), when anything. */
  initOutput?: string;
}

/** A snapshot of the engine of a world the playground prepared (`__twirl/worlds/<key>/`): the edited code, initialised. */
export interface BuiltSnapshotOutput {
  via: 'snapshot';
  kind: ComponentKind;
  /** The world's folder, relative to the playground's base. */
  world: string;
  /** The prepared engine the snapshot is for. */
  engineDigest: string;
  /** The world's base pages (`PreparedWorld.base`) the snapshot's page pool starts with. */
  base: string;
  /** The snapshot (snapshot-codec.ts) and the pages of its pool after the base's, back to back. */
  snapshot: Uint8Array;
  pages: Uint8Array;
  /** Hex SHA-256 of the snapshot and its pages, one after the other (taken here, off the page's thread). */
  contentDigest: string;
  timings: BuildTimings;
  sourceMap: SourceMapJson;
  initOutput?: string;
}

export type BuiltOutput = BuiltComponentOutput | BuiltSnapshotOutput;

/** A brought component as this browser's preview runs it: JSPI or synchronous glue, modules tracked where it can. */
export type TranspiledOutput = Pick<BuiltComponentOutput, 'kind' | 'glue' | 'syncGlue' | 'modules'>;

export type FromWorker =
  | { type: 'progress'; id: number; phase: BuildPhase }
  | { type: 'done'; id: number; output: BuiltOutput }
  | { type: 'transpiled'; id: number; output: TranspiledOutput }
  | {
      type: 'failed';
      id: number;
      message: string;
      diagnostics: Diagnostic[];
      /** What the code's top level printed before it failed, when it failed while initialised. */
      initOutput?: string;
      /** The toolchain's Wasm trapped: its instances may be left mid-call, and this worker builds nothing more. */
      trapped?: boolean;
    };
