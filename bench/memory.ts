/**
 * Memory of warm components on workerd: each template deployed alone on local workerd, its
 * resident memory once started and again after every routed component has answered, against a
 * bare worker that answered as many requests. What a warm JS component costs is the difference,
 * per component: its engine compiled, one live instance and the image a reset copies back. Then
 * eight clients at once on each path: a component that waits on the host (key-value) holds an
 * instance across the wait, so the pool makes more (up to four), which share the first one's image.
 * Runnable: `npx node bench/memory.ts`.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLocalWorker } from '../node/workerd/local.ts';
import { builtTemplate } from '../node/templates/built-template.ts';
import { listTemplates } from '../node/templates/templates.ts';
import { rssBytes, workerdPid } from '../node/workerd/workerd-process.ts';
import { parseManifest } from '../shared/manifest/parse.ts';
import { bareWorker } from './soak.ts';
import { round } from './measure.ts';

export interface MemoryRow {
  app: string;
  components: number;
  'RSS started (MB)': number;
  'RSS warm (MB)': number;
  /** Warm RSS beyond the bare worker's, per routed component. */
  'per warm component (MB)': number;
  /** After eight clients at once on every path, beyond the warm RSS. */
  'more with 8 at once (MB)'?: number;
}

/** Requests per routed path: enough for the first instance to be made and reset a few times. */
const REQUESTS_PER_PATH = 5;
const AT_ONCE = 8;
const requiredValues = { name: 'Fermyon' };
const mb = (bytes: number): number => round(bytes / 1e6, 1);

/** One request path for each routed component: the route with its wildcard cut off. */
function pathsOf(manifest: string): { paths: string[]; components: number } {
  const { app } = parseManifest(manifest, 'spin.toml');
  if (!app) throw new Error('the template manifest does not parse');
  const routed = app.triggers.filter((t) => t.component && 'path' in t.route);
  const paths = routed.map((t) => ('path' in t.route ? t.route.path.replace(/\/?\.\.\.$/, '') || '/' : '/'));
  return { paths, components: new Set(routed.map((t) => t.component)).size };
}

async function warm(url: string, paths: string[], clients = 1): Promise<void> {
  for (const path of paths) {
    await Promise.all(
      Array.from({ length: clients }, async () => {
        for (let i = 0; i < REQUESTS_PER_PATH; i++) await (await fetch(new URL(path, url))).arrayBuffer();
      }),
    );
  }
}

export async function benchMemory(): Promise<MemoryRow[]> {
  const rows: MemoryRow[] = [];
  const bare = await bareWorker();
  let bareWarm: number;
  try {
    const pid = await workerdPid(bare.url);
    const started = await rssBytes(pid);
    await warm(bare.url, ['/']);
    bareWarm = await rssBytes(pid);
    rows.push({ app: 'bare worker (baseline)', components: 0, 'RSS started (MB)': mb(started), 'RSS warm (MB)': mb(bareWarm), 'per warm component (MB)': 0 });
  } finally {
    await bare.stop();
  }
  // Besides the templates, eight routes whose components name one .wasm: they share their instances.
  const apps: Array<[string, string]> = [...(await listTemplates()).map(({ name }): [string, string] => [name, name]), ['8 routes, one .wasm', 'fixtures/apps/shared-wasm']];
  for (const [name, source] of apps) {
    const built = await builtTemplate(source);
    const { paths, components } = pathsOf(await readFile(built.manifestPath, 'utf8'));
    const state = await mkdtemp(join(tmpdir(), 'twirl-bench-memory-'));
    // Required variables get a value, as `twirl up` users give one, so every component can start.
    const worker = await startLocalWorker({ port: 0, host: '127.0.0.1', appDir: built.dir, persistDir: state, variables: requiredValues, logs: { write: () => {} } });
    try {
      const pid = await workerdPid(worker.workerdUrl);
      const started = await rssBytes(pid);
      await warm(worker.url, paths);
      const warmRss = await rssBytes(pid);
      await warm(worker.url, paths, AT_ONCE);
      rows.push({
        app: name,
        components,
        'RSS started (MB)': mb(started),
        'RSS warm (MB)': mb(warmRss),
        'per warm component (MB)': mb((warmRss - bareWarm) / Math.max(components, 1)),
        'more with 8 at once (MB)': mb((await rssBytes(pid)) - warmRss),
      });
    } finally {
      await worker.stop();
      await rm(state, { recursive: true, force: true });
    }
  }
  return rows;
}

if (resolve(process.argv[1] ?? '') === fileURLToPath(import.meta.url)) {
  console.table(await benchMemory());
}
