import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { test } from 'node:test';
import * as esbuild from 'esbuild';
import { componentWit } from '@bytecodealliance/jco-transpile/wasm-tools';
import { buildFromSources, type SourceBuildTools } from '../../../shared/build/build-source.ts';
import { SourceError } from '../../../shared/build/source-error.ts';
import { JCO_WASI_VERSION, WASI_PACKAGES } from '../../../shared/build/wit-files.ts';
import { nodeJsToolchain } from '../../../node/toolchain/preinit-node.ts';
import { transpileComponent } from '../../../shared/component/prepare.ts';
import { splitModules } from '../../../shared/component/engine-split.ts';

const root = new URL('../../../', import.meta.url);

async function tools(): Promise<SourceBuildTools> {
  const twirl = new Map<string, string>();
  for (const name of await readdir(new URL('shared/wit/', root))) if (name.endsWith('.wit')) twirl.set(name, await readFile(new URL(`shared/wit/${name}`, root), 'utf8'));
  const jcoWasi = new Map<string, string>();
  for (const pkg of WASI_PACKAGES) jcoWasi.set(pkg, await readFile(new URL(`node_modules/@bytecodealliance/jco/lib/wit/builtin/${JCO_WASI_VERSION}/${pkg}/package.wit`, root), 'utf8'));
  return { esbuild, toolchain: await nodeJsToolchain(), wit: { twirl, jcoWasi } };
}

test('sources in memory build to a component whose world imports what the code imports', async () => {
  const files = new Map([
    ['src/index.js', "import { get } from 'fermyon:spin/variables@2.0.0';\nimport { hello } from './hello.ts';\naddEventListener('fetch', (e) => e.respondWith(new Response(hello(get('name')))));\n"],
    ['src/hello.ts', 'export const hello = (name: string): string => `Hello, ${name}!`;\n'],
  ]);
  const steps: string[] = [];
  const built = await buildFromSources({ files, entry: 'src/index.js' }, await tools(), (step) => steps.push(step));
  assert.deepEqual(steps, ['bundle', 'splice', 'initialize', 'stub', 'component']);
  const wit = await componentWit(built.component);
  assert.match(wit, /import fermyon:spin\/variables@2\.0\.0;/);
  assert.match(wit, /export wasi:http\/incoming-handler@0\.2\.\d+;/);
});

test('an exception while initialising points at the source line that threw', async () => {
  const files = new Map([
    ['src/index.js', "import { check } from './check.js';\naddEventListener('fetch', (e) => e.respondWith(new Response('x')));\ncheck();\n"],
    ['src/check.js', "export function check() {\n  const config = undefined;\n  return config.port;\n}\n"],
  ]);
  await assert.rejects(buildFromSources({ files, entry: 'src/index.js' }, await tools()), (err: unknown) => {
    assert.ok(err instanceof SourceError, String(err));
    const [at] = err.diagnostics;
    assert.equal(at?.file, 'src/check.js');
    assert.equal(at?.line, 3);
    assert.match(at!.message, /TypeError: .*config.*\(while initialising\)/);
    assert.doesNotMatch(err.message, /bundle\.js:/);
    return true;
  });
});

test('a rebuild of a world built before gives the component a full build of the new source gives, without stubbing or wrapping', async () => {
  const source = (greeting: string) => new Map([['src/index.js', `addEventListener('fetch', (e) => e.respondWith(new Response(${JSON.stringify(greeting)})));\n`]]);
  const reusing = { ...(await tools()), reuseWorldComponent: true };
  await buildFromSources({ files: source('Hello, first!'), entry: 'src/index.js' }, reusing);
  const steps: string[] = [];
  const rebuilt = await buildFromSources({ files: source('Hello, edited!'), entry: 'src/index.js' }, reusing, (step) => steps.push(step));
  assert.deepEqual(steps, ['bundle', 'splice', 'initialize', 'component']);
  assert.equal(rebuilt.timings.stub, 0, 'no WASI stubbing');
  // A toolchain of its own: nothing kept from the builds above.
  const full = await buildFromSources({ files: source('Hello, edited!'), entry: 'src/index.js' }, { ...(await tools()), toolchain: { ...(await nodeJsToolchain()) } });
  // Initialisation reads the clock and random numbers, so the engines' memory differs; all else is the same.
  const split = async (component: Uint8Array) => splitModules((await transpileComponent(component)).modules);
  const [a, b] = await Promise.all([split(rebuilt.component), split(full.component)]);
  assert.deepEqual(Object.keys(a.whole).sort(), Object.keys(b.whole).sort());
  for (const [name, bytes] of Object.entries(a.whole)) assert.ok(Buffer.from(bytes).equals(Buffer.from(b.whole[name]!)), `module ${name}`);
  assert.deepEqual(Object.values(a.engines).map((e) => e.engineDigest), Object.values(b.engines).map((e) => e.engineDigest));
  assert.equal(Object.keys(a.engines).length, 1);
});
