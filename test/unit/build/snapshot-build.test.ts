/**
 * A rebuild that makes only a snapshot gives what a full build gives once split: the same
 * snapshot for the same source, and for an edited source a snapshot that runs on the engine
 * already prepared.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleEntry } from '../../../node/toolchain/bundle.ts';
import { componentizeBundleTs, snapshotBundleTs } from '../../../node/toolchain/preinit-node.ts';
import { transpileComponent } from '../../../shared/component/prepare.ts';
import { splitModules } from '../../../shared/component/engine-split.ts';
import { Engine } from '../../../shared/engine.ts';
import { MemoryKeyValueBackend } from '../../../shared/key-value-memory.ts';
import { loadManifest } from '../../../shared/manifest/parse.ts';
import type { GlueInstantiate, LoadedComponent } from '../../../shared/component/instantiate.ts';
import type { EngineSnapshot } from '../../../shared/component/engine-snapshot.ts';

const source = await readFile(new URL('../../../templates/http-js/src/index.js', import.meta.url), 'utf8');
const dir = await mkdtemp(join(tmpdir(), 'twirl-snapshot-build-'));
test.after(() => rm(dir, { recursive: true, force: true }));

async function bundleOf(text: string, name: string) {
  const entry = join(dir, name);
  await writeFile(entry, text);
  return bundleEntry(entry);
}

/**
 * Initialisation reads the clock and random bytes (hash seeds), which land in memory: for two
 * builds to be compared byte for byte, both see the same clock and the same random bytes.
 */
async function deterministic<T>(run: () => Promise<T>): Promise<T> {
  const { getRandomValues } = crypto;
  const { now } = Date;
  const perfNow = performance.now;
  let seed = 1;
  crypto.getRandomValues = <A extends ArrayBufferView | null>(array: A): A => {
    const bytes = new Uint8Array(array!.buffer, array!.byteOffset, array!.byteLength);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
    return array;
  };
  Date.now = () => 1_700_000_000_000;
  performance.now = () => 1000;
  try {
    return await run();
  } finally {
    Object.assign(crypto, { getRandomValues });
    Date.now = now;
    performance.now = perfNow;
  }
}

// One full build: the engine for the world, its glue and small modules, and a reference snapshot.
const original = await bundleOf(source, 'index.js');
const prepared = await transpileComponent((await deterministic(() => componentizeBundleTs(original))).component);
const { whole, engines } = await splitModules(prepared.modules);
const [[engineName, full]] = Object.entries(engines) as [[string, (typeof engines)[string]]];

test('the snapshot-only build of a source equals the snapshot split from its full build', async () => {
  const { snapshot } = await deterministic(() => snapshotBundleTs(original, full.engineDigest));
  assert.equal(snapshot.engineDigest, full.engineDigest);
  assert.equal(snapshot.memoryPages, full.snapshot.memoryPages);
  assert.deepEqual(snapshot.globals, full.snapshot.globals);
  assert.deepEqual([...snapshot.pages.keys()].sort((a, b) => a - b), [...full.snapshot.pages.keys()].sort((a, b) => a - b));
  for (const [page, bytes] of snapshot.pages) assert.ok(Buffer.from(bytes).equals(Buffer.from(full.snapshot.pages.get(page)!)), `page ${page}`);
});

test('after an edit, the new snapshot alone runs the edited code on the prepared engine', async () => {
  const edited = await bundleOf(source.replace('Hello, Fermyon!', 'Hello, snapshot!'), 'edited.js');
  const { snapshot } = await snapshotBundleTs(edited, full.engineDigest);
  const response = await runHttpJs(snapshot);
  assert.equal(response.status, 200);
  assert.match(await response.text(), /^Hello, snapshot!\nmethod: GET\npath: \/edited\n/);
});

async function runHttpJs(snapshot: EngineSnapshot): Promise<Response> {
  const gluePath = join(dir, `glue-${Date.now()}.js`);
  await writeFile(gluePath, prepared.glue);
  const glue = (await import(gluePath)) as { instantiate: GlueInstantiate };
  const modules = new Map<string, WebAssembly.Module>();
  for (const [name, bytes] of Object.entries(whole)) modules.set(name, await WebAssembly.compile(bytes as BufferSource));
  modules.set(engineName, await WebAssembly.compile(full.engine as BufferSource));
  const component: LoadedComponent = { kind: prepared.kind, instantiate: glue.instantiate, modules, snapshots: new Map([[engineName, snapshot]]) };
  const app = loadManifest('spin_manifest_version = 2\n[application]\nname = "edit"\n[[trigger.http]]\nroute = "/..."\ncomponent = "hello"\n[component.hello]\nsource = "hello.wasm"\n', 'spin.toml');
  const engine = await Engine.create({
    app,
    components: new Map([['hello', component]]),
    keyValue: new MemoryKeyValueBackend(),
    fetch: (r) => fetch(r),
    files: { read: async () => undefined, list: async () => [] },
    logs: { write: () => {} },
  });
  return engine.handle(new Request('http://127.0.0.1:3000/edited'), { clientAddr: '127.0.0.1:1' });
}
