/** Debian's Chromium driven by playwright-core: headless, a fresh profile per launch. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-quic',
  '--disable-sync',
];

export interface FreshBrowser {
  context: BrowserContext;
  page: Page;
  /** Every console error and uncaught exception, for failure messages. */
  errors: string[];
  close(): Promise<void>;
}

/**
 * A browser with a profile of its own: no storage, no service workers from earlier runs.
 * `args`: more Chromium switches (e.g. `--host-resolver-rules` to reach a test server under a real domain).
 */
export async function freshBrowser(args: string[] = []): Promise<FreshBrowser> {
  const profile = await mkdtemp(join(tmpdir(), 'twirl-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [...ARGS, ...args],
    viewport: { width: 1400, height: 860 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  return {
    context,
    page,
    errors,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
