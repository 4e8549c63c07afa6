/**
 * Deployed bundle sizes: each component whole, as bundles were made before (its glue and every
 * core module, once per component), against one engine per world plus a snapshot per
 * component (what `twirl deploy` writes now), in the same run. Then what published apps leave
 * in R2, published one after the other to a local platform worker: before, the archive and each
 * component's whole preparation; now, the archive and each component's record, plus the engine,
 * glue and base pages its world shares (counted with the first app that stores them).
 */
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleApp } from '../node/workerd/bundle.ts';
import { estimateMemory } from '../node/workerd/bundle-limits.ts';
import { prepareOnDisk } from '../node/component/load-component.ts';
import { builtTemplate } from '../node/templates/built-template.ts';
import { round } from './measure.ts';
import { zipSync } from 'fflate';
import { startLocalWorker } from '../node/workerd/local.ts';
import { templateFiles } from '../node/templates/built-template.ts';
import { sha256Hex } from '../shared/digest.ts';
import { storedObjects } from './published-storage.ts';

const apps = { 'multi-route': 'multi-route', '8 routes, one .wasm': 'fixtures/apps/shared-wasm' };

async function folderBytes(dir: string): Promise<number> {
  const entries = (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile());
  const sizes = await Promise.all(entries.map(async (e) => (await stat(join(e.parentPath, e.name))).size));
  return sizes.reduce((a, b) => a + b, 0);
}

export async function benchBundleSize(): Promise<object[]> {
  const rows: object[] = [];
  for (const [label, name] of Object.entries(apps)) {
    const built = await builtTemplate(name);
    const outDir = await mkdtemp(join(tmpdir(), 'twirl-bench-bundle-'));
    try {
      const bundle = await bundleApp({ appDir: built.dir, outDir });
      const now = await folderBytes(bundle.modulesDir);
      // Before: the same runtime and files, and each component's whole preparation copied in.
      const shared = now - (await componentBytes(bundle.modulesDir));
      let before = shared;
      for (const bytes of Object.values(built.components)) {
        const whole = await prepareOnDisk(bytes, { split: false });
        before += (await readFile(whole.glue)).length;
        for (const path of Object.values(whole.modules)) before += (await stat(path)).size;
      }
      rows.push({
        app: label,
        components: Object.keys(built.components).length,
        'whole components (MB)': round(before / 1e6, 1),
        'engine + snapshots (MB)': round(now / 1e6, 1),
        ratio: round(now / before, 2),
        'est. warm memory (MiB)': round(estimateMemory(bundle.footprint!).total / 2 ** 20, 0),
      });
    } finally {
      await rm(outDir, { recursive: true, force: true });
    }
  }
  return [...rows, ...(await publishedRows())];
}

/** The apps published, in this order: the second finds its world's engine already stored. */
const publishedApps = ['multi-route', 'http-js'];

async function publishedRows(): Promise<object[]> {
  const persistDir = await mkdtemp(join(tmpdir(), 'twirl-bench-published-'));
  try {
    const platform = await startLocalWorker({ port: 0, persistDir, logs: { write: () => {} } });
    const published: Array<{ name: string; digest: string; components: Uint8Array[] }> = [];
    try {
      for (const name of publishedApps) {
        const files = await templateFiles(name);
        const res = await fetch(new URL('/api/apps', platform.url), { method: 'POST', body: zipSync(files, { level: 1 }) as Uint8Array<ArrayBuffer> });
        if (!res.ok) throw new Error(`publishing ${name} answered ${res.status}: ${await res.text()}`);
        const components = Object.entries(files).filter(([path]) => path.endsWith('.wasm')).map(([, bytes]) => bytes);
        published.push({ name, digest: ((await res.json()) as { digest: string }).digest, components });
      }
    } finally {
      await platform.stop();
    }
    const objects = await storedObjects(persistDir);
    const size = (key: (k: string) => boolean) => objects.filter((o) => key(o.key)).reduce((sum, o) => sum + o.size, 0);
    const shared = size((k) => /^(engines|pages|glue)\//.test(k));
    const rows: object[] = [];
    for (const { name, digest, components } of published) {
      const archive = size((k) => k === `apps/${digest}.zip`);
      const distinct = [...new Map(await Promise.all(components.map(async (c) => [await sha256Hex(c), c] as const)))];
      let records = 0;
      for (const [componentDigest] of distinct) records += size((k) => k.startsWith('prepared-tracked/') && k.endsWith(`/${componentDigest}`));
      // The engine, glue and base pages (one world here) are counted with the first app, and never again.
      const first = name === published[0]!.name;
      const now = archive + records + (first ? shared : 0);
      // Before: the archive, and each distinct component's whole preparation (glue and every core module) in its record.
      let before = archive;
      for (const [, bytes] of distinct) {
        const whole = await prepareOnDisk(bytes, { split: false, trackWrites: false });
        before += (await readFile(whole.glue)).length;
        for (const path of Object.values(whole.modules)) before += (await stat(path)).size;
      }
      rows.push({
        app: `published ${name}${first ? '' : ', after'} (R2)`,
        components: components.length,
        'whole components (MB)': round(before / 1e6, 1),
        'engine + snapshots (MB)': round(now / 1e6, 1),
        ratio: round(now / before, 2),
        'archive (MB)': round(archive / 1e6, 1),
        'own records (MB)': round(records / 1e6, 2),
      });
    }
    return rows;
  } finally {
    await rm(persistDir, { recursive: true, force: true });
  }
}

/** Bytes of the content-addressed component modules (glue, core modules, snapshots). */
async function componentBytes(modulesDir: string): Promise<number> {
  return folderBytes(join(modulesDir, 'content'));
}

if (import.meta.main) console.table(await benchBundleSize());
