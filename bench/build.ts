/**
 * Rebuilding the `http-js` template in Node: componentize-js with native wizer against the
 * TypeScript pre-initializer (`shared/build/`), in the same run, and the components' sizes.
 * The TS path's first build splices the world's bindings (and warms the splicer, which both paths
 * run); its rebuilds reuse the splice, as an edit-and-run loop does. Native wizer splices every time.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildJsComponent } from '../node/toolchain/componentize.ts';
import { bundleEntry } from '../node/toolchain/bundle.ts';
import { componentizeBundleTs, nativePreinitAvailable, snapshotBundleTs } from '../node/toolchain/preinit-node.ts';
import { transpileComponent } from '../shared/component/prepare.ts';
import { splitModules } from '../shared/component/engine-split.ts';
import { round } from './measure.ts';
import { benchEditLoop } from './edit-loop.ts';

const template = new URL('../templates/http-js/src/index.js', import.meta.url);

interface Row {
  build: string;
  'total (ms)': number;
  'splice (ms)'?: number;
  'initialize (ms)'?: number;
  'stub WASI (ms)'?: number;
  'component (ms)'?: number;
  'size (MB)': number;
  /** Against the last TS rebuild in the same run. */
  'vs TS rebuild'?: number;
}

const mb = (bytes: Uint8Array): number => round(bytes.byteLength / 1e6, 2);

export async function benchBuild(runs = 2): Promise<Row[]> {
  const dir = await mkdtemp(join(tmpdir(), 'twirl-bench-build-'));
  const source = await readFile(template, 'utf8');
  const rows: Row[] = [];
  try {
    // Each run edits the source, so no step can answer from a cache keyed by the source.
    const entryFor = async (run: number): Promise<string> => {
      const entry = join(dir, `index-${run}.js`);
      await writeFile(entry, source.replace('Hello, Fermyon!', `Hello, run ${run}!`));
      return entry;
    };

    const ts = async (run: number, label: string): Promise<void> => {
      const started = performance.now();
      const { component, timings } = await componentizeBundleTs(await bundleEntry(await entryFor(run)));
      rows.push({
        build: label,
        'total (ms)': round(performance.now() - started, 0),
        'splice (ms)': round(timings.splice, 0),
        'initialize (ms)': round(timings.initialize, 0),
        'stub WASI (ms)': round(timings.stub, 0),
        'component (ms)': round(timings.component, 0),
        'size (MB)': mb(component),
      });
    };

    // First in the process: it also pays for compiling the splicer, which both paths share.
    await ts(0, 'TS pre-init, first build in the process');
    if (await nativePreinitAvailable()) {
      for (let run = 1; run <= runs; run++) {
        const started = performance.now();
        const { component } = await buildJsComponent({ entry: await entryFor(run) });
        rows.push({ build: `native wizer #${run}`, 'total (ms)': round(performance.now() - started, 0), 'size (MB)': mb(component) });
      }
    }
    for (let run = 1; run <= runs; run++) await ts(runs + run, `TS pre-init, rebuild after an edit #${run}`);

    // With the world's engine prepared once (untimed), a rebuild makes only the snapshot.
    const reference = await componentizeBundleTs(await bundleEntry(await entryFor(100)));
    const [engine] = Object.values((await splitModules((await transpileComponent(reference.component)).modules)).engines);
    const baseline = rows[rows.length - 1]!['total (ms)'];
    for (let run = 1; run <= runs; run++) {
      const started = performance.now();
      const { snapshot, timings } = await snapshotBundleTs(await bundleEntry(await entryFor(200 + run)), engine!.engineDigest);
      const total = performance.now() - started;
      const bytes = [...snapshot.pages.values()].reduce((sum, p) => sum + p.length, 0);
      rows.push({
        build: `snapshot only (engine cached), rebuild after an edit #${run}`,
        'total (ms)': round(total, 0),
        'initialize (ms)': round(timings.initialize, 0),
        'size (MB)': round(bytes / 1e6, 2),
        'vs TS rebuild': round(total / baseline, 2),
      });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return rows;
}

/** The in-process rebuilds, then the CLI's edit loop (`twirl build`, `twirl watch`) both ways. */
export async function benchBuildAndEditLoop(runs = 2): Promise<object[]> {
  return [...(await benchBuild(runs)), ...(await benchEditLoop())];
}

if (import.meta.main) console.table(process.argv.includes('--edit-loop') ? await benchEditLoop() : await benchBuildAndEditLoop());
