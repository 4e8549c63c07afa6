/**
 * The preview's outbound requests where the playground is served without its platform worker:
 * the browser's own fetch is tried, and when CORS (or the network) fails it, the app's log says
 * why and what to do. The stand-in `fetch` plays a static host (no relay) and the browser.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { relayedFetch } from '../../../web/outbound-relay-fetch.ts';

const RELAY = 'https://0123456789abcdef.play.example/__twirl/outbound';

function staticHostAndBrowser(upstream: (request: Request) => Promise<Response> | undefined) {
  const seen: string[] = [];
  const fetchLike = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    seen.push(`${request.method} ${request.url}`);
    if (request.url === RELAY) return new Response('not found', { status: 404 });
    const answer = upstream(request);
    if (!answer) throw new TypeError('Failed to fetch');
    return await answer;
  }) as typeof fetch;
  return { fetchLike, seen };
}

test('without a relay, a request the browser refuses is logged with the CORS reason and what to do', async () => {
  const { fetchLike, seen } = staticHostAndBrowser(() => undefined);
  const lines: string[] = [];
  const outbound = relayedFetch(RELAY, fetchLike);
  const context = { allowedHosts: ['https://api.example'], log: (line: string) => lines.push(line) };
  await assert.rejects(outbound(new Request('https://api.example/data'), context), TypeError);
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, /outbound request to https:\/\/api\.example\/data failed in the browser/);
  assert.match(lines[0]!, /CORS: Access-Control-Allow-Origin/);
  assert.match(lines[0]!, /npm start/);
  assert.match(lines[0]!, /twirl up/);
  // The relay's absence is learnt once: the next request goes straight out.
  await assert.rejects(outbound(new Request('https://api.example/again'), context), TypeError);
  assert.deepEqual(seen, [`POST ${RELAY}`, 'GET https://api.example/data', 'GET https://api.example/again']);
});

test('without a relay, an upstream that allows the playground by CORS answers from the browser, body and all', async () => {
  const { fetchLike } = staticHostAndBrowser(async (request) => new Response(`got ${request.method} ${await request.text()}`, { headers: { 'access-control-allow-origin': '*' } }));
  const outbound = relayedFetch(RELAY, fetchLike);
  const lines: string[] = [];
  const res = await outbound(new Request('https://api.example/data', { method: 'POST', body: 'payload' }), { allowedHosts: ['https://api.example'], log: (l) => lines.push(l) });
  assert.equal(await res.text(), 'got POST payload', 'the body read for the relay call still reaches the upstream');
  assert.deepEqual(lines, []);
});
