/**
 * The byte-level half of the fresh-instance proof: after a request and a reset that copies back
 * only the pages marked dirty, every memory and global of a real JS component is exactly what it
 * was right after instantiation.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildImports } from '../../../shared/component/imports.ts';
import { instantiateFresh } from '../../../shared/component/instantiate.ts';
import { CoreLinker } from '../../../shared/component/core-linker.ts';
import { captureSnapshot, dirtyPageCount, restoreSnapshot, type InstanceSnapshot } from '../../../shared/component/instance-snapshot.ts';
import { invokeHttp } from '../../../shared/component/invoke.ts';
import { defaultLimits } from '../../../shared/limits.ts';
import { loadComponent } from '../../../node/component/load-component.ts';
import { builtTemplate } from '../../../node/templates/built-template.ts';
import { detachedContext } from '../../../node/component/detached-context.ts';
import { handleTablesKey, type HandleTables } from '../../../shared/component/glue-rewrite.ts';


/** `sibling`: another instance's snapshot to share images with; `beforeCapture` runs between instantiation and the capture. */
async function instance(template: string, id: string, sibling?: InstanceSnapshot, beforeCapture?: (linker: CoreLinker) => void) {
  const component = await loadComponent((await builtTemplate(template)).components[id]!);
  const linker = new CoreLinker();
  const ctx = detachedContext(['default']);
  const exports = await instantiateFresh(component, buildImports(() => ctx), linker);
  beforeCapture?.(linker);
  const snapshot = captureSnapshot(linker, sibling);
  const images = snapshot.memories.map((m) => Buffer.from(m.bytes));
  const globals = snapshot.globals.map((g) => g.global.value);
  const tables = (exports as Record<symbol, HandleTables | undefined>)[handleTablesKey];
  assert.ok(tables, 'the glue can put its handle tables back');
  tables.capture();
  const handles = tables.live();
  const request = async (path: string, init?: RequestInit): Promise<Response> => {
    const url = new URL(path, 'http://localhost');
    const call = invokeHttp(component.kind, exports, new Request(url, init), url, [], defaultLimits);
    const response = await call.response;
    const body = await response.arrayBuffer();
    await call.done;
    return new Response(body, response);
  };
  const assertFresh = (): void => {
    assert.equal(restoreSnapshot(snapshot), true);
    snapshot.memories.forEach((m, i) => assert.ok(Buffer.from(m.memory.buffer).equals(images[i]!), 'memory differs after the reset'));
    assert.deepEqual(snapshot.globals.map((g) => g.global.value), globals);
    tables.restore();
    assert.equal(tables.live(), handles, 'the glue holds handles of the last request');
  };
  return { snapshot, tables, handles, request, assertFresh };
}

test('a JS component writes a few pages per request, and copying back those makes it new again', async () => {
  const { snapshot, request, assertFresh } = await instance('fixtures/apps/stateful', 'stateful');
  assert.equal(snapshot.memories.length, 1);
  assert.ok(snapshot.memories[0]!.dirty, 'the component memory has a dirty-page map');
  const pages = snapshot.memories[0]!.bytes.length / 4096;
  for (const path of ['/', '/', '/work?n=1000', '/slow', '/']) {
    const res = await request(path);
    assert.equal(res.status, 200);
    const dirty = dirtyPageCount(snapshot);
    assert.ok(dirty > 0 && dirty < pages / 4, `${path}: ${dirty} of ${pages} pages dirty`);
    assertFresh();
  }
});

test('host calls that suspend (key-value) write only where the pages are marked', async () => {
  const { request, assertFresh } = await instance('kv-counter', 'counter');
  for (let i = 1; i <= 3; i++) {
    assert.equal(await (await request('/')).text(), `${i}\n`);
    assertFresh();
  }
  assert.equal((await request('/kv/some-key', { method: 'PUT', body: 'x'.repeat(20000) })).status, 201);
  assertFresh();
  assert.equal((await (await request('/kv/some-key')).text()).length, 20000);
  assertFresh();
});

test('the handles a request leaves in the glue (its request, response, headers, streams) are gone after the reset', async () => {
  const { tables, handles, request, assertFresh } = await instance('http-js', 'hello');
  for (let i = 0; i < 3; i++) {
    const res = await request('/');
    assert.equal(res.status, 200);
    // The guest never drops them: its memory, where it would, is written back first.
    assert.ok(tables.live() > handles, `${tables.live()} handles live after a request, ${handles} before`);
    assertFresh();
  }
});

test("a second instance shares the first one's image of its memory, and each resets to it", async () => {
  const first = await instance('fixtures/apps/stateful', 'stateful');
  const second = await instance('fixtures/apps/stateful', 'stateful', first.snapshot);
  assert.equal(second.snapshot.memories[0]!.bytes, first.snapshot.memories[0]!.bytes, 'one image, not a copy each');
  const [memory] = second.snapshot.memories;
  assert.ok(Buffer.from(memory!.memory.buffer).equals(memory!.bytes), 'the second instance starts with exactly that image');
  for (const path of ['/', '/work?n=1000', '/', '/slow']) {
    for (const [name, one] of Object.entries({ first, second })) {
      const res = await one.request(path);
      assert.equal(res.status, 200, `${name} ${path}`);
      const body = (await res.json()) as { hits?: number };
      if (path !== '/work?n=1000') assert.equal(body.hits, 1, `${name} ${path}: a new instance's state`);
      one.assertFresh();
    }
  }
});

test('an instance whose memory guest code wrote while it was instantiated keeps an image of its own', async () => {
  const first = await instance('fixtures/apps/stateful', 'stateful');
  // As a start function's store would: its page is marked.
  const marked = await instance('fixtures/apps/stateful', 'stateful', first.snapshot, (linker) => {
    new Uint8Array([...linker.maps.values()][0]!.buffer)[3] = 1;
  });
  assert.notEqual(marked.snapshot.memories[0]!.bytes, first.snapshot.memories[0]!.bytes);
  assert.equal((await marked.request('/')).status, 200);
  marked.assertFresh();
});
