/**
 * A new isolate of a published app runs from the app's run copy (manifest, files and component
 * digests; no components), made at publishing. An app without one (published before there were
 * copies) or whose prepared record is gone (a new transpiler) still runs from its archive, and
 * what was missing is made again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { unzipSync } from 'fflate';
import { published, removeState, sha256Hex, startWorker, templateFiles, zip, type RunningWorker } from './support/platform.ts';
import { deleteStoredObjects, storedObjects } from '../../bench/published-storage.ts';

const files = await templateFiles('static-files');

async function servesItsFiles(worker: RunningWorker, appUrl: string): Promise<void> {
  for (const path of ['hello.txt', 'css/site.css']) {
    const url = new URL(path, appUrl);
    url.port = new URL(worker.url).port;
    const res = await fetch(url);
    assert.equal(res.status, 200, `${path}: ${await res.clone().text()}`);
    assert.deepEqual(new Uint8Array(await res.arrayBuffer()), files[`assets/${path}`], path);
  }
}

test('a published app runs from its run copy; without the copy or a record, both are made again from the archive', async () => {
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
    const app = await published(worker, zip(files));
    const component = sha256Hex(files['dist/files.wasm']!);
    await stop();

    const stored = async () => {
      const objects = await storedObjects(persistDir, (key) => key.startsWith('run-copies/'));
      const copy = objects.find((o) => o.key === `run-copies/${app.digest}.zip`);
      const record = objects.find((o) => o.key.startsWith('prepared-tracked/') && o.key.endsWith(`/${component}`));
      return { copy: copy && unzipSync(copy.bytes!), copyKey: copy?.key, recordKey: record?.key };
    };
    const atPublish = await stored();
    assert.ok(atPublish.copy, 'publishing made the run copy');
    const { 'components.json': listed, ...entries } = atPublish.copy;
    assert.deepEqual(JSON.parse(new TextDecoder().decode(listed)), { files: component }, 'it names the component by digest');
    const expected = Object.fromEntries(Object.entries(files).filter(([path]) => path !== 'dist/files.wasm').map(([path, bytes]) => [`app/${path}`, bytes]));
    assert.deepEqual(entries, expected, 'it holds the manifest and the files, not the component');
    assert.ok(atPublish.recordKey, 'publishing prepared the component');

    // As an app published before run copies, whose record an older transpiler made.
    await deleteStoredObjects(persistDir, [atPublish.copyKey!, atPublish.recordKey]);
    await restart();
    await servesItsFiles(worker, app.url);
    await stop();
    const remade = await stored();
    assert.deepEqual(remade.copy, atPublish.copy, 'the first run made the run copy');
    assert.equal(remade.recordKey, atPublish.recordKey, 'the first run prepared the component again');

    // The copy there, the record gone: the component is read from the archive after all.
    await deleteStoredObjects(persistDir, [remade.recordKey!]);
    await restart();
    await servesItsFiles(worker, app.url);
    await stop();
    assert.equal((await stored()).recordKey, atPublish.recordKey, 'the run prepared the component again');
  } finally {
    await removeState({ ...worker, stop: () => (running ? worker.stop() : Promise.resolve()) });
  }
});
