/**
 * The core engine in Node: per-request instantiation cost and requests/s with a fresh instance
 * per request, against a constant-response handler measured in the same run.
 */
import { buildImports, type InstanceContext } from '../shared/component/imports.ts';
import { instantiateFresh, type LoadedComponent } from '../shared/component/instantiate.ts';
import { InstancePool } from '../shared/component/instance-pool.ts';
import { LineSplitter } from '../shared/host/wasi/cli.ts';
import { MemoryKeyValueBackend } from '../shared/key-value-memory.ts';
import { defaultLimits } from '../shared/limits.ts';
import { templateEngine } from '../test/support/template-engine.ts';
import { load, medianMs, round } from './measure.ts';

function emptyContext(): InstanceContext {
  return {
    stdout: new LineSplitter(() => {}),
    stderr: new LineSplitter(() => {}),
    environment: [],
    files: new Map(),
    variables: {},
    keyValue: { backend: new MemoryKeyValueBackend(), allowed: [], known: new Set(), limits: defaultLimits, denied: () => {} },
    outbound: { fetch, allows: () => false, denied: () => {} },
  };
}

export async function benchInstantiation(components: Record<string, LoadedComponent>) {
  const rows = [];
  for (const [name, component] of Object.entries(components)) {
    const ctx = emptyContext();
    const fresh = await medianMs(() => instantiateFresh(component, buildImports(() => ctx)), 50);
    const pool = new InstancePool(component);
    const restored = await medianMs(async () => (await pool.acquire(ctx)).release(true), 200);
    rows.push({ component: name, 'new instance p50 (ms)': round(fresh, 3), 'restored instance p50 (ms)': round(restored, 3), speedup: round(fresh / restored, 1) });
  }
  return rows;
}

export async function benchEngine(total = 2000) {
  const hello = await templateEngine('http-js');
  const helloFresh = await templateEngine('http-js', { pool: { reuse: false } });
  const constant = async () => void (await new Response('Hello, Fermyon!\n').text());
  const call = (app: typeof hello) => async () => {
    const res = await app.request('/');
    if (res.status !== 200) throw new Error(`status ${res.status}`);
    await res.text();
  };
  const rows = [];
  for (const concurrency of [1, 10]) {
    const base = await load(constant, total * 10, concurrency);
    const row = (path: string, r: Awaited<ReturnType<typeof load>>) => ({
      path,
      concurrency,
      'req/s': round(r.rps, 0),
      'p50 (ms)': round(r.p50ms, 3),
      'p99 (ms)': round(r.p99ms, 3),
      'vs baseline': round(r.rps / base.rps, 4),
      errors: r.errors,
    });
    rows.push(
      row('constant response (baseline)', base),
      row('http-js, restored instance per request', await load(call(hello), total, concurrency)),
      row('http-js, new instance per request', await load(call(helloFresh), Math.min(total, 300), concurrency)),
    );
  }
  return rows;
}
