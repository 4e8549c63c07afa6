/**
 * The playground's edit loop in Chromium, as a user meets it: open the playground (http-js),
 * edit the handler's response text, press Run and wait for the preview to show the new body —
 * the first edit (toolchain not yet fetched or compiled in this page) and a later one; then a
 * share link of the edited app opened in a new page of the same browser (warm HTTP, IndexedDB
 * and Cache API), and a link of sources this browser never built. The baseline is the page's own
 * first load (open → hello response), measured in the same run. Bytes are what the network
 * delivered (encoded sizes), split by resource. Each row's phases follow the rows: the `twirl:`
 * spans (web/timing.ts) the page, the bridge, the build worker and the preview's worker recorded
 * during it, summed by name (phases run partly in parallel: they need not add up to the row).
 */
import type { BrowserContext, Page, Request } from 'playwright-core';
import { freshBrowser } from '../node/browser/chromium.ts';
import { chooseTemplate, previewShows, replaceFileText } from '../node/playground/playground-page.ts';
import { expect } from '../node/playground/expect.ts';
import { startPlayground } from '../node/playground/playground-server.ts';
import { round } from './measure.ts';

/** What the targets ask of each step (ms). */
const TARGET_MS = { edit: 1500, share: 3000 };

/** Resources by what they are, for the byte split: first match wins. */
const RESOURCES: [string, RegExp][] = [
  ["world's spliced engine (to initialise the edit in)", /__twirl\/worlds\/[^/]+\/spliced\.wasm/],
  ["world's prepared engine (for the preview)", /__twirl\/engines\//],
  ["world's glue and small modules", /__twirl\/worlds\//],
  ['JS engine (StarlingMonkey)', /starlingmonkey_embedding.*\.wasm/],
  ['engine splicer', /spidermonkey-embedding-splicer|splicer.*\.wasm/],
  ['WASI adapter', /wasi_snapshot_preview1/],
  ['esbuild', /esbuild.*\.wasm/],
  ['jco transpiler (component bindgen, wasm-tools)', /js-component-bindgen|wasm-tools/],
  ['npm packages', /__twirl\/npm\//],
  ['build worker script', /build-worker/],
  ['other Wasm', /\.wasm(\?|$)/],
  ['scripts', /\.m?js(\?|$)/],
];

const resourceOf = (url: string): string => RESOURCES.find(([, pattern]) => pattern.test(url))?.[0] ?? 'other';

/** Counts the encoded bytes of every finished request in `context` (pages and their workers) under the current label. */
function byteCounter(context: BrowserContext) {
  let label = '';
  const counted: { label: string; url: string; bytes: number }[] = [];
  const pending: Promise<void>[] = [];
  context.on('requestfinished', (request: Request) => {
    const at = label;
    pending.push(
      request.sizes().then(
        (s) => void counted.push({ label: at, url: request.url(), bytes: s.responseBodySize + s.responseHeadersSize }),
        () => {},
      ),
    );
  });
  return {
    label(next: string) {
      label = next;
    },
    async of(which: string): Promise<{ total: number; byResource: Map<string, number> }> {
      await Promise.all(pending);
      const byResource = new Map<string, number>();
      let total = 0;
      for (const c of counted.filter((c) => c.label === which)) {
        total += c.bytes;
        const resource = resourceOf(c.url);
        byResource.set(resource, (byResource.get(resource) ?? 0) + c.bytes);
      }
      return { total, byResource };
    },
  };
}

/**
 * The `twirl:` spans (web/timing.ts) recorded since the last call in the page, its frames (the
 * preview's bridge), its workers (the build worker) and the context's service workers (the
 * preview's), summed by name, then cleared.
 */
async function spans(context: BrowserContext): Promise<Map<string, number>> {
  const read = () => {
    const entries = performance.getEntriesByType('measure').filter((e) => e.name.startsWith('twirl:'));
    performance.clearMeasures();
    return entries.map((e) => [e.name.slice('twirl:'.length), e.duration] as [string, number]);
  };
  const targets: { evaluate: (fn: typeof read) => Promise<[string, number][]> }[] = [...context.pages().flatMap((p) => [...p.frames(), ...p.workers()]), ...context.serviceWorkers()];
  const found = await Promise.all(targets.map((t) => t.evaluate(read).catch(() => [] as [string, number][])));
  const sums = new Map<string, number>();
  for (const [name, ms] of found.flat()) sums.set(name, (sums.get(name) ?? 0) + ms);
  return sums;
}

export async function benchEditLoopBrowser(): Promise<object[]> {
  const playground = await startPlayground();
  const browser = await freshBrowser();
  try {
    const { page, context } = browser;
    const bytes = byteCounter(context);
    const rows: Record<string, string | number>[] = [];
    const phases: Record<string, string | number>[] = [];
    const row = async (label: string, path: string, ms: number, target?: number, steps: Record<string, number> = {}) => {
      const { total } = await bytes.of(label);
      rows.push({ path, ms: round(ms, 0), ...(target ? { 'vs target': round(ms / target, 2) } : {}), 'MB transferred': round(total / 1e6, 2), ...steps });
      // Where the step's time went, by the spans the page, the build worker and the preview's worker recorded.
      for (const [name, spent] of await spans(context)) phases.push({ path: `  ${label}: ${name}`, ms: round(spent, 0), 'vs page load': round(spent / loadMs, 3) });
    };
    let loadMs = Infinity;

    bytes.label('load');
    let started = performance.now();
    await page.goto(playground.url);
    await chooseTemplate(page, 'http-js');
    await previewShows(page, 'Hello, Fermyon!', 60_000);
    loadMs = performance.now() - started;
    await row('load', 'baseline: open the playground → hello response shown', loadMs);

    const cold = await runAfterEdit(page, 'Hello, first edit!', () => bytes.label('cold'));
    await row('cold', 'first edit: Run → new response (toolchain not in this page)', cold.ms, TARGET_MS.edit, cold.steps);
    const warm = await runAfterEdit(page, 'Hello, second edit!', () => bytes.label('warm'));
    await row('warm', 'later edit: Run → new response', warm.ms, TARGET_MS.edit, warm.steps);

    bytes.label('');
    await page.getByRole('button', { name: 'Share' }).click();
    const link = await expect(page.getByLabel('Share link'), 'a share link', (f) => f.inputValue(), /#(s|a)=/, 60_000);
    const reader = await context.newPage();
    bytes.label('share');
    started = performance.now();
    await reader.goto(link);
    await previewShows(reader, 'Hello, second edit!', 120_000);
    await row('share', 'share link of the edited app, new page, warm caches → first response', performance.now() - started, TARGET_MS.share);
    await reader.close();

    // A link of sources this browser never built (edited, not run): the opener builds them, with warm HTTP caches.
    bytes.label('');
    await replaceFileText(page, 'src/index.js', (text) => text.replace(/Hello, [^\\`'"]*!/, 'Hello, never built!'));
    await page.getByRole('button', { name: 'Share' }).click();
    const unbuilt = await expect(page.getByLabel('Share link'), 'a share link', (f) => f.inputValue(), /#(s|a)=/, 60_000);
    const builder = await context.newPage();
    bytes.label('share-unbuilt');
    started = performance.now();
    await builder.goto(unbuilt);
    await previewShows(builder, 'Hello, never built!', 180_000);
    await row('share-unbuilt', 'share link of sources never built in this browser, new page, warm caches → first response', performance.now() - started, TARGET_MS.share);
    await builder.close();

    for (const r of rows) if (r['path'] !== rows[0]!['path']) r['vs page load'] = round(Number(r['ms']) / loadMs, 2);
    rows.push(...phases);
    const { byResource } = await bytes.of('cold');
    for (const [resource, n] of [...byResource].sort((a, b) => b[1] - a[1])) {
      rows.push({ path: `  first edit's bytes: ${resource}`, 'MB transferred': round(n / 1e6, 2) });
    }
    return rows;
  } finally {
    await browser.close();
    await playground.close();
  }
}

/** Edits the greeting, presses Run, waits for the new body: wall time from the click, and the build worker's own steps. */
async function runAfterEdit(page: Page, greeting: string, beforeEdit: () => void): Promise<{ ms: number; steps: Record<string, number> }> {
  beforeEdit();
  await replaceFileText(page, 'src/index.js', (text) => text.replace(/Hello, [^\\`'"]*!/, greeting));
  let builtAt = 0;
  const logged = page.waitForEvent('console', { predicate: (m) => m.text().startsWith('twirl: built ') && (builtAt = performance.now()) > 0, timeout: 180_000 });
  const started = performance.now();
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  logged.catch(() => {});
  try {
    await previewShows(page, greeting, 180_000);
  } catch (err) {
    const banner = await page.locator('twirl-app .banner').allInnerTexts().catch(() => []);
    throw new Error(`${greeting} never showed (the playground says: ${banner.join(' | ')})`, { cause: err });
  }
  const ms = performance.now() - started;
  const line = (await logged).text();
  const steps = Object.fromEntries([...line.matchAll(/(\w+) (\d+) ms/g)].map(([, step, n]) => [`${step} (ms)`, Number(n)]));
  // Run → the page has the component (the build worker's queue included: a warm-up started by the edit), then → the preview shows it.
  return { ms, steps: { 'Run → built (ms)': round(builtAt - started, 0), 'built → shown (ms)': round(started + ms - builtAt, 0), ...steps } };
}

if (import.meta.main) console.table(await benchEditLoopBrowser());
