import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { builtTemplate } from '../../node/templates/built-template.ts';
import { published, removeState, startWorker, templateFiles, text, zip } from './support/platform.ts';

const { dir } = await builtTemplate('kv-counter');

async function count(url: URL): Promise<number> {
  const res = await fetch(url);
  assert.equal(res.status, 200);
  return Number(await res.text());
}

test('a key-value counter survives a restart of the local worker', async () => {
  let worker = await startWorker({ appDir: dir });
  try {
    assert.equal(await count(worker.at('/')), 1);
    assert.equal(await count(worker.at('/')), 2);
    await worker.stop();
    worker = await startWorker({ appDir: dir, persistDir: worker.persistDir });
    assert.equal(await count(worker.at('/')), 3);
  } finally {
    await removeState(worker);
  }
});

test('keys given at start are in the default store before the first request', async () => {
  const worker = await startWorker({ appDir: dir, keyValues: { n: '41', greeting: 'hi' } });
  try {
    assert.equal(await count(worker.at('/')), 42);
    assert.equal(await (await fetch(worker.at('/kv/greeting'))).text(), 'hi');
  } finally {
    await removeState(worker);
  }
});

test('the store keeps, lists and deletes keys through the Durable Object', async () => {
  const worker = await startWorker({ appDir: dir });
  try {
    assert.equal((await fetch(worker.at('/kv/colour'), { method: 'PUT', body: 'teal' })).status, 201);
    assert.equal(await (await fetch(worker.at('/kv/colour'))).text(), 'teal');
    assert.deepEqual(await (await fetch(worker.at('/kv'))).json(), ['colour']);
    assert.equal((await fetch(worker.at('/kv/colour'), { method: 'DELETE' })).status, 204);
    assert.equal((await fetch(worker.at('/kv/colour'))).status, 404);
    assert.deepEqual(await (await fetch(worker.at('/kv'))).json(), []);
  } finally {
    await removeState(worker);
  }
});

/** More requests at once than the instance pool (4) holds, each suspended in a store call: the queued ones must wait, not be cancelled as hung. */
async function concurrentWrites(base: URL | string): Promise<number[]> {
  const writes = Array.from({ length: 24 }, (_, i) => fetch(new URL(`kv/k${i}`, base), { method: 'PUT', body: `v${i}` }).then((res) => res.status));
  return Promise.all(writes);
}

test('a deployed app answers every one of many concurrent key-value requests', async () => {
  const worker = await startWorker({ appDir: dir });
  try {
    assert.deepEqual(await concurrentWrites(worker.url), Array(24).fill(201));
    assert.equal(await (await fetch(worker.at('/kv/k23'))).text(), 'v23');
  } finally {
    await removeState(worker);
  }
});

test('a published app answers every one of many concurrent key-value requests', async () => {
  const platform = await startWorker();
  try {
    const app = await published(platform, zip(await templateFiles('kv-counter')));
    assert.deepEqual(await concurrentWrites(app.url), Array(24).fill(201));
  } finally {
    await removeState(platform);
  }
});

test("a published app cannot read another published app's store", async () => {
  const platform = await startWorker();
  after(() => removeState(platform));
  const files = await templateFiles('kv-counter');
  // Same code, different archives: two apps, two digests.
  const a = await published(platform, zip({ ...files, 'NOTE.txt': text('app A') }));
  const b = await published(platform, zip({ ...files, 'NOTE.txt': text('app B') }));
  assert.notEqual(a.digest, b.digest);

  assert.equal((await fetch(new URL('kv/secret', a.url), { method: 'PUT', body: 'only for A' })).status, 201);
  assert.equal(await (await fetch(new URL('kv/secret', a.url))).text(), 'only for A');
  assert.equal((await fetch(new URL('kv/secret', b.url))).status, 404);
  assert.deepEqual(await (await fetch(new URL('kv', b.url))).json(), []);
  assert.equal(Number(await (await fetch(b.url)).text()), 1, "B's counter starts from its own empty store");
  assert.equal(Number(await (await fetch(a.url)).text()), 1);
});
