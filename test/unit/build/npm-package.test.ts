import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { resolveExport, splitSpecifier, type PackageManifest } from '../../../shared/build/npm-package.ts';

const pkg = (fields: Partial<PackageManifest>): PackageManifest => ({ name: 'p', version: '1.0.0', ...fields });

test('specifiers split into package and subpath, scoped or not', () => {
  assert.deepEqual(splitSpecifier('hono'), ['hono', '.']);
  assert.deepEqual(splitSpecifier('hono/cors'), ['hono', './cors']);
  assert.deepEqual(splitSpecifier('@scope/pkg/a/b'), ['@scope/pkg', './a/b']);
});

test('hono’s exports map gives its ES module files', async () => {
  const manifest = JSON.parse(await readFile(new URL('../../../node_modules/hono/package.json', import.meta.url), 'utf8')) as PackageManifest;
  assert.equal(resolveExport(manifest, '.'), 'dist/index.js');
  assert.equal(resolveExport(manifest, './cors'), 'dist/middleware/cors/index.js');
  assert.equal(resolveExport(manifest, './no-such-thing'), undefined);
});

test('conditions pick the worker build; patterns and legacy fields resolve', () => {
  const exports = { '.': { node: './node.js', worker: './worker.js', default: './index.js' }, './utils/*': { import: './esm/utils/*.js' } };
  assert.equal(resolveExport(pkg({ exports }), '.'), 'worker.js');
  assert.equal(resolveExport(pkg({ exports }), './utils/x'), 'esm/utils/x.js');
  assert.equal(resolveExport(pkg({ exports: './main.mjs' }), '.'), 'main.mjs');
  assert.equal(resolveExport(pkg({ exports: { import: './i.js', require: './r.cjs' } }), '.'), 'i.js');
  assert.equal(resolveExport(pkg({ module: './esm.js', main: './cjs.js' }), '.'), 'esm.js');
  assert.equal(resolveExport(pkg({}), './lib/x.js'), 'lib/x.js');
});
