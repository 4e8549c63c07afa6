/**
 * The edge worker on workerd (local, through miniflare's API — not `wrangler dev`, whose proxy
 * costs several times over): requests/s and p50/p99 at 5 and 50 connections for a constant
 * route of the platform worker, the hello app (http-js) deployed, and the same app published
 * and run through the Worker Loader. Ratios are to the constant route at the same connections.
 * Every path goes through the local front (as `twirl up` and `npm start` serve), the constant
 * route and the apps alike. The paths take turns, five rounds, and each row reports its median
 * round; its ratio is the median of its ratios to the constant route within each round. On a
 * shared machine others' load comes and goes for seconds at a time: a path measured beside the
 * baseline sees the same load, where the best rounds of two paths may come from different ones.
 * Runnable: `npx node bench/worker.ts`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { zipSync } from 'fflate';
import { startLocalWorker, type LocalWorker } from '../node/workerd/local.ts';
import { builtTemplate } from '../node/templates/built-template.ts';
import { templateFiles } from '../node/templates/built-template.ts';
import { loadResult, medianRound, percentile, round, type LoadResult } from './measure.ts';

export interface WorkerBenchRow {
  name: string;
  connections: number;
  rps: number;
  p50ms: number;
  p99ms: number;
  /** requests/s as a share of the constant route's at the same connections. */
  vsConstant: number;
  errors: number;
}

const CONNECTIONS = [5, 50];
/** Each round stops at this many requests or seconds, whichever comes first. */
const MAX_REQUESTS = 2500;
const MAX_SECONDS = 2;
const ROUNDS = 5;

/** `connections` loops calling `call` until the request or time budget is spent. */
async function load(call: () => Promise<void>, connections: number): Promise<LoadResult> {
  const times: number[] = [];
  let started = 0;
  let errors = 0;
  const begin = performance.now();
  const deadline = begin + MAX_SECONDS * 1000;
  const loop = async () => {
    while (started < MAX_REQUESTS && performance.now() < deadline) {
      started++;
      const t = performance.now();
      await call().catch(() => errors++);
      times.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: connections }, loop));
  return loadResult(times, performance.now() - begin, errors);
}

function getter(url: URL | string): () => Promise<void> {
  return async () => {
    const res = await fetch(url);
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`status ${res.status}`);
  };
}

/** `extra`: files added to the template's, making another app (a new digest: its own isolate) of the same component. */
async function publishHello(platform: LocalWorker, extra: Record<string, Uint8Array> = {}): Promise<string> {
  const archive = zipSync({ ...(await templateFiles('http-js')), ...extra }, { level: 1 });
  const send = () => fetch(new URL('/api/apps', platform.url), { method: 'POST', body: archive as Uint8Array<ArrayBuffer> });
  // Publishing is idempotent: a connection workerd dropped mid-publish (rare, on a loaded machine) is sent again.
  const res = await send().catch(send);
  if (!res.ok) throw new Error(`publishing answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { url: string }).url;
}

export interface ColdStartRow {
  name: string;
  'first response (ms)': number;
  'vs warm p50': number;
}

/** New isolates measured for the first-response row; their median is reported. */
const COLD_ISOLATES = 5;

/**
 * The first response of a published app in a new isolate: the Worker Loader starts one per app,
 * so each round publishes the hello app again with one file more (a new digest, the component
 * already prepared) and times its first request. That is what a visitor meets when an app's
 * isolate was evicted or its first visitor arrives after publishing.
 */
async function publishedColdStart(platform: LocalWorker, warmP50ms: number): Promise<ColdStartRow> {
  const times: number[] = [];
  for (let i = 0; i < COLD_ISOLATES; i++) {
    const url = await publishHello(platform, { [`cold-${i}-${Date.now()}.txt`]: new TextEncoder().encode(String(i)) });
    const started = performance.now();
    await getter(url)();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const ms = percentile(times, 50);
  return { name: `hello, published: first response in a new isolate (median of ${COLD_ISOLATES})`, 'first response (ms)': round(ms, 1), 'vs warm p50': round(ms / warmP50ms, 1) };
}

export async function benchWorker(): Promise<Array<WorkerBenchRow | ColdStartRow>> {
  const state = await mkdtemp(join(tmpdir(), 'twirl-bench-worker-'));
  const quiet = { write: () => {} };
  const hello = await builtTemplate('http-js');
  const platform = await startLocalWorker({ port: 0, persistDir: join(state, 'platform'), logs: quiet });
  const deployed = await startLocalWorker({ port: 0, appDir: hello.dir, persistDir: join(state, 'deployed'), logs: quiet });
  try {
    const paths = {
      'constant route (platform GET /api)': getter(new URL('/api', platform.url)),
      'hello, deployed': getter(deployed.url),
      'hello, published (Worker Loader)': getter(await publishHello(platform)),
    };
    for (const call of Object.values(paths)) for (let i = 0; i < 20; i++) await call();
    const rows: WorkerBenchRow[] = [];
    for (const connections of CONNECTIONS) {
      const rounds = new Map<string, LoadResult[]>(Object.keys(paths).map((name) => [name, []]));
      for (let turn = 0; turn < ROUNDS; turn++) {
        for (const [name, call] of Object.entries(paths)) rounds.get(name)!.push(await load(call, connections));
      }
      const constant = rounds.get(Object.keys(paths)[0]!)!;
      for (const [name, results] of rounds) {
        const row = medianRound(results, constant.map((r) => r.rps));
        rows.push({ name, connections, rps: round(row.rps, 0), p50ms: round(row.p50ms, 2), p99ms: round(row.p99ms, 2), vsConstant: round(row.ratio, 3), errors: row.errors });
      }
    }
    const warm = rows.find((r) => r.name === 'hello, published (Worker Loader)' && r.connections === CONNECTIONS[0])!;
    return [...rows, await publishedColdStart(platform, warm.p50ms)];
  } finally {
    await Promise.allSettled([platform.stop(), deployed.stop()]);
    await rm(state, { recursive: true, force: true });
  }
}

if (resolve(process.argv[1] ?? '') === fileURLToPath(import.meta.url)) {
  console.table(await benchWorker());
}
