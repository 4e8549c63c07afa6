/**
 * Outbound HTTP from the playground as `npm start` serves it: the outbound-http template, run by
 * the preview's service worker in Chromium, reaches an upstream that sends no CORS headers
 * through the platform worker's relay; when the upstream cannot be reached, the Logs tab says so.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { twirlServing, type Serving } from '../cli/run-twirl.ts';
import { freshBrowser, type FreshBrowser } from '../../node/browser/chromium.ts';
import { expect } from '../../node/playground/expect.ts';
import { chooseTemplate, openTab, previewShows, sendRequest } from '../../node/playground/playground-page.ts';

const repo = resolve(import.meta.dirname, '../..');
process.env['TWIRL_PLAYGROUND_PREPARED'] = '.cache/playground-e2e-outbound';
process.env['TWIRL_PLAYGROUND_TEMPLATES'] = 'http-js,outbound-http';
process.env['TWIRL_PLAYGROUND_OUT'] = '.cache/outbound-e2e/web';

/** A plain upstream: no CORS headers, so a browser alone could not read its answers. */
const greeting = `upstream answer ${crypto.randomUUID()}`;
const upstream = createServer((req, res) => {
  if (req.url === '/refuse') return void req.socket.destroy();
  res.setHeader('content-type', 'text/plain');
  res.end(`${greeting} for ${req.method} ${req.url}`);
});

let browser: FreshBrowser;
let running: Serving | undefined;
let upstreamUrl = '';

before(async () => {
  await new Promise<void>((done) => upstream.listen(0, '127.0.0.1', done));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  browser = await freshBrowser();
  running = await twirlServing(['start', '--listen', '127.0.0.1:0', '--playground', '127.0.0.1:0'], repo, 20 * 60_000);
  await running.waitFor(/^Playground: \S+$/m);
});

after(async () => {
  await running?.stop();
  await browser?.close();
  upstream.closeAllConnections();
  await new Promise((done) => upstream.close(done));
});

test("the outbound-http template gets an upstream's answer through the platform worker", async () => {
  const { page } = browser;
  await page.goto(/^Playground: (\S+)$/m.exec(running!.output())![1]!);
  await previewShows(page, 'Hello, Fermyon!', 60_000);
  await chooseTemplate(page, 'outbound-http');
  await previewShows(page, /"url"/, 60_000);
  const response = await sendRequest(page, { path: `/?url=${encodeURIComponent(`${upstreamUrl}/hello?x=1`)}` });
  const body = await expect(response, "the upstream's answer", (r) => r.innerText(), greeting, 60_000);
  assert.match(body, /^200\b/);
  const json = JSON.parse(await response.locator('pre.body').innerText()) as { url: string; status: number; body: string };
  assert.deepEqual(json, { url: `${upstreamUrl}/hello?x=1`, status: 200, body: `${greeting} for GET /hello?x=1` });
});

test('an upstream that cannot be reached fails the request, and the Logs tab says why', async () => {
  const { page } = browser;
  const target = `${upstreamUrl}/refuse`;
  const response = await sendRequest(page, { path: `/?url=${encodeURIComponent(target)}` });
  await expect(response, 'the failure', (r) => r.innerText(), /^502\b/, 60_000);
  await openTab(page, 'Logs');
  const entry = page.locator('twirl-logs-panel details.request').filter({ hasText: 'refuse' });
  const text = await expect(entry, 'the reason in its request’s logs', (l) => l.innerText(), /outbound request to \S+\/refuse failed at the playground's relay/, 30_000);
  assert.match(text, /^502/);
  assert.match(text, /could not be reached/);
});
