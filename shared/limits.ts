/** Per-request limits, with defaults a host or manifest may override. */
export interface Limits {
  maxRequestBytes: number;
  maxResponseBytes: number;
  maxKeyBytes: number;
  maxValueBytes: number;
  /** Wall-clock time a request may take before it is answered 504 and its instance discarded. */
  timeoutMs: number;
  /** Loop iterations a request may run in Wasm (a sync loop: ~1–2 s of CPU at the default). */
  fuel: number;
  /**
   * Calls from Wasm to the host a request may make: a loop of awaits calls the host on every
   * turn while spending little fuel. A plain request makes ~40; jco's glue keeps a record of every
   * call until the request ends, so the budget also bounds that memory (an isolate's is 128 MB).
   */
  maxHostCalls: number;
  /** Time a request may spend running between its waits (a loop of awaits or timers). */
  cpuMs: number;
}

export const defaultLimits: Limits = {
  maxRequestBytes: 10 * 1024 * 1024,
  maxResponseBytes: 100 * 1024 * 1024,
  maxKeyBytes: 256,
  maxValueBytes: 1024 * 1024,
  timeoutMs: 30_000,
  fuel: 400_000_000,
  maxHostCalls: 20_000,
  cpuMs: 5_000,
};

/**
 * Memory a component's instance may grow to (and initialisation, at build time): 256 MiB, ample
 * for a request handler, small enough that a runaway one cannot take the host down.
 */
export const defaultMaxMemoryBytes = 256 * 1024 * 1024;
