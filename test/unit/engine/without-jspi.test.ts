/**
 * Components run with the glue made for hosts without JSPI (WebKit): every host call answers at
 * once. The request body and key-value stores are read before the component runs, its key-value
 * changes are written behind, and a wait nothing can answer at once fails that request only,
 * with a message naming JSPI.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { templateEngine } from '../../support/template-engine.ts';
import { builtTemplate } from '../../../node/templates/built-template.ts';
import { loadComponent } from '../../../node/component/load-component.ts';
import { transpileSyncGlue } from '../../../shared/component/prepare.ts';
import type { LoadedComponent } from '../../../shared/component/instantiate.ts';
import { MemoryKeyValueBackend } from '../../../shared/key-value-memory.ts';
import { WriteBehindKeyValue } from '../../../shared/host/key-value-write-behind.ts';
import { glueFromSource } from '../../../web/glue-function.ts';

/** A template's components with the synchronous glue, as a browser without JSPI loads them. */
async function syncComponents(name: string): Promise<Map<string, LoadedComponent>> {
  const built = await builtTemplate(name);
  const components = new Map<string, LoadedComponent>();
  for (const [id, bytes] of Object.entries(built.components)) {
    const [loaded, glue] = await Promise.all([loadComponent(bytes), transpileSyncGlue(bytes)]);
    assert.ok(glue, `${name}/${id} has a synchronous glue`);
    components.set(id, { ...loaded, instantiate: glueFromSource(glue), sync: true });
  }
  return components;
}

const [httpJs, kvCounter, outbound] = await Promise.all([syncComponents('http-js'), syncComponents('kv-counter'), syncComponents('outbound-http')]);
// From here on this process is a browser without JSPI, as WebKit is.
delete (WebAssembly as { Suspending?: unknown }).Suspending;
delete (WebAssembly as { promising?: unknown }).promising;

test('without JSPI: http-js answers, method and path included, request after request', async () => {
  const app = await templateEngine('http-js', { components: httpJs });
  for (const path of ['/', '/hello?x=1']) {
    const response = await app.request(path);
    assert.equal(response.status, 200);
    assert.equal(await response.text(), `Hello, Fermyon!\nmethod: GET\npath: ${path.split('?')[0]}\n`);
  }
  const posted = await app.request('/form', { method: 'POST', body: 'a=1' });
  assert.match(await posted.text(), /method: POST\npath: \/form/);
});

test('without JSPI: kv-counter counts from memory, writes behind, and a new engine on the same data counts on', async () => {
  const backend = new MemoryKeyValueBackend();
  const keyValue = new WriteBehindKeyValue(backend);
  const app = await templateEngine('kv-counter', { components: kvCounter, keyValue });
  const counts = [];
  for (let i = 0; i < 3; i++) counts.push((await (await app.request('/')).text()).trim());
  assert.deepEqual(counts, ['1', '2', '3']);
  // Concurrent requests each see the one before: a request runs without a break.
  const together = await Promise.all(Array.from({ length: 5 }, () => app.request('/').then((r) => r.text())));
  assert.deepEqual(together.map((t) => Number(t)).sort((a, b) => a - b), [4, 5, 6, 7, 8]);
  await keyValue.flushed();
  assert.equal(new TextDecoder().decode(await (await backend.open('default')).get('n')), '8');

  const put = await app.request('/kv/greeting', { method: 'PUT', body: 'hi there' });
  assert.equal(put.status, 201);
  assert.equal(await (await app.request('/kv/greeting')).text(), 'hi there');

  // A reload: a new engine, a new memory over the same backend.
  const reloaded = await templateEngine('kv-counter', { components: kvCounter, keyValue: new WriteBehindKeyValue(backend) });
  await keyValue.flushed();
  assert.equal((await (await reloaded.request('/')).text()).trim(), '9');
  assert.equal(await (await reloaded.request('/kv/greeting')).text(), 'hi there');
});

test('without JSPI: a store the component does not list is still refused', async () => {
  const locked = await templateEngine('kv-counter', { components: kvCounter }, (app) => {
    app.components['counter']!.keyValueStores = [];
  });
  assert.equal((await locked.request('/')).status, 500);
  assert.ok(locked.logs.some((l) => /access-denied/.test(l.line)), locked.logs.map((l) => l.line).join('\n'));
});

test('without JSPI: an outbound request fails its own request, naming JSPI and the browsers that have it', async () => {
  const app = await templateEngine('outbound-http', {
    components: outbound,
    fetch: async () => new Response('upstream'),
  });
  const response = await app.request('/');
  assert.equal(response.status, 500);
  const said = app.logs.map((l) => l.line).join('\n');
  assert.match(said, /waited for an outbound HTTP response, which needs JSPI \(WebAssembly\.Suspending\)/);
  assert.match(said, /Chrome or Edge 137 or later, or Firefox 153 or later/);
  const again = await templateEngine('http-js', { components: httpJs });
  assert.equal((await again.request('/')).status, 200, 'other requests still run');
});
