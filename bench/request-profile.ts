/**
 * Where one request's time goes, in process (no HTTP): compiling the core modules, the first
 * request on a freshly compiled component, how the cost falls as the engine's code tiers up,
 * and the reset after each request (dirty pages only) against copying the whole memory image.
 */
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { buildImports } from '../shared/component/imports.ts';
import { instantiateFresh, type GlueInstantiate, type LoadedComponent } from '../shared/component/instantiate.ts';
import { CoreLinker } from '../shared/component/core-linker.ts';
import { captureSnapshot, dirtyPageCount, restoreSnapshot } from '../shared/component/instance-snapshot.ts';
import { invokeHttp } from '../shared/component/invoke.ts';
import { dirtyPageBytes } from '../shared/component/write-tracking.ts';
import { defaultLimits } from '../shared/limits.ts';
import { prepareOnDisk, readSnapshot } from '../node/component/load-component.ts';
import { round } from './measure.ts';
import { detachedContext } from '../node/component/detached-context.ts';


/**
 * Prepared on disk, compiled anew here: nothing of an earlier compilation is reused. A JS
 * engine's module lives in the shared engines folder and the component keeps its snapshot.
 */
async function compileFresh(bytes: Uint8Array): Promise<{ component: LoadedComponent; compileMs: number }> {
  const prepared = await prepareOnDisk(bytes);
  const glue = (await import(pathToFileURL(prepared.glue).href)) as { instantiate: GlueInstantiate };
  const files = await Promise.all(Object.entries(prepared.modules).map(async ([name, path]) => [name, await readFile(path)] as const));
  const snapshots = new Map(await Promise.all(Object.entries(prepared.engines).map(async ([name, ref]) => [name, await readSnapshot(ref)] as const)));
  const start = performance.now();
  const modules = new Map(await Promise.all(files.map(async ([name, b]) => [name, await WebAssembly.compile(b)] as const)));
  return { component: { kind: prepared.kind, instantiate: glue.instantiate, modules, snapshots }, compileMs: performance.now() - start };
}

const phases: Array<[string, number, number]> = [
  ['requests 2–100', 1, 100],
  ['101–500', 100, 500],
  ['501–1500', 500, 1500],
];

export async function benchRequestProfile(components: Record<string, Uint8Array>, total = 1500) {
  const rows = [];
  for (const [name, bytes] of Object.entries(components)) {
    const { component, compileMs } = await compileFresh(bytes);
    // One store for every request (kv-counter counts on), a new context per request as an engine makes.
    const shared = detachedContext(['default']);
    let ctx = shared;
    let hostCalls = 0;
    const linker = new CoreLinker(() => hostCalls++);
    const started = performance.now();
    const exports = await instantiateFresh(component, buildImports(() => ctx), linker);
    const instantiateMs = performance.now() - started;
    const snapshot = captureSnapshot(linker);
    const times: number[] = [];
    let restoreMs = 0;
    let pages = 0;
    let cpu = process.cpuUsage();
    const steadyFrom = phases.at(-1)![1];
    for (let i = 0; i < total; i++) {
      if (i === steadyFrom) cpu = process.cpuUsage();
      const url = new URL('http://localhost/');
      ctx = { ...detachedContext(), keyValue: shared.keyValue };
      if (i === 0) hostCalls = 0;
      const t0 = performance.now();
      const call = invokeHttp(component.kind, exports, new Request(url), url, [], defaultLimits);
      await (await call.response).arrayBuffer();
      await call.done;
      const t1 = performance.now();
      pages += dirtyPageCount(snapshot);
      const t2 = performance.now();
      if (!restoreSnapshot(snapshot)) throw new Error(`${name}: the instance could not be reset`);
      restoreMs += performance.now() - t2;
      times.push(t1 - t0);
    }
    const { user, system } = process.cpuUsage(cpu);
    // What a reset cost before dirty pages were tracked, for comparison (it changes nothing now).
    const copies = 50;
    const t = performance.now();
    for (let i = 0; i < copies; i++) for (const m of snapshot.memories) new Uint8Array(m.memory.buffer).set(m.bytes);
    const wholeCopyMs = (performance.now() - t) / copies;
    const mean = (from: number, to: number): number => times.slice(from, to).reduce((a, b) => a + b, 0) / (to - from);
    const imageBytes = snapshot.memories.reduce((n, m) => n + m.bytes.length, 0);
    rows.push({
      component: name,
      'compile (ms)': round(compileMs, 0),
      'instantiate (ms)': round(instantiateMs, 1),
      'first request (ms)': round(times[0]!, 1),
      ...Object.fromEntries(phases.map(([label, from, to]) => [`${label} (ms)`, round(mean(from, to), 2)])),
      // CPU time depends less than wall time on what else the machine runs.
      'CPU per request, 501–1500 (ms)': round((user + system) / 1000 / (total - steadyFrom), 2),
      'host calls / request': round(hostCalls / total, 1),
      'dirty pages / of': `${round(pages / total, 0)} / ${imageBytes / dirtyPageBytes}`,
      'reset (µs)': round((restoreMs / total) * 1000, 0),
      'whole-image copy (µs)': round(wholeCopyMs * 1000, 0),
    });
  }
  return rows;
}
