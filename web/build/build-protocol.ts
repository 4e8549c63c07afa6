/**
 * Messages between the playground and its build worker (build-worker.ts): one request per
 * component build, progress as it goes, then the component or what is wrong with its sources.
 */
import type { Diagnostic } from '../../shared/errors.ts';
import type { ComponentKind } from '../../shared/component/prepare.ts';

/** What the user sees the build doing. */
export type BuildPhase = 'loading' | 'bundling' | 'splicing' | 'initialising' | 'assembling' | 'transpiling';

export interface BuildRequest {
  type: 'build';
  id: number;
  /** The app's text files by path. */
  files: Record<string, string>;
  entry: string;
  world?: string;
  /** The playground's base URL, where `__twirl/npm/` lives. */
  base: string;
}

/** Loads the toolchain ahead of the first build, so that build starts sooner. */
export interface WarmRequest {
  type: 'warm';
  base: string;
}

export type ToWorker = BuildRequest | WarmRequest;

/** Milliseconds per step, as the worker measured them. */
export type BuildTimings = Partial<Record<'load' | 'bundle' | 'splice' | 'initialize' | 'stub' | 'component' | 'transpile' | 'total', number>>;

export interface BuiltOutput {
  /** The component's bytes. */
  component: Uint8Array;
  kind: ComponentKind;
  glue: string;
  modules: Record<string, Uint8Array>;
  timings: BuildTimings;
}

export type FromWorker =
  | { type: 'progress'; id: number; phase: BuildPhase }
  | { type: 'done'; id: number; output: BuiltOutput }
  | { type: 'failed'; id: number; message: string; diagnostics: Diagnostic[] };
