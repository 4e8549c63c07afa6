/**
 * Prepares, for the playground build (Node), the worlds of the templates' JS components, so an
 * edit in the browser builds as a snapshot: bundle, initialise on the world's spliced engine,
 * done. Writes into `__twirl/`
 *   worlds/<key>/world.json, spliced.wasm, base.pages, glue.js, the glue's other core modules
 *   engines/<digest>.wasm   the prepared engine (memory empty), shared by every world that has it
 * from the world's kept engine (node/toolchain/world-engine.ts). A world prepared before is left.
 * A template's own prepared component runs on the same engine: `shareEngines` splits it there.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseComponentizeCommand } from '../shared/build/build-command.ts';
import { splitModules } from '../shared/component/engine-split.ts';
import { PagePool } from '../shared/component/engine-snapshot.ts';
import { encodeSnapshot } from '../shared/component/snapshot-codec.ts';
import { defaultFuel, transpileComponent } from '../shared/component/prepare.ts';
import { bundleEntry } from '../node/toolchain/bundle.ts';
import { worldEngineFor, worldKeyFor } from '../node/toolchain/preinit-node.ts';
import type { WorldEngine } from '../node/toolchain/world-engine.ts';
import { BASE_PAGES, ENGINES, SPLICED, WORLDS, type PreparedIndex, type PreparedWorld } from './app-model.ts';

const exists = (path: string): Promise<boolean> => stat(path).then(() => true, () => false);

/**
 * Prepares the world of a built template component. `dir`: the built template's folder;
 * `build`: the component's `[component.x.build]`; `reference`: the component's prepared
 * folder (playground-relative), whose `component.wasm` is of this world. Returns the world's key,
 * or undefined for a component not built by `twirl componentize`.
 */
export async function prepareWorldOf(
  out: string,
  dir: string,
  build: { command: string; workdir?: string | undefined },
  component: Uint8Array,
  reference: string,
): Promise<string | undefined> {
  const command = parseComponentizeCommand(build.command);
  if (!command) return undefined;
  const bundle = await bundleEntry(join(dir, build.workdir ?? '', command.entry));
  const key = await worldKeyFor(bundle, command.world);
  const worldDir = join(out, WORLDS.replace(/^__twirl\//, ''), key);
  if (await exists(join(worldDir, 'world.json'))) return key;
  const { engine } = await worldEngineFor(bundle, component, command.world);
  await writeWorld(worldDir, join(out, ENGINES.replace(/^__twirl\//, '')), engine, reference);
  return key;
}

async function writeWorld(dir: string, enginesDir: string, engine: WorldEngine, reference: string): Promise<void> {
  // The glue and modules as the preview runs them: tracked writes, JSPI, default fuel.
  const prepared = await transpileComponent(engine.reference, 'component');
  const { whole, engines } = await splitModules(prepared.modules);
  const split = Object.entries(engines);
  if (split.length !== 1) throw new Error(`a JS component of world ${dir} has ${split.length} engine modules, not one`);
  const [engineModule, { engine: engineBytes, engineDigest, snapshot }] = split[0]!;
  const pool = new PagePool();
  encodeSnapshot(snapshot, pool);
  const basePages = pool.bytes();
  await mkdir(enginesDir, { recursive: true });
  const enginePath = join(enginesDir, `${engineDigest}.wasm`);
  if (!(await exists(enginePath))) await writeFile(enginePath, engineBytes);

  const { wasm, ...splice } = engine.spliced.result;
  const base = createHash('sha256').update(basePages).digest('hex');
  const index: PreparedWorld = { kind: prepared.kind, engineDigest, engineModule, modules: Object.keys(whole), fuel: String(defaultFuel), splice, reference, base };
  // Write beside, then rename: vite copying its public folder never sees half a world.
  const staging = `${dir}.${process.pid}`;
  await mkdir(staging, { recursive: true });
  await writeFile(join(staging, SPLICED), wasm);
  await writeFile(join(staging, BASE_PAGES), basePages);
  await writeFile(join(staging, 'glue.js'), prepared.glue);
  for (const [name, bytes] of Object.entries(whole)) await writeFile(join(staging, name), bytes);
  await writeFile(join(staging, 'world.json'), JSON.stringify(index));
  await rename(staging, dir).catch(() => rm(staging, { recursive: true, force: true }));
}

/**
 * Splits the JS engines out of a prepared component folder (`components/<digest>/`): each
 * engine module goes to `engines/<digest>.wasm` (once for every component that has it), its
 * snapshot beside prepared.json, which names them (`engines`). The whole modules stay for
 * browsers without multi-memory. A folder split before is left.
 */
export async function shareEngines(out: string, dir: string): Promise<void> {
  const indexPath = join(dir, 'prepared.json');
  const index = JSON.parse(await readFile(indexPath, 'utf8')) as PreparedIndex;
  if (index.engines) return;
  const modules: Record<string, Uint8Array> = {};
  for (const name of index.modules) modules[name] = new Uint8Array(await readFile(join(dir, name)));
  const { engines } = await splitModules(modules);
  const enginesDir = join(out, ENGINES.replace(/^__twirl\//, ''));
  await mkdir(enginesDir, { recursive: true });
  for (const [name, { engine, engineDigest, snapshot }] of Object.entries(engines)) {
    const enginePath = join(enginesDir, `${engineDigest}.wasm`);
    if (!(await exists(enginePath))) await writeFile(enginePath, engine);
    const pool = new PagePool();
    await writeFile(join(dir, `${name}.snapshot`), encodeSnapshot(snapshot, pool));
    await writeFile(join(dir, `${name}.pages`), pool.bytes());
  }
  index.engines = Object.fromEntries(Object.entries(engines).map(([name, e]) => [name, e.engineDigest]));
  await writeFile(`${indexPath}.${process.pid}`, JSON.stringify(index));
  await rename(`${indexPath}.${process.pid}`, indexPath);
}
