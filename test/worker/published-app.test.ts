import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { publish, published, removeState, sha256Hex, startWorker, templateFiles, zip } from './support/platform.ts';
import { runRoutingContract } from '../support/routing-contract.ts';

const platform = await startWorker();
after(() => removeState(platform));
const archive = zip(await templateFiles('http-js'));

// A published app sees itself at / under /a/<digest>/, so its paths are resolved against that URL.
const multiRoute = published(platform, zip(await templateFiles('multi-route')));
runRoutingContract('published app in a Worker Loader isolate', async (path, init) => fetch(new URL(path.slice(1), (await multiRoute).url), init), {
  origin: platform.at('/').origin,
  clientAddr: /^127\.0\.0\.1:\d+$/,
});

test('publishing answers the archive sha256 digest and the URL the app runs at', async () => {
  const res = await publish(platform, archive);
  assert.equal(res.status, 201);
  const body = (await res.json()) as { digest: string; url: string };
  assert.equal(body.digest, sha256Hex(archive));
  assert.equal(body.url, platform.at(`/a/${body.digest}/`).href);
});

test('a published app runs by digest in its own isolate, its routes under /a/<digest>/', async () => {
  const { url } = await published(platform, archive);
  const res = await fetch(new URL('hello/there?x=1', url));
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/plain');
  const body = await res.text();
  assert.match(body, /^Hello, Fermyon!/);
  assert.match(body, /path: \/hello\/there\n/, 'the app sees itself at /, as deployed');
  assert.equal((await fetch(url)).status, 200, 'the bare prefix is the app root');
});

test('the archive comes back byte for byte', async () => {
  const { digest } = await published(platform, archive);
  const res = await fetch(platform.at(`/api/apps/${digest}`));
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/zip');
  assert.deepEqual(new Uint8Array(await res.arrayBuffer()), archive);
});

test('publishing the same archive again answers the same digest', async () => {
  const first = await published(platform, archive);
  const res = await publish(platform, archive);
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), first);
});

test('an unknown digest is a 404 with a JSON error, for the app and for the archive', async () => {
  const digest = 'f'.repeat(64);
  for (const path of [`/a/${digest}/`, `/api/apps/${digest}`]) {
    const res = await fetch(platform.at(path));
    assert.equal(res.status, 404, path);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'app-not-found');
  }
});

test('the JSON API answers at /api, ahead of the playground assets', async () => {
  const res = await fetch(platform.at('/api'));
  assert.equal(res.status, 200);
  assert.equal(((await res.json()) as { name: string }).name, 'twirl');
});
