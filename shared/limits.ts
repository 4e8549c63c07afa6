/** Per-request limits, with defaults a host or manifest may override. */
export interface Limits {
  maxRequestBytes: number;
  maxResponseBytes: number;
  maxKeyBytes: number;
  maxValueBytes: number;
  /** Wall-clock time a request may take before it is answered 504 and its instance discarded. */
  timeoutMs: number;
}

export const defaultLimits: Limits = {
  maxRequestBytes: 10 * 1024 * 1024,
  maxResponseBytes: 100 * 1024 * 1024,
  maxKeyBytes: 256,
  maxValueBytes: 1024 * 1024,
  timeoutMs: 30_000,
};
