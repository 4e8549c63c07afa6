import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleEntry } from '../../../node/toolchain/bundle.ts';
import { componentizeBundleTs, nodeJsToolchain, witDirFiles } from '../../../node/toolchain/preinit-node.ts';
import { assembleWitDir } from '../../../node/toolchain/wit-dir.ts';
import { exportNames, featuresFor, initializeState, splice } from '../../../shared/build/componentize.ts';
import { DETECTED_WORLD, worldForImports } from '../../../shared/build/world.ts';
import { witAsOneText } from '../../../shared/build/wit-text.ts';
import { TwirlError } from '../../../shared/errors.ts';

test('exportNames reads the export clause esbuild writes and exported declarations', () => {
  const code = 'var foo = {};\nexport {\n  foo as incomingHandler,\n  bar\n};\nexport async function run() {}\n';
  assert.deepEqual([...exportNames(code)].sort(), ['bar', 'incomingHandler', 'run']);
  assert.deepEqual([...exportNames('addEventListener("fetch", () => {}); // export { nothing }')], []);
});

test('code that throws at the top level fails the build with the engine’s message and line', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'twirl-preinit-'));
  try {
    const entry = join(dir, 'index.js');
    await writeFile(entry, 'const x = 1;\nfunction f() { throw new Error("boom at init"); }\nf();\naddEventListener("fetch", (e) => e.respondWith(new Response("x")));\n');
    await assert.rejects(componentizeBundleTs(await bundleEntry(entry)), (err: unknown) => {
      assert.ok(err instanceof TwirlError);
      assert.equal(err.code, 'componentize-failed');
      assert.match(err.message, /bundle\.js:\d+:\d+ Error: boom at init/);
      return true;
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('top-level code that never ends fails the build at the time limit, saying so, instead of hanging it', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'twirl-preinit-'));
  try {
    const entry = join(dir, 'index.js');
    await writeFile(entry, 'let n = 0;\nwhile (true) n++;\naddEventListener("fetch", (e) => e.respondWith(new Response(String(n))));\n');
    const bundle = await bundleEntry(entry);
    const wit = await witDirFiles(await assembleWitDir(worldForImports(bundle.hostImports)));
    const features = featuresFor(bundle.code);
    const spliced = await splice(await nodeJsToolchain(), features, witAsOneText(wit), DETECTED_WORLD);
    await assert.rejects(initializeState(spliced, bundle.code, features, { timeLimitMs: 1_000 }), (err: unknown) => {
      assert.ok(err instanceof TwirlError);
      assert.equal(err.code, 'componentize-failed');
      assert.match(err.message, /top-level code was still running after 1 s and was stopped \(a loop that never ends\?\)/);
      return true;
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
