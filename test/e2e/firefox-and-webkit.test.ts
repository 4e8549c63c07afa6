/**
 * The playground and the docs embed beyond Chromium, on one playground build. Firefox (Debian's
 * firefox-esr over WebDriver BiDi) runs the core paths a reader takes. WebKit (WebKitGTK's
 * MiniBrowser, Safari's engine) lacks JSPI: apps run there with synchronous glue and key-value
 * data written behind, and an app that needs JSPI (one that fetches) says so plainly.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'puppeteer-core';
import type { WebDriver, WebElement } from 'selenium-webdriver';
import { freshFirefox, type FreshFirefox } from '../../node/browser/firefox.ts';
import { freshWebKit, type FreshWebKit } from '../../node/browser/webkit.ts';
import { expect } from '../../node/playground/expect.ts';
import { startPlayground, type Playground } from '../../node/playground/playground-server.ts';
import { tinyAppZip } from '../fixtures/tiny-component.ts';

let playground: Playground;
let firefox: FreshFirefox;
let webkit: FreshWebKit;

before(async () => {
  [playground, firefox, webkit] = await Promise.all([startPlayground(), freshFirefox(), freshWebKit()]);
});

/** Folders the tests wrote files to upload into. */
const uploads: string[] = [];

after(async () => {
  await firefox?.close();
  await webkit?.close();
  await playground?.close();
  await Promise.all(uploads.map((dir) => rm(dir, { recursive: true, force: true })));
});

const screenshots = resolve(import.meta.dirname, '../../docs/screenshots');

async function saveScreenshot(name: string, png: Uint8Array | Promise<Uint8Array>): Promise<void> {
  await mkdir(screenshots, { recursive: true });
  await writeFile(resolve(screenshots, `${name}.png`), await png);
}

/** The text of the app preview: the frame on an app origin that is not the bridge. */
async function previewText(page: Page): Promise<string> {
  const frame = page.frames().find((f) => /^http:\/\/[0-9a-f]{16}\.twirl\.localhost:/.test(f.url()) && !f.url().includes('/__twirl/'));
  if (!frame) throw new Error(`no preview frame among ${page.frames().map((f) => f.url()).join(', ')}`);
  return frame.evaluate(() => document.body?.textContent ?? '');
}

const previewShows = (page: Page, want: string | RegExp, timeout = 60_000) => expect(page, `the preview to show ${want}`, previewText, want, timeout);

/** Clicks the button inside `host`'s shadow root whose text is `text`, as a reader would. */
async function clickButton(page: Page, host: string, text: string): Promise<void> {
  const clicked = await page.evaluate(
    (host, text) => {
      const button = [...(document.querySelector(host)?.shadowRoot?.querySelectorAll('button') ?? [])].find((b) => b.textContent?.trim() === text);
      button?.click();
      return button !== undefined;
    },
    host,
    text,
  );
  assert.ok(clicked, `no button “${text}” in ${host}`);
}

const screenshot = (page: Page, name: string) => saveScreenshot(name, page.screenshot());

/** The tiny app's zip on disk, as a reader picks a file: the browsers' drivers upload paths. */
async function tinyZipFile(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'twirl-zip-'));
  uploads.push(dir);
  const zip = join(dir, 'tiny.zip');
  await writeFile(zip, tinyAppZip());
  return zip;
}

test('Firefox: a new visitor’s hello template runs in the service worker on its own origin', async () => {
  const { page } = firefox;
  await page.goto(playground.url);
  await previewShows(page, 'Hello, Fermyon!');
  assert.equal(await page.evaluate(() => typeof (WebAssembly as { Suspending?: unknown }).Suspending), 'function', 'Firefox ESR has JSPI');
  await screenshot(page, 'firefox-playground');
});

test('Firefox: the kv-counter template counts, and the count survives a reload', async () => {
  const { page } = firefox;
  await page.select('twirl-app >>> select[aria-label="New from template"]', 'kv-counter');
  await previewShows(page, /^1\s*$/);
  await page.reload();
  await previewShows(page, /^2\s*$/);
});

test('Firefox: a share link opens the app in another browser profile', async () => {
  const { page, browser } = firefox;
  await clickButton(page, 'twirl-app', 'Share');
  const read = (p: Page) => p.evaluate(() => document.querySelector('twirl-app')?.shadowRoot?.querySelector<HTMLInputElement>('input[aria-label="Share link"]')?.value ?? '');
  const link = await expect(page, 'a share link', read, /#s=/, 60_000);
  const other = await browser.createBrowserContext();
  try {
    const opener = await other.newPage();
    await opener.goto(link);
    await previewShows(opener, /^1\s*$/);
    const app = await opener.evaluate(() => document.querySelector('twirl-app')?.shadowRoot?.querySelector<HTMLSelectElement>('select[aria-label="App"]')?.selectedOptions[0]?.textContent ?? '');
    assert.match(app, /^kv-counter/, 'the shared app is the open one');
  } finally {
    await other.close();
  }
});

test('Firefox: an app opened from a zip runs its own component, transpiled in the build worker', async () => {
  const { page } = firefox;
  const input = await page.$('twirl-app >>> input[type=file][accept*="zip"]');
  assert.ok(input, 'an Open zip input');
  await input.uploadFile(await tinyZipFile());
  await previewShows(page, /^tiny\s*$/, 90_000);
});

test('Firefox: the docs page runs its embedded example in the page', async () => {
  const { page } = firefox;
  await page.goto(new URL('docs.html', playground.url).href);
  const result = (p: Page) => p.evaluate(() => document.querySelector('twirl-playground#hello')?.shadowRoot?.querySelector('[aria-label="Result"]')?.textContent ?? '');
  await expect(page, 'the example to load', (p) => p.evaluate(() => document.querySelector('twirl-playground#hello')?.shadowRoot?.querySelector('twirl-code-editor')?.shadowRoot?.querySelector('.cm-content')?.textContent ?? ''), "addEventListener('fetch'");
  await clickButton(page, 'twirl-playground#hello', 'Run');
  await expect(page, 'the response', result, /200[\s\S]*Hello, Fermyon![\s\S]*path: \/hello/, 60_000);
  await screenshot(page, 'firefox-docs-embed');
});

test('Firefox: an edited docs example is built in the browser, then runs', async () => {
  const { page } = firefox;
  await page.goto(new URL('docs.html', playground.url).href);
  const counter = 'twirl-playground#counter';
  await expect(page, 'the example’s files', (p) => p.evaluate((c) => document.querySelector(c)?.shadowRoot?.querySelector('nav')?.textContent ?? '', counter), 'src/index.js');
  await clickButton(page, counter, 'src/index.js');
  const edited = await page.evaluate((c) => {
    const host = document.querySelector(c) as (Element & { app?: { files: Record<string, { text?: string }> } }) | null;
    const text = host?.app?.files['src/index.js']?.text ?? '';
    const line = '`${increment(store)}\\n`';
    if (!text.includes(line)) return false;
    // The edit as the editor reports one: its whole new text.
    host?.shadowRoot?.querySelector('twirl-code-editor')?.dispatchEvent(new CustomEvent('change', { detail: text.replace(line, '`count=${increment(store)}\\n`') }));
    return true;
  }, counter);
  assert.ok(edited, 'the counter’s source has the line to edit');
  await clickButton(page, counter, 'Run');
  const outcome = (p: Page) =>
    p.evaluate((c) => {
      const embed = document.querySelector(c)?.shadowRoot;
      return (embed?.querySelector('[aria-label="Result"] pre.body')?.textContent ?? '') + (embed?.querySelector('pre.problem')?.textContent ?? '');
    }, counter);
  await expect(page, 'the edited response', outcome, /^count=1\s*$/, 300_000);
});

test('Firefox: no page errors along the way', () => {
  const unexpected = firefox.errors.filter((e) => !/status of (404|500)/.test(e));
  assert.deepEqual(unexpected, []);
});

/** Runs `script` (a function body) in the page and returns its text. */
const read = (script: string) => (driver: WebDriver) => driver.executeScript<string>(script).then((value) => String(value ?? ''));

const webkitScreenshot = async (driver: WebDriver, name: string) => saveScreenshot(name, Buffer.from(await driver.takeScreenshot(), 'base64'));

const app = "const app = document.querySelector('twirl-app')?.shadowRoot;";

/** The text of the app preview, read inside its frame (on the app's own origin). */
async function webkitPreviewText(driver: WebDriver): Promise<string> {
  const frame = await driver.executeScript<WebElement | null>(`${app} return app?.querySelector('twirl-preview-pane')?.shadowRoot?.querySelector('iframe') ?? null;`);
  if (!frame) return '';
  await driver.switchTo().frame(frame);
  try {
    return await driver.executeScript<string>('return document.body ? document.body.textContent : "";');
  } finally {
    await driver.switchTo().defaultContent();
  }
}

const webkitPreviewShows = (driver: WebDriver, want: string | RegExp, timeout = 90_000) => expect(driver, `the preview to show ${want}`, webkitPreviewText, want, timeout);

async function webkitTemplate(driver: WebDriver, name: string): Promise<void> {
  const chosen = await driver.executeScript<boolean>(
    `${app} const select = app?.querySelector('select[aria-label="New from template"]');
     if (!select || ![...select.options].some((o) => o.value === arguments[0])) return false;
     select.value = arguments[0];
     select.dispatchEvent(new Event('change', { bubbles: true }));
     return true;`,
    name,
  );
  assert.ok(chosen, `no template ${name} to choose`);
}

const problemBanner = read(`${app} return app?.querySelector('.banner.problem[role=alert]')?.textContent;`);

test('WebKit (no JSPI): the hello template runs in the service worker, with no banner about JSPI', async () => {
  const { driver } = webkit;
  await driver.get(playground.url);
  assert.equal(await driver.executeScript('return typeof WebAssembly.Suspending;'), 'undefined', 'WebKit lacks JSPI');
  await webkitPreviewShows(driver, 'Hello, Fermyon!');
  assert.doesNotMatch(await problemBanner(driver), /JSPI/);
  await expect(driver, 'the manifest in the editor', read(`${app} return app?.querySelector('twirl-code-editor')?.shadowRoot?.querySelector('.cm-content')?.textContent;`), 'spin_manifest_version = 2');
  await webkitScreenshot(driver, 'webkit-playground');
});

test('WebKit (no JSPI): the kv-counter template counts, and the count survives a reload', async () => {
  const { driver } = webkit;
  await webkitTemplate(driver, 'kv-counter');
  await webkitPreviewShows(driver, /^1\s*$/);
  await driver.navigate().refresh();
  await webkitPreviewShows(driver, /^2\s*$/);
  await driver.navigate().refresh();
  await webkitPreviewShows(driver, /^3\s*$/);
  await webkitScreenshot(driver, 'webkit-kv-counter');
});

test('WebKit (no JSPI): an app opened from a zip runs its own component, transpiled in the build worker', async () => {
  const { driver } = webkit;
  const zip = await tinyZipFile();
  const input = await driver.executeScript<WebElement | null>(`${app} return app?.querySelector('input[type=file][accept*="zip"]') ?? null;`);
  assert.ok(input, 'an Open zip input');
  await input.sendKeys(zip);
  await webkitPreviewShows(driver, /^tiny\s*$/, 180_000);
  assert.doesNotMatch(await problemBanner(driver), /JSPI/);
});

test('WebKit (no JSPI): an app that fetches says plainly which browser feature it needs', async () => {
  const { driver } = webkit;
  await webkitTemplate(driver, 'outbound-http');
  await expect(driver, 'the problem banner', problemBanner, /outbound HTTP response, which needs JSPI \(WebAssembly\.Suspending\)[\s\S]*Firefox 153/, 90_000);
});

test('WebKit (no JSPI): the docs page runs its embedded example in the page', async () => {
  const { driver } = webkit;
  await driver.get(new URL('docs.html', playground.url).href);
  const embed = "const embed = document.querySelector('twirl-playground#hello')?.shadowRoot;";
  await expect(driver, 'the example’s source', read(`${embed} return embed?.querySelector('twirl-code-editor')?.shadowRoot?.querySelector('.cm-content')?.textContent;`), "addEventListener('fetch'");
  assert.doesNotMatch(await read(`${embed} return embed?.querySelector('.bar')?.textContent;`)(driver), /JSPI/);
  await driver.executeScript(`${embed} embed?.querySelector('button.run')?.click();`);
  await expect(driver, 'the response', read(`${embed} return embed?.querySelector('[aria-label="Result"]')?.textContent;`), /200[\s\S]*Hello, Fermyon![\s\S]*path: \/hello/, 90_000);
  await webkitScreenshot(driver, 'webkit-docs-embed');
});

test('WebKit (no JSPI): an edited docs example is built in the browser, then runs', async () => {
  const { driver } = webkit;
  await driver.get(new URL('docs.html', playground.url).href);
  const counter = "const counter = document.querySelector('twirl-playground#counter'); const embed = counter?.shadowRoot;";
  await expect(driver, 'the example’s files', read(`${counter} return embed?.querySelector('nav')?.textContent;`), 'src/index.js');
  await driver.executeScript(`${counter} [...embed.querySelectorAll('nav button')].find((b) => b.textContent.trim() === 'src/index.js').click();`);
  await expect(driver, 'the source in the editor', read(`${counter} return embed?.querySelector('twirl-code-editor')?.shadowRoot?.querySelector('.cm-content')?.textContent;`), 'increment');
  // The edit as the editor reports one: its whole new text.
  const edited = await driver.executeScript<boolean>(
    `${counter} const text = counter.app?.files['src/index.js']?.text ?? '';
     if (!text.includes('\`\${increment(store)}\\\\n\`')) return false;
     embed.querySelector('twirl-code-editor').dispatchEvent(new CustomEvent('change', { detail: text.replace('\`\${increment(store)}\\\\n\`', '\`count=\${increment(store)}\\\\n\`') }));
     return true;`,
  );
  assert.ok(edited, 'the counter’s source has the line to edit');
  await expect(driver, 'the edited note', read(`${counter} return embed?.querySelector('.note')?.textContent;`), 'Run builds it again');
  await driver.executeScript(`${counter} embed?.querySelector('button.run')?.click();`);
  // Before anything shows, what the bar says (building, running, or nothing) is what a timeout reports.
  const outcome = read(
    `${counter} const shown = (embed?.querySelector('[aria-label="Result"] pre.body')?.textContent ?? '') + (embed?.querySelector('pre.problem')?.textContent ?? '');
     return shown || '(nothing shown; the bar reads: ' + (embed?.querySelector('.bar')?.textContent ?? '').replace(/\\s+/g, ' ').trim() + ')';`,
  );
  // WebKit builds several times slower than Chromium (its Wasm tiers up late): minutes on a busy machine.
  await expect(driver, 'the edited response', outcome, /^count=1\s*$/, 480_000);
  await driver.executeScript(`${counter} counter.scrollIntoView();`);
  await webkitScreenshot(driver, 'webkit-docs-build');
});
