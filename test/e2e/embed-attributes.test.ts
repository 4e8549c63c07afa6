/** The embed as a docs author configures it, on the page that documents its attributes (web/embed.html). */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Locator } from 'playwright-core';
import { freshBrowser, type FreshBrowser } from '../../node/browser/chromium.ts';
import { expect } from '../../node/playground/expect.ts';
import { startPlayground, type Playground } from '../../node/playground/playground-server.ts';
import { editorText, screenshot } from '../../node/playground/playground-page.ts';

let playground: Playground;
let browser: FreshBrowser;

before(async () => {
  [playground, browser] = await Promise.all([startPlayground(), freshBrowser()]);
});

after(async () => {
  await browser?.close();
  await playground?.close();
});

type EmbedState = { app?: { files: Record<string, { text?: string }> } };
const fileText = (embed: Locator, path: string): Promise<string> => embed.evaluate((el, p) => (el as unknown as EmbedState).app?.files[p]?.text ?? '', path);
const tabs = (embed: Locator): Promise<string[]> => embed.getByRole('tab').allInnerTexts();

test('`files` chooses the tabs; `readonly-lines` keeps those lines as written while the rest is edited', async () => {
  const { page } = browser;
  await page.goto(new URL('embed.html', playground.url).href);
  const files = page.locator('twirl-playground#files');
  await files.locator('.cm-content').waitFor();
  assert.deepEqual(await tabs(files), ['src/index.js']);
  const locked = page.locator('twirl-playground#locked');
  await locked.locator('.cm-content').waitFor();
  assert.deepEqual(await tabs(locked), ['src/index.js']);
  const before = await fileText(locked, 'src/index.js');
  await locked.locator('.cm-line').first().click();
  await page.keyboard.type('// not allowed ');
  assert.equal(await fileText(locked, 'src/index.js'), before, 'a read-only line takes no edit');
  assert.ok(await locked.locator('.cm-line.tw-locked').count() >= 3, 'read-only lines are shaded');
  await locked.locator('.cm-line', { hasText: 'Hello, Fermyon!' }).click();
  await page.keyboard.press('End');
  await page.keyboard.type('\n  console.log("edited");');
  assert.match(await fileText(locked, 'src/index.js'), /console\.log\("edited"\)/, 'other lines take edits');
});

test('Open in playground carries the reader’s edits to the playground', async () => {
  const { page, context } = browser;
  const locked = page.locator('twirl-playground#locked');
  const opened = context.waitForEvent('page');
  await locked.getByRole('button', { name: /Open in playground/ }).click();
  const playgroundPage = await opened;
  await playgroundPage.locator('twirl-file-tree li[data-path="src/index.js"]').click();
  await expect(playgroundPage, 'the edited source in the playground', (p) => editorText(p), 'console.log("edited");', 30_000);
  await playgroundPage.close();
});

test('method, path, headers and body make the request Run sends; `expect-status` checks its answer', async () => {
  const { page } = browser;
  const request = page.locator('twirl-playground#request');
  await request.getByRole('button', { name: 'Run', exact: true }).click();
  const result = request.getByLabel('Result');
  await expect(result, 'the PUT’s 201', (r) => r.innerText(), /^201/, 60_000);
  await expect(result.getByLabel('Checks'), 'the passing check', (c) => c.innerText(), '✓ status is 201');
  assert.equal(await request.locator('code').first().innerText(), 'PUT /kv/greeting');
});

test('`autorun` sends the request on load and the body check passes; a failing check says what came back', async () => {
  const { page } = browser;
  const checks = page.locator('twirl-playground#checks');
  const list = checks.getByLabel('Checks');
  await expect(list, 'both checks passing, with no click', (c) => c.innerText(), /✓ status is 200[\s\S]*✓ body contains “Hello, Fermyon!”/, 60_000);
  await checks.evaluate((el) => el.setAttribute('expect-body', 'Goodbye'));
  await checks.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(list, 'the failing body check', (c) => c.innerText(), /✗ body contains “Goodbye” \(got Hello, Fermyon!/, 30_000);
  await screenshot(page, 'embed-checks');
});

test('`theme` and `height` set the colours and the editor’s size', async () => {
  const { page } = browser;
  const background = (embed: Locator) => embed.locator('.frame').evaluate((el) => getComputedStyle(el).backgroundColor);
  const dark = page.locator('twirl-playground#dark');
  const light = page.locator('twirl-playground#basic');
  await dark.locator('.cm-content').waitFor();
  const [darkBg, lightBg] = [await background(dark), await background(light)];
  assert.notEqual(darkBg, lightBg, 'theme="dark" differs from the light system theme');
  const channels = darkBg.match(/\d+/g)!.slice(0, 3).map(Number);
  assert.ok(channels.every((c) => c < 80), `a dark background: ${darkBg}`);
  const height = await dark.locator('twirl-code-editor').evaluate((el) => el.getBoundingClientRect().height);
  assert.ok(Math.abs(height - 160) < 2, `the editor is 160px high, not ${height}`);
});

test('`lazy` loads nothing until the example is scrolled into view', async () => {
  const { page } = browser;
  const lazy = page.locator('twirl-playground#lazy');
  assert.equal(await lazy.evaluate((el) => (el as unknown as EmbedState).app === undefined), true, 'nothing loaded out of view');
  await expect(lazy.locator('.waiting'), 'the waiting note', (l) => l.innerText(), 'loads when scrolled into view');
  await lazy.scrollIntoViewIfNeeded();
  await expect(lazy.getByLabel('Result'), 'the autorun result once in view', (r) => r.innerText(), /200[\s\S]*Hello, Fermyon!/, 60_000);
});
