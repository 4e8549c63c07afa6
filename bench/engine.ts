/**
 * The core engine in Node: per-request instantiation cost and requests/s with a fresh instance
 * per request, against a constant-response handler measured in the same run, in turns.
 */
import { buildImports } from '../shared/component/imports.ts';
import { instantiateFresh, type LoadedComponent } from '../shared/component/instantiate.ts';
import { InstancePool } from '../shared/component/instance-pool.ts';
import { MemoryKeyValueBackend } from '../shared/key-value-memory.ts';
import { Engine } from '../shared/engine.ts';
import { loadManifest } from '../shared/manifest/parse.ts';
import { serve } from './http-server.ts';
import { load, median, medianMs, medianRound, round, type LoadResult } from './measure.ts';
import { detachedContext } from '../node/component/detached-context.ts';


export async function benchInstantiation(components: Record<string, LoadedComponent>) {
  const rows = [];
  for (const [name, component] of Object.entries(components)) {
    const ctx = detachedContext();
    const fresh = await medianMs(() => instantiateFresh(component, buildImports(() => ctx)), 50);
    const pool = new InstancePool(component);
    const restored = await medianMs(async () => (await pool.acquire(ctx)).release(true), 200);
    rows.push({ component: name, 'new instance p50 (ms)': round(fresh, 3), 'restored instance p50 (ms)': round(restored, 3), speedup: round(fresh / restored, 1) });
  }
  return rows;
}

/** An engine serving one component at `/...`, from an inline manifest. */
async function singleComponentEngine(component: LoadedComponent, pool?: { reuse: boolean }): Promise<Engine> {
  const manifest = 'spin_manifest_version = 2\n[application]\nname = "bench"\n[[trigger.http]]\nroute = "/..."\ncomponent = "c"\n[component.c]\nsource = "c.wasm"\nkey_value_stores = ["default"]\n';
  return Engine.create({
    app: loadManifest(manifest),
    components: new Map([['c', component]]),
    keyValue: new MemoryKeyValueBackend(),
    fetch: (request) => fetch(request),
    files: { read: async () => undefined, list: async () => [] },
    logs: { write: () => {} },
    pool,
  });
}

/** Rounds of the baseline and the restored rows at each concurrency: they take turns. */
const ROUNDS = 5;

interface Target {
  path: string;
  handler: (r: Request) => Promise<Response> | Response;
  count: number;
  /** Measured in the rounds beside the baseline; a new-instance row runs once, after them. */
  inRounds: boolean;
}

/**
 * Requests over HTTP on loopback: each handler behind its own Node server, driven by fetch. The
 * baseline and the restored rows take turns in rounds, so a drift of the machine's load falls on
 * them alike: a row is its median round, its ratio the median of the baseline's rate over its own
 * within each round. The new-instance rows run after the rounds, against the baseline's median:
 * among the rounds, the garbage of their instances (megabytes each) would be collected in the
 * rounds after them.
 */
export async function benchEngine(components: Record<string, LoadedComponent>, total = 2000) {
  const targets: Target[] = [{ path: 'constant response (baseline)', handler: () => new Response('Hello, Fermyon!\n'), count: total, inRounds: true }];
  for (const [name, component] of Object.entries(components)) {
    const restored = await singleComponentEngine(component);
    const fresh = await singleComponentEngine(component, { reuse: false });
    targets.push({ path: `${name}, restored instance per request`, handler: (r) => restored.handle(r), count: total, inRounds: true });
    targets.push({ path: `${name}, new instance per request`, handler: (r) => fresh.handle(r), count: Math.min(total, 300), inRounds: false });
  }
  const servers = await Promise.all(targets.map(({ handler }) => serve(handler)));
  try {
    const calls = servers.map((server) => async () => {
      const res = await fetch(server.url + '/');
      if (res.status !== 200) throw new Error(`status ${res.status}`);
      await res.arrayBuffer();
    });
    const rows = [];
    for (const concurrency of [1, 10]) {
      for (const [i, { count }] of targets.entries()) await load(calls[i]!, Math.min(100, count), concurrency);
      const rounds: LoadResult[][] = targets.map(() => []);
      for (let turn = 0; turn < ROUNDS; turn++) {
        for (const [i, { count, inRounds }] of targets.entries()) if (inRounds) rounds[i]!.push(await load(calls[i]!, Math.ceil(count / ROUNDS), concurrency));
      }
      for (const [i, { count, inRounds }] of targets.entries()) if (!inRounds) rounds[i]!.push(await load(calls[i]!, count, concurrency));
      const baselineRps = rounds[0]!.map((r) => r.rps);
      for (const [i, { path, inRounds }] of targets.entries()) {
        const row = medianRound(rounds[i]!, inRounds ? baselineRps : [median(baselineRps)], (rps, base) => base / rps);
        rows.push({
          path,
          concurrency,
          'req/s': round(row.rps, 0),
          'p50 (ms)': round(row.p50ms, 3),
          'p99 (ms)': round(row.p99ms, 3),
          'baseline / this': round(row.ratio, 2),
          errors: row.errors,
        });
      }
    }
    return rows;
  } finally {
    await Promise.all(servers.map((server) => server.close()));
  }
}
