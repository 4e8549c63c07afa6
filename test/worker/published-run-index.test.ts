/**
 * A new isolate of a published app finds its components' records through the app's run index,
 * without inflating the components; an app without an index (published before there were any)
 * or whose record is gone (a new transpiler) still runs, and what was missing is made again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { published, removeState, sha256Hex, startWorker, templateFiles, zip, type RunningWorker } from './support/platform.ts';
import { deleteStoredObjects, storedObjects } from '../../bench/published-storage.ts';

async function helloAnswers(worker: RunningWorker, appUrl: string): Promise<void> {
  const url = new URL('hello/there', appUrl);
  url.port = new URL(worker.url).port;
  const res = await fetch(url);
  assert.equal(res.status, 200, await res.clone().text());
  assert.equal(await res.text(), 'Hello, Fermyon!\nmethod: GET\npath: /hello/there\n');
}

test('a published app runs through its run index; without the index or a record, both are made again', async () => {
  let worker = await startWorker();
  const { persistDir } = worker;
  let running = true;
  const stop = async () => {
    running = false;
    await worker.stop();
  };
  const restart = async () => {
    worker = await startWorker({ persistDir });
    running = true;
  };
  try {
    const files = await templateFiles('http-js');
    const app = await published(worker, zip(files));
    const component = sha256Hex(files['dist/hello.wasm']!);
    await stop();

    const stored = async () => {
      const objects = await storedObjects(persistDir, (key) => key.startsWith('run-index/'));
      const index = objects.find((o) => o.key === `run-index/${app.digest}.json`);
      const record = objects.find((o) => o.key.startsWith('prepared-tracked/') && o.key.endsWith(`/${component}`));
      return { index: index && (JSON.parse(new TextDecoder().decode(index.bytes)) as unknown), indexKey: index?.key, recordKey: record?.key };
    };
    const atPublish = await stored();
    assert.deepEqual(atPublish.index, { root: '', components: { hello: { path: 'dist/hello.wasm', digest: component } } }, 'publishing wrote the index');
    assert.ok(atPublish.recordKey, 'publishing prepared the component');

    // As an app published before indexes, whose record an older transpiler made.
    await deleteStoredObjects(persistDir, [atPublish.indexKey!, atPublish.recordKey]);
    await restart();
    await helloAnswers(worker, app.url);
    await stop();
    const remade = await stored();
    assert.deepEqual(remade.index, atPublish.index, 'the first run wrote the index');
    assert.equal(remade.recordKey, atPublish.recordKey, 'the first run prepared the component again');

    // The index there, the record gone: the component is read from the archive after all.
    await deleteStoredObjects(persistDir, [remade.recordKey!]);
    await restart();
    await helloAnswers(worker, app.url);
    await helloAnswers(worker, app.url);
    await stop();
    assert.equal((await stored()).recordKey, atPublish.recordKey, 'the run prepared the component again');
  } finally {
    await removeState({ ...worker, stop: () => (running ? worker.stop() : Promise.resolve()) });
  }
});
