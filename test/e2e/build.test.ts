/**
 * Building JS in the playground: edit the http-js template, Run, and the preview answers with
 * the edit — the component built in the page's build worker, with no server in the build.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { unzipSync } from 'fflate';
import type { Page, Request } from 'playwright-core';
import { freshBrowser, type FreshBrowser } from '../../node/browser/chromium.ts';
import { expect } from '../../node/playground/expect.ts';
import { statefulAppZip } from './support/fixture-apps.ts';
import { tinyAppZip } from '../fixtures/tiny-component.ts';
import { loadComponent } from '../../node/component/load-component.ts';
import { Engine } from '../../shared/engine.ts';
import { MemoryKeyValueBackend } from '../../shared/key-value-memory.ts';
import { loadManifest } from '../../shared/manifest/parse.ts';
import { startPlayground, type Playground } from '../../node/playground/playground-server.ts';
import { chooseTemplate, editorText, openTab, previewShows, replaceFileText, screenshot, sendRequest } from '../../node/playground/playground-page.ts';

let playground: Playground;
let browser: FreshBrowser;
const requests: Request[] = [];

before(async () => {
  [playground, browser] = await Promise.all([startPlayground(), freshBrowser()]);
  browser.context.on('request', (request) => void requests.push(request));
});

after(async () => {
  await browser?.close();
  await playground?.close();
});

const buildStatus = (page: Page) => page.getByRole('status', { name: 'Build progress' });

/** What the first edit's build fetched and how the page said it was built. */
const firstEdit: { requests: Request[]; built: string[] } = { requests: [], built: [] };

test('an edit to http-js runs after Run, built in the browser with no build server', async () => {
  const { page } = browser;
  await page.goto(playground.url);
  await previewShows(page, 'Hello, Fermyon!', 60_000);
  await replaceFileText(page, 'src/index.js', (text) => text.replace('Hello, Fermyon!', 'Hello from a browser build!'));
  await expect(page.locator('twirl-app .edited'), 'the edited-source note', (n) => n.innerText(), /Run .* builds it again/);
  const sent = requests.length;
  page.on('console', (message) => void (message.text().startsWith('twirl: built ') && firstEdit.built.push(message.text())));
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(buildStatus(page), 'the build’s progress', (s) => s.innerText(), /Building hello: /, 10_000);
  await screenshot(page, 'playground-building');
  await previewShows(page, 'Hello from a browser build!', 120_000);
  const during = requests.slice(sent);
  firstEdit.requests = during;
  const writes = during.filter((r) => r.method() !== 'GET');
  assert.deepEqual(writes.map((r) => `${r.method()} ${r.url()}`), [], 'the build sends nothing anywhere');
  const playgroundHost = new URL(playground.url).host;
  const elsewhere = during.filter((r) => !r.url().startsWith('blob:') && !r.url().startsWith('data:') && !new URL(r.url()).host.endsWith(playgroundHost));
  assert.deepEqual(elsewhere.map((r) => r.url()), [], 'every request stays with the playground (its assets, the preview)');
  await expect(page.locator('twirl-app .banner.notice'), 'the build’s notice', (n) => n.innerText(), /Built hello in this browser in [\d.]+ s/);
  await page.locator('twirl-file-tree li[data-path="dist/hello.wasm"]').click();
  await expect(page.locator('twirl-app .component-info'), 'the component’s origin', (i) => i.innerText(), 'Built from this app’s sources in this browser.');
  await screenshot(page, 'playground-browser-build');
});

test('that edit built as a snapshot on the engine the playground prepared: no splicer, engine, adapter or jco was fetched', async () => {
  assert.deepEqual(firstEdit.built.map((line) => /as a (\w+),/.exec(line)?.[1]), ['snapshot'], `the build's own report: ${firstEdit.built.join(' | ')}`);
  const urls = firstEdit.requests.map((r) => r.url());
  const fullBuildOnly = urls.filter((url) => /starlingmonkey_embedding|spidermonkey-embedding-splicer|wasi_snapshot_preview1|js-component-bindgen|wasm-tools/.test(url));
  assert.deepEqual(fullBuildOnly, [], 'nothing only a full build needs');
  assert.ok(urls.some((url) => /__twirl\/worlds\/[0-9a-f]{24}\/spliced\.wasm$/.test(url)), `the world's spliced engine was fetched (fetched: ${urls.join(', ')})`);
  // The preview answered with the edit (the test before): from the snapshot, on the shared engine.
  const answered = await sendRequest(browser.page, { path: '/after-snapshot' });
  await expect(answered, 'the edited body', (r) => r.innerText(), /Hello from a browser build!\nmethod: GET\npath: \/after-snapshot/);
});

test('the rebuilt component survives a reload, and a second file and Ctrl-S rebuild it', async () => {
  const { page } = browser;
  await page.reload();
  await previewShows(page, 'Hello from a browser build!', 60_000);
  page.once('dialog', (dialog) => void dialog.accept('src/greeting.js'));
  await page.getByRole('button', { name: '+ File' }).click();
  await replaceFileText(page, 'src/greeting.js', () => 'export const greeting = (method) => `Greetings, ${method} caller!`;\n');
  await replaceFileText(page, 'src/index.js', (text) =>
    `import { greeting } from './greeting.js';\n${text.replace('`Hello from a browser build!\\n', '`${greeting(request.method)}\\n')}`,
  );
  await page.keyboard.press('ControlOrMeta+S');
  await previewShows(page, 'Greetings, GET caller!', 60_000);
});

test('a syntax error shows at its line in the editor, and the preview keeps the last good build', async () => {
  const { page } = browser;
  await replaceFileText(page, 'src/index.js', (text) => text.replace('const url = new URL(request.url);', 'const url = new URL(request.url;'));
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  const problems = page.getByRole('list', { name: 'Build problems' });
  const listed = await expect(problems, 'the syntax error with its line', (p) => p.innerText(), /src\/index\.js:\d+:\d+: error: Expected "\)" but found ";"/, 60_000);
  const line = Number(/src\/index\.js:(\d+):/.exec(listed)![1]);
  const source = await editorText(page);
  assert.equal(source.split('\n')[line - 1]?.trim(), 'const url = new URL(request.url;');
  const editor = page.locator('twirl-app twirl-code-editor');
  const marked = await editor.locator('.cm-lintRange-error, .cm-lintPoint-error').first().evaluate((mark) => mark.closest('.cm-line')?.textContent?.trim());
  assert.equal(marked, 'const url = new URL(request.url;');
  await expect(page.locator('twirl-app .banner.problem'), 'the failed build’s banner', (b) => b.innerText(), /Could not build hello[^]*the preview still runs the last good build/);
  await screenshot(page, 'playground-build-error');
  await previewShows(page, 'Greetings, GET caller!');
});

test('an exception while initialising shows at the line that threw', async () => {
  const { page } = browser;
  await replaceFileText(page, 'src/greeting.js', (text) => `${text}console.log('reading the settings');\nconst settings = undefined;\nexport const port = settings.port;\n`);
  await replaceFileText(page, 'src/index.js', (text) => text.replace('const url = new URL(request.url;', 'const url = new URL(request.url);'));
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  const problems = page.getByRole('list', { name: 'Build problems' });
  await expect(page.locator('twirl-app .file-title'), 'the failing file to open', (t) => t.innerText(), 'src/greeting.js', 60_000);
  await expect(problems, 'the exception at its line', (p) => p.innerText(), /src\/greeting\.js:4:\d+: error: TypeError: .*settings.* \(while initialising\)/);
  await openTab(page, 'Logs');
  await expect(page.locator('twirl-logs-panel details.build').first(), 'what it printed before it threw', (d) => d.innerText(), /build\s+hello[^]*\[hello\] reading the settings/);
  await openTab(page, 'Preview');
});

test('top-level code that never ends fails its build at the time limit, saying so; the next build runs', async () => {
  const { page } = browser;
  await replaceFileText(page, 'src/greeting.js', (text) => text.replace("console.log('reading the settings');\nconst settings = undefined;\nexport const port = settings.port;\n", ''));
  await replaceFileText(page, 'src/index.js', (text) => `let spins = 0;\nwhile (spins >= 0) spins = (spins + 1) % 1000;\n${text}`);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(
    page.locator('twirl-app .banner.problem'),
    'the failed build’s banner, naming the time limit',
    (b) => b.innerText(),
    /Could not build hello[^]*top-level code was still running after 20 s and was stopped \(a loop that never ends\?\)[^]*the preview still runs the last good build/,
    120_000,
  );
  await replaceFileText(page, 'src/index.js', (text) => text.replace('let spins = 0;\nwhile (spins >= 0) spins = (spins + 1) % 1000;\n', ''));
  await replaceFileText(page, 'src/greeting.js', (text) => text.replace('Greetings', 'Greetings again'));
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await previewShows(page, 'Greetings again, GET caller!', 60_000);
  await expect(page.locator('twirl-app .banner.problem'), 'the banner gone with the loop', (b) => b.count().then(String), '0');
});

test('what the top-level code prints shows in Logs when it is built, as a terminal shows it under `spin build`', async () => {
  const { page } = browser;
  await replaceFileText(page, 'src/greeting.js', (text) => `console.log('greetings loaded');\n${text}`);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await previewShows(page, 'Greetings again, GET caller!', 60_000);
  await openTab(page, 'Logs');
  await expect(page.locator('twirl-logs-panel details.build').first(), 'the build’s entry with the line', (d) => d.innerText(), /build\s+hello\s+top-level output[^]*\[hello\] greetings loaded/);
  await openTab(page, 'Preview');
});

test('an app opened from a zip is taken as built from its sources: editing them rebuilds it', async () => {
  const { page } = browser;
  await page.locator('input[type=file][accept*="zip"]').setInputFiles({ name: 'stateful.zip', mimeType: 'application/zip', buffer: await statefulAppZip() });
  await previewShows(page, '"hits":1', 60_000);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await previewShows(page, '"hits":1');
  assert.equal(await page.locator('twirl-app .banner.notice').count(), 0, 'nothing was stale before the edit');
  await replaceFileText(page, 'src/index.js', (text) => text.replace('Response.json({ hits,', 'Response.json({ edited: true, hits,'));
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await previewShows(page, '"edited":true', 120_000);
});

test('an edit clears the share link made before it: the field never shows a link to something else', async () => {
  const { page } = browser;
  await page.getByRole('button', { name: 'Share' }).click();
  const field = page.getByLabel('Share link');
  await expect(field, 'a share link', (f) => f.inputValue(), /#(s|a)=/, 60_000);
  await replaceFileText(page, 'src/index.js', (text) => text.replace('Response.json({ edited: true, hits,', 'Response.json({ edited: 2, hits,'));
  await field.waitFor({ state: 'detached', timeout: 10_000 });
});

test('switching apps leaves the previous app’s failed-build banner and response behind', async () => {
  const { page } = browser;
  const answered = await sendRequest(page, { path: '/before-switch' });
  await expect(answered, 'this app’s response', (r) => r.innerText(), '"edited":true');
  await replaceFileText(page, 'src/index.js', (text) => text.replace('Response.json({ edited: 2, hits,', 'Response.json({ edited: 2, hits'));
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.locator('twirl-app .banner.problem'), 'the failed build’s banner', (b) => b.innerText(), /Could not build stateful[^]*the preview still runs the last good build/, 60_000);
  await chooseTemplate(page, 'http-js');
  await previewShows(page, 'Hello, Fermyon!');
  assert.equal(await page.locator('twirl-app .banner').count(), 0, 'no banner about the previous app');
  await openTab(page, 'Request');
  assert.equal(await page.locator('twirl-request-builder').getByLabel('Response').count(), 0, 'no response from the previous app');
});

test('Download of an app built as a snapshot carries a whole component, which answers with the edit', async () => {
  const { page } = browser;
  await replaceFileText(page, 'src/index.js', (text) => text.replace('Hello, Fermyon!', 'Hello from a download!'));
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await previewShows(page, 'Hello from a download!', 120_000);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download' }).click()]);
  const entries = unzipSync(new Uint8Array(await readFile((await download.path())!)));
  const component = entries['dist/hello.wasm'];
  assert.ok(component, `the zip holds the component (it holds ${Object.keys(entries).join(', ')})`);
  const engine = await Engine.create({
    app: loadManifest(new TextDecoder().decode(entries['spin.toml']), 'spin.toml'),
    components: new Map([['hello', await loadComponent(component)]]),
    keyValue: new MemoryKeyValueBackend(),
    fetch: (r) => fetch(r),
    files: { read: async () => undefined, list: async () => [] },
    logs: { write: () => {} },
  });
  const response = await engine.handle(new Request('http://127.0.0.1:3000/downloaded'), { clientAddr: '127.0.0.1:1' });
  assert.match(await response.text(), /^Hello from a download!\nmethod: GET\npath: \/downloaded\n/);
});

/** A Wasm function that traps: `unreachable`. */
const TRAP_MODULE = [0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 7, 5, 1, 1, 102, 0, 0, 10, 5, 1, 3, 0, 0, 11];
const TRAP = `new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array(${JSON.stringify(TRAP_MODULE)}))).exports.f()`;

/**
 * Serves the page's first build worker with `prelude` before its script (a worker started after
 * it is served as built); the count of workers started so far.
 */
async function firstWorkerWith(page: Page, prelude: string): Promise<() => number> {
  let workers = 0;
  await page.route(/\/build-worker-[^/]+\.js$/, async (route) => {
    // Fetched by Node from the server itself: the playground's host names resolve only in the browser.
    const url = new URL(route.request().url());
    url.hostname = '127.0.0.1';
    const response = await fetch(url);
    const script = await response.text();
    await route.fulfill({ status: response.status, headers: Object.fromEntries(response.headers), body: ++workers === 1 ? `${prelude}\n${script}` : script });
  });
  return () => workers;
}

/** The page's console warnings, as they come. */
function warningsOf(page: Page): string[] {
  const warnings: string[] = [];
  page.on('console', (message) => void (message.type() === 'warning' && warnings.push(message.text())));
  return warnings;
}

test('a build whose toolchain traps is built again in a new worker, and the edit runs', async () => {
  const page = await browser.context.newPage();
  try {
    // The first build worker traps once, at its first digest (as WebKit's toolchain did now and then).
    const workers = await firstWorkerWith(page, `{ const digest = crypto.subtle.digest.bind(crypto.subtle); let trapped = false;
      crypto.subtle.digest = (...args) => { if (!trapped) { trapped = true; ${TRAP}; } return digest(...args); }; }`);
    const warnings = warningsOf(page);
    await page.goto(playground.url);
    await chooseTemplate(page, 'http-js');
    await previewShows(page, 'Hello, Fermyon!', 60_000);
    await replaceFileText(page, 'src/index.js', (text) => text.replace('Hello, Fermyon!', 'Hello after a trap!'));
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await previewShows(page, 'Hello after a trap!', 120_000);
    assert.equal(workers(), 2, `a second build worker was started (warnings: ${warnings.join(' | ')})`);
    assert.ok(
      warnings.some((w) => /the build worker's toolchain failed \((the build stopped while \w+|warming up the toolchain): .*unreachable.*\); building again in a new worker/i.test(w)),
      `the page says what happened (warnings: ${warnings.join(' | ')})`,
    );
    assert.equal(await page.locator('twirl-app .banner.problem').count(), 0, 'no failed-build banner');
  } finally {
    await page.close();
  }
});

test('a component brought in a zip is transpiled in the build worker; a trap there is retried in a new worker', async () => {
  const page = await browser.context.newPage();
  try {
    // The first build worker traps in the transpile's first text decode after a transpile request.
    const workers = await firstWorkerWith(page, `{ let armed = false; self.addEventListener('message', (e) => { if (e.data?.type === 'transpile') armed = true; });
      const decode = TextDecoder.prototype.decode;
      TextDecoder.prototype.decode = function (...args) { if (armed) { armed = false; ${TRAP}; } return decode.apply(this, args); }; }`);
    const warnings = warningsOf(page);
    await page.goto(playground.url);
    // The app the tests before left open.
    await previewShows(page, /^Hello/, 60_000);
    await page.locator('input[type=file][accept*="zip"]').setInputFiles({ name: 'tiny.zip', mimeType: 'application/zip', buffer: tinyAppZip() });
    await previewShows(page, /^tiny\s*$/, 120_000);
    assert.equal(workers(), 2, `a second build worker was started (warnings: ${warnings.join(' | ')})`);
    assert.ok(
      warnings.some((w) => /the build worker's toolchain failed \((the transpiler stopped|warming up the toolchain): .*unreachable.*\); transpiling again in a new worker/i.test(w)),
      `the page says what happened (warnings: ${warnings.join(' | ')})`,
    );
  } finally {
    await page.close();
  }
});

/** Every whole component the page's IndexedDB keeps, as it was read; changed to look like an earlier release's first where `change` says so. */
function rewriteStoredComponents(page: Page, change: 'as an earlier release left it' | 'read'): Promise<Array<{ digest: string; preparedBy?: string; staleGlue: boolean }>> {
  return page.evaluate(async (change) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('twirl-components');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const store = db.transaction('prepared', 'readwrite').objectStore('prepared');
    const seen: Array<{ digest: string; preparedBy?: string; staleGlue: boolean }> = [];
    await new Promise<void>((resolve, reject) => {
      const cursor = store.openCursor();
      cursor.onerror = () => reject(cursor.error);
      cursor.onsuccess = () => {
        const at = cursor.result;
        if (!at) return resolve();
        const value = at.value as { bytes?: Uint8Array; glue?: string; preparedBy?: string };
        if (value.bytes) {
          if (change === 'as an earlier release left it') at.update({ ...value, preparedBy: 'an earlier release', glue: 'throw new Error("glue an earlier release prepared");' });
          seen.push({ digest: String(at.key), preparedBy: value.preparedBy, staleGlue: value.glue?.includes('an earlier release') === true });
        }
        at.continue();
      };
    });
    db.close();
    return seen;
  }, change);
}

test('a component an earlier release of the playground prepared is prepared again from its bytes, and runs', async () => {
  const page = await browser.context.newPage();
  try {
    // A document of the playground's origin that runs no app (the worker's script, shown as text):
    // the stored components change before the app opens.
    await page.goto(`${playground.url}sw.js`);
    const tiny = createHash('sha256').update(unzipSync(tinyAppZip())['tiny/hello.wasm']!).digest('hex');
    const before = await rewriteStoredComponents(page, 'as an earlier release left it');
    assert.ok(before.some((c) => c.digest === tiny), `the tiny component is stored whole: ${JSON.stringify(before)}`);
    // The preview's worker starts again, as after a release: it runs what the page hands it, not what it compiled before.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
    // The playground opens the app the tests before left open: the tiny one.
    await page.goto(playground.url);
    await previewShows(page, /^tiny\s*$/, 120_000);
    await expect(page.locator('twirl-app .banner.notice'), 'what the Run said', (n) => n.innerText(), /Prepared \S*hello\.wasm again: an earlier release of the playground had prepared it\./);
    const after = (await rewriteStoredComponents(page, 'read')).find((c) => c.digest === tiny);
    assert.ok(after && after.preparedBy !== 'an earlier release' && !after.staleGlue, `kept as prepared again: ${JSON.stringify(after)}`);
  } finally {
    await page.close();
  }
});

test('no page errors along the way', () => {
  const unexpected = browser.errors.filter((e) => !/Failed to load resource: the server responded with a status of (404|500)/.test(e));
  assert.deepEqual(unexpected, []);
});
