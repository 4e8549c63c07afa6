/**
 * The playground in Chromium: cold start (a fresh browser opening the playground until the hello
 * app's first response shows), then 2,000 requests to the hello app through the preview's
 * service worker, sent from a page on the app's origin, against the engine's health check
 * (same worker and engine, no component) as the baseline. Then rebuilding the hello app in the
 * page after an edit: the first build (loading the toolchain, splicing the engine) and rebuilds.
 */
import type { Page } from 'playwright-core';
import { freshBrowser } from '../node/browser/chromium.ts';
import { previewShows, replaceFileText } from '../node/playground/playground-page.ts';
import { startPlayground } from '../node/playground/playground-server.ts';
import { round } from './measure.ts';

interface PageLoad {
  rps: number;
  p50ms: number;
  p99ms: number;
  errors: number;
}

export async function benchBrowser(total = 2000, rebuilds = 3) {
  const playground = await startPlayground();
  const browser = await freshBrowser();
  try {
    const { page } = browser;
    const started = performance.now();
    await page.goto(playground.url);
    await previewShows(page, 'Hello, Fermyon!', 60_000);
    const coldMs = performance.now() - started;

    const bridge = page.frames().find((f) => f.url().includes('/__twirl/frame.html'));
    if (!bridge) throw new Error('no preview bridge frame');
    const rows: object[] = [{ path: 'cold start: open playground → hello response shown', 'ms': round(coldMs, 0) }];
    for (const concurrency of [1, 10]) {
      const base = await bridge.evaluate(loadInPage, { path: '/.well-known/spin/health', total, concurrency });
      const hello = await bridge.evaluate(loadInPage, { path: '/', total, concurrency });
      rows.push(
        { path: 'service worker + engine, health check (baseline)', concurrency, 'req/s': round(base.rps, 0), 'p50 (ms)': round(base.p50ms, 2), 'p99 (ms)': round(base.p99ms, 2), errors: base.errors },
        { path: 'service worker + engine, hello app', concurrency, 'req/s': round(hello.rps, 0), 'p50 (ms)': round(hello.p50ms, 2), 'p99 (ms)': round(hello.p99ms, 2), 'vs baseline': round(hello.rps / base.rps, 3), errors: hello.errors },
      );
    }
    rows.push(await rebuildInPage(page, 0, 'in-browser build of http-js, first in the page, Run at once after the edit'));
    for (let run = 1; run <= rebuilds; run++) rows.push(await rebuildInPage(page, run, `in-browser rebuild after an edit #${run}`));
    // A fresh page (a new build worker): the edit starts splicing, as a user's typing would leave it time to.
    await page.reload();
    await previewShows(page, `Hello, build ${rebuilds}!`, 60_000);
    rows.push(await rebuildInPage(page, rebuilds + 1, 'in-browser build, first in a reloaded page, Run 5 s after the edit', 5000));
    return rows;
  } finally {
    await browser.close();
    await playground.close();
  }
}

/**
 * Edits the hello app's greeting, presses Run and waits for the new response: wall time from
 * the click, and the build worker's own account (from the line the playground logs).
 */
async function rebuildInPage(page: Page, run: number, path: string, pauseMs = 0): Promise<object> {
  const greeting = `Hello, build ${run}!`;
  await replaceFileText(page, 'src/index.js', (text) => text.replace(/Hello, [^\\`]*!/, greeting));
  await new Promise((resolve) => setTimeout(resolve, pauseMs));
  const logged = page.waitForEvent('console', { predicate: (m) => m.text().startsWith('twirl: built '), timeout: 180_000 });
  const started = performance.now();
  await page.getByRole('button', { name: 'Run' }).click();
  await previewShows(page, greeting, 180_000);
  const wallMs = performance.now() - started;
  const line = (await logged).text();
  const steps = Object.fromEntries([...line.matchAll(/(\w+) (\d+) ms/g)].map(([, step, ms]) => [`${step} (ms)`, Number(ms)]));
  const bytes = Number(/, (\d+) bytes;/.exec(line)?.[1] ?? 0);
  return { path, ms: round(wallMs, 0), ...steps, 'size (MB)': round(bytes / 1e6, 2) };
}

/** Runs in the bridge page (the app's origin): `total` fetches from `concurrency` loops. */
async function loadInPage({ path, total, concurrency }: { path: string; total: number; concurrency: number }): Promise<PageLoad> {
  const times: number[] = [];
  let started = 0;
  let errors = 0;
  const begin = performance.now();
  const loop = async () => {
    while (started < total) {
      started++;
      const t = performance.now();
      try {
        const response = await fetch(path, { cache: 'no-store', headers: { 'x-twirl-trace': 'bench' } });
        await response.arrayBuffer();
        if (response.status !== 200) errors++;
      } catch {
        errors++;
      }
      times.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  const elapsed = (performance.now() - begin) / 1000;
  times.sort((a, b) => a - b);
  const at = (p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))]!;
  return { rps: total / elapsed, p50ms: at(50), p99ms: at(99), errors };
}

if (import.meta.main) console.table(await benchBrowser());
