import { test } from 'node:test';
import assert from 'node:assert/strict';
import { zipSync } from 'fflate';
import { MAX_MANIFEST_BYTES, readAppFiles, readArchive } from '../../../worker/published/archive.ts';
import { defaultArchiveLimits } from '../../../shared/archive/zip-entries.ts';
import { tinyComponent } from '../../fixtures/tiny-component.ts';

const text = (s: string) => new TextEncoder().encode(s);
const manifest = `spin_manifest_version = 2
[application]
name = "shared"
[variables]
host = { default = "api.example.com" }
[[trigger.http]]
route = "/a"
component = "a"
[[trigger.http]]
route = "/b"
component = "b"
[component.a]
source = "probe.wasm"
allowed_outbound_hosts = ["https://{{ host }}"]
[component.b]
source = "probe.wasm"
`;

test('Spin: components may share one .wasm in a published app', async () => {
  const wasm = tinyComponent();
  const archive = await readArchive(zipSync({ 'spin.toml': text(manifest), 'probe.wasm': wasm, 'static/x.txt': text('x') }), defaultArchiveLimits);
  assert.deepEqual([...archive.components.keys()], ['a', 'b']);
  assert.deepEqual(archive.components.get('b'), wasm);
  assert.deepEqual([...archive.files.keys()], ['static/x.txt'], 'the shared .wasm is a component, not a mounted file');
});

test('a spin.toml over the manifest limit is refused before it is parsed, naming the limit', async () => {
  const huge = text(`# ${'x'.repeat(MAX_MANIFEST_BYTES)}\n${manifest}`);
  await assert.rejects(readArchive(zipSync({ 'spin.toml': huge, 'probe.wasm': tinyComponent() }), defaultArchiveLimits), (err: { code?: string; message: string }) => {
    assert.equal(err.code, 'manifest-too-large');
    assert.match(err.message, /spin\.toml is 1 MB, more than 1 MB, the limit for a manifest/);
    return true;
  });
});

test('a run reads the app and its files with the components passed over, and knows when they are not the app\'s', async () => {
  const wasm = tinyComponent();
  const bytes = zipSync({ 'top/spin.toml': text(manifest), 'top/probe.wasm': wasm, 'top/static/x.txt': text('x') });
  const archive = await readArchive(bytes, defaultArchiveLimits);
  assert.equal(archive.root, 'top/');
  assert.deepEqual([...archive.componentPaths], [['a', 'probe.wasm'], ['b', 'probe.wasm']]);

  const run = await readAppFiles(bytes, defaultArchiveLimits, archive.root, archive.componentPaths);
  assert.ok(run);
  assert.deepEqual(Object.keys(run.app.components), ['a', 'b']);
  assert.deepEqual([...run.files], [['static/x.txt', text('x')]]);

  // Entries that are not the components': the run must read the archive whole instead.
  assert.equal(await readAppFiles(bytes, defaultArchiveLimits, archive.root, new Map([['a', 'probe.wasm']])), undefined);
  assert.equal(await readAppFiles(bytes, defaultArchiveLimits, '', archive.componentPaths), undefined);
  assert.equal(await readAppFiles(bytes, defaultArchiveLimits, archive.root, new Map([['a', 'static/x.txt'], ['b', 'probe.wasm']])), undefined);
});
