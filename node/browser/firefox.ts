/** Debian's Firefox ESR driven by puppeteer-core over WebDriver BiDi: headless, a fresh profile per launch. */
import { launch, type Browser, type Page } from 'puppeteer-core';
import { messageOf } from '../../shared/errors.ts';

export const FIREFOX = process.env['FIREFOX_PATH'] ?? '/usr/bin/firefox-esr';

export interface FreshFirefox {
  browser: Browser;
  page: Page;
  /** Every console error and uncaught exception, for failure messages. */
  errors: string[];
  close(): Promise<void>;
}

/** A Firefox with a profile of its own (puppeteer makes and removes a temporary one). */
export async function freshFirefox(): Promise<FreshFirefox> {
  const browser = await launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    defaultViewport: { width: 1400, height: 860 },
    extraPrefsFirefox: {
      // Subdomains of localhost (the apps' preview origins) resolve to this machine, as in Chromium.
      'network.dns.localDomains': '',
      'browser.shell.checkDefaultBrowser': false,
    },
  });
  const page = (await browser.pages())[0] ?? (await browser.newPage());
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(`pageerror: ${messageOf(err)}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  return { browser, page, errors, close: () => browser.close() };
}
