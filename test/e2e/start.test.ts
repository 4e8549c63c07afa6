/**
 * `npm start` as a new user meets it: the printed playground URL loads in Chromium and runs the
 * sample through its service worker; after a restart the URL is the same and so are the apps.
 * The playground is built by `twirl start` itself (into a folder of the test's own).
 */
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { twirlServing, type Serving } from '../cli/run-twirl.ts';
import { freshBrowser, type FreshBrowser } from '../../node/browser/chromium.ts';
import { expect } from '../../node/playground/expect.ts';
import { chooseTemplate, previewShows } from '../../node/playground/playground-page.ts';

const repo = resolve(import.meta.dirname, '../..');
// The templates the browser tests share, prepared once for all of them; the build itself is this test's.
process.env['TWIRL_PLAYGROUND_PREPARED'] ??= '.cache/playground-e2e';
process.env['TWIRL_PLAYGROUND_TEMPLATES'] ??= 'http-js,kv-counter';
process.env['TWIRL_PLAYGROUND_OUT'] = '.cache/start-e2e/web';

let browser: FreshBrowser;
let running: Serving | undefined;

before(async () => {
  browser = await freshBrowser();
});

after(async () => {
  await running?.stop();
  await browser?.close();
});

/** `twirl start` until it prints where the playground is; a first run builds the playground first. */
async function start(playground: string): Promise<{ serving: Serving; url: string }> {
  const serving = await twirlServing(['start', '--listen', '127.0.0.1:0', '--playground', playground], repo, 20 * 60_000);
  await serving.waitFor(/^Playground: \S+$/m);
  return { serving, url: /^Playground: (\S+)$/m.exec(serving.output())![1]! };
}

let firstUrl = '';

test('the printed playground URL runs the sample app through the service worker', async () => {
  const first = await start('127.0.0.1:0');
  running = first.serving;
  firstUrl = first.url;
  assert.match(firstUrl, /^http:\/\/twirl\.localhost:\d+\/$/, 'a name whose subdomains reach this machine, for the apps’ preview origins');
  const { page } = browser;
  await page.goto(firstUrl);
  await previewShows(page, 'Hello, Fermyon!', 60_000);
  const frame = page.frames().find((f) => /^http:\/\/[0-9a-f]{16}\.twirl\.localhost:/.test(f.url()));
  assert.ok(frame, `no preview frame on an app origin among ${page.frames().map((f) => f.url()).join(', ')}`);
  assert.equal(await frame.evaluate(() => navigator.serviceWorker.controller !== null), true, 'the preview is answered by its service worker');
  await chooseTemplate(page, 'kv-counter');
  await previewShows(page, /^1\s*$/);
  assert.equal(await page.getByLabel('App').locator('option').count(), 2);
});

test('after a restart the playground is at the same URL, with the same apps and key-value data', async () => {
  assert.ok(running && firstUrl, 'the first start ran');
  assert.equal(await running.stop(), 0);
  running = undefined;
  const port = new URL(firstUrl).port;
  const second = await start(`127.0.0.1:${port}`);
  running = second.serving;
  assert.equal(second.url, firstUrl);
  const { page } = browser;
  await page.reload();
  await previewShows(page, /^2\s*$/, 60_000);
  await expect(page.getByLabel('App'), 'both apps listed', async (select) => String(await select.locator('option').count()), '2');
});

test('the default playground address is fixed, and says how to change it', async () => {
  const help = /--playground <host:port>\s+where the playground serves \(default: \$TWIRL_PLAYGROUND or 127\.0\.0\.1:3001\)/;
  assert.match((await import('../../cli/start.ts')).startCommand.usage, help);
});
