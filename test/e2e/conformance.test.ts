import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { zipSync } from 'fflate';
import { spin1Module } from '../fixtures/spin1-module.ts';
import { freshBrowser, type FreshBrowser } from '../../node/browser/chromium.ts';
import { expect } from '../../node/playground/expect.ts';
import { startPlayground, type Playground } from '../../node/playground/playground-server.ts';
import { fixtureAppZip } from './support/fixture-apps.ts';
import { runConformanceContract, startHelloUpstream } from '../support/conformance-contract.ts';
import type { Frame } from 'playwright-core';

const upstream = await startHelloUpstream();
let playground: Playground;
let browser: FreshBrowser;
let app: Frame;
let origin: string;

before(async () => {
  [playground, browser] = await Promise.all([startPlayground(), freshBrowser()]);
  const { page } = browser;
  await page.goto(playground.url);
  // The app's upstream is an app variable: the zip sets its default, as a user would.
  const zip = await fixtureAppZip('conformance', (t) => t.replace(/upstream = \{ default = "[^"]*" \}/, `upstream = { default = "${upstream.host}" }`));
  await page.locator('input[type=file][accept*="zip"]').setInputFiles({ name: 'conformance.zip', mimeType: 'application/zip', buffer: zip });
  const frames = () => page.frames().filter((f) => /^http:\/\/[0-9a-f]{16}\.twirl\.localhost:/.test(f.url()));
  // The preview opens the app's `/`, which no route serves: wait for a preview frame whose service
  // worker answers as the conformance app does (the template shown before it does not).
  const servesProbe = (f: Frame) => f.evaluate(async () => (await fetch('/variables/')).text()).catch(() => '');
  await expect(page, 'the conformance app served in its preview', async () => (await Promise.all(frames().map(servesProbe))).join(' | '), 'Error::Undefined', 180_000);
  for (const f of frames()) if ((await servesProbe(f)) === 'Error::Undefined') app = f;
  origin = new URL(app.url()).host;
});

after(async () => {
  upstream.server.close();
  await browser?.close();
  await playground?.close();
});

/** fetch() from the app's own page, so the request goes to its service worker. */
async function inPreview(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = Object.fromEntries(new Headers(init.headers));
  delete headers['host'];
  const got = await app.evaluate(
    async ({ path, method, headers, body }) => {
      const res = await fetch(path, { method, headers, body });
      return { status: res.status, headers: [...res.headers], body: await res.text() };
    },
    { path, method: init.method ?? 'GET', headers, body: typeof init.body === 'string' ? init.body : undefined },
  );
  // Bytes, not a string: a string body would gain a content-type the app never sent.
  return new Response(got.status === 204 ? null : new TextEncoder().encode(got.body), { status: got.status, headers: got.headers });
}

runConformanceContract('playground service worker', inPreview, upstream.host, {
  get authority() {
    return origin;
  },
  hostHeaders: ['content-security-policy'],
});

test('the playground’s trace header (the request builder’s) reaches the worker, never the app', async () => {
  const headers = { 'user-agent': 'my-agent', accept: '*/*', 'expected-authority': origin, 'x-twirl-trace': 'from-the-request-builder' };
  const res = await inPreview('/base/path/end/rest?key=value', { headers });
  assert.deepEqual([res.status, await res.text()], [200, '']);
});

test('a Spin 1.x app (core module, Spin 1 manifest) opened in the playground runs in its service worker', async () => {
  const { page } = browser;
  const manifest = await readFile(new URL('../fixtures/spin1/spin.toml', import.meta.url));
  const zip = Buffer.from(zipSync({ 'spin1/spin.toml': manifest, 'spin1/probe.wasm': spin1Module() }));
  await page.locator('input[type=file][accept*="zip"]').setInputFiles({ name: 'spin1.zip', mimeType: 'application/zip', buffer: zip });
  const frames = () => page.frames().filter((f) => /^http:\/\/[0-9a-f]{16}\.twirl\.localhost:/.test(f.url()));
  const hello = (f: Frame) => f.evaluate(async () => (await fetch('/hello')).text()).catch(() => '');
  await expect(page, 'the Spin 1.x module answering in the preview', async () => (await Promise.all(frames().map(hello))).join(' | '), 'Hello, Spin 1.x!', 120_000);
  let spin1: Frame | undefined;
  for (const f of frames()) if ((await hello(f)) === 'Hello, Spin 1.x!\n') spin1 = f;
  assert.ok(spin1);
  const kv = await spin1.evaluate(async () => {
    const res = await fetch('/kv', { method: 'POST', body: 'kept in IndexedDB' });
    return [res.status, await res.text()];
  });
  assert.deepEqual(kv, [200, 'kept in IndexedDB']);
  const config = await spin1.evaluate(async () => (await fetch('/config')).text());
  assert.equal(config, 'hello from config');
});
