/**
 * How a playground preview's service worker hands an outbound request to the platform worker,
 * which makes it on the app's behalf: browsers refuse a page's `fetch` to most upstreams (CORS),
 * the platform worker is under no such rule. The call travels as a same-origin POST to the
 * preview's own origin — the request's URL, method, headers and the component's allow-list in a
 * header, its body as the body — and the upstream's status and headers come back in a header,
 * so nothing of the upstream's answer (cookies, redirects) acts on the preview's origin.
 */

/** On an app's preview origin: where the platform worker takes outbound calls. */
export const OUTBOUND_RELAY_PATH = '/__twirl/outbound';
/** Request header: the call (`OutboundCall`), as URI-encoded JSON. */
export const OUTBOUND_CALL_HEADER = 'x-twirl-outbound-call';
/** Response header: the upstream's answer (`OutboundAnswer`), as URI-encoded JSON; absent when the relay refused. */
export const OUTBOUND_ANSWER_HEADER = 'x-twirl-outbound-answer';
/** On every answer of the relay, the refusals too: what tells it from a host that has no relay. */
export const OUTBOUND_RELAY_HEADER = 'x-twirl-outbound-relay';

export const OUTBOUND_RELAY_LIMITS = {
  /** The call header: URL, headers and allow-list. */
  maxCallBytes: 16 * 1024,
  maxRequestBytes: 10 * 1024 * 1024,
  maxResponseBytes: 10 * 1024 * 1024,
} as const;

export interface OutboundCall {
  url: string;
  method: string;
  headers: Array<[string, string]>;
  /** The component's `allowed_outbound_hosts`, templates resolved: checked again by the relay. */
  allowedHosts: string[];
}

export interface OutboundAnswer {
  status: number;
  statusText: string;
  headers: Array<[string, string]>;
}

export const encodeRelayHeader = (value: OutboundCall | OutboundAnswer): string => encodeURIComponent(JSON.stringify(value));

/** Undefined when the header is missing or not the JSON it should be. */
export function decodeRelayHeader(text: string | null): unknown {
  if (text === null) return undefined;
  try {
    return JSON.parse(decodeURIComponent(text)) as unknown;
  } catch {
    return undefined;
  }
}

const isHeaderList = (value: unknown): value is Array<[string, string]> =>
  Array.isArray(value) && value.every((h) => Array.isArray(h) && h.length === 2 && typeof h[0] === 'string' && typeof h[1] === 'string');

export function isOutboundCall(value: unknown): value is OutboundCall {
  const call = value as Partial<OutboundCall> | undefined;
  return (
    typeof call === 'object' &&
    call !== null &&
    typeof call.url === 'string' &&
    typeof call.method === 'string' &&
    isHeaderList(call.headers) &&
    Array.isArray(call.allowedHosts) &&
    call.allowedHosts.every((h) => typeof h === 'string')
  );
}

export function isOutboundAnswer(value: unknown): value is OutboundAnswer {
  const answer = value as Partial<OutboundAnswer> | undefined;
  return typeof answer === 'object' && answer !== null && typeof answer.status === 'number' && typeof answer.statusText === 'string' && isHeaderList(answer.headers);
}
