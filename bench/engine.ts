/**
 * The core engine in Node: per-request instantiation cost and requests/s with a fresh instance
 * per request, against a constant-response handler measured in the same run.
 */
import { buildImports } from '../shared/component/imports.ts';
import { instantiateFresh, type LoadedComponent } from '../shared/component/instantiate.ts';
import { InstancePool } from '../shared/component/instance-pool.ts';
import { MemoryKeyValueBackend } from '../shared/key-value-memory.ts';
import { Engine } from '../shared/engine.ts';
import { loadManifest } from '../shared/manifest/parse.ts';
import { serve } from './http-server.ts';
import { load, medianMs, round } from './measure.ts';
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

/** Requests over HTTP on loopback: each handler behind the same Node server, driven by fetch. */
export async function benchEngine(components: Record<string, LoadedComponent>, total = 2000) {
  const targets: Array<[string, (r: Request) => Promise<Response> | Response, number]> = [
    ['constant response (baseline)', () => new Response('Hello, Fermyon!\n'), total],
  ];
  for (const [name, component] of Object.entries(components)) {
    const restored = await singleComponentEngine(component);
    const fresh = await singleComponentEngine(component, { reuse: false });
    targets.push([`${name}, restored instance per request`, (r) => restored.handle(r), total]);
    targets.push([`${name}, new instance per request`, (r) => fresh.handle(r), Math.min(total, 300)]);
  }
  const rows = [];
  for (const concurrency of [1, 10]) {
    let baseline = 0;
    for (const [path, handler, count] of targets) {
      const server = await serve(handler);
      const call = async () => {
        const res = await fetch(server.url + '/');
        if (res.status !== 200) throw new Error(`status ${res.status}`);
        await res.arrayBuffer();
      };
      await load(call, Math.min(100, count), concurrency);
      const r = await load(call, count, concurrency);
      await server.close();
      baseline ||= r.rps;
      rows.push({
        path,
        concurrency,
        'req/s': round(r.rps, 0),
        'p50 (ms)': round(r.p50ms, 3),
        'p99 (ms)': round(r.p99ms, 3),
        'baseline / this': round(baseline / r.rps, 2),
        errors: r.errors,
      });
    }
  }
  return rows;
}
