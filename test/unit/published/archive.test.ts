import { test } from 'node:test';
import assert from 'node:assert/strict';
import { zipSync } from 'fflate';
import { MAX_MANIFEST_BYTES, readArchive } from '../../../worker/published/archive.ts';
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
