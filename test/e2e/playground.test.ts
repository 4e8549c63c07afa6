/** The playground in Chromium: templates through the service worker, key-value data, requests, logs, errors. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { freshBrowser, type FreshBrowser } from '../../node/browser/chromium.ts';
import { expect } from '../../node/playground/expect.ts';
import { startPlayground, type Playground } from '../../node/playground/playground-server.ts';
import { appDocumentFrame, bridgeFrame, chooseTemplate, editorText, openTab, previewShows, screenshot, sendRequest, stopServiceWorkers } from '../../node/playground/playground-page.ts';
import { statefulAppZip, statefulComponent } from './support/fixture-apps.ts';

let playground: Playground;
let browser: FreshBrowser;

before(async () => {
  [playground, browser] = await Promise.all([startPlayground(), freshBrowser()]);
});

after(async () => {
  await browser?.close();
  await playground?.close();
});

test('a new visitor gets the hello template, answered by the service worker on the app’s own origin', async () => {
  const { page } = browser;
  await page.goto(playground.url);
  await previewShows(page, 'Hello, Fermyon!');
  const frame = page.frames().find((f) => /^http:\/\/[0-9a-f]{16}\.twirl\.localhost:/.test(f.url()) && f.url().endsWith('/'));
  assert.ok(frame, `no preview frame on an app origin among ${page.frames().map((f) => f.url()).join(', ')}`);
  const seen = await frame.evaluate(() => ({ controlled: navigator.serviceWorker.controller !== null, origin: location.origin }));
  assert.equal(seen.controlled, true, 'the preview document is controlled by the preview service worker');
  assert.notEqual(seen.origin, new URL(playground.url).origin, 'the app never runs with the playground’s origin');
  await screenshot(page, 'playground-hello');
});

test('a new visitor’s app opens while the list of templates is on its way, and opens without it', async () => {
  const templateNames = (page: FreshBrowser['page']) => page.getByLabel('New from template').locator('option').allInnerTexts();
  const held = await freshBrowser();
  try {
    let answer!: () => void;
    const answered = new Promise<void>((resolve) => (answer = resolve));
    await held.page.route('**/__twirl/templates/index.json', async (route) => {
      await answered;
      await route.continue();
    });
    await held.page.goto(playground.url);
    await previewShows(held.page, 'Hello, Fermyon!');
    assert.deepEqual(await templateNames(held.page), ['New from template…'], 'the menu has no templates before the list arrives');
    answer();
    await expect(held.page, 'the menu to offer the templates once the list arrives', async (page) => (await templateNames(page)).join(', '), /kv-counter/);
  } finally {
    await held.close();
  }
  const refused = await freshBrowser();
  try {
    await refused.page.route('**/__twirl/templates/index.json', (route) => route.abort('connectionrefused'));
    await refused.page.goto(playground.url);
    await previewShows(refused.page, 'Hello, Fermyon!');
    assert.deepEqual(await templateNames(refused.page), ['New from template…'], 'without the list the menu offers none');
  } finally {
    await refused.close();
  }
});

test('a returning visitor’s app starts its engine as its worker starts, once: handing over the same app keeps it', async () => {
  const returning = await freshBrowser();
  try {
    const { page, context } = returning;
    await page.goto(playground.url);
    await previewShows(page, 'Hello, Fermyon!');
    // As after a browser restart: the app is stored on its origin and its worker stopped.
    await page.goto('about:blank');
    await stopServiceWorkers(page);
    await page.goto(playground.url);
    await previewShows(page, 'Hello, Fermyon!');
    // When each span (web/timing.ts) of that name began, on the clock both contexts share.
    const began = (name: string) => performance.getEntriesByName(`twirl:${name}`).map((e) => performance.timeOrigin + e.startTime);
    const worker = context.serviceWorkers().findLast((w) => /^http:\/\/[0-9a-f]{16}\.twirl\.localhost:/.test(w.url()));
    assert.ok(worker, 'the preview’s worker runs again');
    const starts = await worker.evaluate(began, 'sw: start the engine');
    const [handOver] = await bridgeFrame(page).evaluate(began, 'bridge: hand over to the worker');
    assert.equal(starts.length, 1, 'the engine started once in the worker’s new life');
    assert.ok(handOver !== undefined && starts[0]! < handOver, 'it started before the playground handed the app over');
  } finally {
    await returning.close();
  }
});

test('the kv-counter template counts, and its count survives a reload', async () => {
  const { page } = browser;
  await page.goto(playground.url);
  await chooseTemplate(page, 'kv-counter');
  await previewShows(page, /^1\s*$/);
  await page.reload();
  await previewShows(page, /^2\s*$/);
  await openTab(page, 'Key-value');
  const row = page.locator('twirl-kv-inspector tr[data-key="n"]');
  await expect(row, 'the inspector to show n = 2', (r) => r.innerText(), /default\s+n\s+2/);
  await screenshot(page, 'playground-key-value');
});

test('another app’s key-value data is its own', async () => {
  const { page } = browser;
  await chooseTemplate(page, 'kv-counter');
  await previewShows(page, /^1\s*$/);
  await page.getByLabel('App').selectOption({ index: 1 });
  await previewShows(page, /^3\s*$/);
});

test('the key-value inspector adds and deletes keys the app then sees', async () => {
  const { page } = browser;
  await openTab(page, 'Key-value');
  const inspector = page.locator('twirl-kv-inspector');
  await inspector.getByLabel('Key').fill('greeting');
  await inspector.getByLabel('Value').fill('hello from the inspector');
  await inspector.getByRole('button', { name: 'Set' }).click();
  await inspector.locator('tr[data-key="greeting"]').waitFor();
  const read = await sendRequest(page, { path: '/kv/greeting' });
  await expect(read, 'the app to read the key', (r) => r.innerText(), 'hello from the inspector');
  await openTab(page, 'Key-value');
  await inspector.locator('tr[data-key="greeting"]').getByRole('button', { name: 'Delete' }).click();
  await inspector.locator('tr[data-key="greeting"]').waitFor({ state: 'detached' });
  const gone = await sendRequest(page, { path: '/kv/greeting' });
  await expect(gone, 'a 404 for the deleted key', (r) => r.locator('.status').innerText(), /^404/);
});

test('the key-value tab, open through a burst of requests, lists the stores at most once per batch of events and ends on every key written', async () => {
  // The inspector is asked to list again after each request: a listing reads every store, and
  // one per request would queue listings behind each other and could land an older one last.
  const { page } = browser;
  const preview = appDocumentFrame(page);
  const bridge = bridgeFrame(page);
  await openTab(page, 'Key-value');
  await page.evaluate(() => {
    const counts = { listings: 0 };
    const post = MessagePort.prototype.postMessage;
    MessagePort.prototype.postMessage = function (this: MessagePort, message: unknown, ...rest: never[]) {
      if ((message as { type?: string } | null)?.type === 'kv-list') counts.listings++;
      return post.call(this, message, ...rest);
    } as typeof post;
    Object.assign(globalThis, { kvCounts: counts, kvPost: post });
  });
  await bridge.evaluate(() => {
    const counts = { batches: 0 };
    new BroadcastChannel('twirl-preview-events').onmessage = () => counts.batches++;
    Object.assign(globalThis, { eventCounts: counts });
  });
  const BURST = 30;
  const statuses = await preview.evaluate((n) => Promise.all(Array.from({ length: n }, (_, i) => fetch(`/kv/burst-${i}`, { method: 'PUT', body: String(i) }).then((r) => r.status))), BURST);
  assert.deepEqual(statuses, Array.from({ length: BURST }, () => 201));
  const written = page.locator('twirl-kv-inspector tr[data-key^="burst-"]');
  await expect(written, `the inspector to list the ${BURST} keys`, async (rows) => String(await rows.count()), new RegExp(`^${BURST}$`));
  const { listings } = await page.evaluate(() => (globalThis as unknown as { kvCounts: { listings: number } }).kvCounts);
  const { batches } = await bridge.evaluate(() => (globalThis as unknown as { eventCounts: { batches: number } }).eventCounts);
  await page.evaluate(() => void (MessagePort.prototype.postMessage = (globalThis as unknown as { kvPost: MessagePort['postMessage'] }).kvPost));
  // Each listing is started by a batch (the worker's events of up to a frame) that found none
  // under way or none queued; the tab may still be sending the one it asked for on opening.
  assert.ok(listings <= batches + 1, `${listings} listings for ${BURST} requests in ${batches} batches of events`);
});

test('the request builder sends method, headers and body, and shows status, headers, body and timing', async () => {
  const { page } = browser;
  const put = await sendRequest(page, { method: 'PUT', path: '/kv/note', headers: 'content-type: text/plain', body: 'written by the request builder' });
  await expect(put, 'a 201 for the PUT', (r) => r.locator('.status').innerText(), /^201/);
  const get = await sendRequest(page, { path: '/kv/note' });
  const shown = await get.innerText();
  assert.match(shown, /^200/m);
  assert.match(shown, /written by the request builder/);
  assert.match(shown, /content-security-policy: sandbox allow-scripts allow-forms/, 'the preview adds its sandboxing CSP');
  assert.match(await get.locator('.timing').innerText(), /^\d+(\.\d+)? ms$/);
  await screenshot(page, 'playground-request-builder');
});

test('an opened app’s stdout is in the logs per request; a trapping request logs its error and the next one works', async () => {
  const { page } = browser;
  const zip = await statefulAppZip();
  await page.locator('input[type=file][accept*="zip"]').setInputFiles({ name: 'stateful.zip', mimeType: 'application/zip', buffer: zip });
  await previewShows(page, '"hits":1', 60_000);
  const trapped = await sendRequest(page, { path: '/trap' });
  await expect(trapped, 'a 500 for /trap', (r) => r.locator('.status').innerText(), /^500/);
  const next = await sendRequest(page, { path: '/after' });
  await expect(next, 'the next request to work', (r) => r.innerText(), /^200[\s\S]*"hits":1/);
  await openTab(page, 'Logs');
  const logs = page.locator('twirl-logs-panel');
  const failed = logs.locator('details.request').filter({ hasText: '/trap' });
  await expect(failed, 'the trap’s error in its request’s logs', (l) => l.innerText(), /500[\s\S]*deliberate failure/);
  const worked = logs.locator('details.request').filter({ hasText: '/after' });
  await expect(worked, 'the next request’s stdout', (l) => l.innerText(), /200[\s\S]*\[stateful\] hits=1/);
  await screenshot(page, 'playground-logs');
});

/** A log entry of the burst as `<path> <status> stdout×<lines>`; none for other requests. */
function burstEntry(text: string): string[] {
  const path = /\/burst-\d+/.exec(text)?.[0];
  if (!path) return [];
  return [`${path} ${/\b200\b/.test(text) ? 200 : 'no 200'} stdout×${text.match(/\[stateful\] hits=1/g)?.length ?? 0}`];
}

test('a burst of requests from the app’s page: each one in the logs, newest first, with its own stdout', async () => {
  // The worker posts its events a frame's worth at a time: none may be lost, reordered or mixed up between requests.
  const { page } = browser;
  const preview = appDocumentFrame(page);
  const BURST = 40;
  const statuses = await preview.evaluate(async (n) => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push((await fetch(`/burst-${i}`)).status);
    return out;
  }, BURST);
  assert.deepEqual(statuses, Array.from({ length: BURST }, () => 200));
  await openTab(page, 'Logs');
  const entries = page.locator('twirl-logs-panel details.request');
  const want = Array.from({ length: BURST }, (_, i) => `/burst-${BURST - 1 - i} 200 stdout×1`).join(', ');
  await expect(entries, `the ${BURST} requests, newest first, each with its stdout`, async (l) => (await l.allInnerTexts()).flatMap(burstEntry).join(', '), new RegExp(`^${want}$`));
});

test('the logs panel, hidden, is left alone by a burst and shows it when opened; open, it adds each request at the top and keeps an entry as it was opened or closed', async () => {
  // A burst of requests from the app's page adds an entry a frame: a hidden panel re-rendered its
  // 200 entries each time, the playground's main thread busier than the worker answering.
  const { page } = browser;
  const preview = appDocumentFrame(page);
  const send = (paths: string[]) => preview.evaluate(async (ps) => { for (const p of ps) await fetch(p); }, paths);
  const logsCount = async () => Number((await page.getByRole('tab', { name: /^Logs/ }).innerText()).replace(/\D/g, '') || 0);
  const panel = page.locator('twirl-logs-panel');
  await openTab(page, 'Preview');
  const before = await logsCount();
  await panel.evaluate((el) => {
    const seen = { mutations: 0 };
    new MutationObserver((records) => (seen.mutations += records.length)).observe(el.shadowRoot!, { subtree: true, childList: true, characterData: true, attributes: true });
    (el as unknown as { seen: typeof seen }).seen = seen;
  });
  const quiet = Array.from({ length: 20 }, (_, i) => `/quiet-${i}`);
  await send(quiet);
  await expect(page, 'the Logs tab to count the burst', async () => String(await logsCount()), new RegExp(`^${before + quiet.length}$`));
  assert.equal(await panel.evaluate((el) => (el as unknown as { seen: { mutations: number } }).seen.mutations), 0, 'the hidden panel was not rendered during the burst');
  await openTab(page, 'Logs');
  const paths = () => panel.locator('details.request .path').allInnerTexts();
  await expect(page, 'the burst, newest first, once the panel is shown', async () => (await paths()).slice(0, 3).join(' '), '/quiet-19 /quiet-18 /quiet-17');
  const kept = panel.locator('details.request').filter({ hasText: '/quiet-18' });
  const isOpen = () => kept.evaluate((d) => (d as HTMLDetailsElement).open);
  const toggled = !(await isOpen());
  await kept.locator('summary').click();
  assert.equal(await isOpen(), toggled);
  await send(['/live-0', '/live-1']);
  await expect(page, 'each new request at the top while the panel is open', async () => (await paths()).slice(0, 4).join(' '), '/live-1 /live-0 /quiet-19 /quiet-18');
  assert.equal(await isOpen(), toggled, 'an entry opened or closed stays so as new ones arrive above it');
});

test('an uploaded .wasm is transpiled in the browser, wired into the manifest and served at its route', async () => {
  const { page } = browser;
  await page.goto(playground.url);
  await chooseTemplate(page, 'http-js');
  await previewShows(page, 'Hello, Fermyon!');
  await page.locator('label', { hasText: 'Upload' }).locator('input[type=file]').setInputFiles({ name: 'stateful.wasm', mimeType: 'application/wasm', buffer: await statefulComponent() });
  await page.locator('twirl-file-tree li[data-path="dist/stateful.wasm"]').waitFor();
  await page.locator('twirl-file-tree li[data-path="spin.toml"]').click();
  assert.match(await editorText(page), /\[\[trigger\.http\]\]\nroute = "\/stateful\/\.\.\."\ncomponent = "stateful"\n\n\[component\.stateful\]\nsource = "dist\/stateful\.wasm"/);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  const uploaded = await sendRequest(page, { path: '/stateful/x' });
  await expect(uploaded, 'the uploaded component’s answer', (r) => r.innerText(), /^200[\s\S]*"hits":1/);
  const original = await sendRequest(page, { path: '/' });
  await expect(original, 'the template’s component still at /', (r) => r.innerText(), 'Hello, Fermyon!');
});

test('an invalid manifest shows its error at its line in the editor', async () => {
  const { page } = browser;
  await page.goto(playground.url);
  await chooseTemplate(page, 'http-js');
  await previewShows(page, 'Hello, Fermyon!');
  const editor = page.locator('twirl-app twirl-code-editor');
  const routeLine = editor.locator('.cm-line').filter({ hasText: 'route = "/..."' });
  await routeLine.click();
  await page.keyboard.press('Home');
  await page.keyboard.press('Shift+End');
  await page.keyboard.type('route = 42');
  const problems = page.getByRole('list', { name: 'Manifest problems' });
  await expect(problems, 'the error listed with its line', (p) => p.innerText(), /spin\.toml:9: error/);
  await editor.locator('.cm-lint-marker-error').first().waitFor();
  const markedLine = await editor.locator('.cm-lintRange-error, .cm-lintPoint-error').first().evaluate((mark) => mark.closest('.cm-line')?.textContent);
  assert.equal(markedLine, 'route = 42');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await previewShows(page, /spin\.toml:9/);
  assert.equal(await page.locator('twirl-app .banner.problem').count(), 0, 'no problem banner besides the manifest’s own error');
  await screenshot(page, 'playground-bad-manifest');
});

test('no page errors along the way', () => {
  const unexpected = browser.errors.filter((e) => !/Failed to load resource: the server responded with a status of (404|500)/.test(e));
  assert.deepEqual(unexpected, []);
});
