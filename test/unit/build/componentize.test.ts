import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleEntry, type Bundle } from '../../../node/toolchain/bundle.ts';
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

/** `source`, written as a project's `index.js` and bundled; the folder is gone afterwards. */
async function bundled(source: string): Promise<Bundle> {
  const dir = await mkdtemp(join(tmpdir(), 'twirl-preinit-'));
  try {
    const entry = join(dir, 'index.js');
    await writeFile(entry, source);
    return await bundleEntry(entry);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A rejection as a failed build: `componentize-failed`, with a message matching `message`. */
const buildFailure = (message: RegExp) => (err: unknown) => {
  assert.ok(err instanceof TwirlError);
  assert.equal(err.code, 'componentize-failed');
  assert.match(err.message, message);
  return true;
};

const HANDLER = 'addEventListener("fetch", (e) => e.respondWith(new Response("x")));\n';

test('code that throws at the top level fails the build with the engine’s message and line', async () => {
  const bundle = await bundled(`const x = 1;\nfunction f() { throw new Error("boom at init"); }\nf();\n${HANDLER}`);
  await assert.rejects(componentizeBundleTs(bundle), buildFailure(/bundle\.js:\d+:\d+ Error: boom at init/));
});

test('top-level code that never ends fails the build at the time limit, saying so, instead of hanging it', async () => {
  const bundle = await bundled(`let n = 0;\nwhile (true) n++;\n${HANDLER}`);
  const wit = await witDirFiles(await assembleWitDir(worldForImports(bundle.hostImports)));
  const features = featuresFor(bundle.code);
  const spliced = await splice(await nodeJsToolchain(), features, witAsOneText(wit), DETECTED_WORLD);
  await assert.rejects(
    initializeState(spliced, bundle.code, features, { timeLimitMs: 1_000 }),
    buildFailure(/top-level code was still running after 1 s and was stopped \(a loop that never ends\?\)/),
  );
});

test('top-level code that hoards memory fails the build at a component’s memory limit, saying so', async () => {
  const bundle = await bundled(`const hoard = [];\nwhile (true) hoard.push(new Array(1e6).fill(hoard.length));\n${HANDLER}`);
  await assert.rejects(
    componentizeBundleTs(bundle),
    buildFailure(/its top-level code needed more than the 256 MB of memory a component may use\n[^]*uncaught exception: out of memory/),
  );
});
