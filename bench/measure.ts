/** Small timing helpers shared by the benchmark scripts. */

export interface LoadResult {
  rps: number;
  p50ms: number;
  p99ms: number;
  errors: number;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Calls timed over `wallMs` (each one's time in ms, in any order) as one load. */
export function loadResult(times: number[], wallMs: number, errors: number): LoadResult {
  const sorted = [...times].sort((a, b) => a - b);
  return { rps: sorted.length / (wallMs / 1000), p50ms: percentile(sorted, 50), p99ms: percentile(sorted, 99), errors };
}

/** The middle value (the upper one of an even count). */
export const median = (values: readonly number[]): number => percentile([...values].sort((a, b) => a - b), 50);

/**
 * One path's rounds, measured in turns with a baseline (round i beside the baseline's rate
 * `baselineRps[i]`): its median round, the median of `ratio` within each round, and the
 * lowest and highest of those ratios (their spread tells the host's load from a change's effect).
 */
export function medianRound(
  rounds: readonly LoadResult[],
  baselineRps: readonly number[],
  ratio: (rps: number, baselineRps: number) => number = (rps, base) => rps / base,
): LoadResult & { ratio: number; ratioRange: [number, number] } {
  const ratios = rounds.map((r, i) => ratio(r.rps, baselineRps[i]!));
  return {
    rps: median(rounds.map((r) => r.rps)),
    p50ms: median(rounds.map((r) => r.p50ms)),
    p99ms: median(rounds.map((r) => r.p99ms)),
    errors: rounds.reduce((sum, r) => sum + r.errors, 0),
    ratio: median(ratios),
    ratioRange: [Math.min(...ratios), Math.max(...ratios)],
  };
}

/** Runs `call` from `concurrency` loops until `total` calls are done; a call fails by throwing. */
export async function load(call: () => Promise<void>, total: number, concurrency: number): Promise<LoadResult> {
  const times: number[] = [];
  let started = 0;
  let errors = 0;
  const begin = performance.now();
  const loop = async () => {
    while (started < total) {
      started++;
      const t = performance.now();
      try {
        await call();
      } catch {
        errors++;
      }
      times.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  return loadResult(times, performance.now() - begin, errors);
}

export interface GetRun {
  /** Each request's time in milliseconds, in the order they finished. */
  latencies: number[];
  /** Requests that failed or answered other than 200. */
  errors: number;
  elapsedSeconds: number;
}

/** `connections` loops each sending GET `url` one after another until `seconds` pass or `maxRequests` are sent. */
export async function driveGets(url: string, seconds: number, connections: number, maxRequests = Infinity): Promise<GetRun> {
  const latencies: number[] = [];
  let started = 0;
  let errors = 0;
  const begin = performance.now();
  const deadline = begin + seconds * 1000;
  const loop = async () => {
    while (started < maxRequests && performance.now() < deadline) {
      started++;
      const t = performance.now();
      try {
        const res = await fetch(url);
        await res.arrayBuffer();
        if (res.status !== 200) errors++;
      } catch {
        errors++;
      }
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: connections }, loop));
  return { latencies, errors, elapsedSeconds: (performance.now() - begin) / 1000 };
}

/** Median time of `fn` over `runs` runs, in milliseconds. */
export async function medianMs(fn: () => Promise<unknown>, runs: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return percentile(times, 50);
}

export const round = (n: number, digits = 2): number => Number(n.toFixed(digits));
