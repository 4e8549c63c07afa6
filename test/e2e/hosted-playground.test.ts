/**
 * The hosted Twirl in Chromium, as `npm run deploy:platform -- --dry-run --outdir` writes it for a
 * domain, served on workerd with production host routing: the domain resolves to this machine
 * (`--host-resolver-rules`), so the browser sees the playground at the apex, each app's preview
 * on its own subdomain, the API, published apps and the embed script exactly as deployed.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { freshBrowser, type FreshBrowser } from '../../node/browser/chromium.ts';
import { expect } from '../../node/playground/expect.ts';
import { previewShows } from '../../node/playground/playground-page.ts';
import { labelOfDigest } from '../../worker/hosts.ts';
import { startHosted, type HostedPlatform } from '../worker/support/hosted.ts';
import { tinyAppZip } from '../fixtures/tiny-component.ts';

const repo = resolve(import.meta.dirname, '../..');
const DOMAIN = 'twirl.example';
const PLAYGROUND = `https://${DOMAIN}/`;
/** A docs site elsewhere (https, as docs sites are: the engine needs a secure context), played by the browser's request routing. */
const DOCS_PAGE = 'https://docs.elsewhere.example/guide/';
const DOCS_HTML = `<!doctype html><title>Docs</title><h1>Guide</h1><script type="module" src="${PLAYGROUND}embed/v1.js"></script><twirl-playground id="hello" template="http-js" path="/hello"></twirl-playground>`;


let outDir = '';
let hosted: HostedPlatform | undefined;
const browsers: FreshBrowser[] = [];

/** `npm run deploy:platform` as an operator runs it, with only the template this test opens prepared. */
function deployDryRun(dir: string): Promise<string> {
  const env = { ...process.env, TWIRL_PLAYGROUND_TEMPLATES: 'http-js', TWIRL_PLAYGROUND_PREPARED: '.cache/playground-e2e-hosted' };
  const child = spawn('npm', ['run', 'deploy:platform', '--', '--domain', DOMAIN, '--dry-run', '--outdir', dir], { cwd: repo, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (output += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (output += s));
  return new Promise((done, fail) => {
    child.once('error', fail);
    child.once('exit', (code) => (code === 0 ? done(output) : fail(new Error(`deploy:platform --dry-run exited ${code}:\n${output.slice(-4000)}`))));
  });
}

/**
 * A browser for which the domain is this machine; the workerd certificate (for localhost) is
 * accepted. A public domain on loopback is this test's doing, not a deployment's: the checks on
 * public pages reaching local addresses (which would stop the docs site's embed) are off.
 */
async function browser(): Promise<FreshBrowser> {
  const port = hosted!.url!.port;
  const rules = [`MAP ${DOMAIN} 127.0.0.1:${port}`, `MAP *.${DOMAIN} 127.0.0.1:${port}`];
  const opened = await freshBrowser([
    `--host-resolver-rules=${rules.join(', ')}`,
    '--ignore-certificate-errors',
    '--disable-features=LocalNetworkAccessChecks,BlockInsecurePrivateNetworkRequests,PrivateNetworkAccessSendPreflights',
  ]);
  browsers.push(opened);
  return opened;
}

before(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'twirl-hosted-e2e-'));
  await deployDryRun(outDir);
  hosted = await startHosted(outDir, undefined, true);
});

after(async () => {
  for (const b of browsers) await b.close();
  await hosted?.stop();
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

async function shareLink(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Share' }).click();
  return expect(page.getByLabel('Share link'), 'a share link', (f) => f.inputValue(), /#(s|a)=/, 120_000);
}

test('the playground at the apex runs the sample in a preview on its own subdomain', async () => {
  const { page, errors } = await browser();
  await page.goto(PLAYGROUND);
  await previewShows(page, 'Hello, Fermyon!', 120_000);
  const frame = page.frames().find((f) => new RegExp(`^https://[0-9a-f]{16}\\.${DOMAIN.replace('.', '\\.')}/`).test(f.url()));
  assert.ok(frame, `a preview frame on an app's subdomain among ${page.frames().map((f) => f.url()).join(', ')}; errors: ${errors.join('\n')}`);
  assert.equal(await frame.evaluate(() => navigator.serviceWorker.controller !== null), true, 'the preview is answered by its service worker');
});

test('an app too large for a link is published to the API; its share link opens it in another browser, and it runs on its own origin', async () => {
  const { page } = browsers[0]!;
  await page.locator('input[type=file][accept*="zip"]').setInputFiles({ name: 'tiny.zip', mimeType: 'application/zip', buffer: tinyAppZip() });
  await previewShows(page, /^tiny\s*$/, 120_000);
  const link = await shareLink(page);
  const digest = /^https:\/\/twirl\.example\/#a=([0-9a-f]{64})$/.exec(link)?.[1];
  assert.ok(digest, `a link to the published app on the domain: ${link}`);

  const reader = await browser();
  await reader.page.goto(link);
  await previewShows(reader.page, /^tiny\s*$/, 120_000);
  await expect(reader.page.locator('twirl-file-tree li[data-path="hello.wasm"]'), 'the component in the tree', (l) => l.innerText(), 'component');

  const published = await reader.page.goto(`https://${labelOfDigest(digest)}.${DOMAIN}/`);
  assert.equal(published?.status(), 200);
  assert.match(await reader.page.locator('body').innerText(), /^tiny\s*$/, 'the published app runs on the edge');
});

test('a docs site on another origin runs an example through the versioned embed script', async () => {
  const { page, context, errors } = await browser();
  await context.route(DOCS_PAGE, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: DOCS_HTML }));
  await page.goto(DOCS_PAGE);
  const hello = page.locator('twirl-playground#hello');
  await expect(hello.locator('.cm-content'), 'the example’s source', (c) => c.innerText(), "addEventListener('fetch'", 60_000).catch((err: Error) => {
    throw new Error(`${err.message}\nbrowser errors: ${errors.join('\n')}`);
  });
  await hello.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(hello.getByLabel('Result'), 'the response', (r) => r.innerText(), /200[\s\S]*Hello, Fermyon![\s\S]*path: \/hello/, 60_000);
});
