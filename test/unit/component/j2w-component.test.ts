/**
 * Components Twirl did not build — a Spin JS SDK app built by Spin's own `j2w` — load as an
 * engine plus a snapshot: split at load, the engine recognised by its digest so that another
 * build of the same world is prepared without a transpile; anything else loads whole.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadComponent, prepareOnDisk } from '../../../node/component/load-component.ts';
import { shellOf } from '../../../node/component/engine-shells.ts';
import { Engine } from '../../../shared/engine.ts';
import { MemoryKeyValueBackend } from '../../../shared/key-value-memory.ts';
import { loadManifest } from '../../../shared/manifest/parse.ts';
import { j2wComponent } from '../../support/j2w-component.ts';
import { tinyComponent } from '../../fixtures/tiny-component.ts';
import { spin1Module } from '../../fixtures/spin1-module.ts';

const first = await j2wComponent('Hello from j2w');
const second = await j2wComponent('Hello again from j2w');

const manifest = `spin_manifest_version = 2
[application]
name = "j2w"
[variables]
colour = { default = "teal" }
[[trigger.http]]
route = "/..."
component = "probe"
[component.probe]
source = "probe.wasm"
key_value_stores = ["default"]
[component.probe.variables]
colour = "{{ colour }}"
`;

async function serve(bytes: Uint8Array, path: string): Promise<Response> {
  const engine = await Engine.create({
    app: loadManifest(manifest, 'spin.toml'),
    components: new Map([['probe', await loadComponent(bytes)]]),
    keyValue: new MemoryKeyValueBackend(),
    fetch: (r) => fetch(r),
    files: { read: async () => undefined, list: async () => [] },
    logs: { write: () => {} },
  });
  return engine.handle(new Request(`http://127.0.0.1:3000${path}`), { clientAddr: '127.0.0.1:54321' });
}

test('a Spin JS SDK component built by j2w is split at load into an engine and a snapshot, and answers as built', async () => {
  assert.equal((await loadComponent(first)).snapshots?.size, 1);
  const response = await serve(first, '/probe');
  assert.equal(response.status, 200);
  assert.equal(await response.text(), 'Hello from j2w\npath: /probe\nvisits: 1\ncolour: teal\n');
});

test('another j2w build of the same world is recognised by its engine digest and prepared beside the first, with no transpile', async () => {
  const one = await prepareOnDisk(first);
  const other = await prepareOnDisk(second);
  const [engineOne] = Object.values(one.engines);
  const [engineOther] = Object.values(other.engines);
  assert.ok(engineOne && engineOther);
  assert.equal(engineOther.digest, engineOne.digest, 'one engine for both');
  assert.equal((await shellOf(second))?.key, (await shellOf(first))?.key, 'the same shell: only the engine state differs');
  // Whichever was prepared first on this machine, the other was made beside it.
  assert.ok(other.beside === one.dir || one.beside === other.dir, 'one of the two was prepared from the other');
  const response = await serve(second, '/again');
  assert.equal(await response.text(), 'Hello again from j2w\npath: /again\nvisits: 1\ncolour: teal\n');
});

test('a component without a componentize-js engine, or a Spin 1.x module, has no shell and loads whole', async () => {
  assert.equal(await shellOf(tinyComponent()), undefined);
  assert.equal(await shellOf(spin1Module()), undefined);
  assert.equal((await loadComponent(tinyComponent())).snapshots?.size ?? 0, 0);
});
