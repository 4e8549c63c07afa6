import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../../../shared/engine.ts';
import { loadManifest } from '../../../shared/manifest/parse.ts';
import { MemoryKeyValueBackend } from '../../../shared/key-value-memory.ts';
import { loadComponent } from '../../../node/component/load-component.ts';
import { tinyComponent } from '../../fixtures/tiny-component.ts';

const manifest = `
spin_manifest_version = 2
[application]
name = "tiny"
[[trigger.http]]
route = "/tiny/..."
component = "tiny"
[[trigger.http]]
route = "/static"
static_response = { status_code = 201, headers = { "x-from" = "manifest" }, body = "made by the manifest" }
[component.tiny]
source = "tiny.wasm"
`;

const engine = await Engine.create({
  app: loadManifest(manifest),
  components: new Map([['tiny', await loadComponent(tinyComponent())]]),
  keyValue: new MemoryKeyValueBackend(),
  fetch: (request) => fetch(request),
  files: { read: async () => undefined, list: async () => [] },
  logs: { write: () => {} },
});
const get = (path: string, init?: RequestInit) => engine.handle(new Request(`http://localhost${path}`, init));

test('a fermyon:spin/inbound-http component answers with its whole response', async () => {
  const res = await get('/tiny/anything');
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/plain');
  assert.equal(await res.text(), 'tiny\n');
});

test('a request body reaches an inbound-http component', async () => {
  const res = await get('/tiny/', { method: 'POST', body: 'x'.repeat(200_000) });
  assert.equal(res.status, 200);
});

test('a static response is served from the manifest without a component', async () => {
  const res = await get('/static');
  assert.equal(res.status, 201);
  assert.equal(res.headers.get('x-from'), 'manifest');
  assert.equal(await res.text(), 'made by the manifest');
});

test('an unmatched path is 404 with an empty body', async () => {
  const res = await get('/nothing-here');
  assert.equal(res.status, 404);
  assert.equal(await res.text(), '');
});
