import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { test } from 'node:test';
import * as esbuild from 'esbuild';
import { componentWit } from '@bytecodealliance/jco-transpile/wasm-tools';
import { buildFromSources, type SourceBuildTools } from '../../../shared/build/build-source.ts';
import { SourceError } from '../../../shared/build/source-error.ts';
import { JCO_WASI_VERSION, WASI_PACKAGES } from '../../../shared/build/wit-files.ts';
import { nodeJsToolchain } from '../../../node/toolchain/preinit-node.ts';

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
