/**
 * Spin's routing through the playground's service worker in Chromium: the multi-route template
 * opened in the playground, every request sent by fetch() from the preview document, so the
 * service worker on the app's own origin answers it with the engine, as it does for a user.
 */
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import type { Frame } from 'playwright-core';
import { freshBrowser, type FreshBrowser } from '../../node/browser/chromium.ts';
import { startPlayground, type Playground } from '../../node/playground/playground-server.ts';
import { chooseTemplate, previewShows } from '../../node/playground/playground-page.ts';
import { runRoutingContract } from '../support/routing-contract.ts';

// Only the app under test, prepared into a folder of its own (the other browser tests prepare theirs).
process.env['TWIRL_PLAYGROUND_TEMPLATES'] = 'multi-route';
process.env['TWIRL_PLAYGROUND_PREPARED'] = '.cache/playground-e2e-routing';

let playground: Playground;
let browser: FreshBrowser;
let preview: Frame;
let origin = '';

before(async () => {
  [playground, browser] = await Promise.all([startPlayground(), freshBrowser()]);
  const { page } = browser;
  await page.goto(playground.url);
  await chooseTemplate(page, 'multi-route');
  // `/` falls to the catch-all component, which echoes what it was sent.
  await previewShows(page, '"component":"fallback"', 120_000);
  const frame = page.frames().find((f) => /^http:\/\/[0-9a-f]{16}\.twirl\.localhost:/.test(f.url()));
  assert.ok(frame, `no preview frame on an app origin among ${page.frames().map((f) => f.url()).join(', ')}`);
  preview = frame;
  const seen = await preview.evaluate(() => ({ controlled: navigator.serviceWorker.controller !== null, origin: location.origin }));
  assert.equal(seen.controlled, true, 'the preview document is controlled by the preview service worker');
  origin = seen.origin;
});

after(async () => {
  await browser?.close();
  await playground?.close();
});

interface Received {
  status: number;
  headers: Array<[string, string]>;
  body: string;
}

/** fetch() in the preview document; the response crosses back as status, headers and text. */
async function viaServiceWorker(path: string, init?: RequestInit): Promise<Response> {
  const sent = { path, method: init?.method ?? 'GET', body: typeof init?.body === 'string' ? init.body : undefined };
  const received: Received = await preview.evaluate(async ({ path, method, body }) => {
    const res = await fetch(path, { method, ...(body === undefined ? {} : { body }) });
    return { status: res.status, headers: [...res.headers], body: await res.text() };
  }, sent);
  return new Response(received.body, { status: received.status, headers: received.headers });
}

// The service worker hands the engine a fixed client address: a browser gives it none.
runRoutingContract('playground service worker (Chromium)', viaServiceWorker, {
  get origin() {
    return origin;
  },
  clientAddr: '127.0.0.1:0',
});
