/**
 * A check: one request to a running app and what its answer (and the app's key-value state
 * afterwards) must be. Lessons declare them as data; the playground's request assertions save
 * them; both run them through `runCheck`.
 */

export interface CheckRequest {
  method: string;
  /** Path and query, starting with `/`. */
  path: string;
  headers: Array<[string, string]>;
  body?: string;
}

export interface KeyValueExpectation {
  store: string;
  key: string;
  /** The value as UTF-8 text; absent: the key must merely exist. */
  value?: string;
  /** True: the key must not exist. */
  absent?: boolean;
}

export interface Expectation {
  status?: number;
  /** Header name (any case) → text its value must contain (case-insensitive). */
  headers?: Record<string, string>;
  /** Texts the body must contain, each. */
  bodyContains?: string[];
  /** The body must parse as JSON and hold these fields (objects match as subsets, the rest exactly). */
  json?: unknown;
  keyValue?: KeyValueExpectation[];
}

export interface Check {
  name: string;
  request: CheckRequest;
  expect: Expectation;
}

/** The app's answer, as the host received it. */
export interface CheckResponse {
  status: number;
  headers: Array<[string, string]>;
  body: Uint8Array;
}

/** How a check reaches the running app. */
export interface CheckTarget {
  send(request: CheckRequest): Promise<CheckResponse>;
  /** A key's value in a store, undefined when missing; without it key-value expectations fail. */
  readKeyValue?(store: string, key: string): Promise<Uint8Array | undefined>;
}

/** One expectation's verdict: what was wanted and what came. */
export interface Outcome {
  /** What was compared: `status`, `header content-type`, `body contains`, `JSON`, `key-value default/count`. */
  subject: string;
  expected: string;
  received: string;
  pass: boolean;
}

export interface CheckResult {
  name: string;
  pass: boolean;
  outcomes: Outcome[];
  /** Why the request could not be made at all, when it could not. */
  error?: string;
}
