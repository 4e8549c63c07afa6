/**
 * The hosted Twirl as deployed: `deploy:platform --dry-run` output (accepted by wrangler) run on
 * workerd, with production Host headers — the playground and its API at the domain, an app's
 * preview origin, a published app on its own origin, the embed loaded from a docs site.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { deployPlatform } from '../../node/workerd/platform-deploy.ts';
import { platformConfig } from '../../node/workerd/platform-config.ts';
import { PREVIEW_CSP } from '../../shared/preview-policy.ts';
import { labelOfDigest } from '../../worker/hosts.ts';
import { OUTBOUND_CALL_HEADER, OUTBOUND_RELAY_PATH, encodeRelayHeader } from '../../shared/host/outbound-relay.ts';
import { sha256Hex, templateFiles, zip } from './support/platform.ts';
import { startHosted, type HostedPlatform } from './support/hosted.ts';

const DOMAIN = 'twirl.example';
const apex = (path: string) => `https://${DOMAIN}${path}`;
const PREVIEW = 'https://0123456789abcdef.twirl.example';
const DOCS_SITE = 'https://docs.elsewhere.example';
const fixtureAssets = new URL('../fixtures/hosted-playground/', import.meta.url).pathname;
const PUBLISHES_PER_MINUTE = 3;

let outDir: string;
let hosted: HostedPlatform;
let withoutLoader: HostedPlatform;
const archive = zip(await templateFiles('http-js'));

before(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'twirl-hosted-out-'));
  await deployPlatform({ domain: DOMAIN, dryRun: true, outDir, assetsDir: fixtureAssets, publishesPerMinute: PUBLISHES_PER_MINUTE, echo: false });
  // An account without Worker Loader gets the same output without the binding.
  await writeFile(join(outDir, 'without-loader.json'), JSON.stringify(platformConfig({ domain: DOMAIN, workerLoader: false })));
  [hosted, withoutLoader] = await Promise.all([startHosted(outDir), startHosted(outDir, 'without-loader.json')]);
});

after(async () => {
  await Promise.all([hosted?.stop(), withoutLoader?.stop()]);
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

const publishFrom = (platform: HostedPlatform, address: string) =>
  platform.fetch(apex('/api/apps'), { method: 'POST', body: archive as Uint8Array<ArrayBuffer>, headers: { 'content-type': 'application/zip', 'cf-connecting-ip': address } });

test('the domain serves the playground, any path of it falling back to its page', async () => {
  for (const path of ['/', '/some/deep/link']) {
    const res = await hosted.fetch(apex(path));
    assert.equal(res.status, 200, path);
    assert.match(await res.text(), /Twirl playground \(fixture\)/, path);
  }
});

test('the API answers at the domain and says publishing is available', async () => {
  const res = await hosted.fetch(apex('/api'));
  assert.equal(res.status, 200);
  assert.equal(((await res.json()) as { publishing: string }).publishing, 'available');
});

test("an app's preview origin serves the bridge and the service worker, nothing of the playground", async () => {
  // The assets binding drops `.html` (307 to /__twirl/frame), staying on the preview origin.
  let bridge = await hosted.fetch(`${PREVIEW}/__twirl/frame.html?parent=${encodeURIComponent(`https://${DOMAIN}`)}`);
  if (bridge.status === 307) bridge = await hosted.fetch(new URL(bridge.headers.get('location')!, PREVIEW).href);
  assert.equal(bridge.status, 200);
  assert.equal(new URL(bridge.url || PREVIEW).origin, PREVIEW);
  assert.match(await bridge.text(), /preview bridge/);
  const sw = await hosted.fetch(`${PREVIEW}/sw.js`);
  assert.equal(sw.status, 200);
  assert.equal(sw.headers.get('content-security-policy'), null, 'the service worker runs Wasm: no CSP on it');
  assert.equal(sw.headers.get('cache-control'), 'no-cache');
  await sw.arrayBuffer();
  for (const path of ['/', '/api', '/api/apps', '/index.html']) {
    const res = await hosted.fetch(`${PREVIEW}${path}`);
    assert.equal(res.status, 404, path);
    assert.equal(res.headers.get('content-security-policy'), PREVIEW_CSP, `${path} is sandboxed like the app's own pages`);
    assert.match(await res.text(), /open it from the playground/, path);
  }
});

test("a preview's outbound relay, deployed, reaches neither private networks nor the platform's own hosts, whatever the manifest allows", async () => {
  const relay = (url: string, allowedHosts: string[]) =>
    hosted.fetch(`${PREVIEW}${OUTBOUND_RELAY_PATH}`, {
      method: 'POST',
      headers: { origin: PREVIEW, 'sec-fetch-site': 'same-origin', [OUTBOUND_CALL_HEADER]: encodeRelayHeader({ url, method: 'GET', headers: [], allowedHosts }) },
    });
  for (const [url, allowed, reason] of [
    ['http://127.0.0.1:9/', 'http://127.0.0.1:*', /private network/],
    ['http://10.1.2.3/', 'http://10.0.0.0/8', /private network/],
    [`https://www.${DOMAIN}/`, `https://*.${DOMAIN}`, /platform's own host/],
  ] as const) {
    const res = await relay(url, [allowed]);
    assert.equal(res.status, 403, url);
    const { error } = (await res.json()) as { error: { code: string; message: string } };
    assert.equal(error.code, 'outbound-denied', url);
    assert.match(error.message, reason, url);
  }
});

test('a subdomain that is neither a preview nor a published app is a 404', async () => {
  const res = await hosted.fetch('https://www.twirl.example/');
  assert.equal(res.status, 404);
  assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'not-found');
});

test('a published app runs on an origin of its own; its /a/<digest>/ link on the domain redirects there', async () => {
  const res = await publishFrom(hosted, '198.51.100.1');
  assert.ok(res.status === 201 || res.status === 200, `publish answered ${res.status}`);
  const { digest, url } = (await res.json()) as { digest: string; url: string };
  assert.equal(digest, sha256Hex(archive));
  assert.equal(url, `https://${labelOfDigest(digest)}.${DOMAIN}/`);
  const app = await hosted.fetch(new URL('hello/there?x=1', url).href);
  assert.equal(app.status, 200);
  const body = await app.text();
  assert.match(body, /^Hello, Fermyon!/);
  assert.match(body, /path: \/hello\/there\n/, 'the app sees itself at /');
  const old = await hosted.fetch(apex(`/a/${digest}/hello?x=1`));
  assert.equal(old.status, 308);
  assert.equal(old.headers.get('location'), new URL('hello?x=1', url).href);
  const unknown = await hosted.fetch(`https://${labelOfDigest('f'.repeat(64))}.${DOMAIN}/`);
  assert.equal(unknown.status, 404);
  assert.equal(((await unknown.json()) as { error: { code: string } }).error.code, 'app-not-found');
});

test('a docs site loads the versioned embed script and its files across origins, cached right', async () => {
  const origin = { headers: { origin: DOCS_SITE } };
  const script = await hosted.fetch(apex('/embed/v1.js'), origin);
  assert.equal(script.status, 200);
  assert.equal(script.headers.get('access-control-allow-origin'), '*');
  assert.match(script.headers.get('content-type') ?? '', /javascript/);
  assert.match(script.headers.get('cache-control') ?? '', /max-age=300/);
  const imported = /import '([^']+)'/.exec(await script.text())?.[1];
  assert.ok(imported, 'the versioned script imports the current embed');
  const embed = await hosted.fetch(new URL(imported, apex('/embed/v1.js')).href, origin);
  assert.equal(embed.status, 200);
  assert.equal(embed.headers.get('access-control-allow-origin'), '*');
  assert.equal(embed.headers.get('cross-origin-resource-policy'), 'cross-origin');
  await embed.arrayBuffer();
  const chunk = await hosted.fetch(apex('/__twirl/assets/main-fixture1.js'), origin);
  assert.equal(chunk.headers.get('access-control-allow-origin'), '*');
  assert.equal(chunk.headers.get('cache-control'), 'public, max-age=31536000, immutable', 'hashed chunks never change');
  await chunk.arrayBuffer();
  const engine = await hosted.fetch(apex('/__twirl/engines/93a44bbb96c751218e4c00d479e4c14358122a389acca16205b1e4d0dc5f9476.wasm'), origin);
  assert.equal(engine.status, 200);
  assert.equal(engine.headers.get('cache-control'), 'public, max-age=31536000, immutable', 'an engine is named by its sha256');
  await engine.arrayBuffer();
  const template = await hosted.fetch(apex('/__twirl/templates/http-js.json'), origin);
  assert.equal(template.status, 200);
  assert.equal(template.headers.get('access-control-allow-origin'), '*');
  assert.match(template.headers.get('cache-control') ?? '', /max-age=300/);
  await template.arrayBuffer();
  const unknown = await hosted.fetch(apex('/embed/v9.js'), origin);
  assert.equal(unknown.status, 404);
  assert.match(await unknown.text(), /\/embed\/v1\.js/, 'names the versions served');
});

/** The limiter counts per wall-clock minute (as Cloudflare's does, per period): the minute now. */
const rateWindow = (): number => Math.floor(Date.now() / 60_000);

test('publishing is rate limited per client address', async () => {
  let statuses: number[] = [];
  // Publishes that straddle a minute start over in the new one: then again, from a fresh address.
  for (const address of ['203.0.113.9', '203.0.113.11']) {
    const window = rateWindow();
    statuses = [];
    for (let i = 0; i <= PUBLISHES_PER_MINUTE; i++) {
      const res = await publishFrom(hosted, address);
      statuses.push(res.status);
      if (res.status === 429) {
        assert.equal(res.headers.get('retry-after'), '60');
        assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'rate-limited');
      } else await res.arrayBuffer();
    }
    if (rateWindow() === window) break;
  }
  assert.equal(statuses.at(-1), 429, `statuses: ${statuses.join(', ')}`);
  assert.ok(statuses.slice(0, -1).every((s) => s === 200 || s === 201), `statuses: ${statuses.join(', ')}`);
  const other = await publishFrom(hosted, '203.0.113.10');
  assert.equal(other.status, 200, 'another address has its own budget');
  await other.arrayBuffer();
});

test('without a Worker Loader, publishing and published apps are refused with a 503 naming it; the playground still works', async () => {
  const info = await withoutLoader.fetch(apex('/api'));
  assert.match(((await info.json()) as { publishing: string }).publishing, /unavailable.*LOADER/);
  // Each answer is read before the next request is sent.
  for (const send of [() => publishFrom(withoutLoader, '198.51.100.2'), () => withoutLoader.fetch(`https://${labelOfDigest(sha256Hex(archive))}.${DOMAIN}/`)]) {
    const res = await send();
    assert.equal(res.status, 503);
    const { error } = (await res.json()) as { error: { code: string; message: string } };
    assert.equal(error.code, 'worker-loader-unavailable');
    assert.match(error.message, /Worker Loader binding LOADER/);
    assert.match(error.message, /docs\/hosting\.md#accounts-without-worker-loader/);
  }
  const page = await withoutLoader.fetch(apex('/'));
  assert.equal(page.status, 200);
  await page.arrayBuffer();
});
