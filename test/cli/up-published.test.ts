/** `twirl up -f <digest>`: an app published to the edge worker, run locally by its digest. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { tempDir, twirl, twirlServing } from './run-twirl.ts';
import { published, removeState, startWorker, templateFiles, zip, type RunningWorker } from '../worker/support/platform.ts';

let platform: RunningWorker;
let work: Awaited<ReturnType<typeof tempDir>>;
let digest: string;

before(async () => {
  [platform, work] = await Promise.all([startWorker(), tempDir()]);
  digest = (await published(platform, zip(await templateFiles('http-js')))).digest;
});

after(async () => {
  await removeState(platform);
  await work.remove();
});

test('up -f <digest> fetches the published app, checks its digest and serves it', async () => {
  const serving = await twirlServing(['up', '-f', digest, '--api', platform.url, '--listen', '127.0.0.1:0'], work.dir);
  try {
    const res = await fetch(`${serving.url}/from-the-edge`);
    assert.equal(res.status, 200);
    assert.match(await res.text(), /path: \/from-the-edge/);
  } finally {
    assert.equal(await serving.stop(), 0);
  }
});

test('an unknown digest is one clear line and a non-zero exit', async () => {
  const unknown = 'f'.repeat(64);
  const { code, stderr } = await twirl(['up', '-f', unknown, '--api', platform.url], work.dir);
  assert.notEqual(code, 0);
  assert.match(stderr, new RegExp(`Error: no app with digest ${unknown}`));
});

test('a digest without an API to fetch from says how to give one', async () => {
  const { code, stderr } = await twirl(['up', '-f', digest], work.dir);
  assert.notEqual(code, 0);
  assert.match(stderr, /--api <url> or set TWIRL_API/);
});
