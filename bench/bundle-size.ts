/**
 * Deployed bundle sizes: each component whole, as bundles were made before (its glue and every
 * core module, once per component), against one engine per world plus a snapshot per
 * component (what `twirl deploy` writes now), in the same run.
 */
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleApp } from '../node/workerd/bundle.ts';
import { estimateMemory } from '../node/workerd/bundle-limits.ts';
import { prepareOnDisk } from '../node/component/load-component.ts';
import { builtTemplate } from '../node/templates/built-template.ts';
import { round } from './measure.ts';

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
  return rows;
}

/** Bytes of the content-addressed component modules (glue, core modules, snapshots). */
async function componentBytes(modulesDir: string): Promise<number> {
  return folderBytes(join(modulesDir, 'content'));
}

if (import.meta.main) console.table(await benchBundleSize());
