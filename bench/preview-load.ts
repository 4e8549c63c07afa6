/**
 * Load on the playground's preview from its bridge page (the app's origin, through the service
 * worker), for the browser benchmark and the tools that explain it.
 */
import type { Frame, Page } from 'playwright-core';
import { freshBrowser, type FreshBrowser } from '../node/browser/chromium.ts';
import { previewShows } from '../node/playground/playground-page.ts';
import { startPlayground, type Playground } from '../node/playground/playground-server.ts';

/** One round's fetches: each one's time, the round's wall time, and how many failed. */
export interface RoundLoad {
  times: number[];
  wallMs: number;
  errors: number;
}

/** Runs in the bridge page (the app's origin): `total` fetches from `concurrency` loops. */
export async function loadInPage({ path, total, concurrency }: { path: string; total: number; concurrency: number }): Promise<RoundLoad> {
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
  return { times, wallMs: performance.now() - begin, errors };
}

/** The preview's bridge frame in `page`: the last one, when several apps were opened. */
export function bridgeFrame(page: Page): Frame {
  const bridge = page.frames().findLast((f) => f.url().includes('/__twirl/frame.html'));
  if (!bridge) throw new Error('no preview bridge frame');
  return bridge;
}

export interface HelloPreview {
  playground: Playground;
  browser: FreshBrowser;
  /** Requests/s of `total` fetches of `path` from `concurrency` loops in the bridge page. */
  rate(path: string, total: number, concurrency: number): Promise<number>;
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
    return { playground, browser, rate, close };
  } catch (err) {
    await close();
    throw err;
  }
}
