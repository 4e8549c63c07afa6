/**
 * How an outbound request leaves the host: once, never following redirects. A fetch that followed
 * a 3xx by itself would reach whatever the `Location` names, a host nobody checked against
 * `allowed_outbound_hosts` or the private-network rule. Spin's hosts do not follow redirects
 * either: the guest gets the 3xx (so a guest asking `redirect: 'manual'` gets exactly that), and a
 * guest that follows it sends a new request, checked like the first.
 */
import type { OutboundContext, OutboundFetch } from '../ports.ts';
import { TwirlError } from '../errors.ts';

export async function fetchWithoutRedirects(fetch: OutboundFetch, request: Request, context: OutboundContext): Promise<Response> {
  const response = await fetch(new Request(request, { redirect: 'manual' }), context);
  // Browsers hide a manual redirect's status and Location (an "opaque redirect", status 0); the
  // guest can neither see nor follow it, so it is an error rather than a response with status 0.
  if (response.status === 0) {
    throw new TwirlError('redirect-not-followed', `${request.url} answered with a redirect, which the browser does not let the host read`);
  }
  return response;
}
