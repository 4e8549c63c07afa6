import type { Diagnostic } from '../errors.ts';

/** A Spin application as both manifest formats describe it, after validation. */
export interface App {
  name: string;
  version?: string;
  description?: string;
  /** Declared `[variables]`. */
  variables: Record<string, VariableDeclaration>;
  /** In manifest order. */
  triggers: HttpTrigger[];
  components: Record<string, ComponentConfig>;
  /** Problems that do not stop the app from running, e.g. duplicate routes. */
  warnings: Diagnostic[];
  /** `[application.trigger.http] base = "/"`; default `/`. */
  basePath: string;
}

/** One `[variables]` entry: exactly one of `default` or `required = true`. */
export interface VariableDeclaration {
  default?: string;
  required: boolean;
  secret: boolean;
}

export type RouteConfig = { path: string } | { private: true };

/** Spin 3.x `static_response`: a trigger that answers without a component. */
export interface StaticResponse {
  status: number;
  headers: Record<string, string>;
  body?: string;
}

/** Spin's standard executor is `http`; `spin` is its older alias, kept as written. */
export type Executor = { type: 'http' | 'spin' } | { type: 'wagi'; argv?: string; entrypoint?: string };

export interface HttpTrigger {
  /** Index in manifest order; the last of duplicate routes wins. */
  index: number;
  route: RouteConfig;
  /** Component id, absent when the trigger has a static response. */
  component?: string;
  staticResponse?: StaticResponse;
  executor?: Executor;
  /** 1-based line of the trigger in the manifest, where known. */
  line?: number;
}

export type ComponentSource = { path: string } | { url: string; digest: string };

/** A string in `files` is a glob; a table maps a host directory to a guest path. */
export type FileMount = { glob: string } | { source: string; destination: string };

export interface BuildConfig {
  command: string;
  workdir?: string;
  watch: string[];
}

export interface ComponentConfig {
  id: string;
  description?: string;
  source: ComponentSource;
  files: FileMount[];
  excludeFiles: string[];
  /** As written (may contain `{{ var }}`). */
  allowedOutboundHosts: string[];
  keyValueStores: string[];
  environment: Record<string, string>;
  /** Component-level variable templates, e.g. `{ greeting: "Hello {{ name }}" }`. */
  variables: Record<string, string>;
  build?: BuildConfig;
}
