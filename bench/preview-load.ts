/**
 * Load on the playground's preview from its bridge page (the app's origin, through the service
 * worker), for the browser benchmark and the tools that explain it.
 */
import type { Browser, Frame, Page } from 'playwright-core';
import { freshBrowser, type FreshBrowser } from '../node/browser/chromium.ts';
import { bridgeFrame, previewShows } from '../node/playground/playground-page.ts';
import { startPlayground, type Playground } from '../node/playground/playground-server.ts';

/** One round's fetches: each one's time, the round's wall time, and how many failed. */
export interface RoundLoad {
  times: number[];
  wallMs: number;
  errors: number;
}

/**
 * Runs in the bridge page (the app's origin): `total` fetches from `concurrency` loops. Given a
 * list of paths, fetch i goes to the i-th in turn (`[a, b, b, a]` at c=1: the two take turns
 * request by request, each first in every other pair); `times[i]` is fetch i's.
 */
export async function loadInPage({ path, total, concurrency }: { path: string | string[]; total: number; concurrency: number }): Promise<RoundLoad> {
  const paths = typeof path === 'string' ? [path] : path;
  const times: number[] = [];
  let started = 0;
  let errors = 0;
  const begin = performance.now();
  const loop = async () => {
    while (started < total) {
      const index = started++;
      const t = performance.now();
      try {
        const response = await fetch(paths[index % paths.length]!, { cache: 'no-store', headers: { 'x-twirl-trace': 'bench' } });
        await response.arrayBuffer();
        if (response.status !== 200) errors++;
      } catch {
        errors++;
      }
      times[index] = performance.now() - t;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  return { times, wallMs: performance.now() - begin, errors };
}

/** Fetches per warm-up batch, and the most a warm-up makes before the rows are measured anyway. */
const WARM_BATCH = 500;
const WARM_MAX = 10_000;
/** Optimising compile per request (µs) under which the engine's code counts as settled: ~0.5% of a hello request's CPU. */
const SETTLED_US = 50;

export interface WarmUp {
  requests: number;
  /** V8's optimising Wasm compile in the last batch, per request (µs). */
  compileUs: number;
}

/**
 * Requests to `path` from `frame` (at c=10) until the engine's code has settled. V8 compiles a
 * Wasm function again, optimised, in the background once it has run enough; the JS engine has
 * thousands of functions, each request runs many of them once, and so the compiling goes on
 * for thousands of requests (hello at c=10, 2 cores: 0.67 ms of compile per request at requests
 * 500–1,000, 0.13 ms at 1,000–3,000, 0.035 ms at 3,000–6,000), CPU a row measured then would
 * count as the app's. The compile time is read from the browser's trace, batch by batch.
 */
export async function warmUntilCompiled(browser: Browser, frame: Frame, path: string): Promise<WarmUp> {
  let requests = 0;
  let compileUs = Infinity;
  while (requests < WARM_MAX && compileUs > SETTLED_US) {
    await browser.startTracing(undefined, { categories: ['v8.wasm'] });
    const { errors } = await frame.evaluate(loadInPage, { path, total: WARM_BATCH, concurrency: 10 });
    const trace = JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: Array<{ name: string; dur?: number }> };
    if (errors > 0) throw new Error(`${errors} of ${WARM_BATCH} warm-up requests to ${path} failed`);
    const compiled = trace.traceEvents.filter((e) => e.name === 'wasm.TopTierCompilation').reduce((sum, e) => sum + (e.dur ?? 0), 0);
    compileUs = compiled / WARM_BATCH;
    requests += WARM_BATCH;
  }
  return { requests, compileUs };
}

/** The browser of `page`, whose trace `warmUntilCompiled` reads. */
export function browserOf(page: Page): Browser {
  const browser = page.context().browser();
  if (!browser) throw new Error('the page has no browser to trace');
  return browser;
}

export interface HelloPreview {
  playground: Playground;
  browser: FreshBrowser;
  /** Requests/s of `total` fetches of `path` from `concurrency` loops in the bridge page. */
  rate(path: string, total: number, concurrency: number): Promise<number>;
  /** Requests to `path` until the engine's code has settled (`warmUntilCompiled`). */
  warm(path: string): Promise<WarmUp>;
  close(): Promise<void>;
}

/** The playground in a fresh Chromium (`args`: more switches), showing the hello app's response. */
export async function openHelloPreview(args: string[] = []): Promise<HelloPreview> {
  const playground = await startPlayground();
  const browser = await freshBrowser(args);
  const close = async () => {
    await browser.close();
    await playground.close();
  };
  try {
    await browser.page.goto(playground.url);
    await previewShows(browser.page, 'Hello, Fermyon!', 60_000);
    const bridge = bridgeFrame(browser.page);
    const rate = async (path: string, total: number, concurrency: number) => {
      const { wallMs, errors } = await bridge.evaluate(loadInPage, { path, total, concurrency });
      if (errors > 0) throw new Error(`${errors} of ${total} requests to ${path} failed`);
      return total / (wallMs / 1000);
    };
    const warm = (path: string) => warmUntilCompiled(browserOf(browser.page), bridge, path);
    return { playground, browser, rate, warm, close };
  } catch (err) {
    await close();
    throw err;
  }
}
