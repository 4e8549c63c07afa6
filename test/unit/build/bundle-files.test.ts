import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as esbuild from 'esbuild';
import { bundleFiles } from '../../../shared/build/bundle-files.ts';
import type { NpmPackages } from '../../../shared/build/npm-package.ts';
import { SourceError } from '../../../shared/build/source-error.ts';
import { packNpmPackage } from '../../../web/build-npm-packages.ts';

const honoPackages: NpmPackages = {
  load: async (name) => (name === 'hono' ? packNpmPackage('hono') : undefined),
  available: async () => ['hono'],
};

test('TypeScript across files bundles into one module; host interfaces stay imports', async () => {
  const files = new Map([
    ['src/index.ts', "import { greeting } from './greet';\nimport { Store } from 'fermyon:spin/key-value@2.0.0';\naddEventListener('fetch', (e: any) => e.respondWith(new Response(greeting(Store.name))));\n"],
    ['src/greet.ts', 'export const greeting = (who: string): string => `hi ${who}`;\n'],
  ]);
  const bundle = await bundleFiles(esbuild, { files, entry: 'src/index.ts' });
  assert.match(bundle.code, /hi \$\{who\}/);
  assert.match(bundle.code, /from "fermyon:spin\/key-value@2\.0\.0"/);
  assert.deepEqual(bundle.hostImports, ['fermyon:spin/key-value@2.0.0']);
  assert.deepEqual([...bundle.sourceMap.sources].sort(), ['src/greet.ts', 'src/index.ts']);
});

test('a syntax error is reported at its file, line and column', async () => {
  const files = new Map([['src/index.js', "const ok = 1;\nconst broken = ;\n"]]);
  await assert.rejects(bundleFiles(esbuild, { files, entry: 'src/index.js' }), (err: unknown) => {
    assert.ok(err instanceof SourceError);
    assert.equal(err.diagnostics.length, 1);
    assert.deepEqual({ ...err.diagnostics[0], message: undefined }, { code: 'bundle-failed', message: undefined, file: 'src/index.js', line: 2, column: 16, lineText: 'const broken = ;', severity: 'error' });
    return true;
  });
});

test('hono resolves from its packed files; an unknown package says what is there', async () => {
  const files = new Map([['src/index.js', "import { Hono } from 'hono';\nimport { cors } from 'hono/cors';\nconst app = new Hono();\napp.use(cors());\napp.get('/', (c) => c.text('ok'));\naddEventListener('fetch', (e) => e.respondWith(app.fetch(e.request)));\n"]]);
  const bundle = await bundleFiles(esbuild, { files, entry: 'src/index.js', packages: honoPackages });
  assert.match(bundle.code, /class Hono/);
  assert.deepEqual(bundle.hostImports, []);
  const missing = new Map([['src/index.js', "import left from 'left-pad';\nconsole.log(left);\n"]]);
  await assert.rejects(bundleFiles(esbuild, { files: missing, entry: 'src/index.js', packages: honoPackages }), (err: unknown) => {
    assert.ok(err instanceof SourceError);
    assert.match(err.diagnostics[0]!.message, /Could not resolve "left-pad": the browser build has hono/);
    assert.equal(err.diagnostics[0]!.line, 1);
    return true;
  });
});
