/**
 * Outbound requests of an app in the preview's service worker. A browser lets a page read
 * another origin's answer only when that origin allows it (CORS), which most upstreams do not:
 * the requests go through the platform worker's relay on the preview's own origin
 * (shared/host/outbound-relay.ts), which checks them again and makes them. Where the playground is
 * served without that worker (static files, vite), they go out from the browser, and a failure
 * says in the app's logs why and what to do.
 */
import { TwirlError } from '../shared/errors.ts';
import {
  OUTBOUND_ANSWER_HEADER,
  OUTBOUND_CALL_HEADER,
  OUTBOUND_RELAY_HEADER,
  decodeRelayHeader,
  encodeRelayHeader,
  isOutboundAnswer,
  type OutboundCall,
} from '../shared/host/outbound-relay.ts';
import type { OutboundContext, OutboundFetch } from '../shared/ports.ts';

/** Statuses whose responses carry no body (the Response constructor refuses one). */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

export function relayedFetch(relayUrl: string, direct: typeof fetch = fetch): OutboundFetch {
  /** Learnt from the first answer: a host without the relay answers without its header. */
  let relayPresent: boolean | undefined;
  return async (request, context) => {
    if (relayPresent !== false) {
      const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.arrayBuffer();
      const relayed = await throughRelay(relayUrl, direct, request, body, context);
      relayPresent = relayed !== undefined;
      if (relayed) return relayed;
      return fromBrowser(direct, new Request(request, body === undefined ? {} : { body }), context);
    }
    return fromBrowser(direct, request, context);
  };
}

/** The upstream's answer, or undefined where no relay answers. */
async function throughRelay(relayUrl: string, direct: typeof fetch, request: Request, body: ArrayBuffer | undefined, context: OutboundContext): Promise<Response | undefined> {
  const call: OutboundCall = { url: request.url, method: request.method, headers: [...request.headers], allowedHosts: [...context.allowedHosts] };
  let answer: Response;
  try {
    answer = await direct(relayUrl, { method: 'POST', headers: { [OUTBOUND_CALL_HEADER]: encodeRelayHeader(call) }, body: body ?? null, credentials: 'omit' });
  } catch {
    return undefined;
  }
  if (!answer.headers.has(OUTBOUND_RELAY_HEADER)) {
    await answer.body?.cancel();
    return undefined;
  }
  const upstream = decodeRelayHeader(answer.headers.get(OUTBOUND_ANSWER_HEADER));
  if (!isOutboundAnswer(upstream)) {
    const message = await refusalMessage(answer);
    context.log(`[twirl] outbound request to ${request.url} failed at the playground's relay: ${message}`);
    throw new TwirlError('outbound-refused', message);
  }
  if (upstream.status < 200 || upstream.status > 599) throw new TwirlError('outbound-refused', `${request.url} answered with status ${upstream.status}, which a fetch cannot return`);
  return new Response(NULL_BODY.has(upstream.status) ? null : await answer.arrayBuffer(), { status: upstream.status, statusText: upstream.statusText, headers: upstream.headers });
}

async function refusalMessage(answer: Response): Promise<string> {
  const text = await answer.text();
  try {
    return (JSON.parse(text) as { error: { message: string } }).error.message;
  } catch {
    return `status ${answer.status} ${text.slice(0, 200)}`.trim();
  }
}

async function fromBrowser(direct: typeof fetch, request: Request, context: OutboundContext): Promise<Response> {
  try {
    return await direct(request);
  } catch (err) {
    const { origin } = new URL(request.url);
    context.log(
      `[twirl] outbound request to ${request.url} failed in the browser. The playground runs apps in this browser, which reads an answer from ` +
        `another origin only if that origin allows it (CORS: Access-Control-Allow-Origin), and ${origin} did not — or it could not be reached. ` +
        'This playground has no outbound relay (it is served without the platform worker, e.g. as static files). ' +
        'To call this upstream: open the playground that `npm start` serves (its worker relays the hosts the manifest allows), ' +
        'run the app with `twirl up`, or call an upstream that sends Access-Control-Allow-Origin.',
    );
    throw err;
  }
}
