/**
 * Soak: the hello app (http-js) deployed on the local worker (workerd through miniflare's API,
 * loopback only), under `connections` concurrent request loops for `seconds` after a warm-up.
 * Reports requests, errors (must be 0), rps, p50/p99, and workerd's resident memory at start,
 * after the warm-up and at the end. workerd's own RSS climbs for the first ~10^5 requests of any
 * worker before it levels off, so the same requests are also sent to a bare worker on workerd,
 * and the growth beyond that baseline must stay under a stated bound.
 * Runnable: `npx node bench/soak.ts [seconds] [connections]`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Miniflare } from 'miniflare';
import { startLocalWorker } from '../node/workerd/local.ts';
import { COMPATIBILITY_DATE } from '../worker/compatibility.ts';
import { builtTemplate } from '../node/templates/built-template.ts';
import { rssBytes, workerdPid } from '../node/workerd/workerd-process.ts';
import { driveGets, percentile, round, type GetRun } from './measure.ts';

export interface SoakOptions {
  /** Length of the measured run (default 60). */
  seconds?: number;
  /** Concurrent request loops (default 50). */
  connections?: number;
}

export interface SoakRow {
  measure: string;
  value: number;
  unit: string;
  /** The bound the value is compared with, where there is one. */
  bound?: number;
  /** Whether the value is within its bound, for the rows that decide the verdict. */
  ok?: boolean;
}

/** Resident memory workerd may gain after the warm-up over the whole run, beyond what a bare worker gains under the same requests. */
const RSS_GROWTH_BOUND_MB = 100;
const WARM_UP_SECONDS = 5;
/** Requests per second above which a run stops early, so the run is bounded in count as well as time. */
const MAX_RPS = 50_000;

const mb = (bytes: number): number => round(bytes / 2 ** 20, 1);

interface Soaked {
  warmUp: GetRun;
  run: GetRun;
  rss: { start: number; warm: number; end: number };
}

/** Warms `url` up, then drives it; workerd's RSS (`pid`) before, between and after. */
async function soak(url: string, pid: number, plan: { warmUp: Budget; run: Budget; connections: number }): Promise<Soaked> {
  const start = await rssBytes(pid);
  const warmUp = await driveGets(url, plan.warmUp.seconds, plan.connections, plan.warmUp.requests);
  const warm = await rssBytes(pid);
  const run = await driveGets(url, plan.run.seconds, plan.connections, plan.run.requests);
  return { warmUp, run, rss: { start, warm, end: await rssBytes(pid) } };
}

interface Budget {
  seconds: number;
  requests: number;
}

/** The baseline: a worker answering a constant, alone on its own workerd, set up as the local worker is. */
export async function bareWorker(): Promise<{ url: string; stop(): Promise<void> }> {
  const mf = new Miniflare({
    host: '127.0.0.1',
    port: 0,
    modules: true,
    script: 'export default { fetch() { return new Response("Hello, Fermyon!\\n"); } };',
    compatibilityDate: COMPATIBILITY_DATE,
    structuredWorkerdLogs: true,
    handleStructuredLogs: () => {},
  });
  return { url: (await mf.ready).href, stop: () => mf.dispose() };
}

export async function benchSoak(opts: SoakOptions = {}): Promise<SoakRow[]> {
  const seconds = opts.seconds ?? 60;
  const connections = opts.connections ?? 50;
  const warmUpSeconds = Math.min(WARM_UP_SECONDS, seconds);
  const state = await mkdtemp(join(tmpdir(), 'twirl-bench-soak-'));
  const hello = await builtTemplate('http-js');
  const worker = await startLocalWorker({ port: 0, host: '127.0.0.1', appDir: hello.dir, persistDir: state, logs: { write: () => {} } });
  let app: Soaked;
  try {
    const plan = { warmUp: { seconds: warmUpSeconds, requests: MAX_RPS * warmUpSeconds }, run: { seconds, requests: MAX_RPS * seconds }, connections };
    app = await soak(worker.url, await workerdPid(worker.workerdUrl), plan);
  } finally {
    await worker.stop();
    await rm(state, { recursive: true, force: true });
  }
  // The same number of requests, bounded in time as well (a bare worker is faster, never slower).
  const bare = await bareWorker();
  let baseline: Soaked;
  try {
    const same = (run: GetRun, budget: number) => ({ seconds: budget, requests: run.latencies.length });
    baseline = await soak(bare.url, await workerdPid(bare.url), { warmUp: same(app.warmUp, warmUpSeconds * 2), run: same(app.run, seconds * 2), connections });
  } finally {
    await bare.stop();
  }
  return rows(app, baseline, { seconds, connections });
}

function rows(app: Soaked, baseline: Soaked, { seconds, connections }: { seconds: number; connections: number }): SoakRow[] {
  const { run, warmUp, rss } = app;
  const latencies = run.latencies.toSorted((a, b) => a - b);
  const errors = run.errors + warmUp.errors;
  const growth = mb(rss.end - rss.warm);
  const baselineGrowth = mb(baseline.rss.end - baseline.rss.warm);
  const beyond = round(growth - baselineGrowth, 1);
  return [
    { measure: `requests (${connections} connections, ${seconds} s)`, value: latencies.length, unit: 'count' },
    { measure: 'errors', value: errors, unit: 'count', bound: 0, ok: errors === 0 },
    { measure: 'throughput', value: round(latencies.length / run.elapsedSeconds, 0), unit: 'req/s' },
    { measure: 'latency p50', value: round(percentile(latencies, 50), 2), unit: 'ms' },
    { measure: 'latency p99', value: round(percentile(latencies, 99), 2), unit: 'ms' },
    { measure: 'workerd RSS at start', value: mb(rss.start), unit: 'MB' },
    { measure: `workerd RSS after warm-up (${warmUp.latencies.length} requests)`, value: mb(rss.warm), unit: 'MB' },
    { measure: 'workerd RSS at end', value: mb(rss.end), unit: 'MB' },
    // Shown against the bound for the record; workerd's own climb is in it, so the verdict is on the row after next.
    { measure: 'workerd RSS growth after warm-up', value: growth, unit: 'MB', bound: RSS_GROWTH_BOUND_MB },
    { measure: 'bare worker: RSS growth, same requests', value: baselineGrowth, unit: 'MB' },
    { measure: 'RSS growth beyond the bare worker', value: beyond, unit: 'MB', bound: RSS_GROWTH_BOUND_MB, ok: beyond <= RSS_GROWTH_BOUND_MB },
  ];
}

if (resolve(process.argv[1] ?? '') === fileURLToPath(import.meta.url)) {
  const [seconds, connections] = process.argv.slice(2).map(Number);
  const rows = await benchSoak({ ...(seconds ? { seconds } : {}), ...(connections ? { connections } : {}) });
  console.table(rows);
  if (rows.some((row) => row.ok === false)) process.exitCode = 1;
}
