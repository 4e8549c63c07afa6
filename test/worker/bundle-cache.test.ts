/**
 * A local run keeps the app's bundle in its state folder and reuses it while nothing that went
 * into it changed; a changed mounted file or manifest is bundled anew.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtTemplate } from '../../node/templates/built-template.ts';
import { removeState, startWorker, type RunningWorker } from './support/platform.ts';

/** A copy of the built static-files app, to edit. */
const appDir = await mkdtemp(join(tmpdir(), 'twirl-bundle-cache-'));
after(() => rm(appDir, { recursive: true, force: true }));
await cp((await builtTemplate('static-files')).dir, appDir, { recursive: true });

const start = (persistDir?: string) => startWorker({ appDir, ...(persistDir ? { persistDir } : {}) });
const get = async (worker: RunningWorker, path: string) => {
  const res = await fetch(worker.at(path));
  return { status: res.status, text: await res.text() };
};
const bundledAt = async (worker: RunningWorker) => (await stat(join(worker.persistDir, 'bundle', 'worker', 'app.js'))).mtimeMs;

test('a second start of an unchanged app serves the bundle it already has', async () => {
  let worker = await start();
  try {
    const first = await bundledAt(worker);
    await worker.stop();
    worker = await start(worker.persistDir);
    assert.equal(await bundledAt(worker), first, 'the bundle was not written again');
    assert.deepEqual(await get(worker, '/hello.txt'), { status: 200, text: 'hello, file\n' });
  } finally {
    await removeState(worker);
  }
});

test('a bundle cut short (no key written) is not taken for a whole one', async () => {
  let worker = await start();
  try {
    await worker.stop();
    await rm(join(worker.persistDir, 'bundle', '.twirl-bundle-key'));
    await rm(join(worker.persistDir, 'bundle', 'worker', 'app.js'));
    worker = await start(worker.persistDir);
    assert.equal((await get(worker, '/hello.txt')).status, 200);
  } finally {
    await removeState(worker);
  }
});

test('a changed mounted file or manifest is bundled anew', async () => {
  let worker = await start();
  try {
    assert.equal((await get(worker, '/hello.txt')).text, 'hello, file\n');
    await worker.stop();
    await writeFile(join(appDir, 'assets', 'hello.txt'), 'hello, changed\n');
    worker = await start(worker.persistDir);
    assert.deepEqual(await get(worker, '/hello.txt'), { status: 200, text: 'hello, changed\n' });

    await worker.stop();
    const manifest = await readFile(join(appDir, 'spin.toml'), 'utf8');
    await writeFile(join(appDir, 'spin.toml'), manifest.replace('route = "/..."', 'route = "/static/..."'));
    worker = await start(worker.persistDir);
    assert.deepEqual(await get(worker, '/static/hello.txt'), { status: 200, text: 'hello, changed\n' });
    assert.equal((await get(worker, '/hello.txt')).status, 404);
  } finally {
    await removeState(worker);
  }
});
