/**
 * The outbound relay of the playground's previews (shared/host/outbound-relay.ts): an app running
 * in a preview's service worker reaches the hosts its manifest allows through here, where CORS
 * does not apply. It is no open proxy: it answers only same-origin calls from a preview origin,
 * checks the target against the component's allow-list again (private networks only where the
 * platform runs on the user's own machine, the platform's own hosts never), never follows a
 * redirect (the app sees it and sends a new call, checked like the first), bounds both bodies
 * and, with a rate-limit binding, the calls per client address.
 */
import { TwirlError, messageOf } from '../shared/errors.ts';
import { AllowedHosts } from '../shared/host/allowed-hosts.ts';
import { isPrivateHost } from '../shared/host/private-addresses.ts';
import {
  OUTBOUND_ANSWER_HEADER,
  OUTBOUND_CALL_HEADER,
  OUTBOUND_RELAY_HEADER,
  OUTBOUND_RELAY_LIMITS as LIMITS,
  decodeRelayHeader,
  encodeRelayHeader,
  isOutboundCall,
  type OutboundCall,
} from '../shared/host/outbound-relay.ts';
import { PREVIEW_CSP } from '../shared/preview-policy.ts';
import { errorResponse } from './api/errors.ts';
import { discardBody, readCappedBody } from './api/read-body.ts';
import type { PlatformEnv } from './env.ts';
import { OUTBOUND_RATE_PERIOD_SECONDS } from './outbound-rate.ts';


/** Headers that describe one connection, not the request: the relay's own connection has its own. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host', 'content-length']);

export async function relayOutbound(env: PlatformEnv, request: Request): Promise<Response> {
  let answer: Response;
  try {
    answer = await relay(env, request);
  } catch (err) {
    // A refusal before the body is read: read it first, or the client still sending sees a reset.
    await discardBody(request, LIMITS.maxRequestBytes).catch(() => {});
    answer = errorResponse(err);
  }
  const headers = new Headers(answer.headers);
  headers.set(OUTBOUND_RELAY_HEADER, '1');
  headers.set('content-security-policy', PREVIEW_CSP);
  headers.set('cache-control', 'no-store');
  headers.set('x-content-type-options', 'nosniff');
  return new Response(answer.body, { status: answer.status, headers });
}

async function relay(env: PlatformEnv, request: Request): Promise<Response> {
  const here = new URL(request.url);
  if (request.method !== 'POST') throw new TwirlError('outbound-origin-refused', `the outbound relay takes POST from the app's service worker, not ${request.method}`);
  // Browsers set Origin on every POST and never let a page of another origin (nor a sandboxed app page, `null`) claim this one.
  const origin = request.headers.get('origin');
  const site = request.headers.get('sec-fetch-site');
  if (origin !== here.origin || (site !== null && site !== 'same-origin')) {
    throw new TwirlError('outbound-origin-refused', `the outbound relay answers only the app's own service worker at ${here.origin}, not ${origin ?? 'a request without Origin'}`);
  }
  await checkRate(env, request);
  const call = readCall(request);
  const target = checkTarget(env, call);
  const body = call.method === 'GET' || call.method === 'HEAD' ? undefined : await readCappedBody(request, LIMITS.maxRequestBytes, requestTooLarge);
  const headers = new Headers(call.headers.filter(([name]) => !HOP_BY_HOP.has(name.toLowerCase())));
  let upstream: Response;
  try {
    upstream = await fetch(target, { method: call.method, headers, body: body as Uint8Array<ArrayBuffer> | undefined, redirect: 'manual' });
  } catch (err) {
    throw new TwirlError('outbound-unreachable', `${target.origin} could not be reached: ${messageOf(err)}`);
  }
  const bytes = await readCappedBody(upstream, LIMITS.maxResponseBytes, responseTooLarge);
  // workerd has decoded the body already: its encoding and length headers no longer describe it.
  const kept = [...upstream.headers].filter(([name]) => !HOP_BY_HOP.has(name) && name !== 'content-encoding');
  const answer = { status: upstream.status, statusText: upstream.statusText, headers: kept };
  return new Response(bytes as Uint8Array<ArrayBuffer>, { headers: { 'content-type': 'application/octet-stream', [OUTBOUND_ANSWER_HEADER]: encodeRelayHeader(answer) } });
}

async function checkRate(env: PlatformEnv, request: Request): Promise<void> {
  const limiter = env.OUTBOUND_RATE_LIMIT;
  if (!limiter) return;
  const client = request.headers.get('cf-connecting-ip') ?? 'unknown';
  const { success } = await limiter.limit({ key: `outbound:${client}` });
  if (!success) throw new TwirlError('rate-limited', `too many outbound requests from ${client}; try again in ${OUTBOUND_RATE_PERIOD_SECONDS} seconds`);
}

function readCall(request: Request): OutboundCall {
  const raw = request.headers.get(OUTBOUND_CALL_HEADER);
  if (raw !== null && raw.length > LIMITS.maxCallBytes) throw new TwirlError('outbound-request-too-large', `the call's ${OUTBOUND_CALL_HEADER} header is over ${LIMITS.maxCallBytes} bytes`);
  const call = decodeRelayHeader(raw);
  if (!isOutboundCall(call)) throw new TwirlError('bad-outbound-call', `the ${OUTBOUND_CALL_HEADER} header is missing or not a call`);
  return call;
}

/** The target, if the component's allow-list and the platform's own rules let it out. */
function checkTarget(env: PlatformEnv, call: OutboundCall): URL {
  let url: URL;
  try {
    url = new URL(call.url);
  } catch {
    throw new TwirlError('bad-outbound-call', `${JSON.stringify(call.url)} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TwirlError('outbound-denied', `${url.protocol} requests are not relayed, only http: and https:`);
  if (!AllowedHosts.compile(call.allowedHosts, {}).allows(url)) throw new TwirlError('outbound-denied', `${url.origin} is not in the component's allowed_outbound_hosts`);
  const host = url.hostname.toLowerCase();
  if (isPrivateHost(host) && env.OUTBOUND_PRIVATE_NETWORK !== 'allow') throw new TwirlError('outbound-denied', `${url.origin} is on a private network, which this platform does not reach`);
  const domain = env.TWIRL_DOMAIN?.toLowerCase();
  if (domain && (host === domain || host.endsWith(`.${domain}`))) throw new TwirlError('outbound-denied', `${url.origin} is this platform's own host; an app reaches itself as http://self.alt`);
  return url;
}

const mib = (bytes: number) => `${bytes / (1024 * 1024)} MiB`;
const requestTooLarge = () => new TwirlError('outbound-request-too-large', `the outbound request's body is larger than ${mib(LIMITS.maxRequestBytes)}, the relay's limit`);
const responseTooLarge = () => new TwirlError('outbound-response-too-large', `the upstream's answer is larger than ${mib(LIMITS.maxResponseBytes)}, the relay's limit`);
