/** Share links in Chromium: an app in the URL, or published to the edge worker, restored exactly in a fresh browser. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { unzipSync } from 'fflate';
import { after, before, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { freshBrowser, type FreshBrowser } from '../../node/browser/chromium.ts';
import { expect } from '../../node/playground/expect.ts';
import { startPlayground, type Playground } from '../../node/playground/playground-server.ts';
import { chooseTemplate, editorText, previewShows, replaceFileText, screenshot } from '../../node/playground/playground-page.ts';
import { statefulAppZip } from './support/fixture-apps.ts';

let playground: Playground;
let author: FreshBrowser;

before(async () => {
  [playground, author] = await Promise.all([startPlayground(), freshBrowser()]);
});

after(async () => {
  await author?.close();
  await playground?.close();
});

/** Stands in for the edge worker's `/api/apps`: archives by the sha-256 of their bytes. */
const published = new Map<string, Buffer>();
async function serveApiApps(context: BrowserContext): Promise<void> {
  await context.route('**/api/apps**', async (route) => {
    const request = route.request();
    if (request.method() === 'POST') {
      const body = request.postDataBuffer() ?? Buffer.alloc(0);
      const digest = createHash('sha256').update(body).digest('hex');
      published.set(digest, body);
      await route.fulfill({ status: 201, json: { digest, url: `/a/${digest}/` } });
      return;
    }
    const digest = new URL(request.url()).pathname.split('/').pop() ?? '';
    const body = published.get(digest);
    await route.fulfill(body ? { status: 200, contentType: 'application/zip', body } : { status: 404, body: 'no such app' });
  });
}

async function shareLink(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Share' }).click();
  const field = page.getByLabel('Share link');
  return expect(field, 'a share link', (f) => f.inputValue(), /#(s|a)=/, 60_000);
}

async function openFile(page: Page, path: string): Promise<void> {
  await page.locator(`twirl-file-tree li[data-path="${path}"]`).click();
}

test('a small app travels in the link and opens, edits and all, in a fresh browser', async () => {
  const { page } = author;
  await page.goto(playground.url);
  await chooseTemplate(page, 'http-js');
  await previewShows(page, 'Hello, Fermyon!');
  await openFile(page, 'README.md');
  await page.locator('twirl-app .cm-content').click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type('\nShared from the playground test.');
  const link = await shareLink(page);
  assert.match(link, /^http:\/\/twirl\.localhost:\d+\/#s=[\w-]+$/);
  await screenshot(page, 'playground-share');

  const reader = await freshBrowser();
  try {
    await reader.page.goto(link);
    await previewShows(reader.page, 'Hello, Fermyon!');
    assert.equal(new URL(reader.page.url()).hash, '', 'the link’s fragment is consumed');
    await openFile(reader.page, 'README.md');
    assert.match(await editorText(reader.page), /Shared from the playground test\.$/);
    const paths = await reader.page.locator('twirl-file-tree li[data-path]').evaluateAll((items) => items.map((i) => i.getAttribute('data-path')));
    assert.deepEqual(paths, ['spin.toml', 'dist/hello.wasm', 'README.md', 'src/index.js']);
  } finally {
    await reader.close();
  }
});

test('an app with an edit built in the browser travels in the link, and the opener builds it again', async () => {
  const { page } = author;
  await page.goto(playground.url);
  await chooseTemplate(page, 'http-js');
  await previewShows(page, 'Hello, Fermyon!');
  await replaceFileText(page, 'src/index.js', (text) => text.replace('Hello, Fermyon!', 'Hello, shared edit!'));
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await previewShows(page, 'Hello, shared edit!', 120_000);
  const link = await shareLink(page);
  assert.match(link, /#s=/, 'no publishing: the sources fit in the link');

  const reader = await freshBrowser();
  try {
    await reader.page.goto(link);
    await previewShows(reader.page, 'Hello, shared edit!', 120_000);
    await expect(reader.page.locator('twirl-app .banner.notice'), 'the opener’s build', (n) => n.innerText(), /Built hello in this browser/);
  } finally {
    await reader.close();
  }
  // Opened where it was made, the link's sources match a build this browser kept: no second build.
  const again = await author.context.newPage();
  try {
    await again.goto(link);
    await previewShows(again, 'Hello, shared edit!', 60_000);
    await expect(again.locator('twirl-app .banner.notice'), 'the kept build', (n) => n.innerText(), /Took hello as built from these sources earlier/);
  } finally {
    await again.close();
  }
});

test('an app with an uploaded component is published to /api/apps and restored from #a=<digest>', async () => {
  const { page, context } = author;
  await serveApiApps(context);
  await page.goto(playground.url);
  await page.locator('input[type=file][accept*="zip"]').setInputFiles({ name: 'stateful.zip', mimeType: 'application/zip', buffer: await statefulAppZip() });
  await previewShows(page, '"hits":1', 60_000);
  const manifest = await editorText(page);
  const link = await shareLink(page);
  const digest = /#a=([0-9a-f]{64})$/.exec(link)?.[1];
  assert.ok(digest && published.has(digest), `the link names the published archive: ${link}`);

  const reader = await freshBrowser();
  try {
    await serveApiApps(reader.context);
    await reader.page.goto(link);
    await previewShows(reader.page, '"hits":1', 60_000);
    assert.equal(await editorText(reader.page), manifest);
    await expect(reader.page.locator('twirl-file-tree li[data-path="dist/stateful.wasm"]'), 'the component in the tree', (l) => l.innerText(), 'component');
  } finally {
    await reader.close();
  }
});

test('Download gives the app as a zip of its files, components included, which opens again', async () => {
  const { page } = author;
  const opened = await statefulAppZip();
  await page.goto(playground.url);
  await page.locator('input[type=file][accept*="zip"]').setInputFiles({ name: 'stateful.zip', mimeType: 'application/zip', buffer: opened });
  await previewShows(page, '"hits":1', 60_000);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download' }).click()]);
  assert.equal(download.suggestedFilename(), 'stateful.zip');
  const zip = await readFile((await download.path())!);
  const entries = unzipSync(new Uint8Array(zip));
  const original = Object.fromEntries(Object.entries(unzipSync(new Uint8Array(opened))).map(([path, bytes]) => [path.replace(/^stateful\//, ''), bytes]));
  assert.deepEqual(Object.keys(entries).sort(), Object.keys(original).sort(), 'the app’s files at the top of the zip, as twirl up -f and the publish API take them');
  for (const [path, bytes] of Object.entries(original)) assert.ok(Buffer.from(entries[path]!).equals(Buffer.from(bytes)), `${path} is the file as opened`);
  const apps = await page.getByLabel('App').locator('option').count();
  await page.locator('input[type=file][accept*="zip"]').setInputFiles({ name: 'downloaded.zip', mimeType: 'application/zip', buffer: zip });
  await expect(page.getByLabel('App'), 'the reopened app beside the others', async (s) => String(await s.locator('option').count()), String(apps + 1), 120_000);
  await previewShows(page, '"hits":1', 60_000);
});
