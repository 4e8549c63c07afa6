/**
 * The previews' outbound relay on the local platform worker: it makes a preview's allowed
 * requests, and nothing else — not a host the component was not granted, not the target of a
 * redirect, not more than its size limits, not for a page of any other origin.
 */
import assert from 'node:assert/strict';
import { request as httpRequest, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import {
  OUTBOUND_ANSWER_HEADER,
  OUTBOUND_CALL_HEADER,
  OUTBOUND_RELAY_HEADER,
  OUTBOUND_RELAY_LIMITS,
  OUTBOUND_RELAY_PATH,
  decodeRelayHeader,
  encodeRelayHeader,
  type OutboundAnswer,
} from '../../shared/host/outbound-relay.ts';
import { redirectingServers } from '../support/redirecting-servers.ts';
import { removeState, startWorker } from './support/platform.ts';

const servers = await redirectingServers();
const platform = await startWorker();
const { port } = new URL(platform.url);
const PREVIEW_HOST = `0123456789abcdef.twirl.localhost:${port}`;
const PREVIEW_ORIGIN = `http://${PREVIEW_HOST}`;

/** Answers `/big` with one byte more than the relay takes, anything else with what it was sent. */
const upstream = createServer((req, res) => {
  if (req.url === '/big') return void res.end(Buffer.alloc(OUTBOUND_RELAY_LIMITS.maxResponseBytes + 1, 0x61));
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    res.setHeader('x-upstream', 'yes');
    res.setHeader('set-cookie', 'session=upstream');
    res.statusCode = 201;
    res.end(JSON.stringify({ method: req.method, path: req.url, greeting: req.headers['x-greeting'], body: Buffer.concat(chunks).toString() }));
  });
});
await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
const UPSTREAM = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;

after(async () => {
  upstream.closeAllConnections();
  await Promise.all([removeState(platform), servers.close(), new Promise((r) => upstream.close(r))]);
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** Node's fetch sets Host from the URL; the relay is told apart by Host, so this request names its own. */
function send(options: { host?: string; method?: string; headers?: Record<string, string>; body?: Buffer | string }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, path: OUTBOUND_RELAY_PATH, method: options.method ?? 'POST', headers: { host: options.host ?? PREVIEW_HOST, ...options.headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** A call as the preview's service worker makes it. */
const call = (url: string, allowedHosts: string[], init: { method?: string; headers?: Array<[string, string]>; body?: Buffer | string; origin?: string | null } = {}) =>
  send({
    headers: {
      ...(init.origin === null ? {} : { origin: init.origin ?? PREVIEW_ORIGIN }),
      'sec-fetch-site': 'same-origin',
      [OUTBOUND_CALL_HEADER]: encodeRelayHeader({ url, method: init.method ?? 'GET', headers: init.headers ?? [], allowedHosts }),
    },
    ...(init.body === undefined ? {} : { body: init.body }),
  });

const upstreamAnswer = (res: Answer) => decodeRelayHeader(String(res.headers[OUTBOUND_ANSWER_HEADER] ?? '')) as OutboundAnswer | undefined;
const errorCode = (res: Answer) => (JSON.parse(res.body.toString()) as { error: { code: string } }).error.code;

test("an allowed call gets the upstream's status, headers and body, none of them acting on the preview's origin", async () => {
  const res = await call(`${UPSTREAM}/echo?x=1`, [UPSTREAM], { method: 'POST', headers: [['x-greeting', 'hi']], body: 'sent along' });
  assert.equal(res.status, 200);
  assert.equal(res.headers[OUTBOUND_RELAY_HEADER], '1');
  assert.equal(res.headers['set-cookie'], undefined, "the upstream's cookie stays in the answer header");
  const answer = upstreamAnswer(res);
  assert.equal(answer?.status, 201);
  assert.ok(answer?.headers.some(([name, value]) => name === 'x-upstream' && value === 'yes'));
  assert.deepEqual(JSON.parse(res.body.toString()), { method: 'POST', path: '/echo?x=1', greeting: 'hi', body: 'sent along' });
});

test('a host not in the allow-list is refused and never reached', async () => {
  const res = await call(`${servers.elsewhere}/`, [servers.entry]);
  assert.equal(res.status, 403);
  assert.equal(errorCode(res), 'outbound-denied');
  assert.equal(res.headers[OUTBOUND_RELAY_HEADER], '1', 'a refusal says it came from the relay');
  const wildcard = await call(`${servers.elsewhere}/`, ['http://*:*']);
  assert.equal(wildcard.status, 403, 'a wildcard never reaches loopback, as in the engine');
  assert.equal(servers.elsewhereHits(), 0);
});

test('a redirect comes back to the app as it is; the host it names is reached only by a call of its own, checked again', async () => {
  const res = await call(`${servers.entry}/?status=307&to=${encodeURIComponent(`${servers.elsewhere}/`)}`, [servers.entry]);
  assert.equal(res.status, 200);
  const answer = upstreamAnswer(res);
  assert.equal(answer?.status, 307);
  assert.deepEqual(answer?.headers.find(([name]) => name === 'location'), ['location', `${servers.elsewhere}/`]);
  const followed = await call(`${servers.elsewhere}/`, [servers.entry]);
  assert.equal(followed.status, 403);
  assert.equal(servers.elsewhereHits(), 0);
});

test('bodies over the limits are refused: the request before it goes out, the answer before it comes back', async () => {
  const big = await call(`${UPSTREAM}/big`, [UPSTREAM]);
  assert.equal(big.status, 502);
  assert.equal(errorCode(big), 'outbound-response-too-large');
  const sent = await call(`${UPSTREAM}/echo`, [UPSTREAM], { method: 'PUT', body: Buffer.alloc(OUTBOUND_RELAY_LIMITS.maxRequestBytes + 1, 0x62) });
  assert.equal(sent.status, 413);
  assert.equal(errorCode(sent), 'outbound-request-too-large');
});

test('only the preview itself may call: another origin, no origin, a cross-site fetch or the playground host are refused', async () => {
  for (const origin of ['https://elsewhere.example', 'http://fedcba9876543210.twirl.localhost:' + port, 'null', null]) {
    const res = await call(`${UPSTREAM}/echo`, [UPSTREAM], { origin });
    assert.equal(res.status, 403, `origin ${origin}`);
    assert.equal(errorCode(res), 'outbound-origin-refused');
  }
  const crossSite = await send({ headers: { origin: PREVIEW_ORIGIN, 'sec-fetch-site': 'cross-site', [OUTBOUND_CALL_HEADER]: encodeRelayHeader({ url: UPSTREAM, method: 'GET', headers: [], allowedHosts: [UPSTREAM] }) } });
  assert.equal(crossSite.status, 403);
  const onPlayground = await send({ host: `twirl.localhost:${port}`, headers: { origin: `http://twirl.localhost:${port}`, [OUTBOUND_CALL_HEADER]: encodeRelayHeader({ url: UPSTREAM, method: 'GET', headers: [], allowedHosts: [UPSTREAM] }) } });
  assert.equal(onPlayground.headers[OUTBOUND_RELAY_HEADER], undefined, 'the playground host has no relay');
  const get = await send({ method: 'GET', headers: { origin: PREVIEW_ORIGIN } });
  assert.equal(get.status, 403);
});
