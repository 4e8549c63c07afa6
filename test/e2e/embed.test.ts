/** The `<twirl-playground>` embed on the demo docs page, in Chromium. */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { freshBrowser, type FreshBrowser } from '../../node/browser/chromium.ts';
import { expect } from '../../node/playground/expect.ts';
import { startPlayground, type Playground } from '../../node/playground/playground-server.ts';
import { screenshot } from '../../node/playground/playground-page.ts';

let playground: Playground;
let browser: FreshBrowser;

before(async () => {
  [playground, browser] = await Promise.all([startPlayground(), freshBrowser()]);
});

after(async () => {
  await browser?.close();
  await playground?.close();
});

test('the docs page runs a read-only example in the page', async () => {
  const { page } = browser;
  await page.goto(new URL('docs.html', playground.url).href);
  const hello = page.locator('twirl-playground#hello');
  await expect(hello.locator('.cm-content'), 'the example’s source', (c) => c.innerText(), "addEventListener('fetch'");
  assert.equal(await hello.locator('.cm-content').getAttribute('contenteditable'), 'false', 'readonly examples cannot be edited');
  await hello.getByRole('button', { name: 'Run', exact: true }).click();
  const result = hello.getByLabel('Result');
  await expect(result, 'the response', (r) => r.innerText(), /200[\s\S]*Hello, Fermyon![\s\S]*path: \/hello/, 30_000);
});

test('an editable example keeps its key-value data between runs and reports a broken manifest', async () => {
  const { page } = browser;
  const counter = page.locator('twirl-playground#counter');
  assert.equal(await counter.locator('.cm-content').getAttribute('contenteditable'), 'true');
  for (const count of ['1', '2']) {
    await counter.getByRole('button', { name: 'Run', exact: true }).click();
    await expect(counter.getByLabel('Result').locator('pre.body'), `the count ${count}`, (b) => b.innerText(), new RegExp(`^${count}\\s*$`), 30_000);
  }
  await screenshot(page, 'docs-embed');
  const line = counter.locator('.cm-line').filter({ hasText: 'key_value_stores' });
  await line.click();
  await page.keyboard.press('Home');
  await page.keyboard.press('Shift+End');
  await page.keyboard.type('key_value_stores = "default"');
  await counter.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(counter.locator('pre.problem'), 'the manifest error', (p) => p.innerText(), /spin\.toml:14: error/);
});

test('an edited example is built again in the browser before it runs; a syntax error shows at its line', async () => {
  const { page } = browser;
  await page.goto(new URL('docs.html', playground.url).href);
  const counter = page.locator('twirl-playground#counter');
  await counter.getByRole('tab', { name: 'src/index.js' }).click();
  const replaceText = async (edit: (text: string) => string) => {
    // The embed's editor renders only the lines in view: the whole text comes from the element.
    const text = await counter.evaluate((el) => (el as unknown as { app?: { files: Record<string, { text?: string }> } }).app?.files['src/index.js']?.text ?? '');
    await counter.locator('.cm-content').click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.insertText(edit(text));
  };
  await replaceText((text) => `console.log('counter ready');\n${text.replace('`${increment(store)}\\n`', '`count=${increment(store)}\\n`')}`);
  await expect(counter.locator('.note'), 'the edited note', (n) => n.innerText(), 'Run builds it again');
  await counter.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(counter.getByLabel('Result').locator('pre.body'), 'the edited response', (b) => b.innerText(), /^count=1\s*$/, 120_000);
  await expect(counter.getByLabel('Result').locator('pre.logs'), 'what the top level printed when built', (l) => l.innerText(), /^\[counter\] counter ready$/m);
  await replaceText((text) => text.replace("'text/plain' } });\n}", "'text/plain' } }); +\n}"));
  await counter.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(counter.locator('pre.problem'), 'the syntax error at its line', (p) => p.innerText(), /src\/index\.js:16:1: error: Unexpected "}"/, 60_000);
  await counter.locator('.cm-lint-marker-error').first().waitFor();
});

/** Another site (its own origin) whose page embeds the playground's script, as a docs site would. */
async function otherSite(html: string): Promise<{ url: string; server: Server }> {
  const server = createServer((_, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(html));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://docs.localhost:${(server.address() as AddressInfo).port}/guide.html`, server };
}

test('an example embedded on another origin builds its edit too (the build worker started through a blob)', async () => {
  const { page } = browser;
  const script = new URL('embed.js', playground.url).href;
  const site = await otherSite(`<!doctype html><script type="module" src="${script}"></script><twirl-playground id="c" template="kv-counter" file="src/index.js"></twirl-playground>`);
  try {
    await page.goto(site.url);
    const counter = page.locator('twirl-playground#c');
    await counter.locator('.cm-content').waitFor();
    const text = await counter.evaluate((el) => (el as unknown as { app?: { files: Record<string, { text?: string }> } }).app?.files['src/index.js']?.text ?? '');
    await counter.locator('.cm-content').click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.insertText(text.replace('`${increment(store)}\\n`', '`elsewhere=${increment(store)}\\n`'));
    await counter.getByRole('button', { name: 'Run', exact: true }).click();
    await expect(counter.getByLabel('Result').locator('pre.body'), 'the edited response', (b) => b.innerText(), /^elsewhere=1\s*$/, 120_000);
  } finally {
    site.server.close();
  }
});
